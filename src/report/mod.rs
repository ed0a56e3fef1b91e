//! The match report: everybody accounted for, every decision explained.
//!
//! A report lists each pair with its score breakdown and slot cost, each unmatched
//! recipient with the reason (no eligible mentor — and which rules ruled them out —,
//! eligible mentors already full, or not worth a mentor's load), and each mentor's
//! load. Every recipient appears exactly once, in `matches` or in `unmatched`, in input
//! order. The JSON form (serde) is part of the product and deterministic byte for byte.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::MICRO;
use crate::model::Objective;
use crate::model::{MentorId, RecipientId};
use crate::rules::HardRule;
use crate::scoring::Part;
use crate::solve::SolveInfo;

mod build;
#[cfg(feature = "dot")]
mod dot;
mod explain;
mod export;
mod stability;
pub(crate) use build::{Earlier, Inputs, Memo, build, summarise};
pub use explain::{Explanation, explain};
pub use export::PlanSheets;
pub use stability::{BlockingPair, blocking_pairs};

/// One mentor–recipient pair of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Match {
    /// The mentor.
    pub mentor: MentorId,
    /// The mentor's display name, only when the cohort gives one and the report was
    /// asked for names ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_name: Option<String>,
    /// The recipient.
    pub recipient: RecipientId,
    /// The recipient's display name, only when the cohort gives one and the report was
    /// asked for names ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// The pair's score in `[0, 1]`, a whole number of micro-units.
    pub score: f64,
    /// The load cost of the mentor's slot this pair takes:
    /// `load_penalty × (current_load + k − 1)` for the mentor's `k`-th new recipient in
    /// input order (cross-condition pairs after all the others), rounded to 10⁻⁶.
    pub slot_cost: f64,
    /// The recipient's urgency (0–3).
    pub urgency: u8,
    /// Whether the pair is new, kept from the cohort's running pairs, or a new mentor
    /// for a recipient whose running pair could not be kept.
    pub status: MatchStatus,
    /// The score's breakdown over all nine criteria, in [`Criterion::ALL`](crate::Criterion::ALL) order.
    pub parts: Vec<Part>,
    /// A pair of the cross-condition fallback: the two share consequences of their
    /// conditions (an experience, or a need the mentor has lived through) but no
    /// condition; placed only where no same-condition mentor could be. Absent from the
    /// JSON when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cross_condition: bool,
}

impl Match {
    /// The criteria that add to this pair's score, largest contribution first.
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab"]}]
    /// }"#)?;
    /// let report = match_cohort(&cohort);
    /// let top = report.matches[0].top_reasons();
    /// assert_eq!(top[0].criterion, peermatch::Criterion::Experiences);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn top_reasons(&self) -> Vec<Part> {
        crate::scoring::top_reasons(&self.parts)
    }
}

/// Where a pair of the plan comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchStatus {
    /// A pair this plan proposes.
    New,
    /// A running pair of the cohort, kept as it is.
    Kept,
    /// A new mentor for a recipient whose running pair was not kept (it breaks a hard
    /// rule; the report's `warnings` say which).
    Reassigned,
}

/// Something a reviewer must see: a decision the plan took about a running pair
/// because of the hard rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Warning {
    /// What happened.
    pub kind: WarningKind,
    /// The pair's mentor.
    pub mentor: MentorId,
    /// The pair's recipient.
    pub recipient: RecipientId,
    /// Every hard rule the pair breaks, in [`HardRule::ALL`] order.
    pub failed_rules: Vec<HardRule>,
}

/// The kinds of [`Warning`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// A pinned pair kept although it breaks hard rules, because it asked to be
    /// (`override`).
    KeptDespiteRules,
    /// A pinned pair that breaks hard rules without `override`: not kept, and its
    /// recipient matched afresh.
    PinnedNotKept,
    /// A running (unpinned) pair that breaks hard rules: not kept, and its recipient
    /// matched afresh.
    RunningNotKept,
    /// A mentor and a recipient share an id: they are read as one person, never paired
    /// with themselves (`mentor` and `recipient` are that id, the rule `self`). Worth a
    /// look when two sheets were numbered 1, 2, 3 each.
    SharedId,
    /// A pair of the cross-condition fallback (`policy.cross_condition_fallback`): they
    /// share consequences of their conditions but no condition (the rule `condition`).
    CrossCondition,
}

