//! The plan as sheets and as a document, for coordinators who review it outside code.
//!
//! [`MatchReport::to_csv`] gives four CSV tables (pairs, unmatched, mentor loads,
//! warnings) that open in any spreadsheet; [`MatchReport::to_markdown`] gives one
//! document with the notice, the totals and the same tables. Both are deterministic
//! and built from the report alone, so they carry display names only when the report
//! does (it was asked for names): data minimisation holds for exports too.
//!
//! Text cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) are written with a leading `'`, the usual guard
//! against CSV formula injection: ids and names come from whoever filled in the sheet.

use std::collections::BTreeMap;

use super::{Match, MatchReport, MatchStatus, Reason, Warning, WarningKind};
use crate::rules::HardRule;

/// The plan as four CSV tables ([`MatchReport::to_csv`]), each with a header row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PlanSheets {
    /// One row per pair: `recipient, mentor, status, score, slot_cost, urgency,
    /// top_reasons` (the criteria that add most, `;`-separated, as `name contribution`),
    /// with `recipient_name` and `mentor_name` after the ids when the report has names.
    pub pairs: String,
    /// One row per unmatched recipient: `recipient, reason` (its JSON name),
    /// `eligible_mentors`, `explanation` (the reason in words).
    pub unmatched: String,
    /// One row per mentor: `mentor, current_load, kept, assigned, capacity, room_left`.
    pub mentors: String,
    /// One row per warning: `kind, recipient, mentor, failed_rules` (`;`-separated).
    pub warnings: String,
}

impl PlanSheets {
    /// The tables with the file names the demo writes them under (`pairs.csv`,
    /// `unmatched.csv`, `mentors.csv`, `warnings.csv`).
    pub fn files(&self) -> [(&'static str, &str); 4] {
        [
            ("pairs.csv", &self.pairs),
            ("unmatched.csv", &self.unmatched),
            ("mentors.csv", &self.mentors),
            ("warnings.csv", &self.warnings),
        ]
    }
}

impl Reason {
    /// The reason in words, for a person reading the plan.
    ///
    /// ```
    /// use peermatch::Reason;
    /// let full = Reason::MentorsFull { eligible_mentors: 3 };
    /// assert_eq!(
    ///     full.describe(),
    ///     "mentors full: 3 eligible mentor(s), their places went to others"
    /// );
    /// ```
    pub fn describe(&self) -> String {
        match self {
            Reason::NoEligibleMentor { failed_rules } => describe_failed(failed_rules),
            Reason::MentorsFull { eligible_mentors } => format!(
                "mentors full: {eligible_mentors} eligible mentor(s), their places went to others"
            ),
            Reason::NotWorthLoad { eligible_mentors } => format!(
                "not worth the load: {eligible_mentors} eligible mentor(s), \
                 no pair outweighs its slot cost"
            ),
        }
    }

    fn eligible_mentors(&self) -> u32 {
        match self {
            Reason::NoEligibleMentor { .. } => 0,
            Reason::MentorsFull { eligible_mentors }
            | Reason::NotWorthLoad { eligible_mentors } => *eligible_mentors,
        }
    }
}

/// The rules that ruled mentors out, most mentors first (ties in rule order).
fn describe_failed(failed_rules: &BTreeMap<HardRule, u32>) -> String {
    let mut rules: Vec<(HardRule, u32)> = failed_rules
        .iter()
        .filter(|&(_, &n)| n > 0)
        .map(|(&r, &n)| (r, n))
        .collect();
    if rules.is_empty() {
        return "no eligible mentor: there are no mentors".to_owned();
    }
    rules.sort_by_key(|&(rule, n)| (std::cmp::Reverse(n), rule));
    let list: Vec<String> = rules.iter().map(|(r, n)| format!("{r} {n}")).collect();
    format!(
        "no eligible mentor; mentors failing each rule: {}",
        list.join(", ")
    )
}

impl WarningKind {
    /// What the warning means, in words.
    fn describe(self) -> &'static str {
        match self {
            WarningKind::KeptDespiteRules => "kept by override, although it breaks",
            WarningKind::PinnedNotKept => "pinned but not kept: it breaks",
            WarningKind::RunningNotKept => "not kept: it breaks",
            WarningKind::SharedId => "one person on both sides (the same id), never paired:",
            WarningKind::CrossCondition => "a cross-condition pair: shares consequences, not",
        }
    }

    fn name(self) -> &'static str {
        match self {
            WarningKind::KeptDespiteRules => "kept_despite_rules",
            WarningKind::PinnedNotKept => "pinned_not_kept",
            WarningKind::RunningNotKept => "running_not_kept",
            WarningKind::SharedId => "shared_id",
            WarningKind::CrossCondition => "cross_condition",
        }
    }
}

