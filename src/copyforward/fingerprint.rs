//! Fingerprints: what copy-forward detection keeps of a note. Word
//! shingles of the normalized text (lower case, every number folded to one
//! symbol, so dates, times, lot numbers and vitals do not make a copy look
//! new; white space and line wrapping disappear with tokenization), hashed
//! to 64 bits, for the whole note and for its assessment, rationale, plan
//! and response sections. A fingerprint is small: the note text itself is
//! not needed to find copies.

use crate::lexicon::{FieldKind, SectionKind};
use crate::note::layout::{Layout, ValueState};

/// The sections compared on their own (F402).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SectionClass {
    Assessment,
    Rationale,
    Plan,
    Response,
}

impl SectionClass {
    pub fn name(self) -> &'static str {
        match self {
            SectionClass::Assessment => "assessment",
            SectionClass::Rationale => "rationale",
            SectionClass::Plan => "plan",
            SectionClass::Response => "response",
        }
    }
}

/// The shingles of one note.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fingerprint {
    /// Sorted, deduplicated shingle hashes of the whole note.
    pub shingles: Vec<u64>,
    /// Sorted, deduplicated shingle hashes per section.
    pub sections: Vec<(SectionClass, Vec<u64>)>,
}

impl SectionClass {
    const ALL: [SectionClass; 4] =
        [SectionClass::Assessment, SectionClass::Rationale, SectionClass::Plan, SectionClass::Response];
}

impl Fingerprint {
    /// Append a compact binary form (for a spill file): counts as
    /// little-endian u32, hashes as little-endian u64.
    pub fn encode(&self, out: &mut Vec<u8>) {
        let put = |out: &mut Vec<u8>, set: &[u64]| {
            out.extend_from_slice(&(set.len() as u32).to_le_bytes());
            for h in set {
                out.extend_from_slice(&h.to_le_bytes());
            }
        };
        put(out, &self.shingles);
        out.push(self.sections.len().min(255) as u8);
        for (class, set) in self.sections.iter().take(255) {
            out.push(SectionClass::ALL.iter().position(|c| c == class).unwrap_or(0) as u8);
            put(out, set);
        }
    }

    /// Read only the whole-note shingles of what [`Fingerprint::encode`]
    /// wrote into `out`, reusing its buffer. `false` (and nothing) if the
    /// bytes do not start with a shingle set.
    pub fn decode_shingles(bytes: &[u8], out: &mut Vec<u64>) -> bool {
        let ok = read_set(&mut &bytes[..], out).is_some();
        if !ok {
            out.clear();
        }
        ok
    }

    /// Read what [`Fingerprint::encode`] wrote into `self`, reusing its
    /// buffers. `false` (and an empty fingerprint) if the bytes are not one.
    pub fn decode_from(&mut self, bytes: &[u8]) -> bool {
        let mut rest = bytes;
        let ok = (|| {
            read_set(&mut rest, &mut self.shingles)?;
            let n = *rest.first()? as usize;
            rest = &rest[1..];
            self.sections.truncate(n);
            for i in 0..n {
                let class = *SectionClass::ALL.get(*rest.first()? as usize)?;
                rest = &rest[1..];
                if i == self.sections.len() {
                    self.sections.push((class, Vec::new()));
                }
                self.sections[i].0 = class;
                read_set(&mut rest, &mut self.sections[i].1)?;
            }
            rest.is_empty().then_some(())
        })()
        .is_some();
        if !ok {
            self.shingles.clear();
            self.sections.clear();
        }
        ok
    }
}

/// FNV-1a, then a final mix: fast, deterministic across runs and platforms.
fn hash_words(words: &[u64]) -> u64 {
    let mut h = words.iter().fold(FNV_OFFSET, |h, w| fnv_step(h, *w));
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 33)
}

/// One FNV-1a step.
const fn fnv_step(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(FNV_PRIME)
}

const fn word_hash(word: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < word.len() {
        h = fnv_step(h, word[i] as u64);
        i += 1;
    }
    h
}

const MONTHS: [&str; 24] = [
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
];

