//! What-if questions a coordinator asks of a plan: why not this pair, and what would
//! forcing it cost?
//!
//! [`Matcher::why_not`] answers for any pair: every rule it fails and its score (as
//! [`explain()`](crate::explain())), and, when the pair is eligible, the plan with the
//! pair forced in — solved exactly like any plan, the pair pinned in place of the
//! recipient's own running pair, if any — beside the optimal plan: the exact change in
//! the objective tuple, and every recipient who would lose their mentor, gain one or
//! move. Both plans are certified optima — the optimal one kept as a
//! [`Plan`], the forced one solved warm from it — so the cost is exact, not
//! an estimate from the duals.

use serde::{Deserialize, Serialize};

use crate::candidates::EligiblePairs;
use crate::error::Result;
use crate::matcher::Matcher;
use crate::model::{Cohort, MentorId, RecipientId};
use crate::plan::{Edit, Plan};
use crate::report::{Explanation, MatchReport, ObjectiveValue, explain};

/// The answer to "why not this pair?".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WhyNot {
    /// The pair on its own: rules failed, score and breakdown.
    pub pair: Explanation,
    /// Whether the optimal plan already has this pair.
    pub in_plan: bool,
    /// For an eligible pair: what forcing it costs. `None` when the pair breaks a
    /// hard rule (it cannot be forced without an override), or when kept running pairs
    /// hold every place of the mentor.
    pub forcing: Option<Forcing>,
}

/// The optimal plan against the plan with one pair forced in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Forcing {
    /// The optimal plan's objective value.
    pub optimal: ObjectiveValue,
    /// The objective value with the pair forced.
    pub forced: ObjectiveValue,
    /// Forced minus optimal, per term of the objective in its order of priority
    /// ([`ObjectiveValue::key`]): all zero when the pair is in an optimal plan, and
    /// never lexicographically positive — except when the forced pair replaces the
    /// recipient's own kept running pair (the plan was optimal *around* that pair), or
    /// when recipients who lost their mentor were placed first (the values count each
    /// person at their own urgency).
    pub change: [i128; 7],
    /// Every recipient whose mentor differs between the two plans, in input order.
    pub moves: Vec<Move>,
}

/// One recipient's mentor in the optimal plan and with the pair forced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Move {
    /// The recipient.
    pub recipient: RecipientId,
    /// Their mentor in the optimal plan (`None`: unmatched).
    pub optimal: Option<MentorId>,
    /// Their mentor with the pair forced (`None`: unmatched).
    pub forced: Option<MentorId>,
}

/// Recipient `id`'s index, or the typed error for an unknown id.
fn recipient_position(cohort: &Cohort, id: &str) -> Result<usize> {
    cohort
        .recipient_position(id)
        .ok_or_else(|| crate::Error::UnknownRecipient { id: id.to_owned() })
}

impl Plan {
    /// [`Matcher::why_not`] asked of this plan: its cohort as it stands after any
    /// edits, and its plan as the optimum, so only the forced plan is solved (warm).
    /// For a coordinator's tool that asks several questions of one plan.
    ///
    /// ```
    /// use peermatch::{Cohort, Edit, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "carer"]},
    ///               {"id": "m2", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab", "carer"]},
    ///                  {"id": "r2", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["carer"]}]
    /// }"#)?;
    /// let mut plan = Matcher::new().plan(&cohort)?;
    /// assert!(plan.why_not("m1", "r1")?.forcing.unwrap().change[0] < 0);
    /// // Once r2 has left, forcing m1 on r1 costs nothing.
    /// plan.apply(&[Edit::RemoveRecipient { recipient: "r2".into() }])?;
    /// let why = plan.why_not("m1", "r1")?;
    /// assert_eq!(why.forcing.unwrap().change, [0; 7]);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownMentor`](crate::Error::UnknownMentor) or
    /// [`Error::UnknownRecipient`](crate::Error::UnknownRecipient) for an id not in the
    /// plan's cohort; the errors of [`Matcher::try_run`] otherwise.
    pub fn why_not(&self, mentor: impl AsRef<str>, recipient: impl AsRef<str>) -> Result<WhyNot> {
        let (mentor, recipient) = (mentor.as_ref(), recipient.as_ref());
        let pair = explain(self.cohort(), mentor, recipient)?;
        let in_plan = self
            .report()
            .match_of(recipient)
            .is_some_and(|m| m.mentor.as_str() == mentor);
        let forcing = if pair.eligible {
            forcing(self, mentor, recipient)?
        } else {
            None
        };
        Ok(WhyNot {
            pair,
            in_plan,
            forcing,
        })
    }

