//! The layout of a note: lines, sentences, sections, template fields and
//! check boxes, with byte offsets into the text.
//!
//! Extractors read mentions in the light of the layout: a drug under
//! "Allergies:" was not given, `Site: ____` documents nothing, and a context
//! trigger never reaches past the end of its sentence or field.

use super::Markup;
use crate::lexicon::{FieldKind, LabelKinds, Lexicon, SectionKind};
use std::ops::Range;

/// A section of the note, from its heading to the next heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    pub heading: Range<usize>,
    pub body: Range<usize>,
}

/// What a template field's value says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueState {
    /// Blank or a placeholder (`____`, `N/A`, `[blank]`).
    Empty,
    /// A refusal of the field (`no`, `declined`, `not obtained`).
    Negative,
    /// Anything else.
    Present,
}

/// A labelled template field (`Route: IM`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub kind: FieldKind,
    pub label: Range<usize>,
    /// The value, trimmed; empty range when blank.
    pub value: Range<usize>,
    pub state: ValueState,
}

/// The analysed layout of one note.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub lines: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    pub sections: Vec<Section>,
    pub fields: Vec<Field>,
    /// Label ranges of every field and heading (template text, not content).
    pub labels: Vec<Range<usize>>,
    /// Text governed by an unticked check box.
    pub unchecked: Vec<Range<usize>>,
}

const TITLES: &[&str] =
    &["dr", "mr", "mrs", "ms", "st", "prof", "pt", "vs", "approx", "e.g", "i.e", "no", "inj", "appt", "sr", "jr"];
const CONNECTORS: &[&str] = &[
    "by", "of", "in", "to", "the", "and", "with", "at", "for", "per", "a", "an", "from", "into", "on", "was", "were",
    "is", "after", "or",
];
/// [`TITLES`] and [`CONNECTORS`] as [`word_key`]s.
const TITLE_KEYS: [u64; TITLES.len()] = word_keys(TITLES);
const CONNECTOR_KEYS: [u64; CONNECTORS.len()] = word_keys(CONNECTORS);

/// A word of up to 7 bytes, ASCII-lowercased and packed with its length
/// into a `u64` (two words have the same key exactly when they are equal
/// ignoring ASCII case); 0 for a longer word.
const fn word_key(word: &[u8]) -> u64 {
    if word.len() > 7 {
        return 0;
    }
    let mut key = word.len() as u64;
    let mut i = 0;
    while i < word.len() {
        key = (key << 8) | word[i].to_ascii_lowercase() as u64;
        i += 1;
    }
    key
}

const fn word_keys<const N: usize>(list: &[&str]) -> [u64; N] {
    let mut keys = [0; N];
    let mut i = 0;
    while i < N {
        keys[i] = word_key(list[i].as_bytes());
        i += 1;
    }
    keys
}

/// Is `word` one of the words of `keys`, ignoring ASCII case?
#[inline]
fn one_of(keys: &[u64], word: &str) -> bool {
    let key = word_key(word.as_bytes());
    key != 0 && keys.contains(&key)
}

fn placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c: char| "[]()<>{}*\"'".contains(c)).trim();
    if v.chars().all(|c| c.is_whitespace() || "_-–—.:?/|*#".contains(c)) {
        return true;
    }
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(v))
}

/// Values that stand for "nothing entered", compared ignoring ASCII case.
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "n.a.",
    "blank",
    "none documented",
    "not documented",
    "not recorded",
    "unknown",
    "unk",
    "tbd",
    "pending",
    "see above",
    "see below",
    "-- select --",
    "select",
    "enter",
    "not entered",
    "not charted",
    "not applicable",
    "nil",
    "xx",
    "xxx",
    "___",
    "empty",
];

fn negative(kind: FieldKind, value: &str) -> bool {
    if kind == FieldKind::Response || kind == FieldKind::Allergies {
        return false;
    }
    let first = value.trim().split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    ["no", "n", "not", "none", "declined", "refused", "deferred", "held", "unable"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first))
}

/// Can `line` hold a check box (`Patterns::checkbox`)? A box is a
/// bracket pair with at most white space and a tick mark between (three
/// characters of at most three bytes each, none of them a closing bracket),
/// or a box character (all of them start with 0xE2). So a line with neither
/// such a pair nor a byte 0xE2 holds none, and most lines with brackets
/// hold text in them ("(E53.8)") and are ruled out here.
fn may_hold_box(line: &[u8]) -> bool {
    if memchr::memchr(0xE2, line).is_some() {
        return true;
    }
    memchr::memchr2_iter(b'[', b'(', line).any(|open| {
        let close = if line[open] == b'[' { b']' } else { b')' };
        let inner = &line[open + 1..line.len().min(open + 11)];
        let Some(k) = inner.iter().position(|&b| b == close) else { return false };
        inner[..k]
            .iter()
            .all(|&b| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b'x' | b'X' | b'*') || b >= 0x80)
    })
}

