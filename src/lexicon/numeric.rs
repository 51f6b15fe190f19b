//! Searching the number-bearing patterns (doses, ICD-10 codes, clock times)
//! only where a match can start, and reading the short ones that follow a
//! known place (a bare dose number after a drug, a lot number after "Lot")
//! by hand. Each hand reader has a test that holds it equal to its pattern
//! from every position of every corpus file and 20,000 built strings.
//!
//! Each of these patterns starts at or next to an ASCII digit, and digits
//! are a few percent of a note. A search over the whole note costs 2-3 ns a
//! byte whatever the engine; finding the note's digit runs once and trying
//! an anchored match only at the few places a cheap test accepts costs a
//! fraction of that. The matches are exactly those of `find_iter` /
//! `captures_iter`: every place a match can start is tried (each `*_starts`
//! function accepts a superset of them, as its comment argues and the tests
//! check against the full search), in text order.

use super::Patterns;
use regex_automata::{meta, Anchored, Input};
use std::ops::Range;

/// The runs of ASCII digits in a text, in order.
#[derive(Clone, Debug, Default)]
pub struct DigitRuns(Vec<Range<usize>>);

impl DigitRuns {
    /// The runs of `text`, found on their own. (Linting takes them from
    /// the phrase search, which reads every word anyway.)
    pub fn of(text: &str) -> DigitRuns {
        let bytes = text.as_bytes();
        let mut runs = Vec::new();
        let mut i = 0;
        while let Some(k) = bytes[i..].iter().position(u8::is_ascii_digit) {
            let start = i + k;
            i = start + bytes[start..].iter().take_while(|b| b.is_ascii_digit()).count();
            runs.push(start..i);
        }
        DigitRuns(runs)
    }

    /// From runs already found, in text order.
    pub(crate) fn from_runs(runs: Vec<Range<usize>>) -> DigitRuns {
        DigitRuns(runs)
    }

    pub fn runs(&self) -> &[Range<usize>] {
        &self.0
    }
}

/// The matches a pattern's `find_iter` gives, found by anchored searches
/// at `starts`: ascending positions that include every position a match
/// can start at. `at_start(at)` returns the match starting exactly at `at`,
/// if there is one, with its span; the pattern must not match the empty
/// string. The first start with a match is the leftmost match, and an
/// anchored search prefers among the matches there as the full search
/// does; after it, starts inside the match are skipped, as `find_iter`
/// goes on from its end.
fn anchored_matches<T>(
    mut starts: impl Iterator<Item = usize>,
    mut at_start: impl FnMut(usize) -> Option<(T, Range<usize>)>,
) -> impl Iterator<Item = T> {
    let mut end = 0;
    std::iter::from_fn(move || loop {
        let at = starts.next()?;
        if at < end {
            continue;
        }
        if let Some((found, span)) = at_start(at) {
            debug_assert!(span.start == at && span.end > at);
            end = span.end;
            return Some(found);
        }
    })
}

/// An anchored search input for `text` from `at` (the text before `at`
/// still counts for word boundaries).
fn input_at(text: &str, at: usize) -> Input<'_> {
    Input::new(text).range(at..).anchored(Anchored::Yes)
}

/// Spans of a pattern's matches, by anchored searches at `starts`.
fn find_from<'a>(
    re: &'a meta::Regex,
    text: &'a str,
    starts: impl Iterator<Item = usize> + 'a,
) -> impl Iterator<Item = Range<usize>> + 'a {
    anchored_matches(starts, move |at| re.search(&input_at(text, at)).map(|m| (m.range(), m.range())))
}

/// An ASCII word byte, as `(?-u:\b)` sees one.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Does an ASCII word boundary (`(?-u:\b)`) come before the word byte at `i`?
pub(crate) fn word_start(bytes: &[u8], i: usize) -> bool {
    i == 0 || !is_word_byte(bytes[i - 1])
}