    /// [`Matcher::shortlist`] asked of this plan (its cohort after any edits): one
    /// warm solve per mentor listed.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "carer"]},
    ///               {"id": "m2", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "gardening"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab", "carer"]}]
    /// }"#)?;
    /// let plan = Matcher::new().plan(&cohort)?;
    /// let list = plan.shortlist("r1", 5)?;
    /// let ids: Vec<_> = list.iter().map(|c| c.pair.mentor.as_str()).collect();
    /// assert_eq!(ids, ["m1", "m2"]);
    /// assert_eq!(list, Matcher::new().shortlist(&cohort, "r1", 5)?);
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownRecipient`](crate::Error::UnknownRecipient) for an id not in the
    /// plan's cohort; the errors of [`Matcher::try_run`] otherwise.
    pub fn shortlist(&self, recipient: impl AsRef<str>, k: usize) -> Result<Vec<Shortlisted>> {
        let recipient = recipient.as_ref();
        let cohort = self.cohort();
        let r = recipient_position(cohort, recipient)?;
        // The eligible mentors as the matcher finds them (exactly `explain`'s eligible
        // ones), best score first; the sort is stable, so ties keep mentor input order.
        let pairs = EligiblePairs::with_threads(cohort, self.matcher().threads_setting());
        let mut eligible: Vec<(usize, u32)> = pairs.micro_of(r).collect();
        eligible.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        let optimal = self.report();
        let mut out = Vec::new();
        for (m, _) in eligible {
            if out.len() == k {
                break;
            }
            let mentor = cohort.mentors()[m].id.as_str().to_owned();
            let Some(forcing) = forcing(self, &mentor, recipient)? else {
                continue; // every place of the mentor is held by a kept pair
            };
            out.push(Shortlisted {
                in_plan: optimal
                    .match_of(recipient)
                    .is_some_and(|m| m.mentor.as_str() == mentor),
                pair: explain(cohort, &mentor, recipient)?,
                forcing,
            });
        }
        Ok(out)
    }
}

impl Matcher {
    /// Why the pair (`mentor`, `recipient`) is not in the plan, and what forcing it
    /// would cost (see the module docs). Runs two solves; [`Plan::why_not`] asks a
    /// plan already solved.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "carer"]},
    ///               {"id": "m2", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab", "carer"]},
    ///                  {"id": "r2", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["carer"]}]
    /// }"#)?;
    /// // The plan gives r1 to m2, so that r2 (who shares only "carer", with m1) has m1.
    /// let why = Matcher::new().why_not(&cohort, "m1", "r1")?;
    /// assert!(why.pair.eligible && !why.in_plan);
    /// let forcing = why.forcing.unwrap();
    /// assert_eq!(forcing.change[0], -1); // one person fewer matched
    /// let moved: Vec<_> = forcing.moves.iter().map(|m| m.recipient.as_str()).collect();
    /// assert_eq!(moved, ["r1", "r2"]);
    /// assert_eq!(forcing.moves[1].forced, None); // r2 would lose their mentor
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownMentor`](crate::Error::UnknownMentor) or
    /// [`Error::UnknownRecipient`](crate::Error::UnknownRecipient) for an id not in the
    /// cohort; the errors of [`Matcher::try_run`] otherwise.
    pub fn why_not(
        &self,
        cohort: &Cohort,
        mentor: impl AsRef<str>,
        recipient: impl AsRef<str>,
    ) -> Result<WhyNot> {
        let (mentor, recipient) = (mentor.as_ref(), recipient.as_ref());
        // Unknown ids are errors before anything is solved.
        explain(cohort, mentor, recipient)?;
        self.plan(cohort)?.why_not(mentor, recipient)
    }

    /// A recipient's shortlist: up to `k` mentors they could be given, best score first
    /// (ties in mentor input order), each with its breakdown and the exact cost of
    /// choosing it instead of the plan's choice. A mentor is listed only when the pair
    /// is eligible and the mentor has a place left after the kept running pairs. Runs
    /// one solve per mentor listed, plus one; [`Plan::shortlist`] asks a plan already
    /// solved.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "carer"]},
    ///               {"id": "m2", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab", "gardening"]},
    ///               {"id": "m3", "capacity": 1, "languages": ["fr"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"],
    ///                   "experiences": ["rehab", "carer"]}]
    /// }"#)?;
    /// let list = Matcher::new().shortlist(&cohort, "r1", 5)?;
    /// let ids: Vec<_> = list.iter().map(|c| c.pair.mentor.as_str()).collect();
    /// assert_eq!(ids, ["m1", "m2"]); // m3 speaks no shared language
    /// assert!(list[0].in_plan && list[0].forcing.change == [0; 7]);
    /// assert!(list[1].forcing.change < [0; 7]); // a lower score: less quality
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownRecipient`](crate::Error::UnknownRecipient) for an id not in the
    /// cohort; the errors of [`Matcher::try_run`] otherwise.
    pub fn shortlist(
        &self,
        cohort: &Cohort,
        recipient: impl AsRef<str>,
        k: usize,
    ) -> Result<Vec<Shortlisted>> {
        let recipient = recipient.as_ref();
        // An unknown id is an error before anything is solved.
        recipient_position(cohort, recipient)?;
        self.plan(cohort)?.shortlist(recipient, k)
    }

    /// Shortlists for every recipient, in input order (each as [`Matcher::shortlist`]).
    /// With [`Offers::WithinRoom`], no mentor is offered to more recipients at once
    /// than it has places left after the kept pairs: offers are handed out best score
    /// first (ties to the earlier recipient, then the earlier mentor), each recipient
    /// taking up to `k`. Runs one solve per offer, plus one.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher, Offers};
    ///
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [{"id": "r1", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]},
    ///                  {"id": "r2", "languages": ["en"], "conditions": ["copd"], "experiences": ["rehab"]}]
    /// }"#)?;
    /// let all = Matcher::new().shortlists(&cohort, 3, Offers::Independent)?;
    /// assert_eq!((all[0].1.len(), all[1].1.len()), (1, 1)); // m1 offered to both
    /// let fair = Matcher::new().shortlists(&cohort, 3, Offers::WithinRoom)?;
    /// assert_eq!((fair[0].1.len(), fair[1].1.len()), (1, 0)); // m1 has one place
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// The errors of [`Matcher::try_run`].
    pub fn shortlists(
        &self,
        cohort: &Cohort,
        k: usize,
        offers: Offers,
    ) -> Result<Vec<(RecipientId, Vec<Shortlisted>)>> {
        let plan = self.plan(cohort)?;
        let optimal = plan.report();
        let mentors = cohort.mentors();
        // Every eligible pair, best score first, ties to the earlier recipient and mentor.
        let eligible = EligiblePairs::with_threads(cohort, self.threads_setting());
        let mut pairs: Vec<(u32, usize, usize)> = (0..cohort.recipients().len())
            .flat_map(|r| eligible.micro_of(r).map(move |(m, micro)| (micro, r, m)))
            .collect();
        pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut room: Vec<u64> = optimal
            .mentors
            .iter()
            .map(|l| {
                let free = u64::from(l.capacity)
                    .saturating_sub(u64::from(l.current_load) + u64::from(l.kept));
                let cap = cohort.policy().max_new_load.map_or(u64::MAX, u64::from);
                free.min(cap)
            })
            .collect();
        let mut lists: Vec<Vec<Shortlisted>> = vec![Vec::new(); cohort.recipients().len()];
        let index = optimal.index();
        for (_, r, m) in pairs {
            if lists[r].len() == k || (offers == Offers::WithinRoom && room[m] == 0) {
                continue;
            }
            let recipient = cohort.recipients()[r].id.as_str();
            let mentor = mentors[m].id.as_str();
            let Some(forcing) = forcing(&plan, mentor, recipient)? else {
                continue;
            };
            room[m] = room[m].saturating_sub(1);
            lists[r].push(Shortlisted {
                in_plan: index
                    .match_of(recipient)
                    .is_some_and(|x| x.mentor.as_str() == mentor),
                pair: explain(cohort, mentor, recipient)?,
                forcing,
            });
        }
        Ok(cohort
            .recipients()
            .iter()
            .map(|r| r.id.clone())
            .zip(lists)
            .collect())
    }
}

/// How [`Matcher::shortlists`] hands out offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Offers {
    /// Each recipient's list on its own: a mentor may appear on many lists.
    #[default]
    Independent,
    /// No mentor on more lists at once than it has places left.
    WithinRoom,
}

/// One entry of a [`Matcher::shortlist`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Shortlisted {
    /// The pair: its score and breakdown (eligible, so no failed rules).
    pub pair: Explanation,
    /// Whether the optimal plan gives the recipient this mentor.
    pub in_plan: bool,
    /// What choosing this mentor costs against the optimal plan.
    pub forcing: Forcing,
}

/// The optimal plan against the plan with the eligible pair forced (solved warm from
/// `plan`, the optimum), or `None` when it cannot be forced because kept pairs hold
/// every place of the mentor.
fn forcing(plan: &Plan, mentor: &str, recipient: &str) -> Result<Option<Forcing>> {
    let (cohort, optimal) = (plan.cohort(), plan.report());
    // Pinned in place of the recipient's own running pair, after the other running
    // pairs: a forced pair never displaces a kept one.
    let pin = Edit::Pin {
        mentor: mentor.into(),
        recipient: recipient.into(),
    };
    let forced = plan.what_if(&crate::plan::edited(cohort, &[pin])?)?;
    if forced
        .match_of(recipient)
        .is_none_or(|m| m.mentor.as_str() != mentor)
    {
        return Ok(None);
    }
    let objective = cohort.policy().objective;
    let (a, b) = (
        optimal.objective_value().key(objective),
        forced.objective_value().key(objective),
    );
    Ok(Some(Forcing {
        moves: moves(cohort, optimal, &forced),
        optimal: optimal.objective_value(),
        forced: forced.objective_value(),
        change: std::array::from_fn(|i| b[i] - a[i]),
    }))
}

/// Every recipient whose mentor differs between the plans, in input order.
fn moves(cohort: &Cohort, optimal: &MatchReport, forced: &MatchReport) -> Vec<Move> {
    let (optimal, forced) = (optimal.index(), forced.index());
    cohort
        .recipients()
        .iter()
        .filter_map(|r| {
            let a = optimal.match_of(r.id.as_str()).map(|m| m.mentor.clone());
            let b = forced.match_of(r.id.as_str()).map(|m| m.mentor.clone());
            (a != b).then(|| Move {
                recipient: r.id.clone(),
                optimal: a,
                forced: b,
            })
        })
        .collect()
}
