//! Is a mention asserted for this encounter? NegEx / ConText-style scopes.
//!
//! A mention is set aside when it is negated ("declined the flu vaccine"),
//! hypothetical ("will give Toradol if pain persists"), historical ("last
//! dose in April"), in an allergy list, under a section that does not
//! describe this encounter (allergies, medication list, past history), or
//! in a template field whose value is blank or a refusal.
//!
//! Every lookup is a binary search over hits found once per note, and
//! scopes are capped in words, so the cost per mention is bounded however
//! long the note is.

use crate::lexicon::{Direction, FieldKind, Hit, Kind, Modifier, SectionKind};
use crate::note::layout::{Layout, ValueState};
use std::ops::Range;

/// Longest reach of an allergy trigger, in words.
const ALLERGY_SCOPE_WORDS: usize = 30;
/// Reach of a backward trigger, in words.
const BACKWARD_SCOPE_WORDS: usize = 5;

#[derive(Clone, Copy, Debug)]
struct Trigger {
    start: usize,
    end: usize,
    modifier: Modifier,
    direction: Direction,
}

/// The context of one note: its triggers and terminators.
pub struct Context<'a> {
    text: &'a str,
    layout: &'a Layout,
    triggers: Vec<Trigger>,
    terminators: Vec<usize>,
    scope_words: usize,
}

/// Does `s` hold more than `limit` words (runs of letters and digits)?
/// Reading stops at the word past the limit; ASCII is read a byte at a
/// time.
fn more_words_than(s: &str, limit: usize) -> bool {
    let bytes = s.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let w = if b < 0x80 {
            i += 1;
            b.is_ascii_alphanumeric()
        } else {
            let c = s[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            c.is_alphanumeric()
        };
        if w && !in_word {
            n += 1;
            if n > limit {
                return true;
            }
        }
        in_word = w;
    }
    false
}

