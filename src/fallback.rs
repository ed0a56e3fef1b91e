//! The cross-condition fallback: a mentor who shares the consequences, not the
//! diagnosis, for someone no same-condition mentor can take.
//!
//! With `policy.cross_condition_fallback` (and `require_shared_condition`), the plan is
//! first made exactly as without the option. Then the recipients it leaves with no
//! eligible mentor at all are offered, in a second exact solve over the places still
//! open, the mentors who pass every hard rule but the shared condition and share a
//! consequence with them: an experience, or a need the mentor has lived through. The
//! first plan is untouched, so a fallback pair never takes a place a same-condition
//! pair would have had and is never preferred over one; each is flagged on the match
//! (`cross_condition`) and listed as a warning.

use crate::error::Result;
use crate::matcher::Matcher;
use crate::model::{Cohort, Limits, MAX_PEOPLE, Mentor, Recipient};
use crate::report::{MatchReport, MatchStatus, Reason, Warning, WarningKind, summarise};
use crate::rules::{self, HardRule};
use crate::scoring;

/// Whether the two share a consequence of their conditions: an experience, or a need
/// of the recipient's among the mentor's experiences.
fn shares_consequences(mentor: &Mentor, recipient: &Recipient) -> bool {
    let lived = |tag: &String| mentor.experiences.contains(tag);
    recipient.experiences.iter().any(lived) || recipient.needs.iter().any(lived)
}

/// Adds the fallback pairs to `report`, the plan of `cohort` by `matcher` (see the
/// module docs). Does nothing unless the policy asks for it.
pub(crate) fn apply(
    matcher: &Matcher,
    cohort: &Cohort,
    report: &mut MatchReport,
    cancellable: bool,
) -> Result<()> {
    let policy = cohort.policy();
    if !(policy.cross_condition_fallback && policy.require_shared_condition) {
        return Ok(());
    }
    let (mentors, recipients) = (cohort.mentors(), cohort.recipients());
    // Places still open after the first plan.
    let room = room_left(cohort, report);
    let waiting: Vec<usize> = report
        .unmatched
        .iter()
        .filter(|u| matches!(u.reason, Reason::NoEligibleMentor { .. }))
        .filter_map(|u| cohort.recipient_position(u.recipient.as_str()))
        .collect();
    let only_condition = {
        let mut set = rules::RuleSet::default();
        set.insert(HardRule::Condition);
        set
    };
    // Per waiting recipient, the mentors of the fallback.
    let options: Vec<Vec<usize>> = waiting
        .iter()
        .map(|&r| {
            (0..mentors.len())
                .filter(|&m| room[m] > 0 && shares_consequences(&mentors[m], &recipients[r]))
                .filter(|&m| {
                    let score = scoring::score_micro(policy, &mentors[m], &recipients[r]);
                    let mut failed = rules::check(cohort, m, r, score);
                    failed.remove(HardRule::Capacity);
                    failed == only_condition
                })
                .collect()
        })
        .collect();
    if options.iter().all(Vec::is_empty) {
        return Ok(());
    }

    // The second solve: the waiting recipients against the open places, each offered
    // only their fallback mentors (everyone else excluded), no condition required.
    let waiting_ids: std::collections::BTreeSet<&str> =
        waiting.iter().map(|&r| recipients[r].id.as_str()).collect();
    let stage_mentors: Vec<Mentor> = mentors
        .iter()
        .zip(&room)
        .zip(&report.mentors)
        .map(|((m, &open), load)| {
            let mut m = Mentor::clone(m);
            // Slots continue the mentor's own sequence of places.
            m.current_load = m
                .current_load
                .saturating_add(load.kept)
                .saturating_add(load.assigned);
            m.capacity = m.current_load.saturating_add(open);
            m.exclude.retain(|id| waiting_ids.contains(id.as_str()));
            m
        })
        .collect();
    let stage_recipients: Vec<Recipient> = waiting
        .iter()
        .zip(&options)
        .map(|(&r, options)| {
            let mut person = recipients[r].clone();
            person.exclude.extend(
                (0..mentors.len())
                    .filter(|m| !options.contains(m))
                    .map(|m| mentors[m].id.clone()),
            );
            person.exclude.sort();
            person.exclude.dedup();
            person
        })
        .collect();
    let mut stage_policy = policy.clone();
    stage_policy.require_shared_condition = false;
    stage_policy.cross_condition_fallback = false;
    stage_policy.max_new_load = None;
    stage_policy.min_new_load = 0;
    // The cohort was validated already; only exclusion lists grew.
    let limits = Limits::default()
        .with_people(MAX_PEOPLE)
        .with_tags_per_list(usize::MAX)
        .with_tag_bytes(usize::MAX);
    let stage = Cohort::new_with_limits(stage_mentors, stage_recipients, stage_policy, &limits)
        .expect("a validated cohort's people stay valid with longer exclusion lists");
    let (second, _) = matcher.execute(&stage, cancellable)?;
    merge(cohort, report, second);
    Ok(())
}

