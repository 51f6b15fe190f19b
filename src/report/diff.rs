//! Word diff of two notes, shared by the renderers that show what changed
//! between a note and the earlier note it repeats: the terminal lists runs
//! of changed words under a copy-forward finding ([`super::human`]), the
//! HTML report shows both texts side by side ([`super::html`]).
//!
//! The diff runs under a deadline so a pathological pair cannot hold up a
//! batch; past it, `similar` falls back to a coarser (still correct) diff.

use similar::{ChangeTag, TextDiff};
use std::time::{Duration, Instant};

/// How long one diff may take before it settles for a coarser result.
const DEADLINE: Duration = Duration::from_millis(50);

/// One piece of a word diff: a word or the white space between words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordChange<'a> {
    /// In both texts.
    Same(&'a str),
    /// Only in the earlier text.
    Removed(&'a str),
    /// Only in the later text.
    Inserted(&'a str),
}

impl<'a> WordChange<'a> {
    /// The text of the piece.
    pub fn text(self) -> &'a str {
        match self {
            WordChange::Same(s) | WordChange::Removed(s) | WordChange::Inserted(s) => s,
        }
    }

    /// Is it only white space (a change of spacing or line breaks)?
    pub fn is_space(self) -> bool {
        self.text().trim().is_empty()
    }
}

/// The word diff from `old` to `new`, in order: every piece of `old` is a
/// `Same` or `Removed`, every piece of `new` a `Same` or `Inserted`.
pub fn word_changes<'a>(old: &'a str, new: &'a str) -> Vec<WordChange<'a>> {
    let diff = TextDiff::configure().deadline(Instant::now() + DEADLINE).diff_words(old, new);
    diff.iter_all_changes()
        .map(|c| match c.tag() {
            ChangeTag::Equal => WordChange::Same(c.value()),
            ChangeTag::Delete => WordChange::Removed(c.value()),
            ChangeTag::Insert => WordChange::Inserted(c.value()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_side_is_rebuilt_from_its_pieces() {
        let old = "Lot 4K21B exp 03/2027. Tolerated well.";
        let new = "Lot 7J33X exp 03/2027.  Tolerated  well, no reaction.";
        let changes = word_changes(old, new);
        let side =
            |keep: fn(WordChange) -> bool| changes.iter().copied().filter(move |c| keep(*c)).map(WordChange::text);
        assert_eq!(side(|c| !matches!(c, WordChange::Inserted(_))).collect::<String>(), old);
        assert_eq!(side(|c| !matches!(c, WordChange::Removed(_))).collect::<String>(), new);
        assert!(changes.contains(&WordChange::Removed("4K21B")));
        assert!(changes.contains(&WordChange::Inserted("7J33X")));
    }
}
