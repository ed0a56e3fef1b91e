//! The matcher: from a validated cohort to an optimal, explained plan.
//!
//! Three steps: [`candidates`](crate::candidates) finds every eligible pair and its score;
//! this module turns the policy's lexicographic objective into integer costs and solves
//! the whole assignment exactly with [`assign::solve`]; then it writes the report.
//!
//! # Encoding the objective
//! Everything is in micro-units (10⁻⁶ of a score point). A pair contributes its score, a
//! mentor's `k`-th new slot costs `round(load_penalty × (current_load + k − 1) × 10⁶)`
//! (computed in `f64`, exact here because every value stays below 2⁵³), and the plan's
//! quality is Σ score − Σ slot cost. The objective tuple — (matched, urgency 3, 2, 1,
//! quality) or (quality, matched, urgency 3, 2, 1) — is packed into one `i128` with
//! radices proven large enough by the cohort's own bounds (each radix exceeds the widest
//! possible swing of everything below it), computed with checked arithmetic. When the
//! packing would not fit (only with loads near `u32::MAX` on very large cohorts), the
//! solver runs instead on a pair of `i128`s compared lexicographically, which
//! [`MAX_PEOPLE`](crate::MAX_PEOPLE) keeps in range. Either way the optimum is exact.
//!
//! # Ties
//! Among plans with equal objective tuples the solver's deterministic choice stands:
//! recipients are added in input order and shortest-path ties go to the lower index.
//! Shuffling the input can therefore change *which* optimal plan is returned, never its
//! objective value.

use std::time::{Duration, Instant};

use crate::assign::{self, CapacitatedProblem, Cost, Lexicographic};
use crate::candidates::{self, Candidates};
use crate::cohort::Cohort;
use crate::error::Error;
use crate::policy::Objective;
use crate::report::{Candidate, Match, MatchReport, MentorLoad, Reason, Summary, Unmatched};
use crate::scoring::{self, MICRO};

/// Matches cohorts, with options. [`match_cohort`] is `Matcher::new().run(cohort)`.
///
/// ```
/// use peermatch::{Cohort, Matcher};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m1", "capacity": 2, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["pulmonary rehab"]}],
///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["pulmonary rehab"]}]
/// }"#)?;
/// let report = Matcher::new().candidates(true).run(&cohort);
/// assert_eq!(report.candidates.as_ref().map(Vec::len), Some(1));
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    candidates: bool,
}

impl Matcher {
    /// A matcher with default options.
    pub fn new() -> Self {
        Matcher::default()
    }

    /// Whether the report lists every eligible pair in `candidates` (default: no).
    pub fn candidates(mut self, yes: bool) -> Self {
        self.candidates = yes;
        self
    }

    /// Matches `cohort` optimally under its policy's objective and explains the result.
    ///
    /// # Complexity
    /// Candidate generation checks the pairs within each language (and condition)
    /// block; the solve is `O(R (E + V) log V)` for `E` eligible pairs (see
    /// [`assign::solve`]).
    pub fn run(&self, cohort: &Cohort) -> MatchReport {
        self.run_with_stats(cohort).0
    }

    /// Like [`Matcher::run`], and also reports how long each stage took. The report is
    /// the same as `run`'s; only the timings vary between runs.
    ///
    /// ```
    /// use peermatch::Matcher;
    /// use peermatch::synth::{self, SynthOptions};
    ///
    /// let cohort = synth::generate(&SynthOptions { recipients: 100, mentors: 20, ..SynthOptions::default() })?;
    /// let (report, stats) = Matcher::new().run_with_stats(&cohort);
    /// assert_eq!(report, Matcher::new().run(&cohort));
    /// assert!(stats.candidate_pairs >= report.summary.matched);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn run_with_stats(&self, cohort: &Cohort) -> (MatchReport, MatchStats) {
        let start = Instant::now();
        let candidates = candidates::generate(cohort);
        let candidates_time = start.elapsed();
        let start = Instant::now();
        let plan = solve(cohort, &candidates, false);
        let solve_time = start.elapsed();
        let start = Instant::now();
        let report = report(cohort, &candidates, &plan, self.candidates);
        let stats = MatchStats {
            candidate_pairs: candidates.mentor.len(),
            candidates: candidates_time,
            solve: solve_time,
            report: start.elapsed(),
        };
        (report, stats)
    }
}

/// How a [`Matcher::run_with_stats`] call spent its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MatchStats {
    /// Number of eligible pairs found.
    pub candidate_pairs: usize,
    /// Time finding and scoring the eligible pairs.
    pub candidates: Duration,
    /// Time solving the assignment exactly.
    pub solve: Duration,
    /// Time writing the report (breakdowns, reasons, loads).
    pub report: Duration,
}

