//! Explainable pair scores.
//!
//! A pair's score is a weighted mean of nine similarities, each in `[0, 1]`, so it lies
//! in `[0, 1]` and means the same thing for every recipient. Each criterion's effective
//! weight is the policy weight times the recipient's own multiplier (`priorities`), or 0
//! for this pair when the criterion's input is unknown or empty on either side: an empty
//! list carries no information for scoring, even where a hard rule reads it as "any".
//! A criterion that cannot be judged therefore neither helps nor hurts.
//!
//! The defaults weigh what the peer-support literature found to matter: shared
//! experience *beyond* the diagnosis (3) and needs the mentor has lived through (2) count
//! more than the diagnosis itself (1), because pairs who share nothing but a diagnosis
//! feel isolated rather than supported.
//!
//! # Fixed point
//! Scores are rounded to whole millionths (micro-units) before anything compares them:
//! `min_score`, the solver and tie-breaking all work on integers, so the optimum is exact
//! and reproducible. The breakdown's contributions are apportioned in micro-units by the
//! largest-remainder method, so they add up to the score exactly.

use serde::{Deserialize, Serialize};

use crate::model::tags;

use crate::model::Policy;
use crate::model::{Criterion, MICRO, Mentor, Recipient};

/// One criterion's share of a pair's score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The criterion.
    pub criterion: Criterion,
    /// Similarity in `[0, 1]`, rounded to 10⁻⁶ for display (0 when unknown).
    pub similarity: f64,
    /// Effective weight: policy weight × the recipient's multiplier, or 0 when unknown.
    pub weight: f64,
    /// `weight × similarity / Σ weight`, in whole micro-units; the nine add up to the score.
    pub contribution: f64,
}

/// A pair's score and its breakdown over all nine criteria, in [`Criterion::ALL`] order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The score in `[0, 1]`, a whole number of micro-units.
    pub score: f64,
    /// One part per criterion, in [`Criterion::ALL`] order.
    pub parts: Vec<Part>,
}

impl Breakdown {
    /// The parts sorted by contribution, largest first (ties in criterion order): the
    /// "top reasons" for a pair. Parts that contribute nothing are left out.
    ///
    /// ```
    /// # use peermatch::{Cohort, explain};
    /// # let cohort = Cohort::from_json(r#"{
    /// #   "mentors": [{"id": "m", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    /// #                "experiences": ["oxygen at home"], "interests": ["chess"]}],
    /// #   "recipients": [{"id": "r", "languages": ["en"], "conditions": ["copd"],
    /// #                   "experiences": ["oxygen at home"]}]}"#).unwrap();
    /// let why = explain(&cohort, "m", "r").unwrap();
    /// let top = why.breakdown.top_reasons();
    /// assert_eq!(top[0].criterion, peermatch::Criterion::Experiences);
    /// ```
    pub fn top_reasons(&self) -> Vec<Part> {
        top_reasons(&self.parts)
    }
}

/// The parts that add to a score, largest contribution first (ties in criterion order).
pub(crate) fn top_reasons(parts: &[Part]) -> Vec<Part> {
    let mut parts: Vec<Part> = parts
        .iter()
        .copied()
        .filter(|p| p.contribution > 0.0)
        .collect();
    parts.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    parts
}

/// The raw, unrounded ingredients of a pair's score.
struct Raw {
    similarity: [f64; 9],
    weight: [f64; 9],
    total_weight: f64,
}

/// `shared / of`, unknown when `of` is 0: the ratio every set criterion uses.
pub(crate) fn ratio(shared: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| shared as f64 / of as f64)
}

/// Overlap coefficient of two sets of sizes `a` and `b` sharing `shared`; unknown when
/// either is empty.
pub(crate) fn overlap_of(shared: usize, a: usize, b: usize) -> Option<f64> {
    if a == 0 || b == 0 {
        return None;
    }
    ratio(shared, a.min(b))
}

/// [`Criterion::Age`] from the two ages.
pub(crate) fn age_similarity(mentor: u32, recipient: u32) -> f64 {
    let gap = (i64::from(mentor) - i64::from(recipient)).unsigned_abs() as f64;
    (1.0 - gap / 30.0).max(0.0)
}

