//! Tag normalisation and set operations on normalised tag lists.
//!
//! After validation every tag list is trimmed, lowercased, stripped of blanks, sorted and
//! deduplicated, so the set operations below are linear merges over sorted slices.

use std::cmp::Ordering;

/// Trims and lowercases each tag, drops blank ones, and sorts and deduplicates the rest.
pub(crate) fn normalize(tags: &mut Vec<String>) {
    for tag in tags.iter_mut() {
        let folded = tag.trim().to_lowercase();
        *tag = folded;
    }
    tags.retain(|tag| !tag.is_empty());
    tags.sort_unstable();
    tags.dedup();
}

/// Trims and lowercases an optional single tag; blank becomes unknown.
pub(crate) fn normalize_one(tag: &mut Option<String>) {
    if let Some(value) = tag.take() {
        let folded = value.trim().to_lowercase();
        if !folded.is_empty() {
            *tag = Some(folded);
        }
    }
}

/// The number of tags in both sorted, deduplicated slices.
pub(crate) fn shared<S: AsRef<str>>(a: &[S], b: &[S]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].as_ref().cmp(b[j].as_ref()) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Whether the two sorted, deduplicated slices have a tag in common.
pub(crate) fn intersects<S: AsRef<str>>(a: &[S], b: &[S]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].as_ref().cmp(b[j].as_ref()) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => return true,
        }
    }
    false
}

/// The sorted, deduplicated union of two sorted, deduplicated slices.
pub(crate) fn union<'a>(a: &'a [String], b: &'a [String]) -> Vec<&'a str> {
    let mut out: Vec<&str> = a.iter().chain(b).map(String::as_str).collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_trims_folds_drops_blanks_and_dedups() {
        let mut tags = vec![
            " Shift Work".to_owned(),
            "".to_owned(),
            "shift work ".to_owned(),
            "  ".to_owned(),
            "Rural".to_owned(),
        ];
        normalize(&mut tags);
        assert_eq!(tags, ["rural", "shift work"]);
    }

    #[test]
    fn normalize_one_turns_blank_into_unknown() {
        let mut blank = Some("  ".to_owned());
        normalize_one(&mut blank);
        assert_eq!(blank, None);
        let mut region = Some(" North ".to_owned());
        normalize_one(&mut region);
        assert_eq!(region.as_deref(), Some("north"));
    }

    #[test]
    fn set_operations_on_sorted_slices() {
        let a = ["a", "c", "d"];
        let b = ["b", "c", "d", "e"];
        assert_eq!(shared(&a, &b), 2);
        assert!(intersects(&a, &b));
        assert!(!intersects(&a, &["b", "e"]));
        assert_eq!(shared::<&str>(&[], &b), 0);
        let (x, y) = (
            vec!["a".to_owned(), "c".to_owned()],
            vec!["b".to_owned(), "c".to_owned()],
        );
        assert_eq!(union(&x, &y), ["a", "b", "c"]);
    }
}
