//! Recruitment gaps: which mentors a programme should look for next.
//!
//! The people a plan leaves waiting are grouped by what a mentor would have to share
//! with them before anything else — a condition and a language — and for the largest
//! groups a concrete mentor profile is drawn from the group itself: that condition and
//! language, the experiences and needs most of them name, the training the most
//! demanding of them requires, the gender most of them ask for, the commonest region.
//! The promise is then **counted honestly**: the profile's mentors are added to the
//! cohort and the whole cohort is matched again under the same rules and objective; what
//! a gap says it would serve is how many more people that plan matches. Adding exactly
//! those mentors therefore matches at least that many more (the solve is deterministic).
//!
//! Each gap is counted on its own, against today's cohort: two gaps may serve some of the
//! same people. With `policy.suppress_small_counts`, counts under
//! [`SMALL_COUNT`] are reported as "fewer than 5" (small-cell suppression for health
//! data).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::matcher::Matcher;
use crate::model::{Cohort, Limits, MAX_PEOPLE, Mentor, Recipient, TrainingLevel};
use crate::report::MatchReport;

/// Counts below this are suppressed when the policy asks (`suppress_small_counts`).
pub const SMALL_COUNT: u32 = 5;

/// A count of people, or "fewer than [`SMALL_COUNT`]" under small-cell suppression.
///
/// ```
/// use peermatch::Count;
/// assert_eq!(Count::Exactly(7).to_string(), "7");
/// assert_eq!(Count::FewerThan(5).to_string(), "fewer than 5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Count {
    /// The exact count.
    Exactly(u32),
    /// Some number below this bound, not shown.
    FewerThan(u32),
}

impl Count {
    /// `n`, suppressed below [`SMALL_COUNT`] when `suppress` holds.
    fn of(n: u32, suppress: bool) -> Count {
        if suppress && n < SMALL_COUNT {
            Count::FewerThan(SMALL_COUNT)
        } else {
            Count::Exactly(n)
        }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Exactly(n) => write!(f, "{n}"),
            Count::FewerThan(n) => write!(f, "fewer than {n}"),
        }
    }
}

/// The mentor a programme could recruit, drawn from the people waiting for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MentorProfile {
    /// The condition they share with the group (`None` when the policy does not
    /// require a shared condition and the group names none).
    pub condition: Option<String>,
    /// The language they share with the group.
    pub language: String,
    /// Experiences the mentor has lived through: the group's commonest experiences and
    /// interests, then its commonest needs.
    pub experiences: Vec<String>,
    /// The training the most demanding of the group requires.
    pub training: TrainingLevel,
    /// The gender most of the group ask for, when any of them ask.
    pub gender: Option<String>,
    /// The group's commonest region, when any of them give one.
    pub region: Option<String>,
    /// Recipients each such mentor can take: the cohort's median capacity.
    pub capacity: u32,
}

impl MentorProfile {
    /// A mentor of this profile, with this id.
    ///
    /// ```
    /// use peermatch::{MentorProfile, TrainingLevel};
    /// let profile = MentorProfile::new("pl", Some("copd"), 2);
    /// let mentor = profile.to_mentor("recruit-1");
    /// assert_eq!(mentor.languages, ["pl"]);
    /// assert_eq!(mentor.conditions, ["copd"]);
    /// assert_eq!(mentor.training, TrainingLevel::None);
    /// ```
    pub fn to_mentor(&self, id: &str) -> Mentor {
        Mentor {
            id: id.into(),
            conditions: self.condition.iter().cloned().collect(),
            languages: vec![self.language.clone()],
            experiences: self.experiences.clone(),
            training: self.training,
            gender: self.gender.clone(),
            region: self.region.clone(),
            capacity: self.capacity,
            ..Mentor::default()
        }
    }

    /// A bare profile: a language, perhaps a condition, and a capacity.
    pub fn new(language: &str, condition: Option<&str>, capacity: u32) -> MentorProfile {
        MentorProfile {
            condition: condition.map(str::to_owned),
            language: language.to_owned(),
            experiences: Vec::new(),
            training: TrainingLevel::None,
            gender: None,
            region: None,
            capacity,
        }
    }
}

/// One recruitment gap: `mentors` mentors of `profile` would serve `would_serve` more
/// of the people waiting.
///
/// The people a plan leaves waiting are grouped by a condition and a language they
/// would have to share with a mentor, and for the largest groups a profile is drawn
/// from the group itself ([`MentorProfile`]). The promise is counted honestly: the
/// profile's mentors are added to the cohort and the whole cohort matched again under
/// the same rules and objective; `would_serve` is how many more people that plan
/// matches, so adding exactly those mentors matches at least that many more. Each gap
/// is counted on its own against today's cohort: two gaps may serve some of the same
/// people. With `policy.suppress_small_counts`, counts under [`SMALL_COUNT`] read
/// "fewer than 5".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecruitmentGap {
    /// Whom to look for.
    pub profile: MentorProfile,
    /// How many of them.
    pub mentors: u32,
    /// People waiting (unmatched) who share the profile's condition and language.
    pub waiting: Count,
    /// How many more people the plan matches with those mentors added: counted by
    /// matching the whole cohort again with them.
    pub would_serve: Count,
}