/// The marks a line may start with before its label.
const MARKS: [&str; 16] = ["**", "__", "##", "#", "- ", "* ", "• ", "· ", "> ", ">>", "+ ", "|", "[", "–", "—", "=="];

/// Can a mark of [`MARKS`] start with byte `b`? ('•', '–' and '—' start
/// with 0xE2, '·' with 0xC2.)
fn starts_mark(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'#' | b'-' | b'>' | b'+' | b'|' | b'[' | b'=' | 0xE2 | 0xC2)
}

/// Decorations a line may start with before its label: bullets, Markdown
/// marks, table pipes, numbering.
fn skip_decoration(text: &str, mut pos: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while pos < end && matches!(bytes[pos], b' ' | b'\t') {
            pos += 1;
        }
        let rest = &bytes[pos..end];
        // Most lines start with no mark's first byte.
        let marked = rest.first().is_some_and(|&b| starts_mark(b));
        let mark = if marked { MARKS.iter().find(|p| rest.starts_with(p.as_bytes())) } else { None };
        let skip = mark.map(|p| p.len()).or_else(|| {
            // "1." "12)" "a)"
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            let n = if digits > 0 { digits } else { usize::from(rest.len() > 1 && rest[0].is_ascii_lowercase()) };
            (n > 0 && n <= 3 && matches!(rest.get(n), Some(b'.') | Some(b')')) && rest.get(n + 1) == Some(&b' '))
                .then_some(n + 1)
        });
        match skip {
            Some(n) => pos += n,
            None => return pos,
        }
    }
}

/// The first column gap in `bytes`: a tab, a cell border, a semicolon or two
/// spaces; its offset and width.
fn next_gap(bytes: &[u8]) -> Option<(usize, usize)> {
    static TWO_SPACES: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let single = memchr::memchr3(b'\t', b'|', b';', bytes);
    let double = TWO_SPACES.find(&bytes[..single.unwrap_or(bytes.len())]);
    match (double, single) {
        (Some(d), _) => Some((d, 2)),
        (None, Some(s)) => Some((s, 1)),
        (None, None) => None,
    }
}

/// After a label ending at `pos`: the separator's end, if there is one.
/// `heading_ok` accepts the end of the line (a heading without colon).
fn separator(text: &str, pos: usize, end: usize, bracketed: bool) -> Option<usize> {
    let rest = &text[pos..end];
    let mut i = 0;
    let b = rest.as_bytes();
    // closing marks: "**", "__", "]", ")"
    while i < b.len() && matches!(b[i], b'*' | b'_' | b']' | b')') {
        if b[i] == b']' && !bracketed {
            break;
        }
        i += 1;
    }
    let after_marks = i;
    while i < b.len() && b[i] == b' ' {
        i += 1;
    }
    if i >= b.len() {
        return None;
    }
    match b[i] {
        b':' | b'=' => {
            let mut j = i + 1;
            while j < b.len() && matches!(b[j], b'*' | b'_') {
                j += 1;
            }
            Some(pos + j)
        }
        b'|' => Some(pos + i + 1),
        b'.' if rest[i..].starts_with("..") => Some(pos + i + rest[i..].bytes().take_while(|c| *c == b'.').count()),
        b'-' if i > after_marks && rest[i..].starts_with("- ") => Some(pos + i + 1),
        b'-' if rest[i..].starts_with("--") => Some(pos + i + 2),
        _ if rest[i..].starts_with("–") || rest[i..].starts_with("—") => Some(pos + i + 3),
        b'#' if i > after_marks => Some(pos + i + 1),
        // "Site          left deltoid": a label, a wide gap, the value.
        _ if i - after_marks >= 3 && !bracketed => Some(pos + i),
        _ if bracketed && after_marks > 0 && i > after_marks => Some(pos + i),
        _ => None,
    }
}

impl Layout {
    /// Analyse `text` with the lexicon's section and field labels.
    pub fn analyse(text: &str, markup: Markup, lexicon: &Lexicon) -> Layout {
        Layout::analyse_with(text, markup, lexicon, true)
    }

    /// Lines, sections, fields and labels, without the sentences: all that a
    /// copy-forward fingerprint needs.
    pub fn outline(text: &str, markup: Markup, lexicon: &Lexicon) -> Layout {
        Layout::analyse_with(text, markup, lexicon, false)
    }

