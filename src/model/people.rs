//! The people being matched: mentors, recipients, and the closed sets that describe them.
//!
//! These are plain data with public fields and serde derives: the JSON cohort format
//! (version 1, documented in the README) is exactly their serde form, so a service can
//! embed them in its own messages. They are *unchecked*: a [`Cohort`](crate::Cohort)
//! is the validated, normalised collection that the matcher accepts, and
//! [`Cohort::new`](crate::Cohort::new) applies the same checks to people built in code
//! as [`Cohort::from_json`](crate::Cohort::from_json) does to a file.
//!
//! Both sides share the profile fields that express lived experience (conditions,
//! experiences, interests, …). They are written out on each struct rather than shared
//! through `#[serde(flatten)]`, because serde cannot combine `flatten` with
//! `deny_unknown_fields`, and unknown fields must be rejected: a misspelt
//! `"boundries"` silently ignored would put a mentor in a conversation they said they
//! were not ready for.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Criterion;

/// Reads an optional field whose `null` means the same as leaving it out: the default.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as written in the input.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type! {
    /// A mentor's id, compared exactly as written (no trimming or case folding).
    ///
    /// ```
    /// use peermatch::MentorId;
    /// let id = MentorId::from("m-07");
    /// assert_eq!(id.as_str(), "m-07");
    /// ```
    MentorId
}

id_type! {
    /// A recipient's id, compared exactly as written (no trimming or case folding).
    ///
    /// A recipient may carry the same id as a mentor: that is one person who both
    /// receives and gives support, and the `self` rule keeps them from being paired
    /// with themselves.
    ///
    /// ```
    /// use peermatch::RecipientId;
    /// let id: RecipientId = "r-12".into();
    /// assert_eq!(id.to_string(), "r-12");
    /// ```
    RecipientId
}

/// How much peer-support training a mentor has, in increasing order.
///
/// The order matters: the `training` rule requires
/// `mentor.training >= recipient.required_training`, and the `training_fit` criterion
/// scores a large gap lower (see [`Criterion::TrainingFit`]).
///
/// ```
/// use peermatch::TrainingLevel;
/// assert!(TrainingLevel::None < TrainingLevel::Basic);
/// assert!(TrainingLevel::Certified < TrainingLevel::Advanced);
/// assert_eq!(TrainingLevel::default(), TrainingLevel::None);
/// assert_eq!("Certified".parse::<TrainingLevel>()?, TrainingLevel::Certified);
/// assert_eq!(TrainingLevel::Basic.to_string(), "basic");
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TrainingLevel {
    /// No formal training.
    #[default]
    None,
    /// An introductory course.
    Basic,
    /// A completed certification.
    Certified,
    /// Advanced or supervisory training.
    Advanced,
}

impl TrainingLevel {
    /// Every level, lowest first.
    pub const ALL: [TrainingLevel; 4] = [
        TrainingLevel::None,
        TrainingLevel::Basic,
        TrainingLevel::Certified,
        TrainingLevel::Advanced,
    ];

    /// The level's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            TrainingLevel::None => "none",
            TrainingLevel::Basic => "basic",
            TrainingLevel::Certified => "certified",
            TrainingLevel::Advanced => "advanced",
        }
    }

    /// The level's rank, 0 (`none`) to 3 (`advanced`).
    pub fn rank(self) -> u8 {
        self as u8
    }
}

/// A way of keeping in touch. An empty list of modes on a person means "any of them".
///
/// ```
/// use peermatch::ContactMode;
/// assert_eq!(ContactMode::ALL.len(), 4);
/// assert_eq!("in person".parse::<ContactMode>()?, ContactMode::InPerson);
/// assert_eq!(ContactMode::InPerson.to_string(), "in_person");
/// # Ok::<(), peermatch::ParseNameError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactMode {
    /// Phone calls.
    Phone,
    /// Video calls.
    Video,
    /// Meeting in person: needs both people in the same region.
    InPerson,
    /// Text messages or chat.
    Text,
}

impl ContactMode {
    /// Every mode, in declaration order.
    pub const ALL: [ContactMode; 4] = [
        ContactMode::Phone,
        ContactMode::Video,
        ContactMode::InPerson,
        ContactMode::Text,
    ];