/// Where a dose (`Patterns::amount`) can start.
///
/// A match starts with its number: digits with optional thousands groups
/// and decimals, or a decimal point and digits. From there it is digits,
/// commas and points, an optional space, an optional range ("- 2", digits
/// and points between optional spaces), then the unit, whose first
/// character is m, u, g, c or i in either case, or µ/μ/Μ (lead bytes 0xC2,
/// 0xCE). Skipping greedily over those bytes cannot overshoot: a number is
/// never followed by another digit, comma or point in a match. A match
/// starts at the start of a digit run, at a point before one, or inside a
/// run only through a thousands group ("12345,678 mg" matches from "345"),
/// so within the last three digits of a run followed by a comma; those are
/// the places tried.
fn amount_starts<'a>(bytes: &'a [u8], runs: &'a DigitRuns) -> impl Iterator<Item = usize> + 'a {
    runs.runs()
        .iter()
        .flat_map(move |r| {
            let point = (r.start > 0 && bytes[r.start - 1] == b'.').then(|| r.start - 1);
            let grouped =
                if bytes.get(r.end) == Some(&b',') { (r.start + 1).max(r.end.saturating_sub(3))..r.end } else { 0..0 };
            point.into_iter().chain(std::iter::once(r.start)).chain(grouped)
        })
        .filter(move |&at| amount_may_start(bytes, at))
}

fn amount_may_start(bytes: &[u8], at: usize) -> bool {
    let skip = |mut i: usize, set: &[u8]| {
        while bytes.get(i).is_some_and(|b| set.contains(b)) {
            i += 1;
        }
        i
    };
    let space = |i: usize| if bytes.get(i) == Some(&b' ') { i + 1 } else { i };
    let mut i = space(skip(at, b"0123456789,."));
    if bytes.get(i) == Some(&b'-') {
        i = space(skip(space(i + 1), b"0123456789."));
    }
    bytes.get(i).is_some_and(|&b| matches!(b | 0x20, b'm' | b'u' | b'g' | b'c' | b'i') || b == 0xC2 || b == 0xCE)
}

/// Where an ICD-10-CM code (`Patterns::icd10`) can start: a letter other
/// than U at an ASCII word boundary, then a digit (so just before a digit
/// run), then a digit, A or B.
fn icd10_starts<'a>(bytes: &'a [u8], runs: &'a DigitRuns) -> impl Iterator<Item = usize> + 'a {
    runs.runs().iter().filter_map(move |r| {
        let at = r.start.checked_sub(1)?;
        let letter = bytes[at];
        let third = bytes.get(r.start + 1).is_some_and(|&b| b.is_ascii_digit() || matches!(b | 0x20, b'a' | b'b'));
        (letter.is_ascii_alphabetic() && letter | 0x20 != b'u' && word_start(bytes, at) && third).then_some(at)
    })
}

/// Where a clock time (`Patterns::time`) can start: one or two digits at an
/// ASCII word boundary (the whole run), then a colon, or an optional white
/// space character (ASCII, or any non-ASCII character) and a or p.
fn time_starts<'a>(bytes: &'a [u8], runs: &'a DigitRuns) -> impl Iterator<Item = usize> + 'a {
    runs.runs().iter().filter_map(move |r| {
        if r.len() > 2 || !word_start(bytes, r.start) {
            return None;
        }
        let next = bytes.get(r.end).copied().unwrap_or(0);
        let ok = next == b':'
            || matches!(next | 0x20, b'a' | b'p')
            || next.is_ascii_whitespace()
            || next == 0x0B
            || next >= 0x80;
        ok.then_some(r.start)
    })
}

/// The number `Patterns::bare_number` captures at the start of `text`
/// (after white space, colons, equals signs and hyphens), found by hand: a
/// run of digits, with a decimal part when one follows, that ends on an
/// ASCII word boundary. As the pattern does, a decimal part that would end
/// inside a word is dropped ("12.5a" gives "12"); a run of digits that ends
/// inside a word gives nothing.
pub fn bare_number(text: &str) -> Option<Range<usize>> {
    let start = text.len() - text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '=' | '-')).len();
    let bytes = text.as_bytes();
    let digits = |from: usize| from + bytes[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits(start);
    if whole == start {
        return None;
    }
    let ends_word = |at: usize| !bytes.get(at).is_some_and(|&b| is_word_byte(b));
    if bytes.get(whole) == Some(&b'.') {
        let decimal = digits(whole + 1);
        if decimal > whole + 1 && ends_word(decimal) {
            return Some(start..decimal);
        }
    }
    ends_word(whole).then_some(start..whole)
}