/// Matches `cohort` optimally and explains every decision.
///
/// Every recipient appears exactly once in the report, in `matches` or `unmatched`; no
/// pair breaks a hard rule; no mentor exceeds capacity.
///
/// ```
/// use peermatch::{Cohort, Reason, match_cohort};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [
///     {"id": "ana", "capacity": 1, "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["insulin pump", "shift work"]}
///   ],
///   "recipients": [
///     {"id": "ben", "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["insulin pump"], "urgency": 2},
///     {"id": "cy", "languages": ["en"], "conditions": ["type 1 diabetes"],
///      "experiences": ["shift work"]}
///   ]
/// }"#)?;
/// let report = match_cohort(&cohort);
/// // One place, two people: the more urgent one gets it.
/// assert_eq!(report.match_of("ben").unwrap().mentor.as_str(), "ana");
/// assert!(matches!(report.unmatched_reason("cy"), Some(Reason::MentorsFull { eligible_mentors: 1 })));
/// # Ok::<(), peermatch::Error>(())
/// ```
pub fn match_cohort(cohort: &Cohort) -> MatchReport {
    Matcher::new().run(cohort)
}

/// The fallback cost when one `i128` cannot hold the packed objective.
type Lex = Lexicographic<i128>;

/// A mentor's slot cost in micro-units for its `k`-th new recipient (from 0).
pub(crate) fn slot_micro(load_penalty: f64, current_load: u32, k: u32) -> i64 {
    let before = f64::from(current_load) + f64::from(k);
    (load_penalty * before * MICRO).round() as i64
}

/// The objective's pieces for one pair or slot, before packing.
struct Weights {
    /// 1 for a pair (it adds one to `matched`), 0 for a slot.
    count: i128,
    /// The urgency tier's weight among (urgency 3, 2, 1) for a pair, 0 for a slot.
    tier: i128,
    /// Quality in micro-units: the score for a pair, minus the slot cost for a slot.
    quality: i128,
}

/// The packing radices for a cohort of `rows` recipients whose worst slot costs
/// `max_slot` micro-units.
struct Radix {
    /// Tier weights for urgency 1, 2, 3 (urgency 0 has none).
    tier: [i128; 4],
    /// Weight of one more match, above every tier combination.
    count: i128,
    /// Quality's radix when quality is most significant.
    quality_over_counts: i128,
    /// Counts' radix when counts are most significant (= the widest quality swing + 1).
    counts_over_quality: i128,
}

impl Radix {
    fn new(rows: usize, max_slot: i64) -> Option<Radix> {
        let n = rows as i128;
        let base = n.checked_add(1)?;
        // Tiers: u1 weighs 1, u2 weighs (R + 1), u3 weighs (R + 1)²; one match weighs
        // (R + 1)³, more than every urgency combination of R matches.
        let t2 = base;
        let t3 = base.checked_mul(base)?;
        let count = t3.checked_mul(base)?;
        // Counts of a whole plan stay below (R + 1)⁴.
        let quality_over_counts = count.checked_mul(base)?;
        // Quality of a whole plan lies within ±R × (10⁶ + max slot).
        let per_pair = 1_000_000i128.checked_add(i128::from(max_slot))?;
        let counts_over_quality = n.checked_mul(per_pair)?.checked_mul(2)?.checked_add(1)?;
        Some(Radix {
            tier: [0, 1, t2, t3],
            count,
            quality_over_counts,
            counts_over_quality,
        })
    }

    fn counts(&self, w: &Weights) -> Option<i128> {
        w.count.checked_mul(self.count)?.checked_add(w.tier)
    }

    /// One `i128` to minimise: the negated packed objective.
    fn pack(&self, objective: Objective, w: &Weights) -> Option<i128> {
        let counts = self.counts(w)?;
        let packed = match objective {
            Objective::Participation => counts
                .checked_mul(self.counts_over_quality)?
                .checked_add(w.quality)?,
            Objective::Quality => w
                .quality
                .checked_mul(self.quality_over_counts)?
                .checked_add(counts)?,
        };
        packed.checked_neg()
    }

    /// The lexicographic pair to minimise.
    fn lex(&self, objective: Objective, w: &Weights) -> Option<Lex> {
        let counts = self.counts(w)?;
        Some(match objective {
            Objective::Participation => Lex {
                major: counts.checked_neg()?,
                minor: w.quality.checked_neg()?,
            },
            Objective::Quality => Lex {
                major: w.quality.checked_neg()?,
                minor: counts.checked_neg()?,
            },
        })
    }
}

