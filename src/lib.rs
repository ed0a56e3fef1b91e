//! # peermatch
//!
//! Exact, explainable matching of peer-support mentors to the people they support
//! (recipients) in chronic-condition peer-support programmes.
//!
//! A synthesis of 25 studies of chronic-disease peer support found that it helps, but
//! goes wrong when placed one-size-fits-all: pairs who share nothing but a diagnosis
//! feel isolated, and mentors — often living with serious illness themselves — risk
//! overload and emotional entanglement unless their capacity and boundaries are
//! honoured, while a large training gap reproduces the patient–professional hierarchy
//! peer support exists to avoid. So this crate:
//!
//! 1. checks every candidate pair against **hard rules** ([`HardRule`]): shared
//!    language, shared experience beyond the diagnosis, mentor boundaries and capacity,
//!    confidentiality groups, training, exclusions and more;
//! 2. **scores** every eligible pair on nine explainable criteria ([`Criterion`]),
//!    weighing shared experience above the diagnosis itself;
//! 3. solves the **whole assignment exactly** as a capacitated bipartite matching
//!    ([`assign`]), many recipients per mentor up to capacity, with a rising per-slot
//!    cost that spreads load across mentors;
//! 4. **explains** every decision: why this pair ([`Match::parts`]), why this person is
//!    still unmatched ([`Reason`]), and why not that other pair ([`explain()`]);
//! 5. lets coordinators **edit** a proposal — pin or forbid a pair, change a capacity,
//!    add or remove someone — and re-solves it from where it stands ([`Plan`], [`Edit`]),
//!    listing who moved ([`Plan::changes`]).
//!
//! # Quick start
//! ```
//! use peermatch::{Cohort, Reason, explain, match_cohort};
//!
//! let cohort = Cohort::from_json(r#"{
//!   "version": 1,
//!   "mentors": [
//!     {"id": "mara", "capacity": 2, "languages": ["en"], "conditions": ["type 2 diabetes"],
//!      "experiences": ["insulin", "shift work"], "interests": ["gardening"], "training": "basic"},
//!     {"id": "olu", "capacity": 1, "languages": ["en", "yo"], "conditions": ["type 2 diabetes"],
//!      "experiences": ["carer"], "boundaries": ["bereavement"]}
//!   ],
//!   "recipients": [
//!     {"id": "ines", "languages": ["en"], "conditions": ["type 2 diabetes"],
//!      "experiences": ["shift work"], "needs": ["insulin"], "urgency": 2},
//!     {"id": "kwame", "languages": ["yo"], "conditions": ["type 2 diabetes"],
//!      "experiences": ["carer"], "needs": ["bereavement"]}
//!   ]
//! }"#)?;
//!
//! let report = match_cohort(&cohort);
//! assert_eq!(report.match_of("ines").unwrap().mentor.as_str(), "mara");
//!
//! // Kwame speaks Yoruba, and the only Yoruba speaker is not ready to support bereavement.
//! assert!(matches!(report.unmatched_reason("kwame"), Some(Reason::NoEligibleMentor { .. })));
//! let why = explain(&cohort, "olu", "kwame")?;
//! assert_eq!(why.failed_rules, [peermatch::HardRule::Boundaries]);
//! # Ok::<(), peermatch::Error>(())
//! ```
//!
//! # The pipeline
//! Each stage is one module; the folder layout is the architecture:
//!
//! | stage | module | what it decides |
//! |---|---|---|
//! | model | `model/` | the people ([`Mentor`], [`Recipient`]), the programme's [`Policy`], the [`Criterion`]s it weighs, and validation into a [`Cohort`] (typed [`Error`]s, [`Limits`]) |
//! | rules | `rules/` | which pairs may ever be matched ([`HardRule`]): the plain check, the same rules on interned tags, and the bitset screen, side by side |
//! | scoring | `scoring` | how good an eligible pair is ([`Breakdown`]) |
//! | candidates | `candidates` | every eligible pair with its score, screened on bitsets, on all cores ([`EligiblePairs`]) |
//! | solve | `solve/` | the objective as integer costs, orientation, certified pruning ([`Pruning`]), who can be matched at all |
//! | solver | [`assign`] | the exact capacitated assignment, with a dual certificate and its own [`assign::Error`] |
//! | matcher | `matcher`, `progress` | [`match_cohort`], [`Matcher`] and its options, [`Progress`] |
//! | plans | `plan`, `solve/warm` | a [`Plan`] edited and re-solved warm from its last flow and duals |
//! | report | `report/` | the [`MatchReport`] (pairs, unmatched reasons, loads) and [`explain()`] for any single pair |
//! | synthetic cohorts | [`synth`] | seeded, realistic cohorts for benches, tests, demos |
//!
//! # The objective
//! A plan's *quality* is Σ over its pairs of (score − slot cost), where a mentor's
//! `k`-th new recipient costs `load_penalty × (current_load + k − 1)`. Under
//! [`Objective::Participation`] (the default) the plan maximises, lexicographically,
//! (number matched, matched at urgency 3, 2, 1, quality); under [`Objective::Quality`],
//! (quality, number matched, urgency 3, 2, 1). Scores and slot costs are integers in
//! micro-units (10⁻⁶) inside the solver, so "maximises" is exact: the property tests
//! hold every plan against a brute-force optimum.
//!
//! # The report
//! [`MatchReport`] lists every recipient exactly once — in `matches` with the pair's
//! score breakdown, or in `unmatched` with a [`Reason`] — and every mentor's load. The
//! JSON form is deterministic: the same cohort gives the same bytes.
//!
//! # Scale
//! National programmes (a hundred thousand recipients, tens of millions of eligible
//! pairs) are matched exactly. Above 100 000 eligible pairs the solver first sees each
//! recipient's best pairs and then proves the plan optimal against every pruned pair
//! with its dual potentials ([`Pruning`], [`SolveInfo`]). The README's "Performance"
//! gives measured times and the commands that reproduce them; `PERFORMANCE.md` the
//! history.
//!
//! # Determinism and ties
//! No hash-map iteration shapes any output, and threads only split work whose results
//! are put back in order: the same cohort gives the same report at any thread count.
//! Among plans with the same objective value, the one returned is the solver's
//! deterministic choice (recipients added most valuable first, ties in input order;
//! shortest-path ties to the lower index); see the `matcher` module.