impl Warning {
    /// The warning in words: `recipient <- mentor: what happened, and the rules`.
    ///
    /// ```
    /// use peermatch::Cohort;
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "7", "capacity": 1, "languages": ["en"]}],
    ///   "recipients": [{"id": "7", "languages": ["en"]}]
    /// }"#)?;
    /// let report = peermatch::match_cohort(&cohort);
    /// assert_eq!(
    ///     report.warnings[0].describe(),
    ///     "7 <- 7: one person on both sides (the same id), never paired: self"
    /// );
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn describe(&self) -> String {
        format!(
            "{} <- {}: {} {}",
            self.recipient,
            self.mentor,
            self.kind.describe(),
            rule_list(&self.failed_rules, ", ")
        )
    }
}

fn rule_list(rules: &[HardRule], separator: &str) -> String {
    let names: Vec<&str> = rules.iter().map(|r| r.name()).collect();
    names.join(separator)
}

fn status_name(status: MatchStatus) -> &'static str {
    match status {
        MatchStatus::New => "new",
        MatchStatus::Kept => "kept",
        MatchStatus::Reassigned => "reassigned",
    }
}

/// The criteria that add most to a pair, as `name contribution`.
fn top_reasons(m: &Match, separator: &str) -> String {
    let parts: Vec<String> = m
        .top_reasons()
        .iter()
        .take(3)
        .map(|p| format!("{} {}", p.criterion.name(), p.contribution))
        .collect();
    parts.join(separator)
}

/// A text cell a spreadsheet will show as text, never run as a formula.
fn text_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// One CSV table written in memory.
struct Table(csv::Writer<Vec<u8>>);

impl Table {
    fn new(header: &[&str]) -> Table {
        let mut table = Table(csv::Writer::from_writer(Vec::new()));
        table.row(header.iter().map(|s| s.to_string()));
        table
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.0
            .write_record(cells.into_iter().collect::<Vec<_>>())
            .expect("writing to memory cannot fail");
    }

    fn finish(self) -> String {
        let bytes = self.0.into_inner().expect("writing to memory cannot fail");
        String::from_utf8(bytes).expect("every cell is a Rust string")
    }
}

impl MatchReport {
    /// The plan as CSV tables: pairs with their top reasons, the unmatched with the
    /// reason in words, mentor loads, and warnings. Name columns appear only when the
    /// report carries names ([`Matcher::names`](crate::Matcher::names)).
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab"]},
    ///                  {"id": "r2", "languages": ["pl"], "conditions": ["copd"]}]
    /// }"#)?;
    /// let sheets = match_cohort(&cohort).to_csv();
    /// assert_eq!(
    ///     sheets.pairs,
    ///     "recipient,mentor,status,score,slot_cost,urgency,top_reasons\n\
    ///      r1,m1,new,1,0,0,experiences 0.6; condition 0.2; training_fit 0.2\n"
    /// );
    /// assert!(sheets.unmatched.contains("r2,no_eligible_mentor,0,"));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn to_csv(&self) -> PlanSheets {
        let names = self.has_names();
        let name = |n: &Option<String>| text_cell(n.as_deref().unwrap_or("")).into_owned();

        let mut header = vec!["recipient"];
        header.extend(names.then_some("recipient_name"));
        header.push("mentor");
        header.extend(names.then_some("mentor_name"));
        header.extend(["status", "score", "slot_cost", "urgency", "top_reasons"]);
        let mut pairs = Table::new(&header);
        for m in &self.matches {
            let mut row = vec![text_cell(m.recipient.as_str()).into_owned()];
            row.extend(names.then(|| name(&m.recipient_name)));
            row.push(text_cell(m.mentor.as_str()).into_owned());
            row.extend(names.then(|| name(&m.mentor_name)));
            row.extend([
                status_name(m.status).to_owned(),
                m.score.to_string(),
                m.slot_cost.to_string(),
                m.urgency.to_string(),
                top_reasons(m, "; "),
            ]);
            pairs.row(row);
        }

        let mut header = vec!["recipient"];
        header.extend(names.then_some("recipient_name"));
        header.extend(["reason", "eligible_mentors", "explanation"]);
        let mut unmatched = Table::new(&header);
        for u in &self.unmatched {
            let mut row = vec![text_cell(u.recipient.as_str()).into_owned()];
            row.extend(names.then(|| name(&u.recipient_name)));
            row.extend([
                u.reason.kind().name().to_owned(),
                u.reason.eligible_mentors().to_string(),
                u.reason.describe(),
            ]);
            unmatched.row(row);
        }

