//! The nine scoring criteria: the closed set a policy weighs and a recipient prioritises.
//!
//! They live with the data model, not with the scoring arithmetic, because the format
//! names them (`policy.weights`, a recipient's `priorities`): the model says *what* can
//! be weighed, [`scoring`](crate::scoring) says how a pair is scored on each.

use serde::{Deserialize, Serialize};

/// One micro-unit is 10⁻⁶ of a score point: the fixed-point scale of scores and slot costs.
pub(crate) const MICRO: f64 = 1_000_000.0;

/// Largest accepted policy weight or priority multiplier: keeps every product finite.
pub(crate) const MAX_WEIGHT: f64 = 1e9;

/// A scoring criterion. Version 1 has exactly these nine, in this order.
///
/// Each variant's doc gives its similarity formula and when it is unknown (weight 0).
///
/// ```
/// use peermatch::Criterion;
/// assert_eq!(Criterion::ALL.len(), 9);
/// assert!(Criterion::Experiences.default_weight() > Criterion::Condition.default_weight());
/// assert_eq!(Criterion::TrainingFit.name(), "training_fit");
/// assert_eq!("training fit".parse::<Criterion>()?, Criterion::TrainingFit);
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Criterion {
    /// Share of the recipient's conditions the mentor also lives with:
    /// `|C_r ∩ C_m| / |C_r|`. Unknown when either list is empty. Default weight 1.
    Condition,
    /// Shared experiences beyond the diagnosis (overlap coefficient):
    /// `|E_r ∩ E_m| / min(|E_r|, |E_m|)`, 1 when the shorter list is wholly shared.
    /// Unknown when either list is empty. Default weight 3.
    Experiences,
    /// Share of the recipient's needs the mentor has lived through (that appear among the
    /// mentor's experiences): `|N_r ∩ E_m| / |N_r|`. Unknown when the recipient has no
    /// needs or the mentor no experiences. Default weight 2.
    Needs,
    /// Shared interests (overlap coefficient, as for experiences). Unknown when either
    /// list is empty. Default weight 1.
    Interests,
    /// Closeness in age: `max(0, 1 − |Δage| / 30)`. Unknown when either age is. Default
    /// weight 0.5.
    Age,
    /// The mentor is further along, but not decades apart. With `a` = mentor's months
    /// since diagnosis − recipient's: 0 if `a < 0`; `0.5 + a/24` for `0 ≤ a < 12`; 1 for
    /// `12 ≤ a ≤ 120`; `max(0, 1 − (a − 120)/240)` beyond. Unknown when either is.
    /// Default weight 1.
    Journey,
    /// Training meets the requirement without a large over-qualification gap, which
    /// reproduces the patient–professional hierarchy and spends scarce trained mentors.
    /// By the gap in levels (mentor − required): 0 → 1, 1 → 0.8, 2 → 0.5, 3 → 0.2, below
    /// the requirement → 0. Always known. Default weight 1.
    TrainingFit,
    /// Shared availability slots (overlap coefficient). Unknown when either list is
    /// empty. Default weight 0.5.
    Availability,
    /// 1 in the same region, else 0. Unknown when either region is. Default weight 0.5.
    Region,
}

impl Criterion {
    /// All nine criteria, in breakdown order.
    pub const ALL: [Criterion; 9] = [
        Criterion::Condition,
        Criterion::Experiences,
        Criterion::Needs,
        Criterion::Interests,
        Criterion::Age,
        Criterion::Journey,
        Criterion::TrainingFit,
        Criterion::Availability,
        Criterion::Region,
    ];

    /// The weight used when the policy does not override it.
    pub fn default_weight(self) -> f64 {
        match self {
            Criterion::Condition => 1.0,
            Criterion::Experiences => 3.0,
            Criterion::Needs => 2.0,
            Criterion::Interests => 1.0,
            Criterion::Age => 0.5,
            Criterion::Journey => 1.0,
            Criterion::TrainingFit => 1.0,
            Criterion::Availability => 0.5,
            Criterion::Region => 0.5,
        }
    }

    /// The criterion's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            Criterion::Condition => "condition",
            Criterion::Experiences => "experiences",
            Criterion::Needs => "needs",
            Criterion::Interests => "interests",
            Criterion::Age => "age",
            Criterion::Journey => "journey",
            Criterion::TrainingFit => "training_fit",
            Criterion::Availability => "availability",
            Criterion::Region => "region",
        }
    }
}
