//! Errors as data.
//!
//! Every way a cohort can be rejected is a variant of [`Error`] that carries the
//! offending record ([`Record`]), the field, and the value, so a coordinator's tool can
//! point at the exact line of a spreadsheet or JSON file instead of showing a bare
//! message. Messages are lowercase and say what was expected.
//!
//! Parse errors (malformed JSON, a wrong type, an unknown or missing field) stop the
//! parse and carry the line and column; the checks that need the whole record (ranges,
//! duplicate ids, references between records) run after it. Both kinds name the record
//! and the field.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Shorthand for results whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The place in a cohort that an [`Error`] is about.
///
/// Records are numbered from 0 in input order; `id` is the record's id when it was
/// known at the time of the error (a record that failed to parse has none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// The top-level cohort object itself (its `version`, or its shape).
    Cohort,
    /// The `policy` object.
    Policy,
    /// An entry of `mentors`.
    Mentor {
        /// Position in `mentors`, from 0.
        index: usize,
        /// The mentor's id, when known.
        id: Option<String>,
    },
    /// An entry of `recipients`.
    Recipient {
        /// Position in `recipients`, from 0.
        index: usize,
        /// The recipient's id, when known.
        id: Option<String>,
    },
    /// An entry of `pairs`.
    Pair {
        /// Position in `pairs`, from 0.
        index: usize,
    },
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (side, index, id) = match self {
            Record::Cohort => return f.write_str("cohort"),
            Record::Policy => return f.write_str("policy"),
            Record::Mentor { index, id } => ("mentor", index, id),
            Record::Recipient { index, id } => ("recipient", index, id),
            Record::Pair { index } => return write!(f, "pair {index}"),
        };
        match id {
            Some(id) => write!(f, "{side} {index} ({id:?})"),
            None => write!(f, "{side} {index}"),
        }
    }
}

impl Error {
    /// The record the error is about, when it names one.
    ///
    /// ```
    /// use peermatch::{Cohort, Record};
    ///
    /// let err = Cohort::from_json(r#"{"mentors": [{"id": " ", "capacity": 1}]}"#).unwrap_err();
    /// assert_eq!(err.record(), Some(&Record::Mentor { index: 0, id: Some(" ".into()) }));
    /// ```
    pub fn record(&self) -> Option<&Record> {
        match self {
            Error::InvalidField { record, .. }
            | Error::UnknownField { record, .. }
            | Error::MissingField { record, .. }
            | Error::BlankId { record }
            | Error::DuplicateId { record, .. }
            | Error::UnknownExclude { record, .. }
            | Error::LoadAboveCapacity { record, .. }
            | Error::NoLanguages { record }
            | Error::AgeOutOfRange { record, .. }
            | Error::UrgencyOutOfRange { record, .. }
            | Error::NumberOutOfRange { record, .. }
            | Error::TooManyTags { record, .. }
            | Error::TagTooLong { record, .. }
            | Error::UnknownPairPerson { record, .. }
            | Error::RecipientInTwoPairs { record, .. }
            | Error::InvalidPair { record, .. } => Some(record),
            Error::InSheet { error, .. } | Error::InEdit { error, .. } => error.record(),
            _ => None,
        }
    }
}

