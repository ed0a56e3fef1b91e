//! Coordinator data in: cohorts from CSV sheets, as a spreadsheet exports them.
//!
//! Programmes keep their people in spreadsheets. A sheet is read into the same
//! [`Mentor`]s and [`Recipient`]s the JSON format describes and then validated by
//! [`Cohort::new`], so a sheet and a JSON file that say the same thing give the same
//! cohort and the same plan.
//!
//! # Layout
//! The first row names the columns; every later row is one person. Column names are
//! the JSON field names, forgiving case, surrounding spaces, and spaces or hyphens for
//! underscores (`Current load` is `current_load`). Two layouts:
//! - **one sheet** ([`Cohort::from_csv`]): a `role` column says `mentor` or `recipient`
//!   on each row;
//! - **one sheet per side** ([`Cohort::from_csv_sheets`]): no `role` column.
//!
//! Running pairs have a sheet of their own ([`Cohort::with_pairs_csv`]): one pair a
//! row, in columns `mentor`, `recipient`, `pinned`, `ended` and `override`.
//!
//! Every column is optional except `id` (and `capacity` on a mentor's row). A list
//! cell separates its entries with `;` (`en; pl`); a `priorities` cell holds
//! `criterion=multiplier` entries (`age=2; region=0.5`); `modes`, `training` and
//! `required_training` take the names of [`ContactMode`] and [`TrainingLevel`](crate::TrainingLevel). An
//! empty cell is the same as leaving the field out. A column that is not a field, or
//! a cell filled on the wrong side (`needs` on a mentor's row), is an error: a misspelt
//! `boundries` column silently ignored would put a mentor in a conversation they said
//! they were not ready for.
//!
//! # Names and notes
//! Optional `name` and `notes` columns are carried for coordinators' display only:
//! no rule and no score reads them, and a report leaves them out unless asked
//! ([`Matcher::names`](crate::Matcher::names)), so that the plan shared for review
//! holds no more personal data than it needs.
//!
//! # Errors
//! A cell that cannot be read is [`Error::SheetCell`], naming the sheet, the 1-based
//! sheet row (the header is row 1, as a spreadsheet numbers it) and the column. A
//! record that reads but fails validation (a duplicate id, a load above capacity) is
//! [`Error::InSheet`]: the validation error, with the sheet row it came from.

use std::collections::BTreeMap;

use super::names;
use super::{Cohort, ContactMode, Criterion, Limits, Mentor, Pair, Policy, Recipient};
use crate::error::{Error, Record, Result};

/// Which side a row is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Mentor,
    Recipient,
}

impl Role {
    const ALL: [Role; 2] = [Role::Mentor, Role::Recipient];

    fn name(self) -> &'static str {
        match self {
            Role::Mentor => "mentor",
            Role::Recipient => "recipient",
        }
    }
}

/// The sides a column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Both,
    Only(Role),
}

/// Every column the format defines, with the side it belongs to. `role` is the
/// one-sheet layout's own column.
const COLUMNS: [(&str, Side); 25] = [
    ("role", Side::Both),
    ("id", Side::Both),
    ("name", Side::Both),
    ("notes", Side::Both),
    ("conditions", Side::Both),
    ("experiences", Side::Both),
    ("interests", Side::Both),
    ("languages", Side::Both),
    ("age", Side::Both),
    ("gender", Side::Both),
    ("region", Side::Both),
    ("modes", Side::Both),
    ("availability", Side::Both),
    ("months_since_diagnosis", Side::Both),
    ("groups", Side::Both),
    ("exclude", Side::Both),
    ("training", Side::Only(Role::Mentor)),
    ("capacity", Side::Only(Role::Mentor)),
    ("current_load", Side::Only(Role::Mentor)),
    ("boundaries", Side::Only(Role::Mentor)),
    ("needs", Side::Only(Role::Recipient)),
    ("required_training", Side::Only(Role::Recipient)),
    ("urgency", Side::Only(Role::Recipient)),
    ("priorities", Side::Only(Role::Recipient)),
    ("mentor_gender", Side::Only(Role::Recipient)),
];

