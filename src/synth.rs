//! Seeded synthetic cohorts for benchmarks, tests and demos.
//!
//! Real cohorts hold health data and cannot be shipped, yet benchmarks and tests need
//! cohorts with the shape of a real programme: a few common conditions and a long tail,
//! one dominant language and several minority ones, mentors with limited capacity and
//! some existing load, boundaries, confidentiality groups and exclusions. [`generate`]
//! draws such a cohort from a seed with a ChaCha8 generator (portable: the same seed
//! gives the same cohort on every platform and in every build with this lock file).
//!
//! The vocabularies and weights below are illustrative — plausible for a UK-style
//! chronic-condition programme — not estimates from any data set.
//!
//! ```
//! use peermatch::synth::{self, SynthOptions};
//!
//! let cohort = synth::generate(&SynthOptions { recipients: 200, mentors: 40, seed: 7, ..SynthOptions::default() })?;
//! assert_eq!(cohort.recipients().len(), 200);
//! let again = synth::generate(&SynthOptions { recipients: 200, mentors: 40, seed: 7, ..SynthOptions::default() })?;
//! assert_eq!(cohort.to_json(), again.to_json());
//! # Ok::<(), peermatch::Error>(())
//! ```

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::error::Result;
use crate::model::Cohort;
use crate::model::Criterion;
use crate::model::Policy;
use crate::model::{ContactMode, Mentor, MentorId, Recipient, RecipientId, TrainingLevel};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthOptions {
    /// Number of recipients.
    pub recipients: usize,
    /// Number of mentors.
    pub mentors: usize,
    /// The seed: the same options always give the same cohort.
    pub seed: u64,
    /// Everybody shares one condition and one language, and nobody has a region-only
    /// contact mode: a cohort with nothing for candidate generation to block on.
    pub homogeneous: bool,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            recipients: 1000,
            mentors: 200,
            seed: 1,
            homogeneous: false,
        }
    }
}

/// Conditions with relative frequencies: a few common, a long tail.
const CONDITIONS: [(&str, u32); 12] = [
    ("type 2 diabetes", 25),
    ("copd", 12),
    ("heart failure", 10),
    ("chronic pain", 9),
    ("chronic kidney disease", 8),
    ("cancer survivorship", 8),
    ("rheumatoid arthritis", 7),
    ("asthma", 6),
    ("multiple sclerosis", 5),
    ("epilepsy", 4),
    ("parkinson's", 3),
    ("lupus", 2),
];

/// First languages: one dominant, several minority ones.
const LANGUAGES: [(&str, u32); 8] = [
    ("en", 78),
    ("pl", 5),
    ("ur", 4),
    ("pa", 3),
    ("es", 3),
    ("ar", 3),
    ("cy", 2),
    ("so", 2),
];

const REGIONS: [&str; 10] = [
    "north east",
    "north west",
    "yorkshire",
    "east midlands",
    "west midlands",
    "east",
    "london",
    "south east",
    "south west",
    "wales",
];

const EXPERIENCES: [&str; 25] = [
    "insulin",
    "dialysis",
    "oxygen at home",
    "pulmonary rehab",
    "cardiac rehab",
    "chemotherapy",
    "biologics",
    "steroids",
    "physiotherapy",
    "pain clinic",
    "wheelchair user",
    "fatigue",
    "depression",
    "anxiety",
    "carer",
    "parent",
    "shift work",
    "recently retired",
    "rural",
    "living alone",
    "moved countries",
    "unemployed",
    "student",
    "bereavement",
    "working full time",
];

const INTERESTS: [&str; 20] = [
    "walking",
    "gardening",
    "cooking",
    "reading",
    "football",
    "music",
    "crafts",
    "faith community",
    "fishing",
    "cycling",
    "art",
    "chess",
    "photography",
    "yoga",
    "choir",
    "volunteering",
    "travel",
    "baking",
    "games",
    "theatre",
];

/// Topics recipients ask support with (a subset of the experiences).
const NEEDS: [&str; 9] = [
    "insulin",
    "dialysis",
    "fatigue",
    "depression",
    "anxiety",
    "bereavement",
    "carer",
    "pain clinic",
    "chemotherapy",
];

const BOUNDARIES: [&str; 3] = ["bereavement", "depression", "end of life"];

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const PARTS: [&str; 3] = ["am", "pm", "eve"];

fn weighted<'a>(rng: &mut ChaCha8Rng, table: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|&(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for &(name, w) in table {
        if pick < w {
            return name;
        }
        pick -= w;
    }
    table[table.len() - 1].0
}

/// A uniform index below `len`, drawn as `u32` so that it is the same on 32- and 64-bit
/// platforms.
fn index(rng: &mut ChaCha8Rng, len: usize) -> usize {
    rng.random_range(0..len as u32) as usize
}

fn some_of(rng: &mut ChaCha8Rng, pool: &[&str], low: u32, high: u32) -> Vec<String> {
    let n = rng.random_range(low..=high);
    (0..n)
        .map(|_| pool[index(rng, pool.len())].to_owned())
        .collect()
}

/// A person's common profile, drawn once and shared by the mentor and recipient shapes.
struct Profile {
    conditions: Vec<String>,
    experiences: Vec<String>,
    interests: Vec<String>,
    languages: Vec<String>,
    age: Option<u32>,
    gender: Option<String>,
    region: Option<String>,
    modes: Vec<ContactMode>,
    availability: Vec<String>,
}