/// Why a recipient is unmatched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// No mentor passes every hard rule. `failed_rules` counts, for each rule, how many
    /// mentors fail it (a mentor counts under every rule it fails; a full mentor under
    /// `capacity`); all rules are listed, in [`HardRule::ALL`] order.
    NoEligibleMentor {
        /// Mentors failing each rule.
        failed_rules: BTreeMap<HardRule, u32>,
    },
    /// Eligible mentors exist, but their capacity went to others under the objective.
    MentorsFull {
        /// How many mentors were eligible.
        eligible_mentors: u32,
    },
    /// Under [`Objective::Quality`] only: an eligible mentor still has room, but no
    /// eligible pair's score covers the slot cost it would add.
    NotWorthLoad {
        /// How many mentors were eligible.
        eligible_mentors: u32,
    },
}

impl Reason {
    /// Which of the reasons this is, without its counts.
    ///
    /// ```
    /// use peermatch::{Reason, ReasonKind};
    /// let full = Reason::MentorsFull { eligible_mentors: 3 };
    /// assert_eq!(full.kind(), ReasonKind::MentorsFull);
    /// assert_eq!(full.to_string(), "mentors_full");
    /// ```
    pub fn kind(&self) -> ReasonKind {
        match self {
            Reason::NoEligibleMentor { .. } => ReasonKind::NoEligibleMentor,
            Reason::MentorsFull { .. } => ReasonKind::MentorsFull,
            Reason::NotWorthLoad { .. } => ReasonKind::NotWorthLoad,
        }
    }
}

/// Displays as the reason's JSON name, like its [`ReasonKind`].
impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind().fmt(f)
    }
}

/// The kinds of [`Reason`], as a closed set a spreadsheet column (or a filter) can hold.
///
/// ```
/// use peermatch::ReasonKind;
/// assert_eq!("no eligible mentor".parse::<ReasonKind>()?, ReasonKind::NoEligibleMentor);
/// assert_eq!(ReasonKind::NotWorthLoad.to_string(), "not_worth_load");
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReasonKind {
    /// [`Reason::NoEligibleMentor`].
    NoEligibleMentor,
    /// [`Reason::MentorsFull`].
    MentorsFull,
    /// [`Reason::NotWorthLoad`].
    NotWorthLoad,
}

impl ReasonKind {
    /// Every kind, in the order of [`Reason`]'s variants.
    pub const ALL: [ReasonKind; 3] = [
        ReasonKind::NoEligibleMentor,
        ReasonKind::MentorsFull,
        ReasonKind::NotWorthLoad,
    ];

    /// The kind's name in the JSON format (the report's `reason` field).
    pub fn name(self) -> &'static str {
        match self {
            ReasonKind::NoEligibleMentor => "no_eligible_mentor",
            ReasonKind::MentorsFull => "mentors_full",
            ReasonKind::NotWorthLoad => "not_worth_load",
        }
    }
}

crate::model::names::named!(ReasonKind, "reason");

/// A recipient left without a mentor, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Unmatched {
    /// The recipient.
    pub recipient: RecipientId,
    /// The recipient's display name, only when the cohort gives one and the report was
    /// asked for names ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// Why.
    #[serde(flatten)]
    pub reason: Reason,
}

/// A mentor's load after the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MentorLoad {
    /// The mentor.
    pub mentor: MentorId,
    /// The mentor's display name, only when the cohort gives one and the report was
    /// asked for names ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_name: Option<String>,
    /// Recipients the mentor already had, outside the cohort's pairs.
    pub current_load: u32,
    /// The mentor's running pairs this plan keeps.
    pub kept: u32,
    /// New recipients this plan gives the mentor.
    pub assigned: u32,
    /// The mentor's capacity.
    pub capacity: u32,
}

impl MentorLoad {
    /// Places the mentor has left after the plan: `capacity − current_load − kept −
    /// assigned`, or 0.
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 3, "current_load": 1, "languages": ["en"],
    ///                "conditions": ["ms"], "interests": ["chess"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["ms"],
    ///                   "interests": ["chess"]}]
    /// }"#)?;
    /// assert_eq!(match_cohort(&cohort).mentors[0].room_left(), 1);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn room_left(&self) -> u32 {
        self.capacity
            .saturating_sub(self.current_load)
            .saturating_sub(self.kept)
            .saturating_sub(self.assigned)
    }
}