    fn analyse_with(text: &str, markup: Markup, lexicon: &Lexicon, with_sentences: bool) -> Layout {
        let bytes = text.as_bytes();
        // About one line per 40 bytes in the corpus; a guess saves most of
        // the regrowth without a counting pass.
        let lines = Vec::with_capacity((bytes.len() / 32 + 4).min(4096));
        let mut layout = Layout { lines, ..Layout::default() };
        let mut start = 0;
        let breaks = memchr::memchr_iter(b'\n', bytes)
            .map(|i| i + 1)
            .chain((!text.ends_with('\n') && !text.is_empty()).then_some(text.len()));
        for full_end in breaks {
            let mut end = full_end;
            if bytes[..end].ends_with(b"\n") {
                end -= 1;
            }
            if bytes[..end].ends_with(b"\r") {
                end -= 1;
            }
            layout.lines.push(start..end);
            start = full_end;
        }
        // (start, heading, kind, inline value?)
        let mut headings: Vec<(usize, Range<usize>, SectionKind)> = Vec::with_capacity(8);
        let mut inline_ends: Vec<(usize, usize)> = Vec::new();
        let mut field_line = vec![false; layout.lines.len()];
        let lines = std::mem::take(&mut layout.lines);
        for (li, line) in lines.iter().enumerate() {
            let before = headings.len();
            layout.scan_line(text, line.clone(), lexicon, &mut headings, &mut field_line[li]);
            if headings.len() > before && !text[headings[before].1.end..line.end].trim_matches(label_edge).is_empty() {
                // "Allergies: penicillin" is a one-line section; an inline
                // assessment runs on to the end of its paragraph.
                let end = match headings[before].2 {
                    SectionKind::Allergies | SectionKind::MedicationList => line.end,
                    _ => paragraph_end(text, line.end),
                };
                inline_ends.push((line.start, end));
            }
        }
        layout.lines = lines;
        if markup == Markup::Markdown {
            markdown_headings(text, lexicon, &mut headings);
        }
        headings.sort_by_key(|h| h.0);
        headings.dedup_by_key(|h| h.0);
        for (i, (s, heading, kind)) in headings.iter().enumerate() {
            let mut body_end = headings.get(i + 1).map_or(text.len(), |h| h.0);
            if let Some((_, end)) = inline_ends.iter().find(|(st, _)| st == s) {
                body_end = body_end.min(*end);
            }
            layout.sections.push(Section { kind: *kind, heading: heading.clone(), body: *s..body_end });
        }
        layout.fields.sort_by_key(|f| f.label.start);
        layout.labels.sort_by_key(|r| r.start);
        if with_sentences {
            layout.sentences = sentences(text, &layout.lines, &field_line, &layout.fields);
        }
        layout
    }

    fn scan_line(
        &mut self,
        text: &str,
        line: Range<usize>,
        lexicon: &Lexicon,
        headings: &mut Vec<(usize, Range<usize>, SectionKind)>,
        is_field_line: &mut bool,
    ) {
        // Check boxes: an unticked box governs the words after it.
        let line_text = &text[line.clone()];
        let line_bytes = line_text.as_bytes();
        let maybe_box = may_hold_box(line_bytes);
        let boxes: Vec<_> =
            if maybe_box { lexicon.patterns.checkbox.find_iter(line_text).collect() } else { Vec::new() };
        for (i, m) in boxes.iter().enumerate() {
            let s = m.as_str();
            let ticked = s.contains(['x', 'X', '✓', '✔', '*', '☒', '☑', '■']);
            if !ticked {
                let next = boxes.get(i + 1).map_or(line_text.len(), |n| n.start());
                let stop = line_text[m.end()..next].find(['|', ';', ',']).map_or(next, |k| m.end() + k);
                self.unchecked.push(line.start + m.end()..line.start + stop);
            }
        }
        // A label at the start of the line.
        let content = skip_decoration(text, line.start, line.end);
        let bracketed = content > line.start && text[..content].ends_with('[');
        let mut cursor = line.start;
        if let Some((label_end, kinds)) = lexicon.labels.label_at(text, content) {
            let sep = separator(text, label_end, line.end, bracketed);
            let rest = text[label_end..line.end].trim_matches(label_edge);
            let heading_only = sep.is_none() && rest.is_empty();
            if let (Some(kind), true) = (kinds.section, sep.is_some() || heading_only) {
                headings.push((line.start, content..label_end, kind));
                self.labels.push(content..label_end);
            }
            if let (Some(value_start), Some(kind)) = (sep, kinds.field) {
                self.push_field(text, kind, content..label_end, value_start, line.end, lexicon);
                *is_field_line = true;
                cursor = value_start;
            } else if sep.is_some() && kinds.section.is_some() {
                *is_field_line = true;
            }
        }
        // Labels in further columns: after a wide gap, a tab or a cell border.
        let mut i = cursor;
        let bytes = text.as_bytes();
        while i < line.end {
            let Some((at, gap)) = next_gap(&bytes[i..line.end]) else { break };
            i += at;
            let pos = skip_decoration(text, i + gap, line.end);
            if pos < line.end {
                if let Some((label_end, LabelKinds { field: Some(kind), .. })) = lexicon.labels.label_at(text, pos) {
                    let strict = text[label_end..line.end].trim_start_matches(' ').starts_with([':', '=', '|']);
                    if strict {
                        if let Some(value_start) = separator(text, label_end, line.end, false) {
                            self.close_previous_field_at(pos, text);
                            self.push_field(text, kind, pos..label_end, value_start, line.end, lexicon);
                            *is_field_line = true;
                            i = value_start;
                            continue;
                        }
                    }
                }
            }
            i = pos.max(i + 1);
        }
    }

