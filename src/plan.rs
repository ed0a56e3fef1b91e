//! A plan that is edited and re-solved: the coordinator's loop.
//!
//! A coordinator reviews a proposal, then changes something — pins a pair the people
//! already agreed on, rules one out, records that a mentor left or can take more, adds
//! a late referral, removes someone who withdrew — and wants the new optimum at once.
//! [`Matcher::plan`] solves a cohort and keeps what the solve knew (its candidate pairs,
//! its flow and dual potentials); [`Plan::apply`] makes the edits and solves again
//! *from there*: only the recipients the edits touched are taken out of the old flow
//! and added back (the solver's warm start, described in its design notes), and the
//! result is certified by the same dual check as a cold solve. The answer is therefore
//! the cold solve's optimum — the same objective value, every rule and capacity kept —
//! only sooner.
//!
//! Edits change the cohort, and the new cohort is validated as any cohort is, so an
//! edit can never smuggle in a broken rule: a pinned pair that breaks one is a warning
//! in the report (or kept, with `override`, as in the cohort format), never silent.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::matcher::{Keeping, Kept, Matcher};
use crate::model::{Cohort, MentorId, Recipient, RecipientId};
use crate::report::MatchReport;

/// One change to a plan's cohort ([`Plan::apply`]).
///
/// In JSON an edit is an object with its kind under `edit`:
/// `{"edit": "pin", "mentor": "m1", "recipient": "r1"}`,
/// `{"edit": "set_capacity", "mentor": "m1", "capacity": 0}`,
/// `{"edit": "add_recipient", "recipient": {"id": "r9", "languages": ["en"]}}`.
///
/// ```
/// use peermatch::Edit;
///
/// let edit: Edit = serde_json::from_str(r#"{"edit": "forbid", "mentor": "m1", "recipient": "r2"}"#)?;
/// assert_eq!(edit, Edit::Forbid { mentor: "m1".into(), recipient: "r2".into() });
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Edit {
    /// Keep this pair: a pinned running pair, in place of the recipient's own running
    /// pair if they have one. A pair that breaks a hard rule is not kept, and the
    /// report warns (`pinned_not_kept`); the recipient is then placed first.
    Pin {
        /// The mentor.
        mentor: MentorId,
        /// The recipient.
        recipient: RecipientId,
    },
    /// Never propose this pair: the recipient joins the mentor's `exclude` list. A
    /// running pair of the two then breaks the `excluded` rule (a warning).
    Forbid {
        /// The mentor.
        mentor: MentorId,
        /// The recipient.
        recipient: RecipientId,
    },
    /// Set a mentor's capacity; 0 means the mentor has left. Below the mentor's
    /// `current_load` it is an error ([`Error::LoadAboveCapacity`]).
    SetCapacity {
        /// The mentor.
        mentor: MentorId,
        /// The new capacity.
        capacity: u32,
    },
    /// Add a recipient (a new referral).
    AddRecipient {
        /// The recipient, validated like one in a cohort file.
        recipient: Box<Recipient>,
    },
    /// Remove a recipient (they withdrew), with their pairs and every mention in
    /// mentors' `exclude` lists.
    RemoveRecipient {
        /// The recipient.
        recipient: RecipientId,
    },
}