/// The plan: for each recipient, the mentor index or `None`.
pub(crate) fn solve(
    cohort: &Cohort,
    candidates: &Candidates,
    force_lex: bool,
) -> Vec<Option<usize>> {
    let rows = cohort.recipients().len();
    let policy = cohort.policy();
    let room: Vec<u32> = cohort
        .mentors()
        .iter()
        .map(|m| (m.capacity - m.current_load).min(rows.min(u32::MAX as usize) as u32))
        .collect();
    let slot =
        |m: usize, k: u32| slot_micro(policy.load_penalty, cohort.mentors()[m].current_load, k);
    let max_slot = room
        .iter()
        .enumerate()
        .filter(|&(_, &n)| n > 0)
        .map(|(m, &n)| slot(m, n - 1))
        .max()
        .unwrap_or(0);
    let radix = Radix::new(rows, max_slot).expect("MAX_PEOPLE keeps the radices in i128");
    let pair = |r: usize, score: u32| Weights {
        count: 1,
        tier: radix.tier[usize::from(cohort.recipients()[r].urgency.min(3))],
        quality: i128::from(score),
    };
    let slot_weights = |m: usize, k: u32| Weights {
        count: 0,
        tier: 0,
        quality: -i128::from(slot(m, k)),
    };

    if !force_lex {
        let packed = build(rows, &room, candidates, |r, s| {
            radix.pack(policy.objective, &pair(r, s))
        })
        .and_then(|problem| {
            // A slot's packed cost is checked once per column here; inside the solver
            // it is only ever called with the same or a smaller `k`.
            for (m, &n) in room.iter().enumerate() {
                if n > 0 {
                    radix.pack(policy.objective, &slot_weights(m, n - 1))?;
                }
            }
            let slot_cost = |m: usize, k: u32| {
                radix
                    .pack(policy.objective, &slot_weights(m, k))
                    .unwrap_or(i128::MAX)
            };
            assign::solve(&problem, slot_cost).ok()
        });
        if let Some(solution) = packed {
            return solution.row_to_col;
        }
    }
    let problem = build(rows, &room, candidates, |r, s| {
        radix.lex(policy.objective, &pair(r, s))
    })
    .expect("MAX_PEOPLE keeps every lexicographic weight in i128");
    let slot_cost = |m: usize, k: u32| {
        radix
            .lex(policy.objective, &slot_weights(m, k))
            .expect("MAX_PEOPLE keeps every lexicographic weight in i128")
    };
    match assign::solve(&problem, slot_cost) {
        Ok(solution) => solution.row_to_col,
        Err(Error::CostOverflow) => {
            unreachable!("MAX_PEOPLE keeps the lexicographic solve in i128")
        }
        Err(other) => unreachable!("the matcher builds only valid problems: {other}"),
    }
}

fn build<C: Cost>(
    rows: usize,
    room: &[u32],
    candidates: &Candidates,
    cost: impl Fn(usize, u32) -> Option<C>,
) -> Option<CapacitatedProblem<C>> {
    let mut problem = CapacitatedProblem::new(room.to_vec());
    for r in 0..rows {
        let arcs: Option<Vec<(usize, C)>> = candidates
            .of(r)
            .map(|(m, s)| Some((m, cost(r, s)?)))
            .collect();
        problem.add_row(Some(C::ZERO), arcs?).ok()?;
    }
    Some(problem)
}