/// Everything that can go wrong when building, loading or querying a cohort.
///
/// Marked `#[non_exhaustive]`: later versions add variants as the format grows.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not well-formed JSON (or ends early).
    #[error("malformed json at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// A field holds a value of the wrong type or outside its closed set of names
    /// (for example `"training": "expert"` or `"capacity": "two"`).
    #[error("{record}, field `{field}` (line {line}, column {column}): {message}")]
    InvalidField {
        /// The record holding the field.
        record: Record,
        /// The field's name (a dotted path below the record for nested values).
        field: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What was expected.
        message: String,
    },
    /// A field that the format does not define: typos must not pass silently.
    #[error("{record}: unknown field `{field}` (line {line}, column {column})")]
    UnknownField {
        /// The record holding the field.
        record: Record,
        /// The unknown field's name.
        field: String,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
    },
    /// A required field (`id`, a mentor's `capacity`) is absent.
    #[error("{record}: missing field `{field}` (line {line}, column {column})")]
    MissingField {
        /// The record missing the field.
        record: Record,
        /// The missing field's name.
        field: String,
        /// 1-based line where the record ends.
        line: usize,
        /// 1-based column where the record ends.
        column: usize,
    },
    /// `version` is present but is not `1`.
    #[error("cohort: unsupported version {found}, expected 1")]
    UnsupportedVersion {
        /// The value found, as JSON text.
        found: String,
    },
    /// An id that is empty or only white space.
    #[error("{record}: field `id` is blank")]
    BlankId {
        /// The record with the blank id.
        record: Record,
    },
    /// Two records on the same side share an id.
    #[error("{record}: duplicate id {id:?}, first used by entry {first_index}")]
    DuplicateId {
        /// The second record using the id.
        record: Record,
        /// The repeated id.
        id: String,
        /// Position of the first record with this id on the same side.
        first_index: usize,
    },
    /// An `exclude` entry that names nobody on the other side.
    #[error("{record}: field `exclude` names unknown id {id:?}")]
    UnknownExclude {
        /// The record whose `exclude` list is wrong.
        record: Record,
        /// The id that was not found.
        id: String,
    },
    /// A mentor whose `current_load` is larger than its `capacity`.
    #[error("{record}: field `current_load` ({current_load}) exceeds `capacity` ({capacity})")]
    LoadAboveCapacity {
        /// The mentor.
        record: Record,
        /// The declared current load.
        current_load: u32,
        /// The declared capacity.
        capacity: u32,
    },
    /// A person with no language (after dropping blank tags).
    #[error("{record}: field `languages` is empty, at least one language is required")]
    NoLanguages {
        /// The record without a language.
        record: Record,
    },
    /// An `age` above 120.
    #[error("{record}: field `age` is {age}, expected 0..=120")]
    AgeOutOfRange {
        /// The record.
        record: Record,
        /// The age given.
        age: u32,
    },
    /// An `urgency` above 3.
    #[error("{record}: field `urgency` is {urgency}, expected 0..=3")]
    UrgencyOutOfRange {
        /// The recipient.
        record: Record,
        /// The urgency given.
        urgency: u8,
    },
    /// A weight, priority multiplier, `min_score` or `load_penalty` that is negative,
    /// not finite, or outside its documented range.
    #[error("{record}: field `{field}` is {value}, expected {expected}")]
    NumberOutOfRange {
        /// The record (`policy` or a recipient for `priorities`).
        record: Record,
        /// The field, e.g. `weights.experiences` or `min_score`.
        field: String,
        /// The value given.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// More people on one side than the crate supports.
    #[error("cohort: {count} {side} exceed the supported maximum of {limit}")]
    TooManyRecords {
        /// `"mentors"` or `"recipients"`.
        side: &'static str,
        /// How many were given.
        count: usize,
        /// The largest number accepted.
        limit: usize,
    },
    /// A list field with more distinct tags (or an `exclude` list with more ids) than
    /// [`Limits::tags_per_list`](crate::Limits::tags_per_list) allows.
    #[error("{record}: field `{field}` has {count} entries, the limit is {limit}")]
    TooManyTags {
        /// The record.
        record: Record,
        /// The list field.
        field: String,
        /// How many distinct entries it has.
        count: usize,
        /// The largest number accepted.
        limit: usize,
    },
    /// An id or tag longer than [`Limits::tag_bytes`](crate::Limits::tag_bytes).
    #[error("{record}: field `{field}` has an entry of {bytes} bytes, the limit is {limit}")]
    TagTooLong {
        /// The record.
        record: Record,
        /// The field (`id`, or the list holding the tag).
        field: String,
        /// The entry's length in bytes.
        bytes: usize,
        /// The longest accepted.
        limit: usize,
    },
    /// A CSV sheet's cell, header or row that cannot be read: a number that is not
    /// one, a name outside its closed set, an unknown or repeated column, a value on
    /// the wrong side's column, malformed CSV. See [`Cohort::from_csv`](crate::Cohort::from_csv).
    #[error("{sheet}, row {row}, column `{column}`: {message}")]
    SheetCell {
        /// Which sheet: `"sheet"` for one holding both sides, else `"mentors sheet"`
        /// or `"recipients sheet"`.
        sheet: &'static str,
        /// The 1-based sheet row; the header is row 1.
        row: usize,
        /// The column, as the format names it (empty for an error about the whole row).
        column: String,
        /// What is wrong, in words.
        message: String,
    },
    /// A person read from a CSV sheet failed validation: `error` says how, naming the
    /// record and field; `row` is the sheet row the person came from.
    #[error("{sheet}, row {row}: {error}")]
    InSheet {
        /// Which sheet (as in [`Error::SheetCell`]).
        sheet: &'static str,
        /// The 1-based sheet row; the header is row 1.
        row: usize,
        /// The validation error.
        error: Box<Error>,
    },
    /// A pair naming somebody who is not in the cohort.
    #[error("{record}: field `{field}` names unknown {field} {id:?}")]
    UnknownPairPerson {
        /// The pair.
        record: Record,
        /// `"mentor"` or `"recipient"`.
        field: &'static str,
        /// The id not found.
        id: String,
    },
    /// A recipient in two running pairs: they can have one mentor at a time.
    #[error("{record}: recipient {recipient:?} is already in running pair {first_index}")]
    RecipientInTwoPairs {
        /// The second pair.
        record: Record,
        /// The recipient.
        recipient: String,
        /// The first running pair with this recipient.
        first_index: usize,
    },
    /// A pair whose flags contradict each other.
    #[error("{record}: {reason}")]
    InvalidPair {
        /// The pair.
        record: Record,
        /// What contradicts what.
        reason: &'static str,
    },
    /// A mentor id asked about (e.g. by [`explain()`](crate::explain())) that is not in the cohort.
    #[error("no mentor with id {id:?}")]
    UnknownMentor {
        /// The id asked about.
        id: String,
    },
    /// The plan failed its optimality certificate, and so did the plain re-solve the
    /// matcher then ran: a bug in this crate, reported instead of an unproven plan.
    /// Please report it with the cohort.
    #[error("internal error, no certified solution: {reason}")]
    Uncertified {
        /// The condition the last answer violated, in words.
        reason: String,
    },
    /// The progress callback asked the run to stop
    /// ([`ProgressReply`](crate::ProgressReply)); no plan was made.
    #[error("cancelled by the progress callback during the {stage} stage")]
    Cancelled {
        /// The stage the run stopped in.
        stage: crate::Stage,
    },
    /// A recipient id asked about that is not in the cohort.
    #[error("no recipient with id {id:?}")]
    UnknownRecipient {
        /// The id asked about.
        id: String,
    },
    /// An edit of a [`Plan`](crate::Plan) that cannot be made, or whose cohort is
    /// invalid: the error, and which edit of the list (from 0) it came from.
    #[error("edit {edit}: {error}")]
    InEdit {
        /// Position of the edit in the list, from 0.
        edit: usize,
        /// What is wrong with it.
        error: Box<Error>,
    },
}
