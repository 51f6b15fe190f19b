//! Who ordered the injection and who gave it.
//!
//! Ordering: a cue ("ordered by", "per order of", "verbal order from")
//! followed by a person, a person followed by "ordered", or an
//! `Ordered by:` field. Administering: "given by" / "administered by" and a
//! person, credential or "this writer", an `Administered by:` field, or a
//! signature line naming a clinician with a credential. "Co-signed by" and
//! "reviewed by" name neither.

use super::{Extraction, Scan};
use crate::element::Element;
use crate::lexicon::numeric::word_start;
use crate::lexicon::{FieldKind, Hit, Kind};
use crate::note::layout::{space_at, ValueState};
use compact_str::CompactString;
use std::ops::Range;

/// Capitalised words that are not people.
const NOT_PEOPLE: &[&str] = &[
    "protocol",
    "standing",
    "clinic",
    "provider",
    "physician",
    "patient",
    "pt",
    "pcp",
    "office",
    "policy",
    "plan",
    "the",
    "this",
    "staff",
    "order",
    "orders",
    "today",
    "md",
    "np",
    "pa",
    "do",
    "rn",
    "ma",
    "lpn",
    "cma",
    "pharmacy",
    "schedule",
    "nurse",
    "per",
    "standing order",
    "team",
    "attending",
    "doctor",
    "dr",
    "hospital",
    "er",
    "ed",
    "urgent",
    "care",
    "primary",
    "oncology",
    "clinic's",
    "her",
    "his",
    "their",
    "our",
    "my",
    "n/a",
    "na",
    "none",
    "unknown",
    "system",
    "ehr",
    "epic",
];

/// Is `word` one of [`NOT_PEOPLE`], in any case?
fn not_a_person(word: &str) -> bool {
    NOT_PEOPLE.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The person (or credential, or "this writer") starting right after `pos`.
fn person_after(scan: &Scan, pos: usize, strict: bool) -> Option<Range<usize>> {
    let text = scan.text;
    let window_end = (pos + 60).min(text.len());
    let mut start = pos;
    while start < window_end
        && (text.as_bytes()[start].is_ascii_whitespace() || b":-=#|*".contains(&text.as_bytes()[start]))
    {
        start += 1;
    }
    if start >= window_end {
        return None;
    }
    let window = start..window_end;
    let first_hit =
        |f: fn(Kind) -> bool| scan.hits_in(window.clone(), f).find(|h| h.start == start).map(|h| h.start..h.end);
    if let Some(r) = first_hit(|k| k == Kind::SelfReference) {
        return Some(r);
    }
    if !strict {
        if let Some(r) = first_hit(|k| matches!(k, Kind::Credential(_))) {
            return Some(r);
        }
    }
    let m = scan.lexicon.patterns.person.find(&text[start..window_end])?;
    let name = text[start..start + m.end()].trim();
    let first_word = name.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    let titled = name.starts_with(['D', 'd'])
        && (first_word.eq_ignore_ascii_case("dr") || first_word.eq_ignore_ascii_case("doctor"));
    if not_a_person(first_word) && !titled {
        return None;
    }
    let span = start..start + m.end();
    if strict && !titled {
        // A weak cue ("per") needs a title or a credential after the name.
        let after = span.end..(span.end + 10).min(text.len());
        scan.hits_in(after, |k| matches!(k, Kind::Credential(_))).next()?;
    }
    Some(span)
}

/// The person ending right before `pos` ("Dr. Lee ordered").
fn person_before(scan: &Scan, pos: usize) -> Option<Range<usize>> {
    let text = scan.text;
    let from = text[..pos.saturating_sub(60)].len();
    let mut before = text[from..pos].trim_end().trim_end_matches(['(', '-', '\u{2013}', '\u{2014}']).trim_end();
    for tail in [
        "reviewed and ordered and",
        "reviewed and",
        "ordered and",
        "orders and",
        "prescribed and",
        "and",
        "has",
        "who",
        "also",
    ] {
        if let Some(b) = before.strip_suffix(tail) {
            before = b.trim_end();
        }
    }
    // "Dr. Holm (nephrology) ordered": skip a parenthetical after the name,
    // or find the name inside it ("Ortho (Dr. Ferris) ordered").
    if before.ends_with(')') {
        if let Some(open) = before.rfind('(') {
            let inner = &before[open + 1..before.len() - 1];
            if let Some(m) = scan.lexicon.patterns.person_before.find(inner) {
                let start = from + open + 1 + m.start();
                return Some(start..start + m.as_str().trim_end().len());
            }
            before = before[..open].trim_end();
        }
    }
    let m = scan.lexicon.patterns.person_before.find(before)?;
    Some(from + m.start()..from + m.end())
}

/// The first titled clinician ("Dr. Kim") or name with credential within
/// `range`, not crossing a sentence end.
fn person_within(scan: &Scan, range: Range<usize>) -> Option<Range<usize>> {
    let text = scan.text;
    let sentence = scan.layout.sentence_at(range.start);
    let end = crate::extract::floor_boundary(text, range.end.min(text.len()).min(sentence.end.max(range.start)));
    let window = &text[range.start.min(end)..end];
    let m = scan.lexicon.patterns.titled_person.find(window)?;
    Some(range.start + m.start()..range.start + m.end())
}

fn not_clinician_near(scan: &Scan, h: &Hit) -> bool {
    let line_start = super::line_start(scan.text, h.start);
    scan.hits_in(line_start..h.start, |k| k == Kind::NotClinician).next().is_some()
}

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    ordering(scan, x);
    administering(scan, x);
}