/// The lot number `Patterns::lot_value` captures at the start of `text`,
/// read by hand: after white space, an optional "#", "no", "no.", "number"
/// or "num" (in that order of preference, any case), white space, an
/// optional ":", "#", "=" or "-" and white space, a letter or digit and 1-24
/// more letters, digits, "-", "/" or ".". Letters include the two non-ASCII
/// characters that ignoring case makes ASCII letters (ſ and the Kelvin
/// sign), as the pattern's `(?i)` does.
pub fn lot_value(text: &str) -> Option<Range<usize>> {
    let skip_space = |i: usize| text.len() - text[i..].trim_start_matches(char::is_whitespace).len();
    let head = |c: char| c.is_ascii_alphanumeric() || c == '\u{17f}' || c == '\u{212a}';
    let value_after = |i: usize| -> Option<Range<usize>> {
        let mut i = skip_space(i);
        if text[i..].starts_with([':', '#', '=', '-']) {
            i += 1;
        }
        let start = skip_space(i);
        let mut chars = text[start..].char_indices();
        let (_, first) = chars.next()?;
        if !head(first) {
            return None;
        }
        let mut end = start + first.len_utf8();
        for (n, (k, c)) in chars.enumerate() {
            if n == 24 || !(head(c) || matches!(c, '-' | '/' | '.')) {
                break;
            }
            end = start + k + c.len_utf8();
        }
        (end > start + first.len_utf8()).then_some(start..end)
    };
    let start = skip_space(0);
    ["#", "no.", "no", "number", "num", ""].iter().find_map(|prefix| {
        let rest = &text.as_bytes()[start..];
        let matches = rest.get(..prefix.len()).is_some_and(|r| r.eq_ignore_ascii_case(prefix.as_bytes()));
        matches.then(|| value_after(start + prefix.len())).flatten()
    })
}

/// A dose match of [`Patterns::amount`]: its span and its named groups.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmountMatch {
    pub span: Range<usize>,
    pub num: Option<Range<usize>>,
    pub unit: Option<Range<usize>>,
    pub per: Option<Range<usize>>,
    pub perunit: Option<Range<usize>>,
}

/// Units that `Patterns::amount` matches as one run of letters, lowercased.
const SIMPLE_UNITS: &[&str] = &[
    "mu",
    "milligram",
    "milligrams",
    "microgram",
    "micrograms",
    "mcg",
    "µg",
    "μg",
    "ug",
    "mg",
    "gram",
    "grams",
    "g",
    "gm",
    "milliliter",
    "milliliters",
    "millilitre",
    "millilitres",
    "ml",
    "cc",
    "unit",
    "units",
    "u",
    "iu",
    "meq",
    "mmol",
];

/// The groups of a dose match spanning `span` when it is a number, an
/// optional space and one unit word ("40 mg", "1.5mL"), which is most of
/// them, without running the capturing engine. In such a span nothing else
/// can be read: a range needs a hyphen, a concentration a slash or "per",
/// and the unit cannot start with a digit, point or space, so the number
/// is the run of digits, commas and points and the unit is the rest.
/// Anything else (`None`) goes to the capturing search.
fn simple_amount(text: &str, span: Range<usize>) -> Option<AmountMatch> {
    let s = &text.as_bytes()[span.clone()];
    let number = s.iter().take_while(|b| b.is_ascii_digit() || matches!(b, b',' | b'.')).count();
    let unit_start = number + usize::from(s.get(number) == Some(&b' '));
    let unit = text.get(span.start + unit_start..span.end)?;
    let known = SIMPLE_UNITS.iter().any(|u| u.len() == unit.len() && u.eq_ignore_ascii_case(unit));
    (number > 0 && known).then(|| AmountMatch {
        span: span.clone(),
        num: Some(span.start..span.start + number),
        unit: Some(span.start + unit_start..span.end),
        per: None,
        perunit: None,
    })
}