impl<'a> Context<'a> {
    pub fn new(text: &'a str, layout: &'a Layout, hits: &[Hit], scope_words: usize) -> Context<'a> {
        let mut triggers = Vec::with_capacity(8);
        let mut terminators = Vec::with_capacity(layout.fields.len() + 8);
        for h in hits {
            if layout.in_label(h.start) && !matches!(h.kind, Kind::Trigger(Modifier::Allergy, _)) {
                continue;
            }
            match h.kind {
                Kind::Trigger(modifier, direction) => {
                    triggers.push(Trigger { start: h.start, end: h.end, modifier, direction })
                }
                Kind::Terminator => terminators.push(h.start),
                _ => {}
            }
        }
        for f in &layout.fields {
            terminators.push(f.label.start);
        }
        terminators.sort_unstable();
        Context { text, layout, triggers, terminators, scope_words }
    }

    /// Why `span` does not describe this encounter, or `None` if it does.
    pub fn modifier(&self, span: &Range<usize>) -> Option<Modifier> {
        if let Some(section) = self.layout.section_at(span.start) {
            match section.kind {
                SectionKind::Allergies => return Some(Modifier::Allergy),
                SectionKind::MedicationList | SectionKind::History | SectionKind::FamilyHistory => {
                    return Some(Modifier::Historical)
                }
                _ => {}
            }
        }
        if let Some(field) = self.layout.field_at(span.start) {
            if field.kind == FieldKind::Allergies {
                return Some(Modifier::Allergy);
            }
            if field.state != ValueState::Present && field.value.start <= span.start {
                return Some(Modifier::Negated);
            }
        }
        if self.layout.unchecked_at(span.start) {
            return Some(Modifier::Negated);
        }
        self.trigger_for(span)
    }

    /// Is `span` asserted for this encounter?
    pub fn affirmed(&self, span: &Range<usize>) -> bool {
        self.modifier(span).is_none()
    }

    fn terminated(&self, gap: Range<usize>, modifier: Modifier) -> bool {
        let s = &self.text[gap.clone()];
        // (ASCII marks: a byte comparison finds what a character search does.)
        if modifier != Modifier::Allergy && s.bytes().any(|b| matches!(b, b',' | b';' | b'(' | b')')) {
            return true;
        }
        if memchr::memchr(b'\n', s.as_bytes()).is_some() && s.trim_start().starts_with(['-', '*', '•']) {
            return true;
        }
        let i = self.terminators.partition_point(|t| *t < gap.start);
        self.terminators.get(i).is_some_and(|t| *t < gap.end)
    }

    fn trigger_for(&self, span: &Range<usize>) -> Option<Modifier> {
        if self.triggers.is_empty() {
            return None;
        }
        let sentence = self.layout.sentence_at(span.start);
        let lo = self.triggers.partition_point(|t| t.end <= sentence.start);
        let hi = self.triggers.partition_point(|t| t.start < sentence.end.max(span.end));
        // nearest triggers first: forward ones before the span, backward after
        let mut found: Option<(usize, Modifier)> = None;
        for t in self.triggers[lo..hi].iter() {
            let (gap, limit) = match t.direction {
                Direction::Forward if t.end <= span.start => (
                    t.end..span.start,
                    if t.modifier == Modifier::Allergy { ALLERGY_SCOPE_WORDS } else { self.scope_words },
                ),
                Direction::Backward if t.start >= span.end => (span.end..t.start, BACKWARD_SCOPE_WORDS),
                _ => continue,
            };
            // Only a nearer trigger than the one found can take its place;
            // the scope checks below are the costly part.
            let distance = gap.end - gap.start;
            if found.is_some_and(|(d, _)| distance >= d) {
                continue;
            }
            if more_words_than(&self.text[gap.clone()], limit) || self.terminated(gap, t.modifier) {
                continue;
            }
            found = Some((distance, t.modifier));
        }
        found.map(|(_, m)| m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::note::Markup;

    fn modifier_of(text: &str, needle: &str) -> Option<Modifier> {
        let lex = Lexicon::default_compiled();
        let layout = Layout::analyse(text, Markup::Plain, &lex);
        let hits = lex.terms.find(text);
        let ctx = Context::new(text, &layout, &hits, lex.scope_words());
        let s = text.find(needle).unwrap();
        ctx.modifier(&(s..s + needle.len()))
    }

    /// Words are counted as a character-at-a-time reading counts them.
    #[test]
    fn words_are_counted_as_characters_count_them() {
        let by_chars = |s: &str| {
            let (mut n, mut in_word) = (0, false);
            for c in s.chars() {
                n += usize::from(c.is_alphanumeric() && !in_word);
                in_word = c.is_alphanumeric();
            }
            n
        };
        let texts =
            ["", "a", " a b ", "B12 1000mcg, IM", "caf\u{e9} \u{e9}t\u{e9}", "\u{2013} \u{663}\u{664} x", "a-b c.d"];
        for t in texts {
            for limit in 0..6 {
                assert_eq!(more_words_than(t, limit), by_chars(t) > limit, "{t:?} {limit}");
            }
        }
    }

    #[test]
    fn negation_forward_and_backward() {
        assert_eq!(modifier_of("Patient declined the flu vaccine today.", "flu vaccine"), Some(Modifier::Negated));
        assert_eq!(modifier_of("Flu vaccine declined, B12 1000 mcg IM given.", "Flu vaccine"), Some(Modifier::Negated));
        assert_eq!(modifier_of("Flu vaccine declined, B12 1000 mcg IM given.", "B12"), None);
        assert_eq!(modifier_of("Pt refused IM, given SC instead.", "SC"), None);
        assert_eq!(modifier_of("Pt refused IM, given SC instead.", "IM"), Some(Modifier::Negated));
    }

    #[test]
    fn hypothetical_and_historical() {
        assert_eq!(modifier_of("Will give Toradol if pain persists.", "Toradol"), Some(Modifier::Hypothetical));
        assert_eq!(
            modifier_of("Next injection due 02/05/2026 in right deltoid.", "right deltoid"),
            Some(Modifier::Hypothetical)
        );
        assert_eq!(
            modifier_of("Last dose given in April in the left deltoid.", "left deltoid"),
            Some(Modifier::Historical)
        );
        assert_eq!(modifier_of("Hx of B12 deficiency.", "B12 deficiency"), Some(Modifier::Historical));
    }

    #[test]
    fn allergy_lists_cross_commas_and_pseudo_triggers_do_not_negate() {
        assert_eq!(
            modifier_of("Allergies: penicillin, ceftriaxone\nToradol 60 mg IM given.", "ceftriaxone"),
            Some(Modifier::Allergy)
        );
        assert_eq!(modifier_of("Allergies: penicillin, ceftriaxone\nToradol 60 mg IM given.", "Toradol"), None);
        assert_eq!(modifier_of("Pt allergic to sulfa and penicillin.", "penicillin"), Some(Modifier::Allergy));
        assert_eq!(modifier_of("No adverse reaction. Tolerated well.", "Tolerated"), None);
    }

    #[test]
    fn empty_fields_document_nothing() {
        assert_eq!(modifier_of("Consent: not obtained", "not obtained"), Some(Modifier::Negated));
    }
}