fn ordering(scan: &Scan, x: &mut Extraction) {
    const WEAK: &[&str] = &["per", "ordering", "prescriber", "order from", "per dr"];
    for h in scan.hits_where(|k| k == Kind::OrderCue) {
        if not_clinician_near(scan, h) || !scan.documents(&(h.start..h.end)) {
            continue;
        }
        let cue = &scan.text[h.start..h.end];
        let weak = WEAK.iter().any(|w| w.eq_ignore_ascii_case(cue));
        let from = if cue.eq_ignore_ascii_case("per dr") { h.start + 4 } else { h.end };
        let found = person_after(scan, from, weak)
            .filter(|p| {
                scan.text[p.clone()].len() > 1
                    && !matches!(scan.hits_in(p.clone(), |k| matches!(k, Kind::Credential(_))).next(), Some(c) if c.start == p.start)
            })
            .or_else(|| if weak { None } else { person_within(scan, from..from + 50) });
        if let Some(p) = found {
            x.set_first(Element::OrderingClinician, h.start..p.end, || Some(CompactString::from(&scan.text[p])));
            // Later cues start later: none would replace this one.
            break;
        }
    }
    for h in scan.hits_where(|k| k == Kind::SelfOrder) {
        if !x.earlier_than_recorded(Element::OrderingClinician, h.start) {
            break;
        }
        if scan.documents(&(h.start..h.end)) {
            x.set_first(Element::OrderingClinician, h.start..h.end, || Some(CompactString::from("the note's author")));
        }
    }
    for h in scan.hits_where(|k| k == Kind::OrderVerb) {
        if let Some(p) = person_before(scan, h.start) {
            x.set_first(Element::OrderingClinician, p.start..h.end, || Some(CompactString::from(&scan.text[p])));
        }
    }
    for f in scan.layout.fields_of(FieldKind::OrderedBy) {
        if f.state == ValueState::Present {
            let p = person_after(scan, f.value.start, false).or_else(|| person_within(scan, f.value.clone()));
            if let Some(p) = p {
                x.set_first(Element::OrderingClinician, f.value.clone(), || Some(CompactString::from(&scan.text[p])));
            }
        }
    }
}