impl Patterns {
    /// The matches of `amount` (as `captures_iter` finds them), given the
    /// text's digit runs.
    pub fn amounts<'a>(&'a self, text: &'a str, runs: &'a DigitRuns) -> impl Iterator<Item = AmountMatch> + 'a {
        let re = self.amount.anchored();
        // Made on the first dose that needs it (most notes have none).
        let mut caps = None;
        anchored_matches(amount_starts(text.as_bytes(), runs), move |at| {
            let span = re.search(&input_at(text, at))?.range();
            if let Some(simple) = simple_amount(text, span.clone()) {
                return Some((simple, span));
            }
            let caps = caps.get_or_insert_with(|| re.create_captures());
            re.search_captures(&input_at(text, at), caps);
            let group = |name: &str| caps.get_group_by_name(name).map(|s| s.range());
            let found = AmountMatch {
                span: span.clone(),
                num: group("num"),
                unit: group("unit"),
                per: group("per"),
                perunit: group("perunit"),
            };
            Some((found, span))
        })
    }

    /// Spans of the matches of `icd10`, given the text's digit runs.
    pub fn icd10_codes<'a>(&'a self, text: &'a str, runs: &'a DigitRuns) -> impl Iterator<Item = Range<usize>> + 'a {
        find_from(self.icd10.anchored(), text, icd10_starts(text.as_bytes(), runs))
    }

    /// Spans of the matches of `time`, given the text's digit runs.
    pub fn times<'a>(&'a self, text: &'a str, runs: &'a DigitRuns) -> impl Iterator<Item = Range<usize>> + 'a {
        find_from(self.time.anchored(), text, time_starts(text.as_bytes(), runs))
    }

    /// Spans of the matches of `military_time`, given the text's digit
    /// runs: the pattern searched only in the windows where a match can lie
    /// ([`military_windows`]), each a few dozen bytes.
    pub fn military_times<'a>(&'a self, text: &'a str, runs: &'a DigitRuns) -> impl Iterator<Item = Range<usize>> + 'a {
        let re = self.military_time.anchored();
        military_windows(text, runs)
            .into_iter()
            .flat_map(move |w| re.find_iter(Input::new(text).range(w)).map(|m| m.range()))
    }
}

/// Where the matches of `military_time` can lie, as disjoint windows in
/// text order.
///
/// Every match holds a whole digit run that [`military_run`] accepts.
/// Before those digits a match holds at most white space and two words with
/// white space between ("time given: ", "given at ", "12/31/2026 "); after
/// them at most one white space character and "hrs" (its s maybe the long
/// s, two bytes): eight bytes. So each such run's window runs from two
/// words back to eight bytes on, and overlapping windows are merged: every
/// match lies inside one window, and every match starting in a window ends
/// in it, so searching each window finds exactly the matches of the whole
/// text, in order.
fn military_windows(text: &str, runs: &DigitRuns) -> Vec<Range<usize>> {
    let mut windows: Vec<Range<usize>> = Vec::new();
    for r in runs.runs().iter().filter(|r| military_run(text, r)) {
        let lo = two_words_back(text, r.start);
        let mut hi = (r.end + 8).min(text.len());
        while !text.is_char_boundary(hi) {
            hi += 1;
        }
        match windows.last_mut() {
            Some(w) if lo <= w.end => w.end = w.end.max(hi),
            _ => windows.push(lo..hi),
        }
    }
    windows
}

/// Can the digit run `run` be the clock time of a `military_time` match?
///
/// Every match holds four digits, alone in their run, that read as a clock
/// time ("0930"), and either an hour unit after them ("h", "hrs", maybe
/// after one space) or, after them, no letter or digit and, before them
/// past any white space, the end of a cue ("at", "@", "time:", "given",
/// "hrs") or of a date. This accepts every such run (and some more); the
/// pattern decides. Four-digit years ("2026" reads as 20:26) mostly fail
/// it, after a slash.
fn military_run(text: &str, run: &Range<usize>) -> bool {
    let b = text.as_bytes();
    let (start, end) = (run.start, run.end);
    let d = &b[start..end];
    if d.len() != 4 || !(d[0] <= b'1' || (d[0] == b'2' && d[1] <= b'3')) || d[2] > b'5' {
        return false;
    }
    let mut after = text[end..].chars();
    let next = after.next();
    let unit = match next {
        Some('h' | 'H') => true,
        Some(c) if c.is_whitespace() => matches!(after.next(), Some('h' | 'H')),
        _ => false,
    };
    if unit {
        return true;
    }
    if next.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
        return false;
    }
    let before = text[..start].trim_end();
    match before.chars().next_back() {
        Some(c) if c.is_ascii_digit() && before.len() < start => true,
        // The last letter of "at", "time", "given", "hr", "hrs" (and the
        // long s that case-insensitive matching takes for an s).
        Some('t' | 'T' | 'e' | 'E' | 'n' | 'N' | 'r' | 'R' | 's' | 'S' | '\u{17f}' | '@' | ':') => true,
        _ => false,
    }
}