/// FNV-1a offset basis and prime.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// [`word_hash`] of each month name, so that most words are told apart
/// from the months by their hash alone.
const MONTH_HASHES: [u64; 24] = {
    let mut out = [0u64; 24];
    let mut m = 0;
    while m < MONTHS.len() {
        out[m] = word_hash(MONTHS[m].as_bytes());
        m += 1;
    }
    out
};

/// Is this lowercased word a month name or its abbreviation?
fn is_month(lower: &[u8]) -> bool {
    MONTHS.iter().any(|m| m.as_bytes() == lower)
}

/// Normalized word hashes of `text`: words in lower case; any token with a
/// digit (a date, time, dose, lot number, vital sign) and month names fold
/// to one symbol, and a run of such symbols to one.
pub fn words(text: &str) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(text.len() / 5);
    words_into(text, &mut out);
    out
}

/// [`words`] of `text`, appended to `out` (a run of folded symbols across
/// the join still folds to one).
fn words_into(text: &str, out: &mut Vec<u64>) {
    let folded = word_hash(b"#");
    let mut push = |w: u64| {
        if !(w == folded && out.last() == Some(&folded)) {
            out.push(w);
        }
    };
    let bytes = text.as_bytes();
    // The length of the alphanumeric character starting at byte `i` (a
    // non-ASCII one), or 0.
    let wide_alnum = |i: usize| -> usize {
        text.get(i..).and_then(|t| t.chars().next()).filter(|c| c.is_alphanumeric()).map_or(0, char::len_utf8)
    };
    let mut lower = String::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() && !b.is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        // The common case, an ASCII word: hashed as it is scanned.
        let mut h = FNV_OFFSET;
        let mut digit = false;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            let c = bytes[i];
            digit |= c.is_ascii_digit();
            h = fnv_step(h, u64::from(c.to_ascii_lowercase()));
            i += 1;
        }
        if i == bytes.len() || bytes[i].is_ascii() || wide_alnum(i) == 0 {
            if i == start {
                // A non-ASCII character that is not a letter or digit.
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                continue;
            }
            let month = !digit
                && (3..=9).contains(&(i - start))
                && MONTH_HASHES.contains(&h)
                && is_month(&bytes[start..i].to_ascii_lowercase());
            push(if digit || month { folded } else { h });
            continue;
        }
        // A word with non-ASCII letters or digits in it.
        loop {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i < bytes.len() && !bytes[i].is_ascii() {
                let n = wide_alnum(i);
                if n > 0 {
                    i += n;
                    continue;
                }
            }
            break;
        }
        let token = &text[start..i];
        if token.bytes().any(|b| b.is_ascii_digit()) {
            push(folded);
            continue;
        }
        lower.clear();
        lower.extend(token.chars().flat_map(char::to_lowercase));
        if is_month(lower.as_bytes()) {
            push(folded);
        } else {
            push(word_hash(lower.as_bytes()));
        }
    }
}