fn administering(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    for h in scan.hits_where(|k| k == Kind::AdministerCue) {
        if not_clinician_near(scan, h) || !scan.documents(&(h.start..h.end)) {
            continue;
        }
        if let Some(p) = person_after(scan, h.end, false) {
            x.set_first(Element::AdministeringClinician, h.start..p.end, || Some(CompactString::from(&text[p])));
            // Later cues start later: none would replace this one.
            break;
        }
    }
    for h in scan.hits_where(|k| k == Kind::AdministerVerb) {
        if let Some(p) = person_before(scan, h.start) {
            x.set_first(Element::AdministeringClinician, p.start..h.end, || Some(CompactString::from(&text[p])));
        }
    }
    for f in scan.layout.fields_of(FieldKind::AdministeredBy) {
        if f.state == ValueState::Present && person_after(scan, f.value.start, false).is_some() {
            x.set_first(Element::AdministeringClinician, f.value.clone(), || {
                Some(CompactString::from(&text[f.value.clone()]))
            });
        }
    }
    // "given 14:55 by Marcus Bell, LPN": an administration verb earlier in
    // the sentence, then "by" and a person.
    for m in by_someone(text) {
        let by = m.start;
        // A mention from here on would start at `by` or later.
        if !x.earlier_than_recorded(Element::AdministeringClinician, by) {
            break;
        }
        let sentence = scan.layout.sentence_at(by);
        let from = crate::extract::floor_boundary(text, by.saturating_sub(90).max(sentence.start));
        let verb = scan.hits_in(from..by, |k| matches!(k, Kind::AdminVerb | Kind::Injection)).last();
        let order_between = verb.is_some_and(|v| {
            scan.hits_in(v.end..by + 3, |k| k == Kind::OrderCue || k == Kind::OrderVerb).next().is_some()
        });
        if verb.is_some() && !order_between && scan.documents(&(by..m.end)) {
            if let Some(p) = person_after(scan, by + 2, false) {
                x.set_first(Element::AdministeringClinician, by..p.end, || Some(CompactString::from(&text[p])));
            }
        }
    }
    let credential_lines = lines_with_credentials(scan);
    let lines = &scan.layout.lines;
    // A signature lies within its line: a line that starts at or after the
    // mention found cannot give an earlier one, and is not read.
    for line in lines.iter().zip(&credential_lines).filter(|(_, &c)| c).map(|(l, _)| l) {
        if !x.earlier_than_recorded(Element::AdministeringClinician, line.start) {
            break;
        }
        if let Some(span) = trailing_signature(scan, line.clone()) {
            x.set_first(Element::AdministeringClinician, span.clone(), || Some(CompactString::from(text[span].trim())));
        }
    }
    for (line, &credential) in lines.iter().zip(&credential_lines) {
        if !x.earlier_than_recorded(Element::AdministeringClinician, line.start) {
            break;
        }
        // A signature needs a credential or a "Dr".
        if !credential && !has_dr(&text[line.clone()]) {
            continue;
        }
        if let Some(span) = signature(scan, line.clone()) {
            x.set_first(Element::AdministeringClinician, span.clone(), || Some(CompactString::from(text[span].trim())));
        }
    }
}

/// For each line of the note: does a credential ("RN", "MD") lie within it?
/// One pass over the lines and the credential hits, both in text order.
fn lines_with_credentials(scan: &Scan) -> Vec<bool> {
    let lines = &scan.layout.lines;
    let mut marks = vec![false; lines.len()];
    let mut li = 0;
    for h in scan.hits.iter().filter(|h| matches!(h.kind, Kind::Credential(_))) {
        while li < lines.len() && lines[li].end <= h.start {
            li += 1;
        }
        let Some(line) = lines.get(li) else { break };
        if line.start <= h.start && h.end <= line.end {
            marks[li] = true;
        }
    }
    marks
}

/// A name and credential closing a line, after a dash, a date or time, or
/// the end of a sentence: "... tol well. -Jenna Soto CMA",
/// "12/15/2025 1415  Eli Navarro, RN", "next 2/9. J. Rourke LPN 1/5/26".
fn trailing_signature(scan: &Scan, line: Range<usize>) -> Option<Range<usize>> {
    let text = scan.text;
    if scan.hits_in(line.clone(), |k| k == Kind::NotClinician).next().is_some() {
        return None;
    }
    let patterns = &scan.lexicon.patterns;
    let line_text = &text[line.clone()];
    let found = patterns.trailing_signature.find(line_text)?;
    let (sig_start, sig_end) = signature_in(line_text, found.start(), |end| {
        let input = regex_automata::Input::new(line_text).range(end..).anchored(regex_automata::Anchored::Yes);
        patterns.signature_tail.anchored().is_match(input)
    })?;
    let sig = &line_text[sig_start..sig_end];
    let start = line.start + sig_start;
    let cred_ok = scan.hits_in(start..line.end, |k| matches!(k, Kind::Credential(_))).next().is_some();
    let first = sig.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    (cred_ok && !not_a_person(first)).then(|| start..line.start + sig_end)
}

