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
use crate::lexicon::{FieldKind, Hit, Kind};
use crate::note::layout::ValueState;
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
    let first_word = name.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_ascii_lowercase();
    let titled = name.starts_with(['D', 'd']) && (first_word == "dr" || first_word == "doctor");
    if NOT_PEOPLE.contains(&first_word.as_str()) && !titled {
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
    let mut before = text[from..pos].trim_end();
    for tail in ["ordered and", "orders and", "prescribed and", "and", "has", "who"] {
        if let Some(b) = before.strip_suffix(tail) {
            before = b.trim_end();
            break;
        }
    }
    let m = scan.lexicon.patterns.person_before.find(before)?;
    Some(from + m.start()..from + m.end())
}

fn not_clinician_near(scan: &Scan, h: &Hit) -> bool {
    let line_start = scan.text[..h.start].rfind('\n').map_or(0, |i| i + 1);
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
        let cue = scan.text[h.start..h.end].to_ascii_lowercase();
        let weak = WEAK.contains(&cue.as_str());
        let from = if cue == "per dr" { h.start + 4 } else { h.end };
        if let Some(p) = person_after(scan, from, weak) {
            if scan.text[p.clone()].len() > 1
                && !matches!(scan.hits_in(p.clone(), |k| matches!(k, Kind::Credential(_))).next(), Some(c) if c.start == p.start)
            {
                x.set_first(Element::OrderingClinician, scan.mention(h.start..p.end, Some(scan.text[p].to_string())));
            }
        }
    }
    for h in scan.hits_where(|k| k == Kind::OrderVerb) {
        if let Some(p) = person_before(scan, h.start) {
            x.set_first(Element::OrderingClinician, scan.mention(p.start..h.end, Some(scan.text[p].to_string())));
        }
    }
    for f in scan.layout.fields_of(FieldKind::OrderedBy) {
        if f.state == ValueState::Present {
            if let Some(p) = person_after(scan, f.value.start, false) {
                x.set_first(Element::OrderingClinician, scan.mention(f.value.clone(), Some(scan.text[p].to_string())));
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
            x.set_first(Element::AdministeringClinician, scan.mention(h.start..p.end, Some(text[p].to_string())));
        }
    }
    for h in scan.hits_where(|k| k == Kind::AdministerVerb) {
        if let Some(p) = person_before(scan, h.start) {
            x.set_first(Element::AdministeringClinician, scan.mention(p.start..h.end, Some(text[p].to_string())));
        }
    }
    for f in scan.layout.fields_of(FieldKind::AdministeredBy) {
        if f.state == ValueState::Present && person_after(scan, f.value.start, false).is_some() {
            x.set_first(
                Element::AdministeringClinician,
                scan.mention(f.value.clone(), Some(text[f.value.clone()].to_string())),
            );
        }
    }
    for line in &scan.layout.lines {
        if let Some(span) = signature(scan, line.clone()) {
            x.set_first(
                Element::AdministeringClinician,
                scan.mention(span.clone(), Some(text[span].trim().to_string())),
            );
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
        if NOT_PEOPLE.contains(&first.to_ascii_lowercase().as_str()) {
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