/// Totals over the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Number of recipients.
    pub recipients: usize,
    /// Number matched (kept pairs included).
    pub matched: usize,
    /// Of those, running pairs kept as they were.
    pub kept: usize,
    /// Of those, recipients whose running pair was not kept, matched to a new mentor.
    pub reassigned: usize,
    /// Recipients whose running pair was not kept because it breaks a hard rule
    /// (matched again or not); they are placed first, at urgency 3.
    pub lost_mentor: usize,
    /// Number unmatched.
    pub unmatched: usize,
    /// Matched recipients by urgency: `[urgency 0, 1, 2, 3]`.
    pub matched_by_urgency: [usize; 4],
    /// Mean score of the pairs (rounded to 10⁻⁶), `null` when nothing matched.
    pub mean_score: Option<f64>,
    /// Lowest score of the pairs, `null` when nothing matched.
    pub min_score: Option<f64>,
    /// The plan's quality: Σ over pairs of (score − slot cost).
    pub quality: f64,
    /// Mentors with room who got nobody new.
    pub idle_mentors: usize,
    /// Largest `current_load + assigned` over mentors (0 with no mentors).
    pub max_load: u32,
    /// The objective that was maximised.
    pub objective: Objective,
    /// The fairness tier's value: Σ over mentors of min(new recipients,
    /// `policy.min_new_load`); absent from the JSON when 0 (as without the tier).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub fair_places: u64,
    /// Pairs of the cross-condition fallback (`policy.cross_condition_fallback`);
    /// absent from the JSON when 0.
    #[serde(default, skip_serializing_if = "is_zero_usize")]
    pub cross_condition: usize,
}

fn is_zero_usize(n: &usize) -> bool {
    *n == 0
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// An eligible pair, listed when candidates are asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Candidate {
    /// The mentor.
    pub mentor: MentorId,
    /// The recipient.
    pub recipient: RecipientId,
    /// The pair's score.
    pub score: f64,
}

/// The result of matching a cohort. See the [module docs](crate#the-report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MatchReport {
    /// What the report is: a proposal for people to review and decide on
    /// ([`MatchReport::NOTICE`]).
    pub notice: String,
    /// The pairs, in recipient input order.
    pub matches: Vec<Match>,
    /// The recipients left unmatched, in input order, with the reason.
    pub unmatched: Vec<Unmatched>,
    /// Decisions about running pairs that a reviewer must see, in pair input order.
    pub warnings: Vec<Warning>,
    /// Every mentor once, in input order.
    pub mentors: Vec<MentorLoad>,
    /// Totals.
    pub summary: Summary,
    /// How the plan was solved and certified.
    pub solve: SolveInfo,
    /// The pairs the solver considered (every eligible pair unless pruned), when asked
    /// for with [`Matcher::candidates`](crate::Matcher::candidates).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<Candidate>>,
    /// The mentors to recruit next, when asked for with
    /// [`Matcher::advise_recruitment`](crate::Matcher::advise_recruitment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recruitment: Option<Vec<crate::recruit::RecruitmentGap>>,
}

/// The value of a plan under the lexicographic objective, in exact integers.
///
/// ```
/// use peermatch::{Cohort, Objective, match_cohort};
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "m", "capacity": 1, "languages": ["en"], "conditions": ["ms"], "interests": ["jazz"]}],
///   "recipients": [{"id": "r", "languages": ["en"], "conditions": ["ms"], "interests": ["jazz"], "urgency": 3}]
/// }"#)?;
/// let value = match_cohort(&cohort).objective_value();
/// assert_eq!(value.matched, 1);
/// assert_eq!(value.matched_by_urgency, [0, 0, 0, 1]);
/// assert_eq!(value.key(Objective::Participation)[0], 1);
/// assert_eq!(value.key(Objective::Bottleneck)[4], value.worst_score_micro);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectiveValue {
    /// Number of recipients matched.
    pub matched: u64,
    /// Matched recipients by urgency, `[0, 1, 2, 3]`.
    pub matched_by_urgency: [u64; 4],
    /// Σ (score − slot cost) in micro-units.
    pub quality_micro: i128,
    /// The lowest score of a pair in micro-units (0 when nothing is matched).
    pub worst_score_micro: i128,
    /// The fairness tier's value ([`Summary::fair_places`]).
    pub fair_places: u64,
}