#![forbid(unsafe_code)]

pub mod assign;
mod candidates;
mod error;
mod fallback;
mod matcher;
mod model;
mod par;
mod plan;
mod progress;
mod recruit;
mod report;
mod rounds;
mod rules;
mod scoring;
mod solve;
#[cfg(feature = "synth")]
pub mod synth;
#[cfg(test)]
mod testdata;
mod whatif;

pub use candidates::EligiblePairs;
pub use error::{Error, Record, Result};
pub use matcher::{MatchStats, Matcher, match_cohort};
pub use model::{
    Cohort, ContactMode, Criterion, Limits, MAX_PEOPLE, Mentor, MentorId, Objective, Pair,
    ParseNameError, Policy, Recipient, RecipientId, TrainingLevel,
};
pub use plan::{Change, Edit, Plan};
pub use progress::{Progress, ProgressReply, Stage};
pub use recruit::{Count, MentorProfile, RecruitmentGap, SMALL_COUNT};
pub use report::{
    BlockingPair, Candidate, Explanation, Match, MatchReport, MatchStatus, MentorLoad,
    ObjectiveValue, PlanSheets, Reason, ReasonKind, ReportIndex, Summary, Unmatched, Warning,
    WarningKind, blocking_pairs, explain,
};
pub use rules::HardRule;
pub use scoring::{Breakdown, Part};
pub use solve::{Pruning, SolveInfo};
pub use whatif::{Forcing, Move, Offers, Shortlisted, WhyNot};

/// The README's code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