fn profile(rng: &mut ChaCha8Rng, options: &SynthOptions) -> Profile {
    let conditions = if options.homogeneous {
        vec!["type 2 diabetes".to_owned()]
    } else {
        let mut c = vec![weighted(rng, &CONDITIONS).to_owned()];
        if rng.random_bool(0.2) {
            c.push(weighted(rng, &CONDITIONS).to_owned());
        }
        c
    };
    let languages = if options.homogeneous {
        vec!["en".to_owned()]
    } else {
        let first = weighted(rng, &LANGUAGES);
        let mut l = vec![first.to_owned()];
        if first != "en" && rng.random_bool(0.6) {
            l.push("en".to_owned());
        }
        l
    };
    let gender = match rng.random_range(0..100) {
        0..52 => Some("woman".to_owned()),
        52..98 => Some("man".to_owned()),
        98..99 => Some("non-binary".to_owned()),
        _ => None,
    };
    let modes = if options.homogeneous || rng.random_bool(0.7) {
        Vec::new()
    } else {
        let n = rng.random_range(1..=2);
        (0..n).map(|_| ContactMode::ALL[index(rng, 4)]).collect()
    };
    let availability = if rng.random_bool(0.6) {
        Vec::new()
    } else {
        let n = rng.random_range(1..=4);
        (0..n)
            .map(|_| {
                format!(
                    "{}-{}",
                    DAYS[index(rng, DAYS.len())],
                    PARTS[index(rng, PARTS.len())]
                )
            })
            .collect()
    };
    Profile {
        conditions,
        experiences: some_of(rng, &EXPERIENCES, 1, 4),
        interests: some_of(rng, &INTERESTS, 0, 3),
        languages,
        age: rng.random_bool(0.95).then(|| rng.random_range(18..=90)),
        gender,
        region: rng
            .random_bool(0.9)
            .then(|| REGIONS[index(rng, REGIONS.len())].to_owned()),
        modes,
        availability,
    }
}

/// Generates a validated synthetic cohort. Ids are `m000001…` and `r000001…`.
///
/// # Errors
/// [`Error::TooManyRecords`](crate::Error::TooManyRecords) when either side exceeds
/// [`MAX_PEOPLE`](crate::MAX_PEOPLE); generated people are otherwise always valid.
pub fn generate(options: &SynthOptions) -> Result<Cohort> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let clinics = (options.recipients / 50).max(1);
    let clinic = |rng: &mut ChaCha8Rng| format!("clinic {}", index(rng, clinics));

    let mut mentors = Vec::with_capacity(options.mentors);
    for i in 0..options.mentors {
        let p = profile(&mut rng, options);
        let capacity = rng.random_range(1..=5);
        let current_load = if rng.random_bool(0.6) {
            0
        } else {
            rng.random_range(0..capacity)
        };
        let training = match rng.random_range(0..100) {
            0..30 => TrainingLevel::None,
            30..70 => TrainingLevel::Basic,
            70..95 => TrainingLevel::Certified,
            _ => TrainingLevel::Advanced,
        };
        mentors.push(Mentor {
            id: MentorId(format!("m{:06}", i + 1)),
            name: None,
            notes: None,
            conditions: p.conditions,
            experiences: p.experiences,
            interests: p.interests,
            languages: p.languages,
            age: p.age,
            gender: p.gender,
            region: p.region,
            modes: p.modes,
            availability: p.availability,
            months_since_diagnosis: rng.random_bool(0.8).then(|| rng.random_range(24..=300)),
            groups: if rng.random_bool(0.05) {
                vec![clinic(&mut rng)]
            } else {
                Vec::new()
            },
            training,
            capacity,
            current_load,
            boundaries: if rng.random_bool(0.2) {
                vec![BOUNDARIES[index(&mut rng, BOUNDARIES.len())].to_owned()]
            } else {
                Vec::new()
            },
            exclude: Vec::new(),
        });
    }

    let mut recipients = Vec::with_capacity(options.recipients);
    for i in 0..options.recipients {
        let p = profile(&mut rng, options);
        let same_gender = rng.random_bool(0.15);
        let priorities = match rng.random_range(0..20) {
            0 => [(Criterion::Age, 2.0)].into(),
            1 => [(Criterion::Region, 2.0)].into(),
            2 => [(Criterion::Interests, 0.5)].into(),
            _ => Default::default(),
        };
        let exclude = if !mentors.is_empty() && rng.random_bool(0.01) {
            vec![mentors[index(&mut rng, mentors.len())].id.clone()]
        } else {
            Vec::new()
        };
        recipients.push(Recipient {
            id: RecipientId(format!("r{:06}", i + 1)),
            name: None,
            notes: None,
            mentor_gender: match (&p.gender, same_gender) {
                (Some(g), true) => vec![g.clone()],
                _ => Vec::new(),
            },
            conditions: p.conditions,
            experiences: p.experiences,
            interests: p.interests,
            languages: p.languages,
            age: p.age,
            gender: p.gender,
            region: p.region,
            modes: p.modes,
            availability: p.availability,
            months_since_diagnosis: rng.random_bool(0.8).then(|| rng.random_range(0..=60)),
            groups: if rng.random_bool(0.05) {
                vec![clinic(&mut rng)]
            } else {
                Vec::new()
            },
            needs: some_of(&mut rng, &NEEDS, 0, 2),
            required_training: match rng.random_range(0..100) {
                0..80 => TrainingLevel::None,
                80..95 => TrainingLevel::Basic,
                _ => TrainingLevel::Certified,
            },
            urgency: match rng.random_range(0..100) {
                0..70 => 0,
                70..85 => 1,
                85..95 => 2,
                _ => 3,
            },
            priorities,
            exclude,
        });
    }
    Cohort::new(mentors, recipients, Policy::default())
}