/// A solved cohort that can be edited and re-solved from where it stands.
///
/// Made by [`Matcher::plan`]; [`Plan::apply`] edits and re-solves, [`Plan::rematch`]
/// re-solves any changed cohort. Either way the new plan is the same exact, certified
/// optimum a cold [`Matcher::run`] of the new cohort finds (same objective value; among
/// equally good plans the choice may differ); only the time differs. A clone is an
/// independent plan (it copies the eligible pairs): edit a clone to try a change and
/// keep the original as it is.
///
/// ```
/// use peermatch::{Cohort, Edit, Matcher};
///
/// let cohort = Cohort::from_json(r#"{
///   "mentors": [{"id": "ana", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["oxygen", "carer"]},
///               {"id": "bo", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
///                "experiences": ["oxygen"]}],
///   "recipients": [{"id": "cy", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["oxygen", "carer"]},
///                  {"id": "di", "languages": ["en"], "conditions": ["copd"],
///                   "experiences": ["oxygen"]}]
/// }"#)?;
/// let mut plan = Matcher::new().plan(&cohort)?;
/// assert_eq!(plan.report().match_of("cy").unwrap().mentor.as_str(), "ana");
///
/// // Ana leaves the programme: Cy moves to Bo, Di now waits.
/// plan.apply(&[Edit::SetCapacity { mentor: "ana".into(), capacity: 0 }])?;
/// assert_eq!(plan.report().match_of("cy").unwrap().mentor.as_str(), "bo");
/// assert!(plan.report().match_of("di").is_none());
///
/// // The same plan as matching the edited cohort from scratch.
/// assert_eq!(
///     plan.report().objective_value(),
///     Matcher::new().run(plan.cohort()).objective_value()
/// );
///
/// // Try Bo leaving too on a copy; the plan itself stays as it is.
/// let mut trial = plan.clone();
/// trial.apply(&[Edit::SetCapacity { mentor: "bo".into(), capacity: 0 }])?;
/// assert_eq!(trial.report().summary.matched, 0);
/// assert_eq!(plan.report().summary.matched, 1);
/// # Ok::<(), peermatch::Error>(())
/// ```
#[derive(Clone)]
pub struct Plan {
    matcher: Matcher,
    cohort: Cohort,
    report: MatchReport,
    /// The plan before the last re-solve, for [`Plan::changes`].
    before: Option<MatchReport>,
    kept: Kept,
}

/// A recipient whose mentor the last re-solve of a [`Plan`] changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Change {
    /// The recipient.
    pub recipient: RecipientId,
    /// Their mentor before (`None`: unmatched, or added by the edits).
    pub before: Option<MentorId>,
    /// Their mentor now (`None`: unmatched).
    pub after: Option<MentorId>,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("recipients", &self.cohort.recipients().len())
            .field("mentors", &self.cohort.mentors().len())
            .field("matched", &self.report.summary.matched)
            .finish_non_exhaustive()
    }
}

impl Matcher {
    /// Solves `cohort` like [`Matcher::try_run`], keeping what a warm re-solve needs:
    /// the cohort's eligible pairs, its tag index and the solver's flow and duals
    /// (memory in proportion to the eligible pairs).
    ///
    /// # Errors
    /// As [`Matcher::try_run`]: [`Error::Cancelled`], [`Error::Uncertified`].
    pub fn plan(&self, cohort: &Cohort) -> Result<Plan> {
        let (report, kept) = self.solve_kept(cohort, Keeping::Keep)?;
        Ok(Plan {
            matcher: self.clone(),
            cohort: cohort.clone(),
            report,
            before: None,
            kept,
        })
    }

    fn solve_kept(&self, cohort: &Cohort, keeping: Keeping<'_>) -> Result<(MatchReport, Kept)> {
        let (report, _, kept) = self.execute_keeping(cohort, true, keeping)?;
        if !report.solve.certified {
            return Err(Error::Uncertified {
                reason: "the plan's dual potentials failed the certificate".into(),
            });
        }
        Ok((report, kept.expect("a keeping run keeps its state")))
    }
}

impl Plan {
    /// The current plan.
    pub fn report(&self) -> &MatchReport {
        &self.report
    }

    /// The cohort as edited so far.
    pub fn cohort(&self) -> &Cohort {
        &self.cohort
    }

    /// The matcher the plan solves with.
    pub(crate) fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Whether the last solve started from the previous plan's flow and duals. `false`
    /// for the first solve, and when starting warm would not pay or cannot serve: the
    /// edits moved more than one recipient in eight, changed the policy or the mentors'
    /// list, or grew the cohort past the bounds the costs were packed for; and always
    /// under the bottleneck objective, which is solved afresh each time. The plan is
    /// the same optimum either way.
    pub fn warm(&self) -> bool {
        self.kept.warm
    }