fn report(
    cohort: &Cohort,
    candidates: &Candidates,
    plan: &[Option<usize>],
    list_candidates: bool,
) -> MatchReport {
    let policy = cohort.policy();
    let mentors = cohort.mentors();
    let mut assigned = vec![0u32; mentors.len()];
    let mut matches = Vec::new();
    let mut scores: Vec<u32> = Vec::new();
    let mut matched_by_urgency = [0usize; 4];
    let mut quality_micro: i128 = 0;
    for (r, recipient) in cohort.recipients().iter().enumerate() {
        let Some(m) = plan[r] else { continue };
        let mentor = &mentors[m];
        let breakdown = scoring::breakdown(policy, mentor, recipient);
        let score = candidates
            .of(r)
            .find(|&(cm, _)| cm == m)
            .map(|(_, s)| s)
            .expect("the plan only uses candidate pairs");
        let slot = slot_micro(policy.load_penalty, mentor.current_load, assigned[m]);
        assigned[m] += 1;
        scores.push(score);
        matched_by_urgency[usize::from(recipient.urgency.min(3))] += 1;
        quality_micro += i128::from(score) - i128::from(slot);
        matches.push(Match {
            mentor: mentor.id.clone(),
            recipient: recipient.id.clone(),
            score: breakdown.score,
            slot_cost: slot as f64 / MICRO,
            urgency: recipient.urgency,
            parts: breakdown.parts,
        });
    }

    let unmatched = cohort
        .recipients()
        .iter()
        .enumerate()
        .filter(|&(r, _)| plan[r].is_none())
        .map(|(r, recipient)| {
            let eligible = candidates.count(r) as u32;
            let reason = if eligible == 0 {
                Reason::NoEligibleMentor {
                    failed_rules: candidates::failed_rule_counts(cohort, r),
                }
            } else if policy.objective == Objective::Quality
                && candidates
                    .of(r)
                    .any(|(m, _)| mentors[m].current_load + assigned[m] < mentors[m].capacity)
            {
                Reason::NotWorthLoad {
                    eligible_mentors: eligible,
                }
            } else {
                Reason::MentorsFull {
                    eligible_mentors: eligible,
                }
            };
            Unmatched {
                recipient: recipient.id.clone(),
                reason,
            }
        })
        .collect::<Vec<_>>();

    let loads: Vec<MentorLoad> = mentors
        .iter()
        .zip(&assigned)
        .map(|(m, &a)| MentorLoad {
            mentor: m.id.clone(),
            current_load: m.current_load,
            assigned: a,
            capacity: m.capacity,
        })
        .collect();

    let matched = matches.len();
    let summary = Summary {
        recipients: plan.len(),
        matched,
        unmatched: unmatched.len(),
        matched_by_urgency,
        mean_score: (matched > 0).then(|| {
            let total: u64 = scores.iter().map(|&s| u64::from(s)).sum();
            (total as f64 / matched as f64).round() / MICRO
        }),
        min_score: scores.iter().min().map(|&s| f64::from(s) / MICRO),
        quality: quality_micro as f64 / MICRO,
        idle_mentors: loads
            .iter()
            .filter(|l| l.current_load < l.capacity && l.assigned == 0)
            .count(),
        max_load: loads
            .iter()
            .map(|l| l.current_load + l.assigned)
            .max()
            .unwrap_or(0),
        objective: policy.objective,
    };

    let candidates = list_candidates.then(|| {
        let mut out = Vec::with_capacity(candidates.mentor.len());
        for (r, recipient) in cohort.recipients().iter().enumerate() {
            for (m, s) in candidates.of(r) {
                out.push(Candidate {
                    mentor: mentors[m].id.clone(),
                    recipient: recipient.id.clone(),
                    score: f64::from(s) / MICRO,
                });
            }
        }
        out
    });

    MatchReport {
        matches,
        unmatched,
        mentors: loads,
        summary,
        candidates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Mentor, Policy, Recipient};

    fn person_tags(seed: u64, pool: &[&str]) -> Vec<String> {
        pool.iter()
            .enumerate()
            .filter(|(i, _)| (seed >> i) & 1 == 1)
            .map(|(_, t)| t.to_string())
            .collect()
    }

    #[test]
    fn packed_and_lexicographic_encodings_agree() {
        let mut state = 12345u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let pool = ["walking", "chess", "carer", "rural", "parent"];
        for round in 0..200 {
            let mentors: Vec<Mentor> = (0..next(4) + 1)
                .map(|i| {
                    let capacity = next(3) as u32 + 1;
                    Mentor {
                        id: format!("m{i}").into(),
                        languages: vec!["en".into()],
                        conditions: vec!["copd".into()],
                        experiences: person_tags(next(32), &pool),
                        interests: person_tags(next(32), &pool),
                        capacity,
                        current_load: next(u64::from(capacity)) as u32,
                        ..Mentor::default()
                    }
                })
                .collect();
            let recipients: Vec<Recipient> = (0..next(6))
                .map(|i| Recipient {
                    id: format!("r{i}").into(),
                    languages: vec!["en".into()],
                    conditions: vec!["copd".into()],
                    experiences: person_tags(next(32), &pool),
                    urgency: next(4) as u8,
                    ..Recipient::default()
                })
                .collect();
            let policy = Policy {
                load_penalty: next(5) as f64 / 10.0,
                objective: if round % 2 == 0 {
                    Objective::Participation
                } else {
                    Objective::Quality
                },
                ..Policy::default()
            };
            let cohort = Cohort::new(mentors, recipients, policy).unwrap();
            let candidates = candidates::generate(&cohort);
            let packed = report(
                &cohort,
                &candidates,
                &solve(&cohort, &candidates, false),
                false,
            );
            let lex = report(
                &cohort,
                &candidates,
                &solve(&cohort, &candidates, true),
                false,
            );
            let objective = cohort.policy().objective;
            assert_eq!(
                packed.objective_value().key(objective),
                lex.objective_value().key(objective),
                "round {round}"
            );
        }
    }

    #[test]
    fn slot_costs_are_rounded_products() {
        assert_eq!(slot_micro(0.05, 0, 0), 0);
        assert_eq!(slot_micro(0.05, 2, 1), 150_000);
        assert_eq!(
            slot_micro(1.0, u32::MAX, 0),
            i64::from(u32::MAX) * 1_000_000
        );
    }
}