/// Does `s` hold "Dr" (what `s.contains("Dr")` answers, without setting up
/// a substring search for every line)?
fn has_dr(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'D', b).any(|i| b.get(i + 1) == Some(&b'r'))
}

/// The name and credential (group 1) of a `trailing_signature` match that
/// starts at `from` in `line`, read by hand; `tail(end)` says whether
/// `signature_tail` matches from `end` to the end of the line.
///
/// What comes before the group (a line start, a dash, punctuation, a digit
/// and white space) holds no ASCII letter and the group starts with one, so
/// the group starts at the first letter after `from`. From there the three
/// forms of name are tried in the pattern's order, each part taking as much
/// as it can first, as the regex engine does; the first way to reach a tail
/// that matches is the group. Lines are short and each part gives way a
/// character at a time, so the backtracking stays small. This costs a
/// fraction of the capture search it replaces (a test holds the two equal).
fn signature_in(line: &str, from: usize, tail: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    use SigClass::*;
    use SigPart::*;
    let start = from + line[from..].bytes().position(|b| b.is_ascii_alphabetic())?;
    const SPACE: &[SigPart] = &[Space];
    // (?:[A-Za-z]\.\s?){1,2}\s?[A-Za-z][A-Za-z'\-]+,?\s+[A-Za-z\-]{2,8}
    const INITIAL: &[SigPart] = &[Class(Letter, 1, 1), Class(Dot, 1, 1), Group(SPACE, 0, 1)];
    // The rest of a surname, then the credential: ...[A-Za-z'\-]+,?\s+[A-Za-z\-]{2,8}
    const SURNAME_ON: &[SigPart] =
        &[Class(NameChar, 1, usize::MAX), Class(Comma, 0, 1), Group(SPACE, 1, usize::MAX), Class(Credential, 2, 8)];
    const FIRST: &[SigPart] = &[Group(INITIAL, 1, 2), Group(SPACE, 0, 1), Class(Letter, 1, 1), Group(SURNAME_ON, 1, 1)];
    // [A-Z][a-z'\-]+\s+(?:[A-Z]\.\s)?[A-Z][A-Za-z'\-]+,?\s+[A-Za-z\-]{2,8}
    const MIDDLE: &[SigPart] = &[Class(Upper, 1, 1), Class(Dot, 1, 1), Space];
    const SECOND: &[SigPart] = &[
        Class(Upper, 1, 1),
        Class(LowerNameChar, 1, usize::MAX),
        Group(SPACE, 1, usize::MAX),
        Group(MIDDLE, 0, 1),
        Class(Upper, 1, 1),
        Group(SURNAME_ON, 1, 1),
    ];
    // [A-Z]{2,3}\s+[A-Z]{2,4}
    const THIRD: &[SigPart] = &[Class(Upper, 2, 3), Group(SPACE, 1, usize::MAX), Class(Upper, 2, 4)];
    let mut done = |end: usize| tail(end).then_some(end);
    let end = [FIRST, SECOND, THIRD].iter().find_map(|form| sig_match(line, form, start, &mut done))?;
    Some((start, end))
}