    fn close_previous_field_at(&mut self, pos: usize, text: &str) {
        if let Some(f) = self.fields.last_mut() {
            if f.value.start <= pos && pos < f.value.end {
                let v = text[f.value.start..pos].trim_end_matches(|c: char| c.is_whitespace() || c == '|' || c == ';');
                f.value.end = f.value.start + v.len();
                f.state = classify(f.kind, &text[f.value.clone()]);
            }
        }
    }

    fn push_field(
        &mut self,
        text: &str,
        kind: FieldKind,
        label: Range<usize>,
        value_start: usize,
        line_end: usize,
        _lex: &Lexicon,
    ) {
        let raw = &text[value_start..line_end];
        let lead = raw.len() - raw.trim_start_matches(|c: char| c.is_whitespace() || c == '|' || c == '*').len();
        let body = raw[lead..].trim_end_matches(|c: char| c.is_whitespace() || c == '|' || c == '*');
        let value = value_start + lead..value_start + lead + body.len();
        let state = classify(kind, &text[value.clone()]);
        self.labels.push(label.clone());
        self.fields.push(Field { kind, label, value, state });
    }

    /// The section containing `pos`.
    pub fn section_at(&self, pos: usize) -> Option<&Section> {
        let i = self.sections.partition_point(|s| s.body.start <= pos);
        i.checked_sub(1).map(|i| &self.sections[i]).filter(|s| pos < s.body.end)
    }

    /// The field whose label or value contains `pos`.
    pub fn field_at(&self, pos: usize) -> Option<&Field> {
        let i = self.fields.partition_point(|f| f.label.start <= pos);
        let f = &self.fields[i.checked_sub(1)?];
        (pos < f.value.end.max(f.label.end)).then_some(f)
    }

    /// The sentence containing `pos` (or an empty range at `pos`).
    pub fn sentence_at(&self, pos: usize) -> Range<usize> {
        let i = self.sentences.partition_point(|s| s.start <= pos);
        match i.checked_sub(1).map(|i| &self.sentences[i]) {
            Some(s) if pos < s.end => s.clone(),
            _ => pos..pos,
        }
    }

    /// Does `pos` fall inside a label (template text)?
    pub fn in_label(&self, pos: usize) -> bool {
        let i = self.labels.partition_point(|r| r.start <= pos);
        i.checked_sub(1).is_some_and(|i| pos < self.labels[i].end)
    }

    /// Is `pos` governed by an unticked check box?
    pub fn unchecked_at(&self, pos: usize) -> bool {
        self.unchecked.iter().any(|r| r.start <= pos && pos < r.end)
    }

    /// Fields of one kind.
    pub fn fields_of(&self, kind: FieldKind) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.kind == kind)
    }
}

fn classify(kind: FieldKind, value: &str) -> ValueState {
    if placeholder(value) {
        ValueState::Empty
    } else if negative(kind, value) {
        ValueState::Negative
    } else {
        ValueState::Present
    }
}

/// Markdown headings, found by pulldown-cmark with their source offsets.
fn markdown_headings(text: &str, lexicon: &Lexicon, headings: &mut Vec<(usize, Range<usize>, SectionKind)>) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut open: Option<usize> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { .. }) => open = Some(range.start),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(s) = open.take() {
                    let inner_start = s + text[s..range.end].bytes().take_while(|b| *b == b'#' || *b == b' ').count();
                    let inner = text[inner_start..range.end].trim_end();
                    let label = inner.trim_matches(label_edge);
                    let offset = inner_start + inner.find(label).unwrap_or(0);
                    let kind = lexicon
                        .labels
                        .label_at(text, offset)
                        .filter(|(end, _)| text[*end..offset + label.len()].trim().is_empty())
                        .and_then(|(_, k)| k.section)
                        .unwrap_or(SectionKind::Other);
                    headings.retain(|h| h.0 != s);
                    headings.push((s, offset..offset + label.len(), kind));
                }
            }
            _ => {}
        }
    }
}