/// Sorted, deduplicated `k`-word shingles of a word sequence. A text shorter
/// than `k` words gives one shingle of all its words.
pub fn shingles(words: &[u64], k: usize) -> Vec<u64> {
    let mut out: Vec<u64> = if words.len() < k {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![hash_words(words)]
        }
    } else {
        words.windows(k).map(hash_words).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Fingerprint a note from its text and layout.
pub fn fingerprint(text: &str, layout: &Layout, k: usize) -> Fingerprint {
    let mut sections: Vec<(SectionClass, Vec<u64>)> = Vec::new();
    let mut add = |class: SectionClass, range: std::ops::Range<usize>| {
        let s = shingles(&words(&text[range]), k);
        if !s.is_empty() {
            sections.push((class, s));
        }
    };
    for s in &layout.sections {
        let class = match s.kind {
            SectionKind::Assessment | SectionKind::AssessmentPlan => SectionClass::Assessment,
            SectionKind::Plan => SectionClass::Plan,
            SectionKind::Indication => SectionClass::Rationale,
            _ => continue,
        };
        add(class, s.heading.end.min(s.body.end)..s.body.end);
    }
    for f in &layout.fields {
        let class = match f.kind {
            FieldKind::Indication => SectionClass::Rationale,
            FieldKind::Response => SectionClass::Response,
            _ => continue,
        };
        if f.state == ValueState::Present {
            add(class, f.value.clone());
        }
    }
    // Labels ("Route:", "Site:") are the template, not the note's content:
    // the words of the text between them.
    let mut content: Vec<u64> = Vec::with_capacity(text.len() / 5);
    let mut at = 0;
    for label in &layout.labels {
        if label.start >= at {
            words_into(&text[at..label.start], &mut content);
            at = label.end;
        }
    }
    words_into(&text[at.min(text.len())..], &mut content);
    Fingerprint { shingles: shingles(&content, k), sections }
}

/// Size of the intersection of two sorted sets, counting only elements
/// `keep` accepts.
pub fn intersection(a: &[u64], b: &[u64], keep: impl Fn(u64) -> bool) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if keep(a[i]) {
                    n += 1;
                }
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// One shingle set as [`Fingerprint::encode`] writes it (a count, then the
/// hashes) from the front of `bytes` into `out`; `bytes` moves past it.
fn read_set(bytes: &mut &[u8], out: &mut Vec<u64>) -> Option<()> {
    let n = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let body = bytes.get(4..4 + n.checked_mul(8)?)?;
    out.clear();
    out.extend(body.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default())));
    *bytes = &bytes[4 + n * 8..];
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_numbers_case_and_wrapping_do_not_change_a_fingerprint() {
        let a = words("B12 1000 mcg IM given 01/05/2026 at 10:42, lot 4K21B.\nTolerated well.");
        let b = words("b12 1000 mcg im given\n02/09/2026 at 09:15, lot 7J33X. Tolerated   well.");
        assert_eq!(shingles(&a, 5), shingles(&b, 5));
        let c = words("B12 1000 mcg IM given 01/05/2026 at 10:42, lot 4K21B. Refused observation.");
        assert_ne!(shingles(&a, 5), shingles(&c, 5));
    }

    #[test]
    fn a_fingerprint_survives_encoding_and_bad_bytes_are_refused() {
        let f = Fingerprint {
            shingles: vec![1, 2, u64::MAX],
            sections: vec![(SectionClass::Plan, vec![7]), (SectionClass::Response, vec![])],
        };
        let mut bytes = Vec::new();
        f.encode(&mut bytes);
        let mut g = Fingerprint { shingles: vec![9; 10], sections: vec![(SectionClass::Assessment, vec![3]); 4] };
        assert!(g.decode_from(&bytes));
        assert_eq!(g, f);
        assert!(!g.decode_from(&bytes[..bytes.len() - 1]));
        assert_eq!(g, Fingerprint::default());
        // The shingles alone, as the cross-patient check reads them.
        let mut only = vec![5; 3];
        assert!(Fingerprint::decode_shingles(&bytes, &mut only));
        assert_eq!(only, f.shingles);
        assert!(!Fingerprint::decode_shingles(&bytes[..4 + 2 * 8], &mut only));
        assert!(only.is_empty());
    }

    #[test]
    fn words_fold_numbers_and_months_and_read_any_script() {
        let w = words("Given Sept 3, 2026 at 10:42; B12 ok. Ünïcode ÉCRIT août 5");
        let expect: Vec<u64> = ["given", "#", "at", "#", "ok", "ünïcode", "écrit", "août", "#"]
            .iter()
            .map(|t| word_hash(t.as_bytes()))
            .collect();
        assert_eq!(w, expect);
        // Joined pieces read as the text with a space between them.
        let mut joined = Vec::new();
        words_into("dose 5", &mut joined);
        words_into("mg given", &mut joined);
        assert_eq!(joined, words("dose 5 mg given"));
    }

    #[test]
    fn intersection_counts_shared_kept_elements() {
        assert_eq!(intersection(&[1, 3, 5, 7], &[3, 4, 5, 7], |x| x != 7), 2);
    }
}
