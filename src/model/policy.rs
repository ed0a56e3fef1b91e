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
}

impl Objective {
    /// Both objectives, the default first.
    pub const ALL: [Objective; 2] = [Objective::Participation, Objective::Quality];

    /// The objective's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Participation => "participation",
            Objective::Quality => "quality",
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
}