/// Places still open at each mentor after the plan in `report`, under capacity and
/// `max_new_load`.
fn room_left(cohort: &Cohort, report: &MatchReport) -> Vec<u32> {
    let policy = cohort.policy();
    cohort
        .mentors()
        .iter()
        .zip(&report.mentors)
        .map(|(m, load)| {
            let free = m
                .capacity
                .saturating_sub(m.current_load)
                .saturating_sub(load.kept)
                .saturating_sub(load.assigned);
            let cap = policy
                .max_new_load
                .map_or(u32::MAX, |c| c.saturating_sub(load.assigned));
            free.min(cap)
        })
        .collect()
}

/// A recipient left out as not worth the load had an eligible mentor with room; when
/// the fallback has since filled every such place, the reason is that the mentors are
/// full.
fn full_now(cohort: &Cohort, report: &mut MatchReport) {
    let room = room_left(cohort, report);
    let (mentors, policy) = (cohort.mentors(), cohort.policy());
    for u in &mut report.unmatched {
        let Reason::NotWorthLoad { eligible_mentors } = u.reason else {
            continue;
        };
        let Some(r) = cohort.recipient_position(u.recipient.as_str()) else {
            continue;
        };
        let recipient = &cohort.recipients()[r];
        let open = (0..mentors.len()).any(|m| {
            room[m] > 0 && {
                let score = scoring::score_micro(policy, &mentors[m], recipient);
                rules::check(cohort, m, r, score).is_empty()
            }
        });
        if !open {
            u.reason = Reason::MentorsFull { eligible_mentors };
        }
    }
}

/// Puts the second solve's pairs into `report`, in recipient input order.
fn merge(cohort: &Cohort, report: &mut MatchReport, second: MatchReport) {
    let position = |id: &str| cohort.mentor_position(id).expect("a cohort mentor");
    let lost: std::collections::BTreeSet<&str> = report
        .warnings
        .iter()
        .filter(|w| {
            matches!(
                w.kind,
                WarningKind::PinnedNotKept | WarningKind::RunningNotKept
            )
        })
        .map(|w| w.recipient.as_str())
        .collect();
    let mut added = std::collections::BTreeMap::new();
    let mut warnings = Vec::new();
    for mut m in second.matches {
        report.mentors[position(m.mentor.as_str())].assigned += 1;
        m.cross_condition = true;
        if lost.contains(m.recipient.as_str()) {
            m.status = MatchStatus::Reassigned;
        }
        warnings.push(Warning {
            kind: WarningKind::CrossCondition,
            mentor: m.mentor.clone(),
            recipient: m.recipient.clone(),
            failed_rules: vec![HardRule::Condition],
        });
        added.insert(m.recipient.as_str().to_owned(), m);
    }
    if added.is_empty() {
        return;
    }
    report
        .unmatched
        .retain(|u| !added.contains_key(u.recipient.as_str()));
    let mut matches = Vec::with_capacity(report.matches.len() + added.len());
    let mut old = std::mem::take(&mut report.matches).into_iter().peekable();
    for r in cohort.recipients() {
        if let Some(m) = added.remove(r.id.as_str()) {
            matches.push(m);
        } else if old.peek().is_some_and(|m| m.recipient == r.id) {
            matches.push(old.next().expect("peeked"));
        }
    }
    report.matches = matches;
    report.warnings.extend(warnings);
    report.solve.certified &= second.solve.certified;
    full_now(cohort, report);
    report.summary = summarise(
        cohort.policy(),
        &report.matches,
        report.unmatched.len(),
        &report.mentors,
        report.summary.lost_mentor,
    );
}
