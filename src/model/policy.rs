//! A programme's matching policy: criterion weights, thresholds, and what to optimise.
//!
//! The policy is where a programme states its own trade-offs instead of inheriting a
//! one-size-fits-all placement: how much shared experience beyond the diagnosis weighs
//! against age or region, how far along their own journey a mentor must be, how hard to
//! protect mentors from piling up recipients (`load_penalty`), and whether to reach as
//! many people as possible or only place pairs that are worth the mentor's effort.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::Criterion;

/// What the assignment maximises. Both are solved exactly; see the crate docs.
///
/// ```
/// use peermatch::Objective;
/// assert_eq!(Objective::default(), Objective::Participation);
/// assert_eq!(Objective::Quality.to_string(), "quality");
/// assert_eq!("Quality".parse::<Objective>()?, Objective::Quality);
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Objective {
    /// Maximise, in this order: the number matched; the number matched at urgency 3,
    /// then 2, then 1; and last the plan's quality (Σ score − slot cost).
    #[default]
    Participation,
    /// Maximise quality first, then the number matched, then urgency 3, 2, 1. A pair
    /// whose score does not cover its mentor's slot cost is left unmatched.
    Quality,
    /// Reach as many people as [`Objective::Participation`] does (the number matched,
    /// then urgency 3, 2, 1), and among those plans make the worst pair's score as high
    /// as possible; then quality. Without the first step the best worst pair would be
    /// one good pair alone. Solved exactly by a search over score thresholds: several
    /// solves, so slower than the other two.
    Bottleneck,
}

impl Objective {
    /// Every objective, the default first.
    pub const ALL: [Objective; 3] = [
        Objective::Participation,
        Objective::Quality,
        Objective::Bottleneck,
    ];

    /// The names of the terms of [`ObjectiveValue::key`](crate::ObjectiveValue::key)
    /// under this objective, most significant first; `""` where the key is padded.
    /// `quality` and `worst score` are in micro-units, the rest are counts.
    ///
    /// ```
    /// use peermatch::Objective;
    /// assert_eq!(Objective::Quality.terms()[..2], ["quality", "matched"]);
    /// assert_eq!(Objective::Bottleneck.terms()[4], "worst score");
    /// ```
    pub fn terms(self) -> [&'static str; 7] {
        let (n, u3, u2, u1) = ("matched", "urgency 3", "urgency 2", "urgency 1");
        match self {
            Objective::Participation => [n, u3, u2, u1, "fairness", "quality", ""],
            Objective::Quality => ["quality", n, u3, u2, u1, "fairness", ""],
            Objective::Bottleneck => [n, u3, u2, u1, "worst score", "fairness", "quality"],
        }
    }

    /// The objective's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Participation => "participation",
            Objective::Quality => "quality",
            Objective::Bottleneck => "bottleneck",
        }
    }
}

/// Weights, thresholds and the objective.
///
/// Every field has a default, so `{}` (or an absent `policy`) is a complete policy.
///
/// ```
/// use peermatch::{Criterion, Objective, Policy};
/// let mut policy = Policy::default();
/// policy.weights.insert(Criterion::Region, 2.0);
/// policy.objective = Objective::Quality;
/// assert_eq!(policy.weight(Criterion::Region), 2.0);
/// assert_eq!(policy.weight(Criterion::Experiences), Criterion::Experiences.default_weight());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    /// Per-criterion weights (≥ 0, finite) overriding [`Criterion::default_weight`];
    /// absent criteria keep their default.
    pub weights: BTreeMap<Criterion, f64>,
    /// The least score a pair needs to be matched, in `[0, 1]`. Default 0.
    pub min_score: f64,
    /// The least number of distinct tags shared between the two people's
    /// experiences ∪ interests. Default 1: sharing only a diagnosis isolates.
    pub min_shared_beyond_diagnosis: u32,
    /// Whether a pair must share a condition. Default true.
    pub require_shared_condition: bool,
    /// When both are known, the mentor must be at least this many months further from
    /// diagnosis than the recipient. Default 0.
    pub min_months_ahead: u32,
    /// Slot cost per recipient a mentor already has, in score units, in `[0, 1]`.
    /// Default 0.05: load spreads across mentors unless a clearly better match justifies it.
    pub load_penalty: f64,
    /// What the assignment maximises. Default [`Objective::Participation`].
    pub objective: Objective,
    /// Whether the plan may move a running, unpinned pair that breaks no rule to a
    /// better one (see [`Pair`](crate::Pair)). Default false: such pairs are kept.
    pub allow_reassign: bool,
    /// With `allow_reassign`, what moving a running pair costs, in score units, in
    /// `[0, 1]`: the pair counts this much more in the plan's quality, so it moves only
    /// when that gains more quality (a gain of exactly this much may go either way) or
    /// matches more people, who always weigh more under `participation`. Default 0.1.
    pub switching_cost: f64,
    /// Fairness to mentors: each mentor's first `min_new_load` new recipients weigh in
    /// an exact tier right after the number matched (and its urgencies), so the plan
    /// brings as many mentors as it can up to that many new recipients — Σ over mentors
    /// of min(new recipients, `min_new_load`) is as large as it can be without matching
    /// fewer people. `1`: every mentor with room and an eligible recipient gets one, as
    /// far as possible (volunteers never matched drift away). Default 0: no such tier.
    #[serde(skip_serializing_if = "is_zero")]
    pub min_new_load: u32,
    /// The most new recipients any mentor is given by one plan, whatever its capacity:
    /// a programme's pace for its volunteers. Default `null`: only capacity limits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_new_load: Option<u32>,
    /// Small-cell suppression for health data: counts of people under 5 in aggregate
    /// advice ([recruitment gaps](crate::RecruitmentGap)) are shown as "fewer than 5".
    /// Default false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppress_small_counts: bool,
    /// With `require_shared_condition`: a recipient no same-condition mentor is
    /// eligible for may be matched, after the plan is made and with the places left,
    /// with a mentor who passes every other rule and shares a consequence (an
    /// experience, or a need the mentor has lived through). Such pairs are flagged
    /// (`cross_condition`) and listed as warnings; they never take a place from a
    /// same-condition pair. Default false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub cross_condition_fallback: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            weights: BTreeMap::new(),
            min_score: 0.0,
            min_shared_beyond_diagnosis: 1,
            require_shared_condition: true,
            min_months_ahead: 0,
            load_penalty: 0.05,
            objective: Objective::Participation,
            allow_reassign: false,
            switching_cost: 0.1,
            min_new_load: 0,
            max_new_load: None,
            suppress_small_counts: false,
            cross_condition_fallback: false,
        }
    }
}