impl Cohort {
    /// A cohort from one CSV sheet with a `role` column (see the module docs for the
    /// layout), validated with `policy` as [`Cohort::new`] validates people built in
    /// code.
    ///
    /// ```
    /// use peermatch::{Cohort, Policy, match_cohort};
    ///
    /// let sheet = "\
    /// role,id,name,languages,conditions,experiences,capacity,needs,urgency
    /// mentor,m1,Mara,en,type 2 diabetes,insulin; shift work,2,,
    /// recipient,r1,Ines,en; pt,type 2 diabetes,shift work,,insulin,2
    /// ";
    /// let cohort = Cohort::from_csv(sheet, Policy::default())?;
    /// assert_eq!(cohort.mentors()[0].name.as_deref(), Some("Mara"));
    /// let report = match_cohort(&cohort);
    /// assert_eq!(report.match_of("r1").unwrap().mentor.as_str(), "m1");
    /// // Names are display data: the report leaves them out unless asked.
    /// assert!(!report.to_json().contains("Mara"));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::SheetCell`] for a cell, header or row that cannot be read,
    /// [`Error::InSheet`] for a record that fails validation, naming the sheet row.
    pub fn from_csv(sheet: &str, policy: Policy) -> Result<Cohort> {
        Cohort::from_csv_with_limits(sheet, policy, &Limits::default())
    }

    /// [`Cohort::from_csv`] under other [`Limits`] than the default ones.
    ///
    /// # Errors
    /// As [`Cohort::from_csv`].
    pub fn from_csv_with_limits(sheet: &str, policy: Policy, limits: &Limits) -> Result<Cohort> {
        let mut people = People::default();
        read_sheet("sheet", sheet, None, &mut people)?;
        people.into_cohort(policy, limits)
    }