    /// Makes `edits`, in order, and re-solves from the current plan.
    ///
    /// # Errors
    /// [`Error::InEdit`] naming the first edit that cannot be made, with the reason: an
    /// unknown id ([`Error::UnknownMentor`], [`Error::UnknownRecipient`]), a capacity
    /// below the load, an invalid or duplicate new recipient, a pin that makes the
    /// pairs contradict each other; the plan is then unchanged. As
    /// [`Matcher::try_run`] otherwise.
    pub fn apply(&mut self, edits: &[Edit]) -> Result<&MatchReport> {
        let cohort = edited(&self.cohort, edits)?;
        self.rematch(cohort)
    }

    /// Re-solves for `cohort`, an edited version of the plan's cohort (any change is
    /// allowed), starting from the current plan where it can.
    ///
    /// # Errors
    /// As [`Matcher::try_run`]; the plan is then unchanged.
    pub fn rematch(&mut self, cohort: Cohort) -> Result<&MatchReport> {
        let (report, kept) = self.matcher.solve_kept(
            &cohort,
            Keeping::From {
                kept: &self.kept,
                cohort: &self.cohort,
            },
        )?;
        self.cohort = cohort;
        self.before = Some(std::mem::replace(&mut self.report, report));
        // The replaced pairs' arrays (or, when the new ones share them, the spare the
        // old state held) serve the next edit.
        let old = std::mem::replace(&mut self.kept, kept);
        let spare = old.spare.take();
        self.kept.spare.put(old.candidates.into_spare().or(spare));
        Ok(&self.report)
    }

    /// The plan of `cohort` (an edited version of this plan's cohort), solved warm from
    /// this plan, which stays as it is: for what-if questions that each try one edit.
    pub(crate) fn what_if(&self, cohort: &Cohort) -> Result<MatchReport> {
        let (report, kept) = self.matcher.solve_kept(
            cohort,
            Keeping::From {
                kept: &self.kept,
                cohort: &self.cohort,
            },
        )?;
        // The arrays the update took from the plan's spare, given back for the next.
        self.kept.spare.put(kept.candidates.into_spare());
        Ok(report)
    }

    /// Every recipient of the current cohort whose mentor differs from the plan before
    /// the last [`apply`](Plan::apply) or [`rematch`](Plan::rematch), in input order
    /// (recipients the edits added count as unmatched before): what a reviewer looks
    /// at first. Empty before the first edit.
    ///
    /// ```
    /// use peermatch::{Cohort, Edit, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "ana", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["oxygen"]}],
    ///   "recipients": [{"id": "cy", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["oxygen"]}]
    /// }"#)?;
    /// let mut plan = Matcher::new().plan(&cohort)?;
    /// plan.apply(&[Edit::Forbid { mentor: "ana".into(), recipient: "cy".into() }])?;
    /// let change = &plan.changes()[0];
    /// assert_eq!((change.recipient.as_str(), change.after.as_ref()), ("cy", None));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn changes(&self) -> Vec<Change> {
        let Some(before) = &self.before else {
            return Vec::new();
        };
        let (before, now) = (before.index(), self.report.index());
        self.cohort
            .recipients()
            .iter()
            .filter_map(|r| {
                let id = r.id.as_str();
                let old = before.match_of(id).map(|m| m.mentor.clone());
                let new = now.match_of(id).map(|m| m.mentor.clone());
                (old != new).then(|| Change {
                    recipient: r.id.clone(),
                    before: old,
                    after: new,
                })
            })
            .collect()
    }
}

