//! peermatch against the placements programmes use today, on the bundled cohort and on
//! synthetic cohorts: a Markdown table on stdout.
//!
//! ```text
//! cargo run --release --example compare -- [--sizes 2000x400,10000x2000] [--seed N] [--svg FILE]
//! ```
//!
//! Strategies:
//! - **condition only, first come first served** — the one-size-fits-all placement:
//!   each recipient in turn gets the first mentor with room who shares a condition,
//!   whatever else they share or the rules say;
//! - **greedy, best pair first** — every eligible pair by score, taken when both are free;
//! - **random among eligible** — each recipient in turn gets a random eligible mentor
//!   with room (seeded);
//! - **stable** — recipient-proposing deferred acceptance with capacities (the
//!   hospital–resident algorithm) over eligible pairs, preferences by score;
//! - **peermatch** — the exact optimum.
//!
//! Metrics, per strategy: recipients matched (and the urgent ones, urgency 2–3), mean and
//! lowest score, pairs sharing nothing beyond the diagnosis, pairs breaking a hard rule
//! (and the training rule), mentors with room left with nobody, the largest load, and
//! blocking pairs (an eligible recipient and mentor who would both rather be together,
//! as [`peermatch::blocking_pairs`] counts them). With `--svg FILE`, the last cohort's
//! shares as a bar chart (plotters' SVG backend: a well-kept chart crate rather than
//! hand-written markup, and no font files needed).

use std::process::ExitCode;

use peermatch::synth::{self, SynthOptions};
use peermatch::{Cohort, EligiblePairs, HardRule, blocking_pairs, explain, match_cohort};

const SAMPLE: &str = include_str!("data/cohort.json");

/// A plan: each recipient's mentor, by index.
type Plan = Vec<Option<usize>>;

/// The eligible pairs with scores, both ways round.
struct Eligible {
    /// Per recipient, `(mentor, score)`, mentors in input order.
    of_recipient: Vec<Vec<(usize, f64)>>,
}

impl Eligible {
    fn new(cohort: &Cohort) -> Eligible {
        let pairs = EligiblePairs::new(cohort);
        Eligible {
            of_recipient: (0..cohort.recipients().len())
                .map(|r| pairs.of(r).collect())
                .collect(),
        }
    }

    fn score(&self, r: usize, m: usize) -> Option<f64> {
        self.of_recipient[r]
            .iter()
            .find(|&&(x, _)| x == m)
            .map(|&(_, s)| s)
    }
}

/// Places left per mentor before any new recipient.
fn room(cohort: &Cohort) -> Vec<u32> {
    cohort
        .mentors()
        .iter()
        .map(|m| m.capacity - m.current_load)
        .collect()
}

/// The one-size-fits-all placement (see the module docs).
fn condition_first_come(cohort: &Cohort) -> Plan {
    let mut room = room(cohort);
    cohort
        .recipients()
        .iter()
        .map(|r| {
            let m = cohort
                .mentors()
                .iter()
                .enumerate()
                .position(|(m, mentor)| {
                    room[m] > 0 && mentor.conditions.iter().any(|c| r.conditions.contains(c))
                })?;
            room[m] -= 1;
            Some(m)
        })
        .collect()
}

fn greedy(cohort: &Cohort, eligible: &Eligible) -> Plan {
    let mut pairs: Vec<(f64, usize, usize)> = eligible
        .of_recipient
        .iter()
        .enumerate()
        .flat_map(|(r, list)| list.iter().map(move |&(m, s)| (s, r, m)))
        .collect();
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut room = room(cohort);
    let mut plan = vec![None; cohort.recipients().len()];
    for (_, r, m) in pairs {
        if plan[r].is_none() && room[m] > 0 {
            plan[r] = Some(m);
            room[m] -= 1;
        }
    }
    plan
}

fn random_eligible(cohort: &Cohort, eligible: &Eligible, seed: u64) -> Plan {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut room = room(cohort);
    eligible
        .of_recipient
        .iter()
        .map(|list| {
            let open: Vec<usize> = list
                .iter()
                .map(|&(m, _)| m)
                .filter(|&m| room[m] > 0)
                .collect();
            if open.is_empty() {
                return None;
            }
            let m = open[next(open.len())];
            room[m] -= 1;
            Some(m)
        })
        .collect()
}