impl RecruitmentGap {
    /// The gap in words.
    ///
    /// ```
    /// use peermatch::{Cohort, Matcher};
    /// let cohort = Cohort::from_json(r#"{
    ///   "recipients": [{"id": "r1", "languages": ["pl"], "conditions": ["copd"],
    ///                   "experiences": ["rehab"]}]
    /// }"#)?;
    /// let gaps = Matcher::new().recruitment(&cohort, 1)?;
    /// assert_eq!(
    ///     gaps[0].describe(),
    ///     "1 mentor(s) with copd speaking pl (lived experience: rehab) would match 1 more \
    ///      of the 1 waiting with that condition and language"
    /// );
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    pub fn describe(&self) -> String {
        let p = &self.profile;
        let mut who = format!("{} mentor(s)", self.mentors);
        if let Some(c) = &p.condition {
            who += &format!(" with {c}");
        }
        who += &format!(" speaking {}", p.language);
        if !p.experiences.is_empty() {
            who += &format!(" (lived experience: {})", p.experiences.join(", "));
        }
        if p.training > TrainingLevel::None {
            who += &format!(", training {}", p.training);
        }
        if let Some(g) = &p.gender {
            who += &format!(", gender {g}");
        }
        if let Some(r) = &p.region {
            who += &format!(", in {r}");
        }
        format!(
            "{who} would match {} more of the {} waiting with that condition and language",
            self.would_serve, self.waiting
        )
    }
}