    /// The mode's name in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            ContactMode::Phone => "phone",
            ContactMode::Video => "video",
            ContactMode::InPerson => "in_person",
            ContactMode::Text => "text",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A peer-support mentor: someone living with a chronic condition who supports others.
///
/// Tag fields (`conditions`, `experiences`, …) are free text; a [`Cohort`](crate::Cohort)
/// trims and lowercases them, drops blank ones and treats each list as a set.
///
/// ```
/// use peermatch::{Mentor, TrainingLevel};
/// let mentor = Mentor {
///     id: "m1".into(),
///     conditions: vec!["type 2 diabetes".into()],
///     languages: vec!["en".into()],
///     training: TrainingLevel::Basic,
///     capacity: 3,
///     ..Mentor::default()
/// };
/// assert_eq!(mentor.current_load, 0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mentor {
    /// Unique among mentors; must not be blank.
    pub id: MentorId,
    /// A name to show coordinators, when given. Display only: never read by a rule or
    /// a score, and in a report only when asked for ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free-text notes for coordinators, when given. Display only: never read by a
    /// rule or a score, and never copied into a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Diagnoses the mentor lives with.
    #[serde(default, deserialize_with = "null_as_default")]
    pub conditions: Vec<String>,
    /// Treatments, side effects and life circumstances: what can be shared beyond the diagnosis.
    #[serde(default, deserialize_with = "null_as_default")]
    pub experiences: Vec<String>,
    /// Interests and hobbies.
    #[serde(default, deserialize_with = "null_as_default")]
    pub interests: Vec<String>,
    /// Languages spoken; at least one.
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Age in years, 0..=120, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Gender, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Region, when known; needed for in-person contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Acceptable ways of contact; empty means any.
    #[serde(default, deserialize_with = "null_as_default")]
    pub modes: Vec<ContactMode>,
    /// Availability slot tokens such as `mon-eve`; empty means flexible.
    #[serde(default, deserialize_with = "null_as_default")]
    pub availability: Vec<String>,
    /// Months since the mentor's own diagnosis, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months_since_diagnosis: Option<u32>,
    /// Confidentiality groups (clinic, workplace, small community): never paired within one.
    #[serde(default, deserialize_with = "null_as_default")]
    pub groups: Vec<String>,
    /// Peer-support training.
    #[serde(default, deserialize_with = "null_as_default")]
    pub training: TrainingLevel,
    /// Most recipients the mentor supports at once, including the current ones.
    pub capacity: u32,
    /// Recipients the mentor already supports.
    #[serde(default, deserialize_with = "null_as_default")]
    pub current_load: u32,
    /// Topics the mentor is not ready to support (e.g. `bereavement`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub boundaries: Vec<String>,
    /// Recipients this mentor must not be paired with.
    #[serde(default, deserialize_with = "null_as_default")]
    pub exclude: Vec<RecipientId>,
}

/// A person who receives peer support.
///
/// ```
/// use peermatch::{Criterion, Recipient};
/// let recipient = Recipient {
///     id: "r1".into(),
///     conditions: vec!["COPD".into()],
///     languages: vec!["en".into()],
///     urgency: 2,
///     priorities: [(Criterion::Age, 2.0)].into(),
///     ..Recipient::default()
/// };
/// assert_eq!(recipient.priorities[&Criterion::Age], 2.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Unique among recipients; must not be blank.
    pub id: RecipientId,
    /// A name to show coordinators, when given. Display only: never read by a rule or
    /// a score, and in a report only when asked for ([`Matcher::names`](crate::Matcher::names)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free-text notes for coordinators, when given. Display only: never read by a
    /// rule or a score, and never copied into a report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Diagnoses the recipient lives with.
    #[serde(default, deserialize_with = "null_as_default")]
    pub conditions: Vec<String>,
    /// Treatments, side effects and life circumstances.
    #[serde(default, deserialize_with = "null_as_default")]
    pub experiences: Vec<String>,
    /// Interests and hobbies.
    #[serde(default, deserialize_with = "null_as_default")]
    pub interests: Vec<String>,
    /// Languages spoken; at least one.
    #[serde(default, deserialize_with = "null_as_default")]
    pub languages: Vec<String>,
    /// Age in years, 0..=120, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Gender, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Region, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Acceptable ways of contact; empty means any.
    #[serde(default, deserialize_with = "null_as_default")]
    pub modes: Vec<ContactMode>,
    /// Availability slot tokens; empty means flexible.
    #[serde(default, deserialize_with = "null_as_default")]
    pub availability: Vec<String>,
    /// Months since diagnosis, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months_since_diagnosis: Option<u32>,
    /// Confidentiality groups.
    #[serde(default, deserialize_with = "null_as_default")]
    pub groups: Vec<String>,
    /// Topics the recipient wants support with.
    #[serde(default, deserialize_with = "null_as_default")]
    pub needs: Vec<String>,
    /// The least training a mentor must have.
    #[serde(default, deserialize_with = "null_as_default")]
    pub required_training: TrainingLevel,
    /// 0 (routine) to 3 (most urgent); urgent people are matched first when places are short.
    #[serde(default, deserialize_with = "null_as_default")]
    pub urgency: u8,
    /// Per-criterion multipliers (≥ 0) on the policy weights: what matters more or less
    /// to this person. Absent criteria keep multiplier 1.
    #[serde(default, deserialize_with = "null_as_default")]
    pub priorities: BTreeMap<Criterion, f64>,
    /// Acceptable mentor genders; empty means any.
    #[serde(default, deserialize_with = "null_as_default")]
    pub mentor_gender: Vec<String>,
    /// Mentors this recipient must not be paired with.
    #[serde(default, deserialize_with = "null_as_default")]
    pub exclude: Vec<MentorId>,
}