/// Recipient-proposing deferred acceptance with capacities, preferences by score (ties
/// to the earlier mentor, and for mentors to the earlier recipient).
fn stable(cohort: &Cohort, eligible: &Eligible) -> Plan {
    let prefs: Vec<Vec<usize>> = eligible
        .of_recipient
        .iter()
        .map(|list| {
            let mut l = list.clone();
            l.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            l.into_iter().map(|(m, _)| m).collect()
        })
        .collect();
    let room = room(cohort);
    let mut next = vec![0usize; prefs.len()];
    let mut held: Vec<Vec<usize>> = vec![Vec::new(); room.len()];
    let mut free: Vec<usize> = (0..prefs.len()).rev().collect();
    while let Some(r) = free.pop() {
        let Some(&m) = prefs[r].get(next[r]) else {
            continue;
        };
        next[r] += 1;
        held[m].push(r);
        if held[m].len() as u64 > u64::from(room[m]) {
            // The mentor lets go of the recipient it scores lowest (the later one on ties).
            let worst = (0..held[m].len())
                .min_by(|&a, &b| {
                    let (ra, rb) = (held[m][a], held[m][b]);
                    let (sa, sb) = (
                        eligible.score(ra, m).unwrap(),
                        eligible.score(rb, m).unwrap(),
                    );
                    sa.total_cmp(&sb).then(rb.cmp(&ra))
                })
                .expect("over capacity, so someone is held");
            free.push(held[m].swap_remove(worst));
        }
    }
    let mut plan = vec![None; prefs.len()];
    for (m, rs) in held.iter().enumerate() {
        for &r in rs {
            plan[r] = Some(m);
        }
    }
    plan
}

fn peermatch(cohort: &Cohort) -> Plan {
    peermatch_with(cohort, cohort.policy().clone())
}

/// peermatch under another policy for the same people.
fn peermatch_with(cohort: &Cohort, policy: peermatch::Policy) -> Plan {
    let cohort = &cohort.clone().with_policy(policy).expect("a valid policy");
    let report = match_cohort(cohort);
    let index = report.index();
    let position: std::collections::BTreeMap<&str, usize> = cohort
        .mentors()
        .iter()
        .enumerate()
        .map(|(m, x)| (x.id.as_str(), m))
        .collect();
    cohort
        .recipients()
        .iter()
        .map(|r| {
            index
                .match_of(r.id.as_str())
                .and_then(|m| position.get(m.mentor.as_str()).copied())
        })
        .collect()
}

/// A plan's row of the table.
struct Row {
    recipients: usize,
    matched: usize,
    urgent: usize,
    urgent_all: usize,
    mean: f64,
    lowest: f64,
    nothing_shared: usize,
    broken: usize,
    training: usize,
    idle: usize,
    max_load: u32,
    blocking: usize,
}