/// [`Criterion::Journey`] from the two months since diagnosis.
pub(crate) fn journey_similarity(mentor: u32, recipient: u32) -> f64 {
    let ahead = (i64::from(mentor) - i64::from(recipient)) as f64;
    if ahead < 0.0 {
        0.0
    } else if ahead < 12.0 {
        0.5 + ahead / 24.0
    } else if ahead <= 120.0 {
        1.0
    } else {
        (1.0 - (ahead - 120.0) / 240.0).max(0.0)
    }
}

/// [`Criterion::TrainingFit`] from the two training ranks.
pub(crate) fn training_similarity(mentor: u8, required: u8) -> f64 {
    match i16::from(mentor) - i16::from(required) {
        0 => 1.0,
        1 => 0.8,
        2 => 0.5,
        3 => 0.2,
        _ => 0.0,
    }
}

fn overlap<S: AsRef<str>>(a: &[S], b: &[S]) -> Option<f64> {
    overlap_of(tags::shared(a, b), a.len(), b.len())
}

fn similarity(criterion: Criterion, m: &Mentor, r: &Recipient) -> Option<f64> {
    match criterion {
        Criterion::Condition => {
            if m.conditions.is_empty() {
                None
            } else {
                ratio(
                    tags::shared(&r.conditions, &m.conditions),
                    r.conditions.len(),
                )
            }
        }
        Criterion::Experiences => overlap(&r.experiences, &m.experiences),
        Criterion::Needs => {
            if m.experiences.is_empty() {
                None
            } else {
                ratio(tags::shared(&r.needs, &m.experiences), r.needs.len())
            }
        }
        Criterion::Interests => overlap(&r.interests, &m.interests),
        Criterion::Age => Some(age_similarity(m.age?, r.age?)),
        Criterion::Journey => Some(journey_similarity(
            m.months_since_diagnosis?,
            r.months_since_diagnosis?,
        )),
        Criterion::TrainingFit => Some(training_similarity(
            m.training.rank(),
            r.required_training.rank(),
        )),
        Criterion::Availability => overlap(&r.availability, &m.availability),
        Criterion::Region => match (&m.region, &r.region) {
            (Some(a), Some(b)) => Some(if a == b { 1.0 } else { 0.0 }),
            _ => None,
        },
    }
}

/// The recipient's effective weight for each criterion when it is known: the policy
/// weight times the recipient's multiplier.
pub(crate) fn recipient_weights(policy: &Policy, r: &Recipient) -> [f64; 9] {
    Criterion::ALL.map(|criterion| {
        let multiplier = r.priorities.get(&criterion).copied().unwrap_or(1.0);
        policy.weight(criterion) * multiplier
    })
}

/// The raw ingredients from the nine similarities (`None` = unknown) and weights.
fn raw_from(similarity: [Option<f64>; 9], weight: &[f64; 9]) -> Raw {
    let mut out = Raw {
        similarity: [0.0; 9],
        weight: [0.0; 9],
        total_weight: 0.0,
    };
    for (i, s) in similarity.into_iter().enumerate() {
        if let Some(s) = s {
            out.similarity[i] = s;
            out.weight[i] = weight[i];
            out.total_weight += weight[i];
        }
    }
    out
}

fn raw(policy: &Policy, m: &Mentor, r: &Recipient) -> Raw {
    raw_from(
        Criterion::ALL.map(|c| similarity(c, m, r)),
        &recipient_weights(policy, r),
    )
}

/// The score in micro-units from the nine similarities and the recipient's weights:
/// the same arithmetic as [`score_micro`], for callers that computed the similarities
/// another way (interned tags).
///
/// The hot path of candidate generation (tens of millions of pairs), so it builds no
/// breakdown and skips the criteria that contribute nothing: adding `0.0` leaves the
/// sum's bits unchanged, so the result is that of [`exact_contributions`], bit for
/// bit (the interned-against-string tests compare the two on every pair).
#[inline]
pub(crate) fn combine(similarity: [Option<f64>; 9], weight: &[f64; 9]) -> u32 {
    let mut total_weight = 0.0;
    for (s, &w) in similarity.iter().zip(weight) {
        if s.is_some() {
            total_weight += w;
        }
    }
    if total_weight <= 0.0 {
        return 0;
    }
    let mut sum = 0.0;
    for (s, &w) in similarity.iter().zip(weight) {
        if let Some(s) = *s {
            let part = w * s;
            if part != 0.0 {
                sum += part / total_weight * MICRO;
            }
        }
    }
    round_micro(sum)
}