        let mut header = vec!["mentor"];
        header.extend(names.then_some("mentor_name"));
        header.extend(["current_load", "kept", "assigned", "capacity", "room_left"]);
        let mut mentors = Table::new(&header);
        for l in &self.mentors {
            let mut row = vec![text_cell(l.mentor.as_str()).into_owned()];
            row.extend(names.then(|| name(&l.mentor_name)));
            row.extend(
                [
                    l.current_load,
                    l.kept,
                    l.assigned,
                    l.capacity,
                    l.room_left(),
                ]
                .map(|n| n.to_string()),
            );
            mentors.row(row);
        }

        let mut warnings = Table::new(&["kind", "recipient", "mentor", "failed_rules"]);
        for w in &self.warnings {
            warnings.row([
                w.kind.name().to_owned(),
                text_cell(w.recipient.as_str()).into_owned(),
                text_cell(w.mentor.as_str()).into_owned(),
                rule_list(&w.failed_rules, "; "),
            ]);
        }

        PlanSheets {
            pairs: pairs.finish(),
            unmatched: unmatched.finish(),
            mentors: mentors.finish(),
            warnings: warnings.finish(),
        }
    }

    /// The plan as one Markdown document: the notice, the totals, the pairs with their
    /// top reasons, the warnings, the unmatched with the reason in words, and mentor
    /// loads. Names appear only when the report carries them.
    ///
    /// ```
    /// use peermatch::{Cohort, match_cohort};
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "interests": ["chess"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "interests": ["chess"]}]
    /// }"#)?;
    /// let plan = match_cohort(&cohort).to_markdown();
    /// assert!(plan.starts_with("# Proposed plan\n\n> A proposal for review"));
    /// assert!(plan.contains("| r1 | m1 | 1 | new | condition 0.333334, interests 0.333333,"));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn to_markdown(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let s = &self.summary;
        let score = |x: Option<f64>| x.map_or("–".to_owned(), |v| format!("{v:.3}"));
        let label = |id: &str, name: &Option<String>| match name {
            Some(name) => format!("{} ({})", md(id), md(name)),
            None => md(id),
        };
        // Writing to a String cannot fail.
        let _ = writeln!(out, "# Proposed plan\n\n> {}\n", self.notice);
        let _ = writeln!(
            out,
            "- Objective: {}\n- Matched: {} of {} recipients ({} of them at urgency 3)\n\
             - Mean score {}, lowest {}\n- Running pairs kept: {}; recipients given a new \
             mentor: {}\n- Mentors with room left idle: {}; largest load: {}\n\
             - Certified optimal: {}\n",
            s.objective,
            s.matched,
            s.recipients,
            s.matched_by_urgency[3],
            score(s.mean_score),
            score(s.min_score),
            s.kept,
            s.reassigned,
            s.idle_mentors,
            s.max_load,
            if self.solve.certified { "yes" } else { "no" }
        );

        let _ = writeln!(out, "## Pairs\n");
        if self.matches.is_empty() {
            let _ = writeln!(out, "None.\n");
        } else {
            let _ = writeln!(
                out,
                "| Recipient | Mentor | Score | Status | Top reasons |\n|---|---|---:|---|---|"
            );
            for m in &self.matches {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    label(m.recipient.as_str(), &m.recipient_name),
                    label(m.mentor.as_str(), &m.mentor_name),
                    m.score,
                    status_name(m.status),
                    top_reasons(m, ", ")
                );
            }
            out.push('\n');
        }

        if !self.warnings.is_empty() {
            let _ = writeln!(out, "## Warnings\n");
            for w in &self.warnings {
                let _ = writeln!(out, "- {}", md(&w.describe()));
            }
            out.push('\n');
        }

        let _ = writeln!(out, "## Unmatched\n");
        if self.unmatched.is_empty() {
            let _ = writeln!(out, "Nobody.\n");
        } else {
            let _ = writeln!(out, "| Recipient | Why |\n|---|---|");
            for u in &self.unmatched {
                let _ = writeln!(
                    out,
                    "| {} | {} |",
                    label(u.recipient.as_str(), &u.recipient_name),
                    u.reason.describe()
                );
            }
            out.push('\n');
        }

        let _ = writeln!(out, "## Mentor loads\n");
        if self.mentors.is_empty() {
            let _ = writeln!(out, "No mentors.");
        } else {
            let _ = writeln!(
                out,
                "| Mentor | Current | Kept | New | Capacity | Room left |\n\
                 |---|---:|---:|---:|---:|---:|"
            );
            for l in &self.mentors {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} |",
                    label(l.mentor.as_str(), &l.mentor_name),
                    l.current_load,
                    l.kept,
                    l.assigned,
                    l.capacity,
                    l.room_left()
                );
            }
        }
        out
    }

    /// Whether any person in the report carries a display name.
    fn has_names(&self) -> bool {
        self.matches
            .iter()
            .any(|m| m.recipient_name.is_some() || m.mentor_name.is_some())
            || self.unmatched.iter().any(|u| u.recipient_name.is_some())
            || self.mentors.iter().any(|l| l.mentor_name.is_some())
    }
}