/// The end of the paragraph that continues after `pos` (the next blank line).
fn paragraph_end(text: &str, pos: usize) -> usize {
    // The lines after the first, each from just after a line break.
    let starts = memchr::memchr_iter(b'\n', &text.as_bytes()[pos..]).map(|i| pos + i + 1);
    for (start, end) in starts.clone().zip(starts.skip(1).chain(std::iter::once(text.len()))) {
        if text[start..end].trim().is_empty() && start < text.len() {
            return start;
        }
    }
    text.len()
}

fn last_word(line: &str) -> &str {
    line.trim_end().rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("")
}

/// What is trimmed off a label: white space and the marks around it.
fn label_edge(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '#' | ':')
}

/// The width of the white space character (`\s`, `char::is_whitespace`)
/// at `i` of `text`, if there is one.
pub(crate) fn space_at(text: &str, i: usize) -> Option<usize> {
    let b = *text.as_bytes().get(i)?;
    if b < 0x80 {
        return ascii_space(b).then_some(1);
    }
    let c = text.get(i..)?.chars().next()?;
    c.is_whitespace().then(|| c.len_utf8())
}

/// Does `char::is_whitespace` hold for this ASCII byte?
#[inline]
fn ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The first position in `text[pos..end]` that is not white space (`end`
/// if none): `str::trim_start`, read a byte at a time while the text is
/// ASCII.
#[inline]
fn skip_space(text: &str, mut pos: usize, end: usize) -> usize {
    while pos < end {
        match space_at(text, pos) {
            Some(width) => pos += width,
            None => return pos,
        }
    }
    end
}

/// The end of `text[start..end]` without its trailing white space
/// (`str::trim_end`).
#[inline]
fn skip_space_back(text: &str, start: usize, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    while end > start {
        let b = bytes[end - 1];
        if b < 0x80 {
            if !ascii_space(b) {
                return end;
            }
            end -= 1;
        } else {
            match text[start..end].chars().next_back() {
                Some(c) if c.is_whitespace() => end -= c.len_utf8(),
                _ => return end,
            }
        }
    }
    start
}

/// The run of letters, digits and dots that ends at `end` (not before
/// `start`): the word before a sentence mark.
#[inline]
fn word_before(text: &str, start: usize, end: usize) -> &str {
    let bytes = text.as_bytes();
    let mut k = end;
    while k > start {
        let b = bytes[k - 1];
        if b.is_ascii_alphanumeric() || b == b'.' {
            k -= 1;
        } else if b < 0x80 {
            return &text[k..end];
        } else {
            // A non-ASCII character: read the rest of the way by characters.
            let head = text[start..k].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '.').next().unwrap_or("");
            return &text[k - head.len()..end];
        }
    }
    &text[start..end]
}

/// Split into sentences: wrapped lines are joined into blocks, and each
/// block is split at sentence punctuation and at the start of every field.
/// Each sentence is trimmed of white space; blank ones are dropped.
fn sentences(text: &str, lines: &[Range<usize>], field_line: &[bool], fields: &[Field]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(lines.len() + lines.len() / 2 + 2);
    // Fields are in label order, and blocks come in text order: the next
    // field start to consider only moves forward.
    let mut next_field = 0;
    let mut cur: Option<Range<usize>> = None;
    // Only sentence marks and field starts can end a sentence: the blocks
    // visit those positions, in order, instead of every byte.
    let mut marks = memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()).peekable();
    for (i, l) in lines.iter().enumerate() {
        let first = skip_space(text, l.start, l.end);
        if first == l.end {
            if let Some(b) = cur.take() {
                split_block(text, b, fields, &mut next_field, &mut marks, &mut out);
            }
            continue;
        }
        let join = match (&cur, i.checked_sub(1)) {
            (Some(_), Some(p)) => {
                let prev = &lines[p];
                !field_line[p]
                    && !field_line[i]
                    && !ends_sentence(text, prev)
                    && (text[first..l.end].chars().next().is_some_and(char::is_lowercase)
                        || one_of(&CONNECTOR_KEYS, last_word(&text[prev.clone()])))
            }
            _ => false,
        };
        match cur.as_mut() {
            Some(c) if join => c.end = l.end,
            _ => {
                if let Some(b) = cur.replace(l.clone()) {
                    split_block(text, b, fields, &mut next_field, &mut marks, &mut out);
                }
            }
        }
    }
    if let Some(b) = cur.take() {
        split_block(text, b, fields, &mut next_field, &mut marks, &mut out);
    }
    out
}