/// From `at`, back over white space, a word (any characters but white
/// space), white space and another word.
fn two_words_back(text: &str, at: usize) -> usize {
    let mut chars = text[..at].char_indices().rev().peekable();
    let mut start = at;
    for _ in 0..2 {
        for want_space in [true, false] {
            while let Some(&(i, c)) = chars.peek() {
                if c.is_whitespace() != want_space {
                    break;
                }
                start = i;
                chars.next();
            }
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings built from the pieces these patterns are made of, so that
    /// near-misses of every kind occur.
    fn built_texts() -> Vec<String> {
        const PIECES: &[&str] = &[
            "0",
            "1",
            "2",
            "3",
            "5",
            "9",
            "12",
            "23",
            "40",
            "100",
            "1000",
            "12345",
            ",",
            ",000",
            ".",
            ".5",
            " ",
            "  ",
            "-",
            ":",
            ":30",
            "/",
            "\t",
            "\u{a0}",
            "\u{2009}",
            "mg",
            "MG",
            "mcg",
            "µg",
            "μg",
            "Μg",
            "ml",
            "mL",
            "cc",
            "u",
            "U",
            "iu",
            "units",
            "meq",
            "g",
            "gm",
            "grams",
            "million units",
            "a",
            "am",
            "pm",
            "PM",
            "a.m.",
            "p",
            "x",
            "_",
            "é",
            "M",
            "D51",
            "E11",
            "Z23",
            "U07",
            "b12",
            "B1",
            "A",
            "b",
            "per",
            "/mL",
            "/kg",
            "(",
            ")",
            "\n",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..20_000)
            .map(|_| {
                let n = 1 + next() % 8;
                (0..n).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect()
            })
            .collect()
    }

    #[test]
    fn gated_searches_find_what_the_full_searches_find() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let p = &lexicon.patterns;
        let mut texts = crate::testing::corpus_texts();
        texts.extend(built_texts());
        let mut counts = [0usize; 3];
        for text in &texts {
            let runs = DigitRuns::of(text);
            let full: Vec<AmountMatch> = p
                .amount
                .captures_iter(text)
                .map(|c| {
                    let group = |name: &str| c.name(name).map(|m| m.range());
                    AmountMatch {
                        span: c.get(0).map(|m| m.range()).unwrap_or_default(),
                        num: group("num"),
                        unit: group("unit"),
                        per: group("per"),
                        perunit: group("perunit"),
                    }
                })
                .collect();
            assert_eq!(p.amounts(text, &runs).collect::<Vec<_>>(), full, "amount in {text:?}");
            let full_codes: Vec<_> = p.icd10.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(p.icd10_codes(text, &runs).collect::<Vec<_>>(), full_codes, "{text:?}");
            let full_times: Vec<_> = p.time.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(p.times(text, &runs).collect::<Vec<_>>(), full_times, "{text:?}");
            counts[0] += full.len();
            counts[1] += full_codes.len();
            counts[2] += full_times.len();
        }
        assert!(counts.iter().all(|&n| n > 300), "{counts:?}");
    }

    /// Military times from their windows are the full search's matches: on
    /// the corpus, the built strings, and every combination of a cue (or
    /// none, or a near miss), spacing, clock value and ending, one after
    /// another so that windows meet and merge.
    #[test]
    fn military_times_in_windows_are_the_full_searchs() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let p = &lexicon.patterns;
        let cues = [
            "",
            "at",
            "AT",
            "@",
            "time",
            "Time:",
            "time given",
            "TIME GIVEN:",
            "time\n given :",
            "given at",
            "given  at",
            "hr",
            "HRS:",
            "hr\u{17f}",
            "01/15/2024",
            "1/2/26",
            "12/31/2026\n",
            "that",
            "x",
            "x@",
            "/",
            "-",
            "9",
        ];
        let gaps = ["", " ", "  ", "\u{a0}", "\n", "\t "];
        let clocks = ["0930", "2359", "2400", "0960", "1999", "12345", "930"];
        let ends =
            ["", " ", "h", "H", " hrs", "hrs", "hr\u{17f}", "\u{a0}h", "\u{2009}hrs", "x", ".", "_", ",", "  h", "5"];
        let mut texts = crate::testing::corpus_texts();
        let corpus_notes = texts.iter().filter(|t| p.military_time.is_match(t)).count();
        assert!(corpus_notes > 10, "{corpus_notes}");
        texts.extend(built_texts());
        for c in cues {
            for g in gaps {
                for t in clocks {
                    for e in ends {
                        texts.push(format!("Pt {c}{g}{t}{e} ok"));
                        texts.push(format!("{c}{g}{t}{e}{g}{c}{g}{t}{e}"));
                    }
                }
            }
        }
        let mut found = 0;
        for text in &texts {
            let full: Vec<_> = p.military_time.find_iter(text).map(|m| m.range()).collect();
            let windowed: Vec<_> = p.military_times(text, &DigitRuns::of(text)).collect();
            assert_eq!(windowed, full, "{text:?}");
            found += full.len();
        }
        assert!(found > 5000, "{found}");
        // Years after a slash, a count of units and a three-digit time open
        // no window: the search is skipped.
        let text = "Given 01/15/2024, lot 4K21B, 2359 units; at 930";
        assert!(military_windows(text, &DigitRuns::of(text)).is_empty());
    }

    /// `reader` gives what `pattern`'s first group captures, from every
    /// character of the corpus, the built strings and `extra` (a hand reader
    /// is asked right after a known place, which may be anywhere).
    fn reads_as_the_pattern(reader: fn(&str) -> Option<Range<usize>>, pattern: &regex::Regex, extra: &[&str]) {
        let mut texts = crate::testing::corpus_texts_and(extra);
        texts.extend(built_texts());
        let mut found = 0;
        for text in &texts {
            for (i, _) in text.char_indices() {
                let rest = &text[i..];
                let expected = pattern.captures(rest).and_then(|c| c.get(1)).map(|m| m.range());
                assert_eq!(reader(rest), expected, "{rest:?}");
                found += usize::from(expected.is_some());
            }
        }
        assert!(found > 10_000, "{found}");
    }

    #[test]
    fn bare_numbers_are_what_the_pattern_captures() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let extra = [" \u{a0}: 12.5a", "=-12.", "12.5.6", "1_", "7\u{2003}", "- 40mg", "\u{85}3.0 x"];
        reads_as_the_pattern(bare_number, &lexicon.patterns.bare_number, &extra);
    }

    #[test]
    fn lot_values_are_what_the_pattern_captures() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let extra = [
            " # 4K21B",
            "No. 123",
            "no.5678",
            "NUMBER: AB-12",
            "numb3r",
            "num- x1",
            "#:\u{a0}AB12",
            "\u{17f}K12",
            "\u{212a}7",
            "\u{130}12 ab",
            "\u{131}x 12",
            "no",
            "#",
            "a",
            "ab",
            "0123456789012345678901234567",
            "lot\n\nX9",
            "= -12",
            "--12",
            "n o 12",
            "No.\t\tC4419K, exp",
            "number12",
            "#-.5",
            "x/y.z-1",
        ];
        reads_as_the_pattern(lot_value, &lexicon.patterns.lot_value, &extra);
    }

    #[test]
    fn digit_runs_are_every_run_of_ascii_digits() {
        for text in ["", "7", "abc", "a1b22c333", "0123456789abcdefgh9", "é١٢3 45", "x       y       1"] {
            let expected: Vec<Range<usize>> = {
                let b = text.as_bytes();
                let mut v = Vec::new();
                let mut i = 0;
                while i < b.len() {
                    if b[i].is_ascii_digit() {
                        let s = i;
                        while i < b.len() && b[i].is_ascii_digit() {
                            i += 1;
                        }
                        v.push(s..i);
                    } else {
                        i += 1;
                    }
                }
                v
            };
            assert_eq!(DigitRuns::of(text).runs(), &expected[..], "{text:?}");
        }
    }

    /// `amount_may_start` must accept every character a unit can start
    /// with: the first characters of the unit alternatives of
    /// `Patterns::amount` are m, µ, μ, u, g, c and i, matched ignoring case.
    #[test]
    fn every_unit_first_character_is_accepted() {
        let first = regex::Regex::new(r"(?i)^[mµμugci]").expect("class");
        let mut accepted = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| first.is_match(c.encode_utf8(&mut [0; 4]))) {
            assert!(amount_may_start(format!("1{c}").as_bytes(), 0), "{c:?} (U+{:04X})", c as u32);
            accepted += 1;
        }
        assert!(accepted >= 12, "{accepted}");
    }
}
