//! The data model: the people, the programme's policy, and the checked cohort.
//!
//! Everything a coordinator writes down lives here, and nothing here knows how pairs
//! are judged or solved: the later stages ([`rules`](crate::rules),
//! [`scoring`](crate::scoring), [`solve`](crate::solve)) read the model, never the
//! other way round.
//!
//! - [`people`]: [`Mentor`], [`Recipient`], their typed ids and closed sets (plain,
//!   unchecked data, the JSON format's serde form);
//! - [`policy`]: the programme's trade-offs ([`Policy`], [`Objective`]);
//! - [`criterion`]: the nine scoring criteria a policy weighs ([`Criterion`]);
//! - [`cohort`]: validation at the boundary, once, into a [`Cohort`];
//! - [`sheet`]: cohorts from CSV sheets, as spreadsheets export them;
//! - [`pairs`]: pairs that run already or have ended ([`Pair`]);
//! - [`limits`]: the resource bounds validation enforces ([`Limits`]);
//! - [`names`]: the closed sets' names, displayed and parsed ([`ParseNameError`]);
//! - [`tags`]: normalised tag lists (sorted, deduplicated) and their set operations.

pub(crate) mod cohort;
pub(crate) mod criterion;
pub(crate) mod limits;
pub(crate) mod names;
pub(crate) mod pairs;
pub(crate) mod people;
pub(crate) mod policy;
pub(crate) mod sheet;
pub(crate) mod tags;

pub use cohort::{Cohort, MAX_PEOPLE};
pub use criterion::Criterion;
pub(crate) use criterion::{MAX_WEIGHT, MICRO};
pub use limits::Limits;
pub use names::ParseNameError;
pub use pairs::Pair;
pub use people::{ContactMode, Mentor, MentorId, Recipient, RecipientId, TrainingLevel};
pub use policy::{Objective, Policy};