impl<'de> Deserialize<'de> for Policy {
    /// Every field is optional; an absent or `null` field keeps its default.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Given {
            #[serde(default)]
            weights: Option<BTreeMap<Criterion, f64>>,
            #[serde(default)]
            min_score: Option<f64>,
            #[serde(default)]
            min_shared_beyond_diagnosis: Option<u32>,
            #[serde(default)]
            require_shared_condition: Option<bool>,
            #[serde(default)]
            min_months_ahead: Option<u32>,
            #[serde(default)]
            load_penalty: Option<f64>,
            #[serde(default)]
            objective: Option<Objective>,
            #[serde(default)]
            allow_reassign: Option<bool>,
            #[serde(default)]
            switching_cost: Option<f64>,
            #[serde(default)]
            min_new_load: Option<u32>,
            #[serde(default)]
            max_new_load: Option<u32>,
            #[serde(default)]
            suppress_small_counts: Option<bool>,
            #[serde(default)]
            cross_condition_fallback: Option<bool>,
        }
        let given = Given::deserialize(deserializer)?;
        let default = Policy::default();
        Ok(Policy {
            weights: given.weights.unwrap_or(default.weights),
            min_score: given.min_score.unwrap_or(default.min_score),
            min_shared_beyond_diagnosis: given
                .min_shared_beyond_diagnosis
                .unwrap_or(default.min_shared_beyond_diagnosis),
            require_shared_condition: given
                .require_shared_condition
                .unwrap_or(default.require_shared_condition),
            min_months_ahead: given.min_months_ahead.unwrap_or(default.min_months_ahead),
            load_penalty: given.load_penalty.unwrap_or(default.load_penalty),
            objective: given.objective.unwrap_or(default.objective),
            allow_reassign: given.allow_reassign.unwrap_or(default.allow_reassign),
            switching_cost: given.switching_cost.unwrap_or(default.switching_cost),
            min_new_load: given.min_new_load.unwrap_or(default.min_new_load),
            max_new_load: given.max_new_load,
            suppress_small_counts: given
                .suppress_small_counts
                .unwrap_or(default.suppress_small_counts),
            cross_condition_fallback: given
                .cross_condition_fallback
                .unwrap_or(default.cross_condition_fallback),
        })
    }
}

impl Policy {
    /// The weight in force for `criterion`: the override in `weights`, else its default.
    pub fn weight(&self, criterion: Criterion) -> f64 {
        self.weights
            .get(&criterion)
            .copied()
            .unwrap_or_else(|| criterion.default_weight())
    }

    /// How many new recipients `mentor` can take in a plan: its free capacity, at most
    /// [`max_new_load`](Policy::max_new_load).
    ///
    /// ```
    /// use peermatch::{Mentor, Policy};
    /// let mentor = Mentor { id: "m1".into(), capacity: 5, current_load: 1, ..Mentor::default() };
    /// let mut policy = Policy::default();
    /// assert_eq!(policy.new_places(&mentor), 4);
    /// policy.max_new_load = Some(2);
    /// assert_eq!(policy.new_places(&mentor), 2);
    /// ```
    pub fn new_places(&self, mentor: &crate::Mentor) -> u32 {
        let free = mentor.capacity.saturating_sub(mentor.current_load);
        self.max_new_load.map_or(free, |cap| free.min(cap))
    }
}