/// `sum.round().clamp(0.0, MICRO) as u32`, without a call into the maths library for
/// the rounding on the usual range (`f64::round` is not inlined on baseline x86-64):
/// for `0 ≤ sum < 2⁵²`, truncation by `as u64` is exact and so is `sum − trunc`, so
/// rounding half away from zero is one comparison.
#[inline]
fn round_micro(sum: f64) -> u32 {
    if (0.0..4_503_599_627_370_496.0).contains(&sum) {
        let whole = sum as u64 as f64;
        let rounded = if sum - whole >= 0.5 {
            whole + 1.0
        } else {
            whole
        };
        rounded.min(MICRO) as u32
    } else {
        sum.round().clamp(0.0, MICRO) as u32
    }
}

/// Contributions in micro-units before rounding, and the rounded score.
fn exact_contributions(raw: &Raw) -> ([f64; 9], u32) {
    let mut contribution = [0.0; 9];
    if raw.total_weight <= 0.0 {
        return (contribution, 0);
    }
    let mut sum = 0.0;
    for ((c, w), s) in contribution.iter_mut().zip(raw.weight).zip(raw.similarity) {
        *c = w * s / raw.total_weight * MICRO;
        sum += *c;
    }
    (contribution, round_micro(sum))
}

/// The pair's score in micro-units, `0..=1_000_000`.
pub(crate) fn score_micro(policy: &Policy, m: &Mentor, r: &Recipient) -> u32 {
    exact_contributions(&raw(policy, m, r)).1
}

/// Converts micro-units to a score as shown in reports.
pub(crate) fn from_micro(micro: i64) -> f64 {
    micro as f64 / MICRO
}

/// The full breakdown; its score equals [`score_micro`] for the same pair.
pub(crate) fn breakdown(policy: &Policy, m: &Mentor, r: &Recipient) -> Breakdown {
    let raw = raw(policy, m, r);
    let (exact, score) = exact_contributions(&raw);
    // Largest remainder: floor every share, then hand the micro-units still missing to
    // the largest fractional parts (criterion order breaks ties), so the parts sum to
    // the rounded score exactly.
    let mut micro = exact.map(|x| x.floor() as i64);
    let floor_sum: i64 = micro.iter().sum();
    let mut order: Vec<usize> = (0..9).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    let missing = (i64::from(score) - floor_sum).clamp(0, 9) as usize;
    for &i in order.iter().take(missing) {
        micro[i] += 1;
    }
    let parts = Criterion::ALL
        .into_iter()
        .enumerate()
        .map(|(i, criterion)| Part {
            criterion,
            similarity: (raw.similarity[i] * MICRO).round() / MICRO,
            weight: raw.weight[i],
            contribution: from_micro(micro[i]),
        })
        .collect();
    Breakdown {
        score: from_micro(i64::from(score)),
        parts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_equals_the_standard_rounding_then_clamp() {
        let just_below_half = 0.5 - f64::EPSILON / 4.0; // 0.49999999999999994
        let mut values = vec![
            0.0,
            -0.0,
            just_below_half,
            0.5,
            1.5,
            2.5,
            999_999.5,
            999_999.499_999_999_9,
            1_000_000.4,
            1_000_000.5,
            4_503_599_627_370_495.5,
            4_503_599_627_370_496.0,
            1e300,
            -0.4,
            -0.5,
            -3.7,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut next = crate::testdata::xorshift(0x9e37_79b9_7f4a_7c15u64);
        for _ in 0..100_000 {
            let micro = next(2_000_001) as f64;
            values.push(micro / 2.0);
            values.push(micro * 0.7 / 3.0);
            values.push(f64::from_bits(
                micro.to_bits().wrapping_add(next(3)).wrapping_sub(1),
            ));
        }
        for x in values {
            let expected = x.round().clamp(0.0, MICRO) as u32;
            assert_eq!(round_micro(x), expected, "{x:?}");
        }
    }
}