/// `cohort` with `edits` made on a copy, each validating only what it touches (the
/// records it changes, the pairs after a pin): the unchanged people were validated when
/// the cohort was built. Equal to building the edited people afresh (the unit tests
/// hold it to a version that does).
pub(crate) fn edited(cohort: &Cohort, edits: &[Edit]) -> Result<Cohort> {
    let mut out = cohort.clone();
    for (at, edit) in edits.iter().enumerate() {
        let in_edit = |error: Error| Error::InEdit {
            edit: at,
            error: Box::new(error),
        };
        let mentor_at = |c: &Cohort, id: &MentorId| {
            c.mentor_position(id.as_str())
                .ok_or_else(|| in_edit(Error::UnknownMentor { id: id.0.clone() }))
        };
        let recipient_at = |c: &Cohort, id: &RecipientId| {
            c.recipient_position(id.as_str())
                .ok_or_else(|| in_edit(Error::UnknownRecipient { id: id.0.clone() }))
        };
        match edit {
            Edit::Pin { mentor, recipient } => {
                let (m, r) = (mentor_at(&out, mentor)?, recipient_at(&out, recipient)?);
                out.pin(m, r).map_err(in_edit)?;
            }
            Edit::Forbid { mentor, recipient } => {
                let (m, r) = (mentor_at(&out, mentor)?, recipient_at(&out, recipient)?);
                out.forbid(m, r);
            }
            Edit::SetCapacity { mentor, capacity } => {
                let m = mentor_at(&out, mentor)?;
                out.set_capacity(m, *capacity).map_err(in_edit)?;
            }
            Edit::AddRecipient { recipient } => out
                .add_recipient(Recipient::clone(recipient))
                .map_err(in_edit)?,
            Edit::RemoveRecipient { recipient } => {
                let r = recipient_at(&out, recipient)?;
                out.remove_recipient(r);
            }
        }
    }
    Ok(out)
}