/// Up to `n` most frequent tags of `lists` (ties alphabetical).
fn commonest<'a>(lists: impl Iterator<Item = &'a [String]>, n: usize) -> Vec<String> {
    let mut count: BTreeMap<&str, u32> = BTreeMap::new();
    for list in lists {
        for tag in list {
            *count.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, u32)> = count.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    ranked
        .into_iter()
        .take(n)
        .map(|(t, _)| t.to_owned())
        .collect()
}

/// The profile of mentor the `group` would need: see the module docs.
fn profile_of(
    group: &[&Recipient],
    condition: Option<&str>,
    language: &str,
    capacity: u32,
) -> MentorProfile {
    let shared = commonest(
        group
            .iter()
            .flat_map(|r| [r.experiences.as_slice(), r.interests.as_slice()]),
        3,
    );
    let mut experiences = shared;
    for need in commonest(group.iter().map(|r| r.needs.as_slice()), 2) {
        if !experiences.contains(&need) {
            experiences.push(need);
        }
    }
    let gender = commonest(group.iter().map(|r| r.mentor_gender.as_slice()), 1)
        .into_iter()
        .next();
    let regions: Vec<Vec<String>> = group
        .iter()
        .map(|r| r.region.iter().cloned().collect())
        .collect();
    let region = commonest(regions.iter().map(Vec::as_slice), 1)
        .into_iter()
        .next();
    MentorProfile {
        condition: condition.map(str::to_owned),
        language: language.to_owned(),
        experiences,
        training: group
            .iter()
            .map(|r| r.required_training)
            .max()
            .unwrap_or_default(),
        gender,
        region,
        capacity,
    }
}

impl Matcher {
    /// The `profiles` recruitment gaps that would serve the most people waiting in this
    /// matcher's plan of `cohort`, most served first (see [`RecruitmentGap`] for how
    /// they are drawn and counted). Costs one solve for the plan and up to two
    /// per group considered.
    ///
    /// ```
    /// use peermatch::{Cohort, Count, Matcher};
    /// let cohort = Cohort::from_json(r#"{
    ///   "mentors": [{"id": "m1", "capacity": 1, "languages": ["en"], "conditions": ["copd"],
    ///                "experiences": ["rehab"]}],
    ///   "recipients": [
    ///     {"id": "r1", "languages": ["pl"], "conditions": ["copd"], "experiences": ["rehab"]},
    ///     {"id": "r2", "languages": ["pl"], "conditions": ["copd"], "experiences": ["rehab"]}
    ///   ]
    /// }"#)?;
    /// let gaps = Matcher::new().recruitment(&cohort, 3)?;
    /// assert_eq!(gaps[0].profile.language, "pl");
    /// assert_eq!(gaps[0].would_serve, Count::Exactly(2));
    /// # Ok::<(), peermatch::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Cancelled`](crate::Error::Cancelled) when the progress callback stops a
    /// solve.
    pub fn recruitment(&self, cohort: &Cohort, profiles: usize) -> Result<Vec<RecruitmentGap>> {
        let plain = self.clone().advise_recruitment(0);
        let (report, _) = plain.execute(cohort, true)?;
        plain.gaps(cohort, &report, profiles, true)
    }

    /// The gaps for `report`, this matcher's plan of `cohort`.
    pub(crate) fn gaps(
        &self,
        cohort: &Cohort,
        report: &MatchReport,
        profiles: usize,
        cancellable: bool,
    ) -> Result<Vec<RecruitmentGap>> {
        let policy = cohort.policy();
        let suppress = policy.suppress_small_counts;
        let index = report.index();
        let waiting: Vec<&Recipient> = cohort
            .recipients()
            .iter()
            .filter(|r| index.match_of(r.id.as_str()).is_none())
            .collect();
        // Groups by (condition, language); a recipient joins one group per pair of them.
        let mut groups: BTreeMap<(Option<&str>, &str), Vec<&Recipient>> = BTreeMap::new();
        for &r in &waiting {
            let conditions: Vec<Option<&str>> =
                if r.conditions.is_empty() && !policy.require_shared_condition {
                    vec![None]
                } else {
                    r.conditions.iter().map(|c| Some(c.as_str())).collect()
                };
            for &c in &conditions {
                for l in &r.languages {
                    groups.entry((c, l.as_str())).or_default().push(r);
                }
            }
        }
        let mut ranked: Vec<_> = groups.into_iter().collect();
        ranked.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));

        let capacity = median_capacity(cohort);
        let matched = report.summary.matched;
        let mut out = Vec::new();
        for ((condition, language), group) in ranked.into_iter().take(profiles) {
            let profile = profile_of(&group, condition, language, capacity);
            let needed = (group.len() as u32).div_ceil(capacity).max(1);
            let mut gain = self.gain(cohort, &profile, needed, matched, cancellable)?;
            let mut mentors = needed;
            // Fewer mentors may serve as many: try the fewest the gain needs.
            let fewest = gain.div_ceil(capacity as usize).max(1) as u32;
            if gain > 0
                && fewest < needed
                && self.gain(cohort, &profile, fewest, matched, cancellable)? == gain
            {
                mentors = fewest;
            }
            if gain == 0 {
                continue;
            }
            gain = gain.min(u32::MAX as usize);
            out.push(RecruitmentGap {
                profile,
                mentors,
                waiting: Count::of(group.len() as u32, suppress),
                would_serve: Count::of(gain as u32, suppress),
            });
        }
        // Most served first; the count before suppression decides, ties in group order.
        out.sort_by_key(|g| std::cmp::Reverse(served(g)));
        Ok(out)
    }

    /// How many more people the plan matches with `n` mentors of `profile` added.
    fn gain(
        &self,
        cohort: &Cohort,
        profile: &MentorProfile,
        n: u32,
        matched: usize,
        cancellable: bool,
    ) -> Result<usize> {
        let mut mentors: Vec<Mentor> = cohort.mentors().iter().map(|m| Mentor::clone(m)).collect();
        let mut taken = 0;
        for i in 1.. {
            if taken == n {
                break;
            }
            let id = format!("recruit-{i}");
            if cohort.mentor(&id).is_none() && cohort.recipient(&id).is_none() {
                mentors.push(profile.to_mentor(&id));
                taken += 1;
            }
        }
        // The cohort was validated already (under whatever limits it was read with);
        // only the added mentors are new, and they are drawn from its own tags.
        let limits = Limits::default()
            .with_people(MAX_PEOPLE)
            .with_tags_per_list(usize::MAX)
            .with_tag_bytes(usize::MAX);
        let recipients = cohort.recipients().to_vec();
        let grown = Cohort::new_with_limits(mentors, recipients, cohort.policy().clone(), &limits)
            .and_then(|c| c.with_pairs(cohort.pairs().to_vec()));
        // Only a cohort at the people limit cannot grow: then there is no such gap.
        let Ok(grown) = grown else {
            return Ok(0);
        };
        let (report, _) = self.execute(&grown, cancellable)?;
        Ok(report.summary.matched.saturating_sub(matched))
    }
}

/// A gap's served count for ordering (suppressed counts rank below every shown one).
fn served(gap: &RecruitmentGap) -> u32 {
    match gap.would_serve {
        Count::Exactly(n) => n,
        Count::FewerThan(_) => 0,
    }
}

/// The median capacity of the cohort's mentors, at least 1; 2 with no mentors.
fn median_capacity(cohort: &Cohort) -> u32 {
    let mut capacities: Vec<u32> = cohort.mentors().iter().map(|m| m.capacity).collect();
    if capacities.is_empty() {
        return 2;
    }
    capacities.sort_unstable();
    capacities[capacities.len() / 2].max(1)
}
