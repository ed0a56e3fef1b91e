//! The closed sets' names: one spelling in JSON, in CSV cells and on screen.
//!
//! Every enum whose value a spreadsheet cell can hold ([`TrainingLevel`],
//! [`ContactMode`], [`Criterion`], [`HardRule`](crate::HardRule), [`Objective`],
//! [`ReasonKind`](crate::ReasonKind)) displays as its JSON name and parses from it with
//! [`FromStr`](std::str::FromStr). Parsing forgives what people type into cells:
//! surrounding white space, capitals, and spaces or hyphens for underscores
//! (`"In person"` is `in_person`). Anything else is a [`ParseNameError`] that lists the
//! names accepted.

use super::{ContactMode, Criterion, Objective, TrainingLevel};

/// A name that is not one of a closed set's, with the names that are.
///
/// ```
/// use peermatch::TrainingLevel;
/// let err = "expert".parse::<TrainingLevel>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "unknown training level \"expert\", expected one of: none, basic, certified, advanced"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}, expected one of: {}", expected.join(", "))]
#[non_exhaustive]
pub struct ParseNameError {
    /// What was being parsed, in words (`"training level"`).
    pub what: &'static str,
    /// The text given.
    pub value: String,
    /// Every accepted name.
    pub expected: Vec<&'static str>,
}

/// `text` as a name is compared: trimmed, lowercased, spaces and hyphens as
/// underscores (`" In person"` is `in_person`).
pub(crate) fn normalize(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The name `text` stands for, forgiving case, surrounding white space and spaces or
/// hyphens written for underscores.
pub(crate) fn parse<T: Copy>(
    text: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &'static str,
) -> Result<T, ParseNameError> {
    let wanted = normalize(text);
    all.iter()
        .copied()
        .find(|&t| name(t) == wanted)
        .ok_or_else(|| ParseNameError {
            what,
            value: text.to_owned(),
            expected: all.iter().map(|&t| name(t)).collect(),
        })
}

/// `Display` as the JSON name and `FromStr` from it, for a type with `ALL` and `name`.
macro_rules! named {
    ($type:ty, $what:literal) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $type {
            type Err = $crate::model::names::ParseNameError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::model::names::parse(text, &<$type>::ALL, <$type>::name, $what)
            }
        }
    };
}
pub(crate) use named;

named!(TrainingLevel, "training level");
named!(ContactMode, "contact mode");
named!(Criterion, "criterion");
named!(Objective, "objective");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HardRule, ReasonKind};

    fn round_trips<T>(all: &[T])
    where
        T: Copy + PartialEq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
        T::Err: std::fmt::Debug,
    {
        for &t in all {
            let name = t.to_string();
            assert_eq!(name.parse::<T>().unwrap(), t);
            assert_eq!(
                name.to_uppercase().replace('_', " ").parse::<T>().unwrap(),
                t
            );
            assert_eq!(
                format!("  {}\t", name.replace('_', "-"))
                    .parse::<T>()
                    .unwrap(),
                t
            );
            // The display name is the JSON name.
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert!("no such name".parse::<T>().is_err());
        assert!("".parse::<T>().is_err());
    }

    #[test]
    fn every_closed_set_parses_what_it_displays() {
        round_trips(&TrainingLevel::ALL);
        round_trips(&ContactMode::ALL);
        round_trips(&Criterion::ALL);
        round_trips(&Objective::ALL);
        round_trips(&HardRule::ALL);
        round_trips(&ReasonKind::ALL);
    }

    #[test]
    fn display_names_are_the_json_names() {
        for level in TrainingLevel::ALL {
            assert_eq!(
                serde_json::to_string(&level).unwrap(),
                format!("\"{level}\"")
            );
        }
        for mode in ContactMode::ALL {
            assert_eq!(serde_json::to_string(&mode).unwrap(), format!("\"{mode}\""));
        }
        for criterion in Criterion::ALL {
            assert_eq!(
                serde_json::to_string(&criterion).unwrap(),
                format!("\"{criterion}\"")
            );
        }
        for objective in Objective::ALL {
            assert_eq!(
                serde_json::to_string(&objective).unwrap(),
                format!("\"{objective}\"")
            );
        }
        for rule in HardRule::ALL {
            assert_eq!(serde_json::to_string(&rule).unwrap(), format!("\"{rule}\""));
        }
    }
}
