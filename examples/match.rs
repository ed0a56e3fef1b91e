//! The peermatch demo: match a cohort and print the plan.
//!
//! ```text
//! cargo run --release --example match -- [FILE] [--json] [--candidates] [--names] [--help]
//! ```
//!
//! With no FILE it matches the bundled sample cohort (`examples/data/cohort.json`); a
//! FILE ending in `.csv` is read as a CSV sheet (`examples/data/cohort.csv`).
//! Exit codes: 0 on success, 1 for an invalid cohort or an I/O error, 2 for a usage error.

use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Mutex;

use std::time::{Duration, Instant};

use peermatch::synth::{self, SynthOptions};
use peermatch::{
    Change, Cohort, Edit, MatchReport, MatchStatus, Matcher, Objective, Policy, Progress, Pruning,
    Shortlisted, Stage, WhyNot,
};

const SAMPLE: &str = include_str!("data/cohort.json");

const USAGE: &str = "\
usage: match [FILE] [--policy FILE] [--pairs FILE] [--json | --markdown] [--candidates] [--names] [--csv DIR]
             [--dot FILE] [--recruit N] [--prune auto|off|K]
             [--why-not MENTOR RECIPIENT | --shortlist RECIPIENT [--k N]] [--edits FILE]
             [--threads N] [--synthetic RxM [--seed N] [--homogeneous] [--via-json]
             [--objective participation|quality|bottleneck]] [--help]

Matches peer-support mentors to recipients exactly and explains the plan.

  FILE            a cohort in the peermatch JSON format, version 1, or, when the
                  name ends in .csv, a CSV sheet with a role column (see the README)
                  (default: the bundled sample cohort, examples/data/cohort.json)
  --policy FILE   the policy of a CSV cohort, as a JSON object (default: the
                  default policy)
  --pairs FILE    the running pairs of a CSV cohort, as a CSV sheet with columns
                  mentor, recipient, pinned, ended, override
                  (examples/data/pairs.csv)
  --why-not M R   why mentor M is not recipient R's, and what forcing it would cost
  --shortlist R   recipient R's best eligible mentors with the cost of each (--k N, 5)
  --edits FILE    edit the plan and re-solve it from where it stands: FILE is a JSON
                  list of edits (pin, forbid, set_capacity, add_recipient,
                  remove_recipient; examples/data/edits.json); prints who moved,
                  then the new plan
  --csv DIR       also write the plan as spreadsheets to DIR (created if need be):
                  pairs.csv, unmatched.csv, mentors.csv, warnings.csv, and the
                  whole plan as plan.md
  --markdown      print the plan as a Markdown document instead of text
  --dot FILE      also write the plan as a Graphviz DOT graph to FILE
  --recruit N     also advise the N mentor profiles whose recruitment would serve
                  the most people left waiting (each counted by matching again)
  --names         show the people's names beside their ids (and put them in the
                  JSON report); names are left out unless asked
  --json          print the match report as pretty JSON on stdout, nothing else
  --candidates    include the pairs the solver considered in the JSON report
                  (every eligible pair unless pruned; implies --json)
  --prune P       auto (default: the best 24 above 100 000 eligible pairs), off,
                  or K: solve first over each recipient's best K pairs; the plan is
                  then certified against every pruned pair, so it is optimal either way
  --synthetic RxM match a seeded synthetic cohort of R recipients and M mentors
                  instead of a file, and print its summary with the time of each stage
  --seed N        the synthetic cohort's seed (default 1)
  --threads N     threads for candidate generation and the report (default 0: one
                  per core); the result is the same at any number
  --homogeneous   the synthetic cohort shares one condition and one language
  --objective O   the synthetic cohort's objective (default participation)
  --via-json      write the synthetic cohort as JSON and match the cohort loaded
                  back from it, timing both (the load is what a file run pays)
  --help          print this help

exit status: 0 success, 1 invalid cohort or I/O error, 2 usage error";

struct Args {
    file: Option<String>,
    dot: Option<String>,
    csv: Option<String>,
    markdown: bool,
    recruit: usize,
    why_not: Option<(String, String)>,
    shortlist: Option<String>,
    edits: Option<String>,
    k: usize,
    policy: Option<String>,
    pairs: Option<String>,
    names: bool,
    json: bool,
    candidates: bool,
    synthetic: Option<(usize, usize)>,
    seed: u64,
    homogeneous: bool,
    via_json: bool,
    objective: Option<Objective>,
    threads: usize,
    pruning: Pruning,
}