/// A part of a sign-off's name, for [`signature_in`].
#[derive(Clone, Copy)]
enum SigPart {
    /// A run of `min..=max` ASCII bytes of the class.
    Class(SigClass, usize, usize),
    /// One white space character (`\s`).
    Space,
    /// The parts, `min..=max` times in a row.
    Group(&'static [SigPart], usize, usize),
}

#[derive(Clone, Copy)]
enum SigClass {
    /// `[A-Za-z]`
    Letter,
    /// `[A-Z]`
    Upper,
    /// `[A-Za-z'\-]`
    NameChar,
    /// `[a-z'\-]`
    LowerNameChar,
    /// `[A-Za-z\-]`
    Credential,
    Dot,
    Comma,
}

impl SigClass {
    fn holds(self, b: u8) -> bool {
        match self {
            SigClass::Letter => b.is_ascii_alphabetic(),
            SigClass::Upper => b.is_ascii_uppercase(),
            SigClass::NameChar => b.is_ascii_alphabetic() || b == b'\'' || b == b'-',
            SigClass::LowerNameChar => b.is_ascii_lowercase() || b == b'\'' || b == b'-',
            SigClass::Credential => b.is_ascii_alphabetic() || b == b'-',
            SigClass::Dot => b == b'.',
            SigClass::Comma => b == b',',
        }
    }
}

/// Match `parts` at `at`, then `rest`, with the priorities of a
/// backtracking regex engine: each run and repetition as long as it can be
/// first, giving way one step at a time. The result of the first `rest`
/// that accepts an end.
fn sig_match(line: &str, parts: &[SigPart], at: usize, rest: &mut dyn FnMut(usize) -> Option<usize>) -> Option<usize> {
    let Some((&part, more)) = parts.split_first() else { return rest(at) };
    match part {
        SigPart::Class(class, min, max) => {
            let run = line.as_bytes()[at..].iter().take(max).take_while(|&&b| class.holds(b)).count();
            (min..=run).rev().find_map(|n| sig_match(line, more, at + n, rest))
        }
        SigPart::Space => sig_match(line, more, at + space_at(line, at)?, rest),
        SigPart::Group(inner, min, max) => {
            // One more round first, then (if enough were made) go on.
            let again = if max > 0 {
                let next = [SigPart::Group(inner, min.saturating_sub(1), max - 1)];
                sig_match(line, inner, at, &mut |e| {
                    sig_match(line, &next, e, &mut |e2| sig_match(line, more, e2, rest))
                })
            } else {
                None
            };
            again.or_else(|| if min == 0 { sig_match(line, more, at, rest) } else { None })
        }
    }
}

/// A signature line: a sign-off cue or a short line that starts with a
/// name, and a clinician credential.
fn signature(scan: &Scan, line: Range<usize>) -> Option<Range<usize>> {
    let text = scan.text;
    let content = line.start + (text[line.clone()].len() - text[line.clone()].trim_start().len());
    if content >= line.end || scan.hits_in(line.clone(), |k| k == Kind::NotClinician).next().is_some() {
        return None;
    }
    let credential = |from: usize| scan.hits_in(from..line.end, |k| matches!(k, Kind::Credential(_))).next();
    if credential(content).is_none() && !has_dr(&text[line.clone()]) {
        return None;
    }
    let cue = scan.hits_in(content..line.end, |k| k == Kind::SignatureCue).find(|h| h.start <= content + 2);
    let field = scan.layout.field_at(content).filter(|f| f.kind == FieldKind::Signature);
    if cue.is_some() || field.is_some() {
        let from = cue.map_or(content, |c| c.end);
        let rest = &text[from..line.end];
        let titled = rest.contains("Dr.") || rest.contains("Dr ");
        if credential(from).is_some() || titled {
            return Some(content..line.end);
        }
        return None;
    }
    let len = line.end - content;
    if len <= 70 {
        let name = scan.lexicon.patterns.person.find(&text[content..line.end])?;
        let first = text[content..content + name.end()].split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        if not_a_person(first) {
            return None;
        }
        let c = credential(content + name.end())?;
        let between = &text[content + name.end()..c.start];
        if between.len() <= 3 && between.chars().all(|ch| ch == ',' || ch.is_whitespace()) {
            return Some(content..line.end);
        }
    }
    None
}

/// The matches of `Patterns::by_person` ("by", white space, then anything),
/// found by hand: "by" in either case at an ASCII word boundary, one or more
/// white space characters, and one more character. As `find_iter` does, a
/// search goes on after the end of the previous match.
fn by_someone(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(k) = memchr::memchr2(b'b', b'B', &bytes[from..]) {
            let at = from + k;
            from = at + 1;
            if !word_start(bytes, at) || !matches!(bytes.get(at + 1), Some(b'y' | b'Y')) {
                continue;
            }
            let mut rest = text[at + 2..].char_indices();
            let Some((_, first)) = rest.next() else { continue };
            if !first.is_whitespace() {
                continue;
            }
            // The first character after the white space ends the match.
            if let Some((i, c)) = rest.find(|(_, c)| !c.is_whitespace()) {
                let end = at + 2 + i + c.len_utf8();
                from = end;
                return Some(at..end);
            }
            return None;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::{by_someone, has_dr, signature_in};

    #[test]
    fn dr_is_found_as_contains_finds_it() {
        let texts = crate::testing::corpus_texts_and(&["", "D", "Dr", "DDr", "DR", "dr", "D r", "éDr", "xD"]);
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(has_dr(line), line.contains("Dr"), "{line:?}");
        }
    }

    /// The signature read by hand is the pattern's group, on every corpus
    /// line and on generated sign-offs: initials, middle initials, capitals,
    /// hyphens and apostrophes, commas, every kind of white space, dates,
    /// times and "hrs" after, and text before.
    #[test]
    fn signatures_are_read_as_the_pattern_captures_them() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let re = &lexicon.patterns.trailing_signature;
        let tail = lexicon.patterns.signature_tail.anchored();
        let mut lines: Vec<String> = crate::testing::corpus_texts()
            .iter()
            .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let before = ["", "Tol well. ", "given 1415  ", "x - ", "— ", "12/15/2025 1415 ", "see; ", "9 ", "ab"];
        let names = [
            "Dana Whitcomb, CMA",
            "J. Rourke LPN",
            "K.L. Osei MA",
            "J. K. Smith, RN",
            "Mary-Ann O'Neil, RN",
            "Ana B. Cruz, NP",
            "RN MD",
            "ABC DEFG",
            "ABCD EF",
            "Jo Smith RNhrs",
            "jo smith rn",
            "J.  Smith, PA-C",
            "Eli Navarro,RN",
            "Eli Navarro, ABCDEFGHI",
            "Eli\u{a0}Navarro\u{2003}RN",
            "T. Lee DO",
            "Dr. Lee, MD",
            "Ngozi Eze, RN",
            "A. B. C. Dee RN",
            "Lee-Ann Vo, LPN",
            "J. Smith, ABCDEFGH",
            "J. Smith ABCDEFGHI",
            "Eli Navarro, ABCDEFGH",
            "AB ABCD",
            "AB ABCDE",
            "J.Smith RN-BC",
            "J. O'Neil RN",
            "Mary O'Neil, RN",
            "Jo D'Arcy-Lee LPN",
            "D'arcy Lee, RN",
        ];
        let after =
            ["", " 01/30/2026", ", 12/05/2025.", " 1415", " 14:15 hrs", "  0900hr", ".", " hrs", " x", " 1/5/26 915"];
        for b in before {
            for n in names {
                for a in after {
                    lines.push(format!("{b}{n}{a}"));
                }
            }
        }
        let mut found = 0;
        for line in &lines {
            let expected = re.captures(line).and_then(|c| c.get(1)).map(|m| (m.start(), m.end()));
            let by_hand = re.find(line).and_then(|m| {
                signature_in(line, m.start(), |end| {
                    tail.is_match(regex_automata::Input::new(line).range(end..).anchored(regex_automata::Anchored::Yes))
                })
            });
            assert_eq!(by_hand, expected, "{line:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found > 500, "{found} of {}", lines.len());
    }

    #[test]
    fn by_someone_finds_what_the_pattern_finds() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let re = &lexicon.patterns.by_person;
        let texts = crate::testing::corpus_texts_and(&[
            "by X",
            "By\u{a0}Dr. Lee",
            "bY\n\nRN",
            "by by x",
            "goodby x",
            "_by x",
            "by",
            "by ",
            "by  ",
            "éby x",
            "by\u{2003}é",
            "BYE now",
            "by\tMA",
        ]);
        let mut found = 0;
        for text in &texts {
            let expected: Vec<_> = re.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(by_someone(text).collect::<Vec<_>>(), expected, "{text:?}");
            found += expected.len();
        }
        assert!(found > 200, "{found}");
    }
}