    /// A cohort from two CSV sheets, one per side, without a `role` column (see the
    /// module docs for the layout).
    ///
    /// ```
    /// use peermatch::{Cohort, Policy};
    ///
    /// let mentors = "id,languages,conditions,experiences,capacity\nm1,en,copd,walking,1\n";
    /// let recipients = "id,languages,conditions,experiences\nr1,en,copd,walking\n";
    /// let cohort = Cohort::from_csv_sheets(mentors, recipients, Policy::default())?;
    /// assert_eq!((cohort.mentors().len(), cohort.recipients().len()), (1, 1));
    ///
    /// // Errors name the sheet, its 1-based row (the header is row 1) and the column.
    /// let bad = "id,languages,capacity\nm1,en,two\n";
    /// let err = Cohort::from_csv_sheets(bad, recipients, Policy::default()).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "mentors sheet, row 2, column `capacity`: expected a whole number from 0 to 4294967295, got \"two\""
    /// );
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Cohort::from_csv`].
    pub fn from_csv_sheets(mentors: &str, recipients: &str, policy: Policy) -> Result<Cohort> {
        let mut people = People::default();
        read_sheet("mentors sheet", mentors, Some(Role::Mentor), &mut people)?;
        read_sheet(
            "recipients sheet",
            recipients,
            Some(Role::Recipient),
            &mut people,
        )?;
        people.into_cohort(policy, &Limits::default())
    }
}

/// The columns of a pairs sheet ([`Cohort::with_pairs_csv`]).
const PAIR_COLUMNS: [&str; 5] = ["mentor", "recipient", "pinned", "ended", "override"];

impl Cohort {
    /// The cohort with the running pairs of a CSV sheet, one pair a row, as
    /// [`Cohort::with_pairs`] adds them (replacing any it had): columns `mentor` and
    /// `recipient` (ids, required), and optionally `pinned`, `ended` and `override`,
    /// each `yes`/`no` (or `true`/`false`, `1`/`0`; empty is no).
    ///
    /// ```
    /// use peermatch::{Cohort, MatchStatus, Policy, match_cohort};
    ///
    /// let people = "\
    /// role,id,languages,conditions,experiences,capacity
    /// mentor,m1,en,copd,walking; rehab,1
    /// mentor,m2,en,copd,walking,1
    /// recipient,r1,en,copd,walking; rehab,
    /// ";
    /// let pairs = "mentor,recipient,pinned\nm2,r1,yes\n";
    /// let cohort = Cohort::from_csv(people, Policy::default())?.with_pairs_csv(pairs)?;
    /// let report = match_cohort(&cohort);
    /// // r1 would score higher with m1, but the pinned running pair is kept.
    /// assert_eq!(report.match_of("r1").unwrap().status, MatchStatus::Kept);
    ///
    /// // Errors name the pairs sheet's row and column.
    /// let bad = "mentor,recipient,pinned\nm2,r1,maybe\n";
    /// let err = Cohort::from_csv(people, Policy::default())?.with_pairs_csv(bad).unwrap_err();
    /// assert_eq!(err.to_string(), "pairs sheet, row 2, column `pinned`: expected yes or no, got \"maybe\"");
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::SheetCell`] for a cell, header or row that cannot be read,
    /// [`Error::InSheet`] for a pair that fails validation (an unknown id, a recipient
    /// in two running pairs, contradictory flags), naming the sheet row.
    pub fn with_pairs_csv(self, sheet: &str) -> Result<Cohort> {
        const SHEET: &str = "pairs sheet";
        let column_of = |header: &str| {
            let wanted = names::normalize(header);
            PAIR_COLUMNS.into_iter().find(|&name| name == wanted)
        };
        let (mut pairs, mut rows) = (Vec::new(), Vec::new());
        read_rows(
            SHEET,
            sheet,
            column_of,
            &["mentor", "recipient"],
            |_, _| Ok(()),
            |at| {
                let id = |column: &str| {
                    at.text(column)
                        .ok_or_else(|| at.error(column, "is required and empty"))
                };
                pairs.push(Pair {
                    mentor: id("mentor")?.into(),
                    recipient: id("recipient")?.into(),
                    pinned: at.flag("pinned")?,
                    ended: at.flag("ended")?,
                    keep_despite_rules: at.flag("override")?,
                });
                rows.push(at.row);
                Ok(())
            },
        )?;
        self.with_pairs(pairs)
            .map_err(|error| match error.record() {
                Some(&Record::Pair { index }) => Error::InSheet {
                    sheet: SHEET,
                    row: rows[index],
                    error: Box::new(error),
                },
                _ => error,
            })
    }
}

/// The people read so far, each with the sheet and row it came from.
#[derive(Default)]
struct People {
    mentors: Vec<Mentor>,
    mentor_rows: Vec<(&'static str, usize)>,
    recipients: Vec<Recipient>,
    recipient_rows: Vec<(&'static str, usize)>,
}

impl People {
    /// Validates the people; a record's error is given the sheet row it came from.
    fn into_cohort(self, policy: Policy, limits: &Limits) -> Result<Cohort> {
        let (mentor_rows, recipient_rows) = (self.mentor_rows, self.recipient_rows);
        Cohort::new_with_limits(self.mentors, self.recipients, policy, limits).map_err(|error| {
            let at = match error.record() {
                Some(Record::Mentor { index, .. }) => mentor_rows.get(*index),
                Some(Record::Recipient { index, .. }) => recipient_rows.get(*index),
                _ => None,
            };
            match at {
                Some(&(sheet, row)) => Error::InSheet {
                    sheet,
                    row,
                    error: Box::new(error),
                },
                None => error,
            }
        })
    }
}

/// One row being read: where it is, and its cells by column.
struct Row<'a> {
    sheet: &'static str,
    /// 1-based sheet row.
    row: usize,
    cells: &'a csv::StringRecord,
    /// Column name → position, for the columns the header has.
    columns: &'a BTreeMap<&'static str, usize>,
}

impl Row<'_> {
    fn error(&self, column: &str, message: impl Into<String>) -> Error {
        Error::SheetCell {
            sheet: self.sheet,
            row: self.row,
            column: column.to_owned(),
            message: message.into(),
        }
    }

    /// The cell of `column`, trimmed, or `None` when the column is absent or the cell
    /// empty.
    fn cell(&self, column: &str) -> Option<&str> {
        let &at = self.columns.get(column)?;
        let text = self.cells.get(at)?.trim();
        (!text.is_empty()).then_some(text)
    }

    fn text(&self, column: &str) -> Option<String> {
        self.cell(column).map(str::to_owned)
    }

    /// A yes/no cell (`yes`, `true`, `1` or `no`, `false`, `0`, any case); empty is no.
    fn flag(&self, column: &str) -> Result<bool> {
        let Some(text) = self.cell(column) else {
            return Ok(false);
        };
        match text.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(self.error(column, format!("expected yes or no, got {text:?}"))),
        }
    }

    /// A list cell: entries separated by `;`, trimmed, empty ones dropped.
    fn list<T: From<String>>(&self, column: &str) -> Vec<T> {
        self.cell(column).map_or_else(Vec::new, |text| {
            text.split(';')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| T::from(t.to_owned()))
                .collect()
        })
    }

    fn number<T: std::str::FromStr + std::fmt::Display>(
        &self,
        column: &str,
        range: (T, T),
    ) -> Result<Option<T>> {
        let Some(text) = self.cell(column) else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|_| {
            self.error(
                column,
                format!(
                    "expected a whole number from {} to {}, got {text:?}",
                    range.0, range.1
                ),
            )
        })
    }

    fn named<T: std::str::FromStr<Err = names::ParseNameError>>(
        &self,
        column: &str,
    ) -> Result<Option<T>> {
        self.cell(column)
            .map(|text| {
                text.parse()
                    .map_err(|e: names::ParseNameError| self.error(column, e.to_string()))
            })
            .transpose()
    }

    fn modes(&self) -> Result<Vec<ContactMode>> {
        self.list::<String>("modes")
            .iter()
            .map(|m| {
                m.parse()
                    .map_err(|e: names::ParseNameError| self.error("modes", e.to_string()))
            })
            .collect()
    }

    fn priorities(&self) -> Result<BTreeMap<Criterion, f64>> {
        let mut out = BTreeMap::new();
        for entry in self.list::<String>("priorities") {
            let bad = || {
                self.error(
                    "priorities",
                    format!(
                        "expected `criterion=multiplier` entries separated by `;`, got {entry:?}"
                    ),
                )
            };
            let (criterion, value) = entry.split_once('=').ok_or_else(bad)?;
            let criterion: Criterion = criterion
                .parse()
                .map_err(|e: names::ParseNameError| self.error("priorities", e.to_string()))?;
            let value: f64 = value.trim().parse().map_err(|_| bad())?;
            if out.insert(criterion, value).is_some() {
                return Err(self.error("priorities", format!("{criterion} is given twice")));
            }
        }
        Ok(out)
    }

    /// Errors when a column of the other side holds a value on this row.
    fn other_side_empty(&self, role: Role) -> Result<()> {
        for (column, side) in COLUMNS {
            if let Side::Only(only) = side
                && only != role
                && self.cell(column).is_some()
            {
                return Err(self.error(
                    column,
                    format!(
                        "is a {} field, and this row is a {}",
                        only.name(),
                        role.name()
                    ),
                ));
            }
        }
        Ok(())
    }

    fn mentor(&self) -> Result<Mentor> {
        self.other_side_empty(Role::Mentor)?;
        let capacity = self
            .number("capacity", (0, u32::MAX))?
            .ok_or_else(|| self.error("capacity", "a mentor's capacity is required"))?;
        Ok(Mentor {
            id: self.text("id").unwrap_or_default().into(),
            name: self.text("name"),
            notes: self.text("notes"),
            conditions: self.list("conditions"),
            experiences: self.list("experiences"),
            interests: self.list("interests"),
            languages: self.list("languages"),
            age: self.number("age", (0, u32::MAX))?,
            gender: self.text("gender"),
            region: self.text("region"),
            modes: self.modes()?,
            availability: self.list("availability"),
            months_since_diagnosis: self.number("months_since_diagnosis", (0, u32::MAX))?,
            groups: self.list("groups"),
            training: self.named("training")?.unwrap_or_default(),
            capacity,
            current_load: self.number("current_load", (0, u32::MAX))?.unwrap_or(0),
            boundaries: self.list("boundaries"),
            exclude: self.list("exclude"),
        })
    }

    fn recipient(&self) -> Result<Recipient> {
        self.other_side_empty(Role::Recipient)?;
        Ok(Recipient {
            id: self.text("id").unwrap_or_default().into(),
            name: self.text("name"),
            notes: self.text("notes"),
            conditions: self.list("conditions"),
            experiences: self.list("experiences"),
            interests: self.list("interests"),
            languages: self.list("languages"),
            age: self.number("age", (0, u32::MAX))?,
            gender: self.text("gender"),
            region: self.text("region"),
            modes: self.modes()?,
            availability: self.list("availability"),
            months_since_diagnosis: self.number("months_since_diagnosis", (0, u32::MAX))?,
            groups: self.list("groups"),
            needs: self.list("needs"),
            required_training: self.named("required_training")?.unwrap_or_default(),
            urgency: self.number("urgency", (0, u8::MAX))?.unwrap_or(0),
            priorities: self.priorities()?,
            mentor_gender: self.list("mentor_gender"),
            exclude: self.list("exclude"),
        })
    }
}

/// The column a header cell names, forgiving case, spaces and hyphens.
fn column_of(header: &str) -> Option<&'static str> {
    let wanted = names::normalize(header);
    COLUMNS
        .iter()
        .map(|&(name, _)| name)
        .find(|&name| name == wanted)
}

/// Reads one sheet into `people`; `role` is the sheet's side, or `None` for a sheet
/// with a `role` column.
fn read_sheet(
    sheet: &'static str,
    text: &str,
    role: Option<Role>,
    people: &mut People,
) -> Result<()> {
    let required: &[&str] = match role {
        None => &["id", "role"],
        Some(_) => &["id"],
    };
    read_rows(
        sheet,
        text,
        column_of,
        required,
        |columns, error| {
            if role.is_some() && columns.contains_key("role") {
                return Err(error(
                    "role",
                    "is for a sheet holding both sides; this sheet holds one",
                ));
            }
            Ok(())
        },
        |at| {
            let role = match role {
                Some(role) => role,
                None => {
                    let given = at.cell("role").unwrap_or("");
                    names::parse(given, &Role::ALL, Role::name, "role")
                        .map_err(|e| at.error("role", e.to_string()))?
                }
            };
            match role {
                Role::Mentor => {
                    people.mentors.push(at.mentor()?);
                    people.mentor_rows.push((at.sheet, at.row));
                }
                Role::Recipient => {
                    people.recipients.push(at.recipient()?);
                    people.recipient_rows.push((at.sheet, at.row));
                }
            }
            Ok(())
        },
    )
}

/// Reads the rows of one sheet: the header's columns resolved by `column_of` (an
/// unknown or repeated column, or a `required` one missing, is an error on row 1; then
/// `check_header` sees the columns), then `each` row that has a filled cell, with its
/// 1-based sheet row.
fn read_rows(
    sheet: &'static str,
    text: &str,
    column_of: impl Fn(&str) -> Option<&'static str>,
    required: &[&str],
    check_header: impl FnOnce(
        &BTreeMap<&'static str, usize>,
        &dyn Fn(&str, &str) -> Error,
    ) -> Result<()>,
    mut each: impl FnMut(&Row<'_>) -> Result<()>,
) -> Result<()> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let row_error = |row: usize, column: &str, message: String| Error::SheetCell {
        sheet,
        row,
        column: column.to_owned(),
        message,
    };
    let header = reader
        .headers()
        .map_err(|e| row_error(1, "", csv_message(&e)))?
        .clone();
    let mut columns = BTreeMap::new();
    for (at, cell) in header.iter().enumerate() {
        let Some(column) = column_of(cell) else {
            return Err(row_error(
                1,
                cell.trim(),
                "is not a column of the format".into(),
            ));
        };
        if columns.insert(column, at).is_some() {
            return Err(row_error(1, column, "appears twice".into()));
        }
    }
    for &column in required {
        if !columns.contains_key(column) {
            return Err(row_error(1, column, "is required and missing".into()));
        }
    }
    check_header(&columns, &|column, message| {
        row_error(1, column, message.into())
    })?;
    // Sheet rows are counted as a spreadsheet shows them: a blank line is a row (the
    // reader skips it, but its line counts), a cell holding line breaks is not more
    // than one (its breaks are taken off the line count).
    let breaks = |record: &csv::StringRecord| -> usize {
        record.iter().map(|cell| cell.matches('\n').count()).sum()
    };
    let mut breaks_before = breaks(&header);
    let mut cells = csv::StringRecord::new();
    let mut last_row = 1;
    loop {
        match reader.read_record(&mut cells) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(row_error(last_row + 1, "", csv_message(&e))),
        }
        // A record's position is where the reader began looking for it, before the
        // blank lines it skipped.
        let line = cells.position().map_or(last_row + 1, |p| {
            let skipped = text
                .as_bytes()
                .get(p.byte() as usize..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .filter(|&&b| b == b'\n')
                .count();
            p.line() as usize + skipped
        });
        let row = line.saturating_sub(breaks_before).max(last_row + 1);
        breaks_before += breaks(&cells);
        last_row = row;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue; // a row of empty cells between blocks of records
        }
        if cells.len() > header.len() {
            return Err(row_error(
                row,
                "",
                format!(
                    "has {} cells, the header names {} columns",
                    cells.len(),
                    header.len()
                ),
            ));
        }
        each(&Row {
            sheet,
            row,
            cells: &cells,
            columns: &columns,
        })?;
    }
    Ok(())
}

/// A CSV reader's error in words, without its position (the caller names the row).
fn csv_message(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_owned(),
        _ => format!("cannot be read as CSV: {error}"),
    }
}