fn measure(cohort: &Cohort, eligible: &Eligible, plan: &Plan) -> Row {
    let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
    let mut load: Vec<u32> = vec![0; mentors.len()];
    let mut scores = Vec::new();
    let (mut nothing_shared, mut broken, mut training) = (0, 0, 0);
    for (r, m) in plan.iter().enumerate() {
        let Some(m) = *m else { continue };
        load[m] += 1;
        let why = explain(cohort, mentors[m].id.as_str(), recipients[r].id.as_str())
            .expect("ids from the cohort");
        scores.push(why.breakdown.score);
        nothing_shared += usize::from(why.failed_rules.contains(&HardRule::BeyondDiagnosis));
        broken += usize::from(!why.failed_rules.is_empty());
        training += usize::from(why.failed_rules.contains(&HardRule::Training));
    }
    let room = room(cohort);
    // Each mentor's lowest-scored recipient held (an ineligible pair scores lowest).
    let mut lowest_held = vec![f64::INFINITY; mentors.len()];
    for (r, m) in plan.iter().enumerate() {
        if let Some(m) = *m {
            let s = eligible.score(r, m).unwrap_or(f64::NEG_INFINITY);
            lowest_held[m] = lowest_held[m].min(s);
        }
    }
    // Blocking: an eligible pair not together where the recipient prefers the mentor
    // (or has none) and the mentor has room or holds someone it scores lower.
    let mut blocking = 0;
    for (r, list) in eligible.of_recipient.iter().enumerate() {
        let current = plan[r]
            .and_then(|m| eligible.score(r, m))
            .unwrap_or(f64::NEG_INFINITY);
        for &(m, s) in list {
            if plan[r] == Some(m) || s <= current {
                continue;
            }
            let takes = load[m] < room[m] || lowest_held[m] < s;
            blocking += usize::from(takes);
        }
    }
    let urgent = |r: usize| recipients[r].urgency >= 2;
    Row {
        recipients: recipients.len(),
        matched: scores.len(),
        urgent: (0..plan.len())
            .filter(|&r| plan[r].is_some() && urgent(r))
            .count(),
        urgent_all: (0..plan.len()).filter(|&r| urgent(r)).count(),
        mean: if scores.is_empty() {
            0.0
        } else {
            scores.iter().sum::<f64>() / scores.len() as f64
        },
        lowest: scores.iter().copied().fold(f64::INFINITY, f64::min),
        nothing_shared,
        broken,
        training,
        idle: (0..mentors.len())
            .filter(|&m| room[m] > 0 && load[m] == 0)
            .count(),
        max_load: (0..mentors.len())
            .map(|m| mentors[m].current_load + load[m])
            .max()
            .unwrap_or(0),
        blocking,
    }
}