/// [`edited`] by rebuilding the whole cohort from the edited people, validating
/// everything: the reference the tests hold it to.
#[cfg(test)]
fn edited_by_validation(cohort: &Cohort, edits: &[Edit]) -> Result<Cohort> {
    let mut mentors = cohort
        .mentors()
        .iter()
        .map(|m| crate::Mentor::clone(m))
        .collect::<Vec<_>>();
    let mut recipients = cohort.recipients().to_vec();
    let mut pairs = cohort.pairs().to_vec();
    for edit in edits {
        let mentor_at = |id: &MentorId| mentors.iter().position(|m| &m.id == id);
        let recipient_at = |id: &RecipientId| recipients.iter().position(|r| &r.id == id);
        match edit {
            Edit::Pin { mentor, recipient } => {
                pairs.retain(|p| !(p.runs() && &p.recipient == recipient));
                pairs.push(crate::model::Pair {
                    pinned: true,
                    ..crate::model::Pair::new(mentor.clone(), recipient.clone())
                });
            }
            Edit::Forbid { mentor, recipient } => {
                let m = mentor_at(mentor).expect("known mentor");
                if !mentors[m].exclude.contains(recipient) {
                    mentors[m].exclude.push(recipient.clone());
                }
            }
            Edit::SetCapacity { mentor, capacity } => {
                let m = mentor_at(mentor).expect("known mentor");
                mentors[m].capacity = *capacity;
            }
            Edit::AddRecipient { recipient } => recipients.push(Recipient::clone(recipient)),
            Edit::RemoveRecipient { recipient } => {
                let r = recipient_at(recipient).expect("known recipient");
                recipients.remove(r);
                pairs.retain(|p| &p.recipient != recipient);
                for m in &mut mentors {
                    m.exclude.retain(|id| id != recipient);
                }
            }
        }
    }
    Cohort::new(mentors, recipients, cohort.policy().clone())?.with_pairs(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{self, SynthOptions};
    use crate::{Objective, Policy, Pruning, Reason};

    /// An edited copy shares every mentor record the edits left alone, and only those.
    #[test]
    fn edits_copy_only_the_mentors_they_change() {
        let cohort = synth::generate(&SynthOptions {
            recipients: 30,
            mentors: 12,
            seed: 3,
            homogeneous: false,
        })
        .unwrap();
        let (m, r) = (&cohort.mentors()[4], &cohort.recipients()[2]);
        let edits = [
            Edit::SetCapacity {
                mentor: m.id.clone(),
                capacity: m.capacity + 1,
            },
            Edit::Forbid {
                mentor: cohort.mentors()[7].id.clone(),
                recipient: r.id.clone(),
            },
        ];
        let after = edited(&cohort, &edits).unwrap();
        for (k, (new, old)) in after.mentors().iter().zip(cohort.mentors()).enumerate() {
            assert_eq!(
                std::sync::Arc::ptr_eq(new, old),
                k != 4 && k != 7,
                "mentor {k}"
            );
        }
        assert_eq!(after.mentors()[4].capacity, m.capacity + 1);
        assert_eq!(cohort.mentors()[4].capacity, m.capacity);
        assert!(after.mentors()[7].exclude.contains(&r.id));
        assert!(!cohort.mentors()[7].exclude.contains(&r.id));
        assert_eq!(after, edited_by_validation(&cohort, &edits).unwrap());
    }

    /// The arrays an edit replaces are kept for the next one, and a what-if (why not,
    /// shortlists) that writes into them gives them back.
    #[test]
    fn the_spare_arrays_survive_edits_and_what_ifs() {
        let cohort = synth::generate(&SynthOptions {
            recipients: 300,
            mentors: 40,
            seed: 4,
            homogeneous: false,
        })
        .unwrap();
        let mut plan = Matcher::new().threads(1).plan(&cohort).unwrap();
        let has_spare = |plan: &Plan| {
            let spare = plan.kept.spare.take();
            let some = spare.is_some();
            plan.kept.spare.put(spare);
            some
        };
        assert!(!has_spare(&plan));
        // Mentor 0 leaves, then comes back: each changes rows, so each copies.
        let mentor = cohort.mentors()[0].id.clone();
        let capacity = |capacity| Edit::SetCapacity {
            mentor: mentor.clone(),
            capacity,
        };
        assert!(cohort.mentors()[0].capacity > 0);
        plan.apply(&[capacity(0)]).unwrap();
        assert!(has_spare(&plan), "the replaced pairs are kept");
        let back = edited(&plan.cohort, &[capacity(3)]).unwrap();
        plan.what_if(&back).unwrap();
        assert!(has_spare(&plan), "the what-if gave the arrays back");
        plan.apply(&[capacity(3)]).unwrap();
        assert!(has_spare(&plan));
    }

    /// Random edits on synthetic cohorts: every re-solve that could start warm did,
    /// and its warm rounds passed their own certificate without the fallback (which
    /// would hide a wrong warm start from the public tests).
    #[test]
    fn warm_starts_hold_their_certificate_without_the_fallback() {
        let mut next = crate::testdata::xorshift(11);
        let mut below = |n: usize| next(n as u64) as usize;
        let (mut warm, mut total, mut updated_rows, mut counted) = (0, 0, 0, 0);
        let (mut shared_updates, mut copied_after_shared) = (0, 0);
        for case in 0..60u64 {
            let cohort = synth::generate(&SynthOptions {
                recipients: 20 + below(200),
                mentors: 3 + below(40),
                seed: case,
                homogeneous: case % 3 == 0,
            })
            .unwrap();
            let policy = match case % 4 {
                0 => Policy::default(),
                1 => Policy {
                    objective: Objective::Quality,
                    ..Policy::default()
                },
                2 => Policy {
                    min_new_load: 1,
                    ..Policy::default()
                },
                _ => Policy {
                    load_penalty: 0.0,
                    ..Policy::default()
                },
            };
            let cohort = cohort.with_policy(policy).unwrap();
            let pruning = [Pruning::Off, Pruning::TopK(1), Pruning::TopK(2)][below(3)];
            let matcher = Matcher::new().pruning(pruning).threads(1);
            let mut plan = matcher.plan(&cohort).unwrap();
            for step in 0..6 {
                let (ms, rs) = (plan.cohort().mentors(), plan.cohort().recipients());
                if rs.is_empty() {
                    break;
                }
                let mentor = crate::Mentor::clone(&ms[below(ms.len())]);
                let recipient = rs[below(rs.len())].id.clone();
                let edit = match below(5) {
                    0 => Edit::Pin {
                        mentor: mentor.id,
                        recipient,
                    },
                    1 => Edit::Forbid {
                        mentor: mentor.id,
                        recipient,
                    },
                    2 => Edit::SetCapacity {
                        capacity: (below(5) as u32).max(mentor.current_load),
                        mentor: mentor.id,
                    },
                    3 => Edit::RemoveRecipient { recipient },
                    _ => Edit::AddRecipient {
                        recipient: Box::new(Recipient {
                            id: format!("new-{case}-{step}").into(),
                            ..rs[below(rs.len())].clone()
                        }),
                    },
                };
                let before = plan
                    .kept
                    .residual
                    .clone()
                    .unwrap_or_else(|| plan.cohort.clone());
                let old = plan.kept.candidates.clone();
                // Edits made in place equal the edited people validated afresh.
                let edits = [edit];
                assert_eq!(
                    edited(&plan.cohort, &edits).unwrap(),
                    edited_by_validation(&plan.cohort, &edits).unwrap(),
                    "case {case}, step {step}"
                );
                plan.apply(&edits).unwrap();
                assert!(!plan.kept.warm_rejected, "case {case}, step {step}");
                // The pairs updated from the old ones are the pairs generated afresh.
                let now = plan
                    .kept
                    .residual
                    .clone()
                    .unwrap_or_else(|| plan.cohort.clone());
                let index = crate::rules::interned::Interned::new(&now);
                let fresh = crate::candidates::generate(&index, 1, &Default::default());
                // Written into the arrays of other pairs (the spare a plan keeps).
                let spare = crate::candidates::SpareSlot::default();
                let other = crate::candidates::generate(
                    &crate::rules::interned::Interned::new(&before),
                    1,
                    &Default::default(),
                );
                spare.put(Some(other.into_spare().expect("not shared")));
                if let Some((updated, copied)) = crate::candidates::update(
                    &index,
                    &crate::rules::interned::Interned::new(&before),
                    &old,
                    &spare,
                    2,
                ) {
                    // A row said to be copied is the old row of the same recipient.
                    for (r, _) in copied.iter().enumerate().filter(|&(_, &c)| c) {
                        assert_eq!(updated.mentor[updated.range(r)], old.mentor[old.range(r)]);
                        assert_eq!(updated.score[updated.range(r)], old.score[old.range(r)]);
                    }
                    updated_rows += 1;
                    // The spare's arrays are taken only by a copy.
                    let shared = std::sync::Arc::ptr_eq(&updated.mentor, &old.mentor);
                    assert_eq!(spare.take().is_some(), shared, "case {case}, step {step}");
                    // Rows as they were are shared, not copied; a copy may start
                    // after rows that were (both paths must be taken).
                    if shared {
                        assert!(copied.iter().all(|&c| c), "case {case}, step {step}");
                        shared_updates += 1;
                    } else if copied.first() == Some(&true) {
                        copied_after_shared += 1;
                    }
                    assert_eq!(updated.start, fresh.start, "case {case}, step {step}");
                    assert_eq!(updated.mentor, fresh.mentor);
                    assert_eq!(updated.score, fresh.score);
                    assert!((0..fresh.rows()).all(|r| updated.best(r) == fresh.best(r)));
                }
                assert!(plan.report.solve.certified);
                // The rule counts of recipients nobody is eligible for, updated from
                // the last plan's, are a cold run's.
                let nobody = |report: &MatchReport| -> Vec<_> {
                    report
                        .unmatched
                        .iter()
                        .filter(|u| matches!(u.reason, Reason::NoEligibleMentor { .. }))
                        .map(|u| (u.recipient.clone(), u.reason.clone()))
                        .collect()
                };
                let warm_counts = nobody(&plan.report);
                assert_eq!(
                    warm_counts,
                    nobody(&matcher.run(&plan.cohort)),
                    "case {case}, step {step}"
                );
                counted += warm_counts.len();
                total += 1;
                warm += usize::from(plan.warm());
            }
        }
        // Most edits leave something to start from.
        assert!(warm * 10 >= total * 8, "{warm} of {total} started warm");
        assert!(
            updated_rows * 10 >= total * 5,
            "{updated_rows} of {total} updated"
        );
        assert!(counted > total, "{counted} rule counts compared");
        assert!(
            shared_updates * 10 >= total && copied_after_shared * 10 >= total,
            "{shared_updates} shared, {copied_after_shared} copied after shared rows, of {total}"
        );
    }
}