/// Does the line end (white space aside) with sentence punctuation?
fn ends_sentence(text: &str, line: &Range<usize>) -> bool {
    let end = skip_space_back(text, line.start, line.end);
    end > line.start && matches!(text.as_bytes()[end - 1], b'.' | b'!' | b'?' | b':' | b';')
}

/// Split one block of joined lines at sentence ends and field starts,
/// pushing its trimmed, non-blank sentences to `out`.
fn split_block(
    text: &str,
    b: Range<usize>,
    fields: &[Field],
    next_field: &mut usize,
    marks: &mut std::iter::Peekable<memchr::Memchr3<'_>>,
    out: &mut Vec<Range<usize>>,
) {
    let bytes = text.as_bytes();
    let mut push = |s: usize, e: usize| {
        let s = skip_space(text, s, e);
        if s < e {
            out.push(s..skip_space_back(text, s, e));
        }
    };
    let field_start = |k: usize| fields.get(k).map(|f| f.label.start);
    while field_start(*next_field).is_some_and(|f| f <= b.start) {
        *next_field += 1;
    }
    while marks.next_if(|&m| m < b.start).is_some() {}
    let mut start = b.start;
    loop {
        let punct = marks.peek().copied().filter(|&m| m < b.end);
        let field = field_start(*next_field).filter(|f| *f < b.end);
        let i = match (punct, field) {
            (Some(p), Some(f)) => p.min(f),
            (Some(p), None) => p,
            (None, Some(f)) => f,
            (None, None) => break,
        };
        if punct == Some(i) {
            marks.next();
        }
        let mut cut = None;
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') {
            let next = i + 1;
            if next >= b.end || bytes[next].is_ascii_whitespace() {
                let word = word_before(text, start, i);
                let title = one_of(&TITLE_KEYS, word);
                let initial = word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase();
                let lower_next = c == b'.'
                    && text[skip_space(text, next, b.end)..b.end].chars().next().is_some_and(char::is_lowercase);
                if !(title || initial || lower_next) {
                    cut = Some(next);
                }
            }
        }
        if let Some(end) = cut {
            push(start, end);
            start = end;
        } else if i > start && field == Some(i) {
            push(start, i);
            start = i;
        }
        // Field starts at or before this position are behind us.
        while field_start(*next_field).is_some_and(|f| f <= i) {
            *next_field += 1;
        }
    }
    if start < b.end {
        push(start, b.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(t: &str) -> Layout {
        Layout::analyse(t, Markup::Plain, &Lexicon::default_compiled())
    }

    /// Every line with a check box is let through to the pattern: boxes of
    /// every form, alone and inside text, and lines of bracketed text.
    #[test]
    fn lines_with_boxes_are_let_through() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let re = &lexicon.patterns.checkbox;
        let marks = ["", "x", "X", "*", "✓", "✔", "o", ".", "xx"];
        let spaces = ["", " ", "\t", "\u{a0}", "\u{3000}", "  "];
        let mut lines: Vec<String> = crate::testing::corpus_texts()
            .iter()
            .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        for (o, c) in [("[", "]"), ("(", ")"), ("[", ")"), ("(", "]")] {
            for a in spaces {
                for m in marks {
                    for b in spaces {
                        lines.push(format!("{o}{a}{m}{b}{c} IM"));
                        lines.push(format!("Route: IM {o}{a}{m}{b}{c} SC (given)"));
                    }
                }
            }
        }
        lines.extend(["☐ IM ☒ SC", "■", "□ left", "(E53.8) [ok]", "a ( ) b", "x [ ] y"].map(str::to_string));
        let mut boxes = 0;
        for line in &lines {
            if re.is_match(line) {
                assert!(super::may_hold_box(line.as_bytes()), "{line:?}");
                boxes += 1;
            }
        }
        assert!(boxes > 300, "{boxes}");
        assert!(!super::may_hold_box(b"Kenalog 40 mg (1 mL) [lot 4K21B]"));
    }

    #[test]
    fn every_mark_starts_with_a_byte_that_may_start_one() {
        for m in super::MARKS {
            assert!(super::starts_mark(m.as_bytes()[0]), "{m:?}");
        }
        assert!(!super::starts_mark(b'A') && !super::starts_mark(b'1') && !super::starts_mark(b' '));
    }

    #[test]
    fn fields_with_values_and_placeholders() {
        let t = "Medication: Kenalog-40\nSite: ____\nRoute = IM   Lot#: 4K21B\nConsent: N/A\nVerbal consent: no\n";
        let l = layout(t);
        let get = |k: FieldKind| l.fields_of(k).next().map(|f| (&t[f.value.clone()], f.state));
        assert_eq!(get(FieldKind::Medication), Some(("Kenalog-40", ValueState::Present)));
        assert_eq!(get(FieldKind::Site).map(|x| x.1), Some(ValueState::Empty));
        assert_eq!(get(FieldKind::Route), Some(("IM", ValueState::Present)));
        assert_eq!(get(FieldKind::Lot), Some(("4K21B", ValueState::Present)));
        let consents: Vec<_> = l.fields_of(FieldKind::Consent).map(|f| f.state).collect();
        assert_eq!(consents, vec![ValueState::Empty, ValueState::Negative]);
    }

    #[test]
    fn sections_from_headings_and_labels() {
        let t = "SUBJECTIVE:\nfeels tired\n\nAllergies: penicillin\nA/P:\nB12 deficiency. B12 1000 mcg IM today.\n";
        let l = layout(t);
        let kind = |needle: &str| l.section_at(t.find(needle).unwrap()).map(|s| s.kind);
        assert_eq!(kind("tired"), Some(SectionKind::Subjective));
        assert_eq!(kind("penicillin"), Some(SectionKind::Allergies));
        assert_eq!(kind("1000"), Some(SectionKind::AssessmentPlan));
    }

    #[test]
    fn markdown_headings_are_sections() {
        let t = "# Subjective\nKnee pain.\n\n## Assessment and Plan\n- Toradol 60 mg IM given.\n";
        let l = Layout::analyse(t, Markup::Markdown, &Lexicon::default_compiled());
        assert_eq!(l.section_at(t.find("Toradol").unwrap()).map(|s| s.kind), Some(SectionKind::AssessmentPlan));
        assert_eq!(l.section_at(t.find("Knee").unwrap()).map(|s| s.kind), Some(SectionKind::Subjective));
    }

    #[test]
    fn wrapped_lines_join_and_sentences_split() {
        let t = "Pt received B12 1000 mcg IM in\nthe left deltoid. Tolerated well. Dr. Lee ordered it.\nNext line";
        let l = layout(t);
        let s: Vec<&str> = l.sentences.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(
            s,
            vec![
                "Pt received B12 1000 mcg IM in\nthe left deltoid.",
                "Tolerated well.",
                "Dr. Lee ordered it.",
                "Next line"
            ]
        );
    }

    /// The byte-at-a-time sentence split finds what the first, character
    /// at a time one found: on every corpus note, and on generated text
    /// full of marks, titles, white space of every kind and non-ASCII words.
    #[test]
    fn sentences_match_the_character_reading() {
        // Every title and connector fits a key.
        assert!(TITLE_KEYS.iter().chain(&CONNECTOR_KEYS).all(|&k| k != 0));
        let lexicon = Lexicon::default_compiled();
        let pieces = [
            "Dr",
            "dr",
            ".",
            ". ",
            " ",
            "  ",
            "\n",
            "\r\n",
            "\t",
            "\u{b}",
            "\u{c}",
            "\u{a0}",
            "\u{2003}",
            "é",
            "É",
            "a",
            "B",
            "and",
            "The",
            "e.g",
            "i.e.",
            "!",
            "?",
            ":",
            ";",
            "Route: IM",
            "\nSite: left",
            "x",
            "1",
            "2.5",
            "No",
            "Ñ",
            "…",
            ",",
            "-",
            "\n\n",
            "APPROX",
            "after",
        ];
        let mut texts: Vec<String> = crate::testing::corpus_texts().to_vec();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let n = 1 + next() % 40;
            texts.push((0..n).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect());
        }
        for text in &texts {
            let layout = Layout::analyse(text, Markup::Plain, &lexicon);
            let field_line: Vec<bool> = layout.lines.iter().map(|_| next() % 4 == 0).collect();
            assert_eq!(
                sentences(text, &layout.lines, &field_line, &layout.fields),
                sentences_by_chars(text, &layout.lines, &field_line, &layout.fields),
                "{text:?}"
            );
        }
    }

    fn ends_sentence_by_chars(line: &str) -> bool {
        line.trim_end().ends_with(['.', '!', '?', ':', ';'])
    }

    /// The sentence split as first written, a character at a time, kept as
    /// the reference for [`super::sentences`].
    fn sentences_by_chars(
        text: &str,
        lines: &[Range<usize>],
        field_line: &[bool],
        fields: &[Field],
    ) -> Vec<Range<usize>> {
        // 1. blocks of joined lines
        let mut blocks: Vec<Range<usize>> = Vec::with_capacity(lines.len());
        let mut cur: Option<Range<usize>> = None;
        for (i, l) in lines.iter().enumerate() {
            let s = &text[l.clone()];
            if s.trim().is_empty() {
                if let Some(c) = cur.take() {
                    blocks.push(c);
                }
                continue;
            }
            let join = match (&cur, i.checked_sub(1)) {
                (Some(_), Some(p)) => {
                    let prev = &text[lines[p].clone()];
                    let next_first = s.trim_start().chars().next().unwrap_or(' ');
                    !field_line[p]
                        && !field_line[i]
                        && !ends_sentence_by_chars(prev)
                        && (next_first.is_lowercase() || {
                            let w = last_word(prev);
                            CONNECTORS.iter().any(|c| c.eq_ignore_ascii_case(w))
                        })
                }
                _ => false,
            };
            if join {
                if let Some(c) = cur.as_mut() {
                    c.end = l.end;
                }
            } else {
                if let Some(c) = cur.take() {
                    blocks.push(c);
                }
                cur = Some(l.clone());
            }
        }
        if let Some(c) = cur.take() {
            blocks.push(c);
        }
        // 2. split blocks at sentence ends and field starts
        let mut out = Vec::with_capacity(2 * blocks.len());
        let mut field_starts: Vec<usize> = fields.iter().map(|f| f.label.start).collect();
        field_starts.sort_unstable();
        let bytes = text.as_bytes();
        for b in blocks {
            let mut start = b.start;
            let mut next_field = field_starts.partition_point(|f| *f <= b.start);
            // Only sentence punctuation and field starts can end a sentence:
            // visit those positions, in order, instead of every byte.
            let mut puncts =
                memchr::memchr3_iter(b'.', b'!', b'?', &bytes[b.start..b.end]).map(|k| b.start + k).peekable();
            loop {
                let field = field_starts.get(next_field).copied().filter(|f| *f < b.end);
                let i = match (puncts.peek().copied(), field) {
                    (Some(p), Some(f)) => p.min(f),
                    (Some(p), None) => p,
                    (None, Some(f)) => f,
                    (None, None) => break,
                };
                if puncts.peek() == Some(&i) {
                    puncts.next();
                }
                let mut cut = None;
                if matches!(bytes[i], b'.' | b'!' | b'?') {
                    let c = bytes[i];
                    let next = i + 1;
                    let at_end = next >= b.end;
                    let space_next = !at_end && bytes[next].is_ascii_whitespace();
                    if at_end || space_next {
                        let word =
                            text[start..i].rsplit(|ch: char| !ch.is_alphanumeric() && ch != '.').next().unwrap_or("");
                        let title = TITLES.iter().any(|t| t.eq_ignore_ascii_case(word));
                        let initial = word.len() == 1 && word.chars().all(|ch| ch.is_ascii_uppercase());
                        let after = text[next..b.end].trim_start().chars().next();
                        let lower_next = after.is_some_and(|ch| ch.is_lowercase());
                        if !(title || initial || (lower_next && c == b'.')) {
                            cut = Some(next);
                        }
                    }
                }
                if let Some(end) = cut {
                    if !text[start..end].trim().is_empty() {
                        out.push(start..end);
                    }
                    start = end;
                } else if i > start && field == Some(i) {
                    if !text[start..i].trim().is_empty() {
                        out.push(start..i);
                    }
                    start = i;
                }
                // Field starts at or before this position are behind us.
                while next_field < field_starts.len() && field_starts[next_field] <= i {
                    next_field += 1;
                }
            }
            if start < b.end && !text[start..b.end].trim().is_empty() {
                out.push(start..b.end);
            }
        }
        // trim each sentence
        out.into_iter()
            .map(|r| {
                let s = &text[r.clone()];
                let lead = s.len() - s.trim_start().len();
                let tail = s.trim_end().len();
                r.start + lead..r.start + tail
            })
            .filter(|r| r.start < r.end)
            .collect()
    }

    /// Paragraph ends found over line breaks are where a line-by-line
    /// reading finds them, from every line end of every corpus note.
    #[test]
    fn paragraph_ends_match_a_line_by_line_reading() {
        let by_lines = |text: &str, pos: usize| {
            let mut offset = 0;
            for line in text[pos..].split_inclusive('\n') {
                if offset > 0 && line.trim().is_empty() {
                    return pos + offset;
                }
                offset += line.len();
            }
            text.len()
        };
        let texts = crate::testing::corpus_texts_and(&["", "a", "a\n", "a\n\n", "a\n \nb", "\n\n\n", "a\r\n\r\nb"]);
        for text in &texts {
            let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([0, text.len()]);
            for pos in ends {
                assert_eq!(paragraph_end(text, pos), by_lines(text, pos), "{text:?} {pos}");
            }
        }
    }

    #[test]
    fn unticked_boxes_govern_their_words() {
        let t = "Route: [x] IM  [ ] SC";
        let l = layout(t);
        assert!(l.unchecked_at(t.find("SC").unwrap()));
        assert!(!l.unchecked_at(t.find("IM").unwrap()));
    }
}