/// Prints one cohort's table; returns each strategy's name and row.
fn table(name: &str, cohort: &Cohort, seed: u64) -> Vec<(&'static str, Row)> {
    let eligible = Eligible::new(cohort);
    println!(
        "\n### {name}: {} recipients, {} mentors\n",
        cohort.recipients().len(),
        cohort.mentors().len()
    );
    println!(
        "| strategy | matched | urgent matched | mean score | lowest | nothing shared beyond diagnosis | breaking a hard rule | of which training | idle mentors | largest load | blocking pairs |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let fair = peermatch::Policy {
        min_new_load: 1,
        ..cohort.policy().clone()
    };
    let bottleneck = peermatch::Policy {
        objective: peermatch::Objective::Bottleneck,
        ..cohort.policy().clone()
    };
    let plans: [(&'static str, Plan); 7] = [
        (
            "condition only, first come first served",
            condition_first_come(cohort),
        ),
        ("greedy, best pair first", greedy(cohort, &eligible)),
        (
            "random among eligible",
            random_eligible(cohort, &eligible, seed),
        ),
        ("stable (deferred acceptance)", stable(cohort, &eligible)),
        ("**peermatch**", peermatch(cohort)),
        (
            "peermatch, every mentor one first (`min_new_load` 1)",
            peermatch_with(cohort, fair),
        ),
        (
            "peermatch, `bottleneck` objective",
            peermatch_with(cohort, bottleneck),
        ),
    ];
    let mut rows = Vec::new();
    for (i, (strategy, plan)) in plans.iter().enumerate() {
        let row = measure(cohort, &eligible, plan);
        if i == 4 {
            // The same count as the library's own stability diagnostic.
            let report = match_cohort(cohort);
            assert_eq!(row.blocking, blocking_pairs(cohort, &report).len());
        }
        let lowest = if row.matched == 0 {
            "-".to_owned()
        } else {
            format!("{:.3}", row.lowest)
        };
        println!(
            "| {strategy} | {} | {} of {} | {:.3} | {lowest} | {} | {} | {} | {} | {} | {} |",
            row.matched,
            row.urgent,
            row.urgent_all,
            row.mean,
            row.nothing_shared,
            row.broken,
            row.training,
            row.idle,
            row.max_load,
            row.blocking
        );
        rows.push((*strategy, row));
    }
    rows
}

/// The chart of one cohort's rows, as SVG: per strategy, the share of recipients
/// matched, of urgent recipients matched, and of pairs that break a hard rule or share
/// nothing beyond the diagnosis.
fn chart(path: &str, title: &str, rows: &[(&str, Row)]) -> Result<(), Box<dyn std::error::Error>> {
    use plotters::prelude::*;

    let root = SVGBackend::new(path, (960, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(48)
        .build_cartesian_2d(0f64..rows.len() as f64, 0f64..100f64)?;
    let short = [
        "condition only, FCFS",
        "greedy",
        "random",
        "stable",
        "peermatch",
        "+ fairness",
        "bottleneck",
    ];
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(rows.len() * 2 + 1)
        .x_label_formatter(&|x| {
            let i = x.floor() as usize;
            if (x - i as f64 - 0.5).abs() < 0.01 {
                short.get(i).copied().unwrap_or("").to_owned()
            } else {
                String::new()
            }
        })
        .y_desc("%")
        .light_line_style(WHITE)
        .draw()?;
    let series: [Series; 4] = [
        ("recipients matched", RGBColor(52, 101, 164), |r, n| {
            pct(r.matched, n)
        }),
        ("urgent recipients matched", RGBColor(78, 154, 6), |r, _| {
            pct(r.urgent, r.urgent_all)
        }),
        ("pairs breaking a hard rule", RGBColor(204, 0, 0), |r, _| {
            pct(r.broken, r.matched)
        }),
        (
            "pairs sharing nothing beyond the diagnosis",
            RGBColor(245, 121, 0),
            |r, _| pct(r.nothing_shared, r.matched),
        ),
    ];
    let recipients = rows.first().map_or(0, |(_, r)| r.recipients);
    for (k, &(label, color, value)) in series.iter().enumerate() {
        let bars = rows.iter().enumerate().map(|(i, (_, row))| {
            let x0 = i as f64 + 0.1 + 0.2 * k as f64;
            Rectangle::new(
                [(x0, 0.0), (x0 + 0.18, value(row, recipients))],
                color.filled(),
            )
        });
        chart
            .draw_series(bars)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperMiddle)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

/// A bar series of the chart: its label, colour, and value per row (given the cohort's
/// number of recipients).
type Series = (
    &'static str,
    plotters::style::RGBColor,
    fn(&Row, usize) -> f64,
);

fn pct(part: usize, of: usize) -> f64 {
    if of == 0 {
        0.0
    } else {
        100.0 * part as f64 / of as f64
    }
}

fn main() -> ExitCode {
    let mut sizes = vec![(2000usize, 400usize), (10_000, 2000)];
    let mut seed = 1u64;
    let mut svg: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--sizes", Some(list)) => {
                let parsed: Option<Vec<(usize, usize)>> = list
                    .split(',')
                    .map(|s| {
                        let (r, m) = s.split_once('x')?;
                        Some((r.parse().ok()?, m.parse().ok()?))
                    })
                    .collect();
                match parsed {
                    Some(p) => sizes = p,
                    None => {
                        eprintln!("compare: --sizes takes RxM,RxM,...");
                        return ExitCode::from(2);
                    }
                }
            }
            ("--svg", Some(path)) => svg = Some(path),
            ("--seed", Some(n)) => match n.parse() {
                Ok(n) => seed = n,
                Err(_) => {
                    eprintln!("compare: --seed takes a number");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!("usage: compare [--sizes RxM,...] [--seed N] [--svg FILE]");
                return ExitCode::from(2);
            }
        }
    }
    println!("## peermatch against today's placements");
    let sample = Cohort::from_json(SAMPLE).expect("the bundled cohort is valid");
    let mut last = table("the bundled cohort", &sample, seed);
    let mut title = format!(
        "the bundled cohort ({} recipients)",
        sample.recipients().len()
    );
    for (recipients, mentors) in sizes {
        let cohort = synth::generate(&SynthOptions {
            recipients,
            mentors,
            seed,
            ..SynthOptions::default()
        })
        .expect("a valid synthetic cohort");
        last = table(&format!("synthetic, seed {seed}"), &cohort, seed);
        title =
            format!("synthetic cohort, {recipients} recipients x {mentors} mentors (seed {seed})");
    }
    if let Some(path) = svg {
        // The chart shows the last cohort of the table.
        if let Err(e) = chart(&path, &title, &last) {
            eprintln!("compare: cannot write {path}: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