impl ObjectiveValue {
    /// The tuple the objective maximises, most significant first, padded with zeros;
    /// compare keys of two plans with `Ord` on arrays. Participation: (matched,
    /// urgency 3, 2, 1, fairness, quality); quality: (quality, matched, urgency 3, 2, 1,
    /// fairness); bottleneck: (matched, urgency 3, 2, 1, worst score, fairness, quality).
    /// Fairness is 0 unless the policy sets `min_new_load`.
    pub fn key(&self, objective: Objective) -> [i128; 7] {
        let [_, u1, u2, u3] = self.matched_by_urgency.map(i128::from);
        let n = i128::from(self.matched);
        let (fair, quality) = (i128::from(self.fair_places), self.quality_micro);
        match objective {
            Objective::Participation => [n, u3, u2, u1, fair, quality, 0],
            Objective::Quality => [quality, n, u3, u2, u1, fair, 0],
            Objective::Bottleneck => [n, u3, u2, u1, self.worst_score_micro, fair, quality],
        }
    }
}

fn micro(x: f64) -> i128 {
    (x * MICRO).round() as i128
}

impl MatchReport {
    /// The report's notice: a plan is a proposal for people to review and decide on.
    pub const NOTICE: &'static str = "A proposal for review: coordinators and the people \
        concerned decide on every pair; peermatch does not decide.";

    /// The plan's exact objective value, recomputed from its pairs.
    pub fn objective_value(&self) -> ObjectiveValue {
        let mut value = ObjectiveValue {
            matched: self.matches.len() as u64,
            matched_by_urgency: [0; 4],
            quality_micro: 0,
            worst_score_micro: 0,
            fair_places: self.summary.fair_places,
        };
        for m in &self.matches {
            value.matched_by_urgency[usize::from(m.urgency.min(3))] += 1;
            value.quality_micro += micro(m.score) - micro(m.slot_cost);
        }
        value.worst_score_micro = self
            .matches
            .iter()
            .map(|m| micro(m.score))
            .min()
            .unwrap_or(0);
        value
    }

    /// An index of the report by id, for lookups in O(1) — [`MatchReport::match_of`] and
    /// [`MatchReport::unmatched_reason`] scan the lists, which costs quadratic time when
    /// asked for every recipient of a large plan.
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab"]}]
    /// }"#)?;
    /// let report = match_cohort(&cohort);
    /// let index = report.index();
    /// assert_eq!(index.match_of("r1").map(|m| m.mentor.as_str()), Some("m1"));
    /// assert!(index.unmatched_reason("r1").is_none());
    /// assert_eq!(index.load_of("m1").map(|l| l.assigned), Some(1));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn index(&self) -> ReportIndex<'_> {
        ReportIndex {
            matches: self
                .matches
                .iter()
                .map(|m| (m.recipient.as_str(), m))
                .collect(),
            unmatched: self
                .unmatched
                .iter()
                .map(|u| (u.recipient.as_str(), u))
                .collect(),
            loads: self
                .mentors
                .iter()
                .map(|l| (l.mentor.as_str(), l))
                .collect(),
        }
    }

    /// The pair of this recipient, if matched.
    pub fn match_of(&self, recipient: &str) -> Option<&Match> {
        self.matches
            .iter()
            .find(|m| m.recipient.as_str() == recipient)
    }

    /// Why this recipient is unmatched, if they are.
    pub fn unmatched_reason(&self, recipient: &str) -> Option<&Reason> {
        self.unmatched
            .iter()
            .find(|u| u.recipient.as_str() == recipient)
            .map(|u| &u.reason)
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }
}

/// A [`MatchReport`] indexed by id ([`MatchReport::index`]).
#[derive(Debug, Clone)]
pub struct ReportIndex<'a> {
    matches: std::collections::HashMap<&'a str, &'a Match>,
    unmatched: std::collections::HashMap<&'a str, &'a Unmatched>,
    loads: std::collections::HashMap<&'a str, &'a MentorLoad>,
}

impl<'a> ReportIndex<'a> {
    /// The pair of this recipient, if matched.
    pub fn match_of(&self, recipient: &str) -> Option<&'a Match> {
        self.matches.get(recipient).copied()
    }

    /// Why this recipient is unmatched, if they are.
    pub fn unmatched_reason(&self, recipient: &str) -> Option<&'a Reason> {
        self.unmatched.get(recipient).map(|u| &u.reason)
    }

    /// This mentor's load.
    pub fn load_of(&self, mentor: &str) -> Option<&'a MentorLoad> {
        self.loads.get(mentor).copied()
    }
}