/// `RxM` as (recipients, mentors).
fn parse_size(text: &str) -> Option<(usize, usize)> {
    let (r, m) = text.split_once('x')?;
    Some((r.parse().ok()?, m.parse().ok()?))
}

/// The value after `flag`, parsed by `parse`; the error says what the flag `takes`.
fn option<T>(
    args: &mut impl Iterator<Item = String>,
    flag: &str,
    takes: &str,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, String> {
    let value = args.next().ok_or_else(|| format!("{flag} takes {takes}"))?;
    parse(&value).ok_or_else(|| format!("{flag} takes {takes}, got `{value}`"))
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        file: None,
        dot: None,
        csv: None,
        markdown: false,
        recruit: 0,
        why_not: None,
        shortlist: None,
        edits: None,
        k: 5,
        policy: None,
        pairs: None,
        names: false,
        json: false,
        candidates: false,
        synthetic: None,
        seed: 1,
        homogeneous: false,
        via_json: false,
        objective: None,
        threads: 0,
        pruning: Pruning::Auto,
    };
    let mut args = args;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--synthetic" => {
                let size = option(&mut args, "--synthetic", "RxM, e.g. 2000x400", parse_size)?;
                out.synthetic = Some(size);
            }
            "--seed" => out.seed = option(&mut args, "--seed", "a number", |t| t.parse().ok())?,
            "--prune" => {
                out.pruning = option(
                    &mut args,
                    "--prune",
                    "auto, off or a number K",
                    |t| match t {
                        "auto" => Some(Pruning::Auto),
                        "off" => Some(Pruning::Off),
                        k => k.parse().ok().map(Pruning::TopK),
                    },
                )?;
            }
            "--policy" => {
                out.policy = Some(option(&mut args, "--policy", "a JSON file", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--pairs" => {
                out.pairs = Some(option(&mut args, "--pairs", "a CSV file", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--names" => out.names = true,
            "--markdown" => out.markdown = true,
            "--recruit" => {
                out.recruit = option(&mut args, "--recruit", "a number", |t| t.parse().ok())?;
            }
            "--csv" => {
                out.csv = Some(option(&mut args, "--csv", "a directory", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--dot" => {
                out.dot = Some(option(&mut args, "--dot", "a file to write", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--why-not" => {
                let mentor = option(&mut args, "--why-not", "MENTOR RECIPIENT", |t| {
                    Some(t.to_owned())
                })?;
                let recipient = option(&mut args, "--why-not", "MENTOR RECIPIENT", |t| {
                    Some(t.to_owned())
                })?;
                out.why_not = Some((mentor, recipient));
            }
            "--shortlist" => {
                out.shortlist = Some(option(&mut args, "--shortlist", "a recipient id", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--edits" => {
                out.edits = Some(option(&mut args, "--edits", "a JSON file", |t| {
                    Some(t.to_owned())
                })?);
            }
            "--k" => out.k = option(&mut args, "--k", "a number", |t| t.parse().ok())?,
            "--homogeneous" => out.homogeneous = true,
            "--via-json" => out.via_json = true,
            "--threads" => {
                out.threads = option(&mut args, "--threads", "a number", |t| t.parse().ok())?;
            }
            "--objective" => {
                let takes = "participation, quality or bottleneck";
                let objective = option(&mut args, "--objective", takes, |t| t.parse().ok())?;
                out.objective = Some(objective);
            }
            "--help" | "-h" => return Ok(None),
            "--json" => out.json = true,
            "--candidates" => {
                out.candidates = true;
                out.json = true;
            }
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option `{flag}`"));
            }
            file => {
                if let Some(first) = &out.file {
                    return Err(format!("one FILE at most, got `{first}` and `{file}`"));
                }
                out.file = Some(file.to_owned());
            }
        }
    }
    if out.synthetic.is_some() && out.file.is_some() {
        return Err("give a FILE or --synthetic, not both".into());
    }
    if out.synthetic.is_none() && (out.homogeneous || out.via_json || out.objective.is_some()) {
        return Err(
            "--homogeneous, --via-json and --objective apply to --synthetic cohorts \
             (a file's policy sets its own objective)"
                .into(),
        );
    }
    if out.json && out.markdown {
        return Err("give --json or --markdown, not both".into());
    }
    if out.policy.is_some() && !out.file.as_deref().is_some_and(is_csv) {
        return Err("--policy applies to a CSV FILE (a JSON cohort holds its own policy)".into());
    }
    if out.pairs.is_some() && !out.file.as_deref().is_some_and(is_csv) {
        return Err("--pairs applies to a CSV FILE (a JSON cohort holds its own pairs)".into());
    }
    Ok(Some(out))
}

/// Whether `path` names a CSV sheet.
fn is_csv(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".csv")
}

/// The cohort in `text`, read as the file's name says.
fn load(args: &Args, text: &str) -> Result<Cohort, String> {
    match &args.file {
        Some(path) if is_csv(path) => {
            let policy = match &args.policy {
                None => Policy::default(),
                Some(file) => {
                    let json = std::fs::read_to_string(file)
                        .map_err(|e| format!("cannot read {file}: {e}"))?;
                    serde_json::from_str(&json)
                        .map_err(|e| format!("invalid policy in {file}: {e}"))?
                }
            };
            let cohort = Cohort::from_csv(text, policy)
                .map_err(|e| format!("invalid cohort in {path}: {e}"))?;
            match &args.pairs {
                None => Ok(cohort),
                Some(file) => {
                    let sheet = std::fs::read_to_string(file)
                        .map_err(|e| format!("cannot read {file}: {e}"))?;
                    cohort
                        .with_pairs_csv(&sheet)
                        .map_err(|e| format!("invalid pairs in {file}: {e}"))
                }
            }
        }
        _ => Cohort::from_json(text).map_err(|e| {
            let source = args.file.as_deref().unwrap_or("the bundled sample cohort");
            format!("invalid cohort in {source}: {e}")
        }),
    }
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("match: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    if let Some((recipients, mentors)) = args.synthetic {
        return run_synthetic(&args, recipients, mentors);
    }
    let (source, text) = match &args.file {
        None => ("the bundled sample cohort".to_owned(), SAMPLE.to_owned()),
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => (path.clone(), text),
            Err(e) => {
                eprintln!("match: cannot read {path}: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let cohort = match load(&args, &text) {
        Ok(cohort) => cohort,
        Err(message) => {
            eprintln!("match: {message}");
            return ExitCode::from(1);
        }
    };
    // The text is not needed once parsed; a national file is hundreds of megabytes.
    drop(text);

    let matcher = Matcher::new()
        .candidates(args.candidates)
        .names(args.names)
        .advise_recruitment(args.recruit)
        .pruning(args.pruning)
        .threads(args.threads)
        .progress(progress_on_stderr());
    if args.why_not.is_some() || args.shortlist.is_some() {
        return what_if(&args, &matcher, &cohort);
    }
    let (report, cohort, changes) = match &args.edits {
        None => (matcher.run(&cohort), cohort, None),
        Some(file) => match edited_plan(&matcher, &cohort, file) {
            Ok((report, cohort, changes)) => (report, cohort, Some(changes)),
            Err(message) => {
                eprintln!("match: {message}");
                return ExitCode::from(1);
            }
        },
    };
    if let Some(path) = &args.dot
        && let Err(e) = std::fs::write(path, report.to_dot())
    {
        eprintln!("match: cannot write {path}: {e}");
        return ExitCode::from(1);
    }
    if let Some(dir) = &args.csv
        && let Err(e) = write_sheets(dir, &report)
    {
        eprintln!("match: cannot write {dir}: {e}");
        return ExitCode::from(1);
    }
    let mut out = io::stdout().lock();
    let written = if args.json {
        writeln!(out, "{}", report.to_json())
    } else if args.markdown {
        write!(out, "{}", report.to_markdown())
    } else {
        print_changes(&mut out, changes.as_deref())
            .and_then(|()| print_plan(&mut out, &source, &cohort, &report))
    };
    finish(written, out)
}

/// `--edits FILE`: the plan of `cohort`, edited as FILE says and re-solved from where
/// it stood; the new plan, the edited cohort, and who moved.
fn edited_plan(
    matcher: &Matcher,
    cohort: &Cohort,
    file: &str,
) -> Result<(MatchReport, Cohort, Vec<Change>), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let edits: Vec<Edit> =
        serde_json::from_str(&text).map_err(|e| format!("invalid edits in {file}: {e}"))?;
    let mut plan = matcher.plan(cohort).map_err(|e| e.to_string())?;
    plan.apply(&edits)
        .map_err(|e| format!("cannot apply {file}: {e}"))?;
    Ok((plan.report().clone(), plan.cohort().clone(), plan.changes()))
}

/// Who moved after `--edits`, before the plan.
fn print_changes(out: &mut impl Write, changes: Option<&[Change]>) -> io::Result<()> {
    let Some(changes) = changes else {
        return Ok(());
    };
    writeln!(
        out,
        "Changes after the edits: {} recipient(s) moved",
        changes.len()
    )?;
    let name = |m: &Option<peermatch::MentorId>| {
        m.as_ref().map_or("(unmatched)", |m| m.as_str()).to_owned()
    };
    for c in changes {
        writeln!(
            out,
            "  {:<13} {} -> {}",
            c.recipient.as_str(),
            name(&c.before),
            name(&c.after)
        )?;
    }
    writeln!(out)
}

/// `--csv DIR`: the plan's four tables and the Markdown plan, in `dir`.
fn write_sheets(dir: &str, report: &MatchReport) -> io::Result<()> {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir)?;
    for (name, table) in report.to_csv().files() {
        std::fs::write(dir.join(name), table)?;
    }
    std::fs::write(dir.join("plan.md"), report.to_markdown())
}

/// `--why-not` and `--shortlist`: the answer as text, or as JSON with `--json`.
fn what_if(args: &Args, matcher: &Matcher, cohort: &Cohort) -> ExitCode {
    let mut out = io::stdout().lock();
    let written = if let Some((mentor, recipient)) = &args.why_not {
        match matcher.why_not(cohort, mentor, recipient) {
            Ok(why) if args.json => writeln!(out, "{}", to_json(&why)),
            Ok(why) => print_why_not(&mut out, &why, cohort.policy().objective),
            Err(e) => {
                eprintln!("match: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        let recipient = args.shortlist.as_deref().expect("asked for");
        match matcher.shortlist(cohort, recipient, args.k) {
            Ok(list) if args.json => writeln!(out, "{}", to_json(&list)),
            Ok(list) => print_shortlist(&mut out, recipient, &list, cohort.policy().objective),
            Err(e) => {
                eprintln!("match: {e}");
                return ExitCode::from(1);
            }
        }
    };
    finish(written, out)
}

fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("answers serialise")
}

/// A change of the objective tuple in words, most important term first.
fn change_in_words(change: &[i128; 7], objective: Objective) -> String {
    let parts: Vec<String> = change
        .iter()
        .zip(objective.terms())
        .filter(|&(&c, _)| c != 0)
        .map(|(&c, name)| {
            if name == "quality" || name == "worst score" {
                format!("{name} {:+.6}", c as f64 / 1e6)
            } else {
                format!("{name} {c:+}")
            }
        })
        .collect();
    if parts.is_empty() {
        "nothing: an optimal plan can have this pair".to_owned()
    } else {
        parts.join(", ")
    }
}

fn print_why_not(out: &mut impl Write, why: &WhyNot, objective: Objective) -> io::Result<()> {
    let p = &why.pair;
    writeln!(
        out,
        "{} <- {}: score {:.3}",
        p.recipient, p.mentor, p.breakdown.score
    )?;
    if !p.eligible {
        let rules: Vec<String> = p.failed_rules.iter().map(|r| r.to_string()).collect();
        return writeln!(out, "not eligible: breaks {}", rules.join(", "));
    }
    if why.in_plan {
        writeln!(out, "in the plan")?;
    }
    match &why.forcing {
        None => writeln!(
            out,
            "cannot be forced: kept pairs hold every place of the mentor"
        ),
        Some(f) => {
            writeln!(
                out,
                "forcing it changes: {}",
                change_in_words(&f.change, objective)
            )?;
            for m in &f.moves {
                let name = |x: &Option<peermatch::MentorId>| {
                    x.as_ref().map_or("nobody".to_owned(), |m| m.to_string())
                };
                writeln!(
                    out,
                    "  {}: {} -> {}",
                    m.recipient,
                    name(&m.optimal),
                    name(&m.forced)
                )?;
            }
            Ok(())
        }
    }
}

fn print_shortlist(
    out: &mut impl Write,
    recipient: &str,
    list: &[Shortlisted],
    objective: Objective,
) -> io::Result<()> {
    writeln!(
        out,
        "shortlist for {recipient} (mentor, score, cost of choosing it)"
    )?;
    if list.is_empty() {
        writeln!(out, "  nobody eligible with a place left")?;
    }
    for entry in list {
        let cost = if entry.in_plan {
            "the plan's choice".to_owned()
        } else {
            change_in_words(&entry.forcing.change, objective)
        };
        writeln!(
            out,
            "  {:<12} {:.3}  {cost}",
            entry.pair.mentor, entry.pair.breakdown.score
        )?;
    }
    Ok(())
}

/// The exit status once the output is written (or failed to be).
fn finish(written: io::Result<()>, mut out: impl Write) -> ExitCode {
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A reader that stops early (`match | head`) is not an error of the demo.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("match: cannot write the plan: {e}");
            ExitCode::from(1)
        }
    }
}

/// A stage and round, when it started and when its progress was last printed.
type StageClock = ((Stage, u32), Instant, Instant);

/// A progress callback that writes to stderr once a stage has run for a second, then
/// at most once a second.
fn progress_on_stderr() -> impl Fn(&Progress) + Send + Sync + 'static {
    let second = Duration::from_secs(1);
    // The stage (and round) being timed, when it started, when it was last printed.
    let state: Mutex<Option<StageClock>> = Mutex::new(None);
    move |p: &Progress| {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        match &mut *state {
            Some((key, started, printed)) if *key == (p.stage, p.round) => {
                if now - *started >= second && now - *printed >= second {
                    let round = if p.round > 1 {
                        format!(" (round {})", p.round)
                    } else {
                        String::new()
                    };
                    eprintln!(
                        "match: {}{round}: {} of {} after {:.1} s",
                        p.stage,
                        p.done,
                        p.total,
                        (now - *started).as_secs_f64()
                    );
                    *printed = now;
                }
            }
            _ => *state = Some(((p.stage, p.round), now, now)),
        }
    }
}

/// Generates, matches and summarises a synthetic cohort, timing each stage.
fn run_synthetic(args: &Args, recipients: usize, mentors: usize) -> ExitCode {
    let options = SynthOptions {
        recipients,
        mentors,
        seed: args.seed,
        homogeneous: args.homogeneous,
    };
    let start = Instant::now();
    let cohort = match synth::generate(&options) {
        Ok(cohort) => cohort,
        Err(e) => {
            eprintln!("match: {e}");
            return ExitCode::from(1);
        }
    };
    let cohort = match args.objective {
        Some(objective) => {
            let policy = peermatch::Policy {
                objective,
                ..cohort.policy().clone()
            };
            match Cohort::new(
                cohort
                    .mentors()
                    .iter()
                    .map(|m| peermatch::Mentor::clone(m))
                    .collect::<Vec<_>>(),
                cohort.recipients().to_vec(),
                policy,
            ) {
                Ok(cohort) => cohort,
                Err(e) => {
                    eprintln!("match: {e}");
                    return ExitCode::from(1);
                }
            }
        }
        None => cohort,
    };
    let generated = start.elapsed();
    let mut json_times = None;
    let cohort = if args.via_json {
        let start = Instant::now();
        let text = cohort.to_json();
        let written = start.elapsed();
        let start = Instant::now();
        let loaded = match Cohort::from_json(&text) {
            Ok(loaded) => loaded,
            Err(e) => {
                eprintln!("match: the synthetic cohort did not load back: {e}");
                return ExitCode::from(1);
            }
        };
        json_times = Some((text.len(), written, start.elapsed()));
        // Match only what was loaded: the generated cohort and the text are not needed.
        drop(text);
        drop(cohort);
        loaded
    } else {
        cohort
    };
    let (report, stats) = Matcher::new()
        .candidates(args.candidates)
        .pruning(args.pruning)
        .threads(args.threads)
        .progress(progress_on_stderr())
        .run_with_stats(&cohort);
    let mut out = io::stdout().lock();
    if args.json {
        return finish(writeln!(out, "{}", report.to_json()), out);
    }
    let written = (|| -> io::Result<()> {
        let s = &report.summary;
        writeln!(
            out,
            "synthetic cohort {recipients} x {mentors} (seed {}): matched {} of {}, mean score {}, {} idle mentor(s), largest load {}",
            args.seed,
            s.matched,
            s.recipients,
            s.mean_score.map_or("-".to_owned(), |v| format!("{v:.3}")),
            s.idle_mentors,
            s.max_load
        )?;
        writeln!(
            out,
            "generate {:.3} s; candidates {:.3} s ({} eligible pairs); solve {:.3} s; report {:.3} s",
            generated.as_secs_f64(),
            stats.candidates.as_secs_f64(),
            stats.candidate_pairs,
            stats.solve.as_secs_f64(),
            stats.report.as_secs_f64()
        )?;
        if let Some((bytes, written, loaded)) = json_times {
            writeln!(
                out,
                "json: {:.1} MB written in {:.3} s, loaded and validated in {:.3} s",
                bytes as f64 / 1e6,
                written.as_secs_f64(),
                loaded.as_secs_f64()
            )?;
        }
        let solve = &report.solve;
        writeln!(
            out,
            "solver: {} of {} pairs considered{}, {} round(s), certified optimal: {}",
            solve.considered_pairs,
            solve.eligible_pairs,
            solve
                .top_k
                .map_or(String::new(), |k| format!(" (pruned to the best {k})")),
            solve.rounds,
            if solve.certified { "yes" } else { "NO" }
        )?;
        Ok(())
    })();
    finish(written, out)
}

/// An id, with the display name after it when the report carries one.
fn label(id: &str, name: &Option<String>) -> String {
    match name {
        Some(name) => format!("{id} ({name})"),
        None => id.to_owned(),
    }
}

fn print_plan(
    out: &mut impl Write,
    source: &str,
    cohort: &Cohort,
    report: &MatchReport,
) -> io::Result<()> {
    let s = &report.summary;
    writeln!(
        out,
        "peermatch: {} recipients, {} mentors ({source}), objective: {}",
        s.recipients,
        cohort.mentors().len(),
        s.objective
    )?;
    writeln!(out, "{}", report.notice)?;
    let score = |x: Option<f64>| x.map_or("-".to_owned(), |v| format!("{v:.3}"));
    writeln!(
        out,
        "matched {} of {} (mean score {}, lowest {}); {} mentor(s) with room left idle; largest load {}",
        s.matched,
        s.recipients,
        score(s.mean_score),
        score(s.min_score),
        s.idle_mentors,
        s.max_load
    )?;
    if s.kept + s.reassigned > 0 || !report.warnings.is_empty() {
        writeln!(
            out,
            "running pairs: {} kept, {} recipient(s) given a new mentor, {} warning(s)",
            s.kept,
            s.reassigned,
            report.warnings.len()
        )?;
    }

    writeln!(
        out,
        "\nPairs (recipient <- mentor, score, slot cost, top reasons)"
    )?;
    for m in &report.matches {
        let reasons: Vec<String> = peermatch::Breakdown {
            score: m.score,
            parts: m.parts.clone(),
        }
        .top_reasons()
        .iter()
        .take(3)
        .map(|p| format!("{} {:.2}", p.criterion.name(), p.contribution))
        .collect();
        writeln!(
            out,
            "  {:<13} <- {:<10} {:.3}  slot {:.2}  {}{}",
            label(m.recipient.as_str(), &m.recipient_name),
            label(m.mentor.as_str(), &m.mentor_name),
            m.score,
            m.slot_cost,
            reasons.join(", "),
            match m.status {
                MatchStatus::New => "",
                MatchStatus::Kept => "  [kept]",
                MatchStatus::Reassigned => "  [reassigned]",
                _ => "  [other]",
            }
        )?;
    }

    if !report.warnings.is_empty() {
        writeln!(out, "\nWarnings (running pairs and the hard rules)")?;
        for w in &report.warnings {
            writeln!(out, "  {}", w.describe())?;
        }
    }

    writeln!(out, "\nUnmatched")?;
    if report.unmatched.is_empty() {
        writeln!(out, "  nobody")?;
    }
    for u in &report.unmatched {
        writeln!(
            out,
            "  {:<13} {}",
            label(u.recipient.as_str(), &u.recipient_name),
            u.reason.describe()
        )?;
    }

    if let Some(gaps) = &report.recruitment {
        writeln!(
            out,
            "\nRecruitment (each counted by matching again with those mentors)"
        )?;
        if gaps.is_empty() {
            writeln!(out, "  no profile of mentor would serve anyone waiting")?;
        }
        for gap in gaps {
            writeln!(out, "  {}", gap.describe())?;
        }
    }

    writeln!(out, "\nMentor load (current + kept + new / capacity)")?;
    for l in &report.mentors {
        writeln!(
            out,
            "  {:<10} {} + {} + {} / {}",
            label(l.mentor.as_str(), &l.mentor_name),
            l.current_load,
            l.kept,
            l.assigned,
            l.capacity
        )?;
    }
    Ok(())
}