/// Text safe inside a Markdown table cell: pipes and markup characters escaped, line
/// breaks as spaces.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cohort, Matcher};

    fn cohort() -> Cohort {
        Cohort::from_json(
            r#"{
              "mentors": [
                {"id": "m1", "name": "Ann | B", "capacity": 1, "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]},
                {"id": "=cmd", "capacity": 1, "languages": ["pl"], "conditions": ["ms"], "experiences": ["rehab"]}
              ],
              "recipients": [
                {"id": "r1", "name": "Bo, \"Jr\"", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]},
                {"id": "r2", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]},
                {"id": "r3", "languages": ["de"], "conditions": ["copd"]}
              ]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn csv_round_trips_through_a_reader_and_guards_formulas() {
        let report = Matcher::new().names(true).run(&cohort());
        let sheets = report.to_csv();
        let read = |text: &str| -> Vec<Vec<String>> {
            csv::Reader::from_reader(text.as_bytes())
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect()
        };
        let pairs = read(&sheets.pairs);
        assert_eq!(pairs.len(), report.matches.len());
        assert_eq!(pairs[0][..4], ["r1", "Bo, \"Jr\"", "m1", "Ann | B"]);
        let unmatched = read(&sheets.unmatched);
        assert_eq!(unmatched.len(), report.unmatched.len());
        let r3 = unmatched.iter().find(|row| row[0] == "r3").unwrap();
        assert_eq!(r3[2], "no_eligible_mentor");
        assert_eq!(r3[4], report.unmatched_reason("r3").unwrap().describe());
        let r2 = unmatched.iter().find(|row| row[0] == "r2").unwrap();
        assert_eq!(r2[2..4], ["mentors_full", "1"]);
        let mentors = read(&sheets.mentors);
        assert_eq!(mentors.len(), 2);
        assert_eq!(mentors[1][0], "'=cmd");
        assert_eq!(mentors[0][2..], ["0", "0", "1", "1", "0"]);
        assert_eq!(read(&sheets.warnings).len(), 0);
    }

    #[test]
    fn csv_leaves_names_out_unless_the_report_has_them() {
        let sheets = Matcher::new().run(&cohort()).to_csv();
        assert!(!sheets.pairs.contains("name"));
        assert!(!sheets.pairs.contains("Ann"));
        assert!(!sheets.mentors.contains("name"));
        let named = Matcher::new().names(true).run(&cohort()).to_csv();
        assert!(
            named
                .pairs
                .starts_with("recipient,recipient_name,mentor,mentor_name,")
        );
    }

    #[test]
    fn markdown_escapes_cells_and_lists_everybody() {
        let report = Matcher::new().names(true).run(&cohort());
        let plan = report.to_markdown();
        assert!(plan.contains("Ann \\| B"));
        assert!(plan.contains("\\=cmd") || plan.contains("=cmd"));
        for u in &report.unmatched {
            assert!(plan.contains(&u.reason.describe()));
        }
        // Every table row has as many cells as its header.
        for line in plan.lines().filter(|l| l.starts_with('|')) {
            let cells = line.replace("\\|", "").matches('|').count();
            assert!(cells == 6 || cells == 3 || cells == 7, "{line}");
        }
    }

    #[test]
    fn reasons_in_words_name_the_rules_most_mentors_fail() {
        let mut failed = BTreeMap::new();
        for rule in HardRule::ALL {
            failed.insert(rule, 0);
        }
        assert_eq!(
            Reason::NoEligibleMentor {
                failed_rules: failed.clone()
            }
            .describe(),
            "no eligible mentor: there are no mentors"
        );
        failed.insert(HardRule::Language, 2);
        failed.insert(HardRule::Capacity, 5);
        assert_eq!(
            Reason::NoEligibleMentor {
                failed_rules: failed
            }
            .describe(),
            "no eligible mentor; mentors failing each rule: capacity 5, language 2"
        );
    }
}
