//! Date/time of administration, patient response, consent and lot.
//!
//! These are phrase- and pattern-driven: a date or time that is not a date
//! of birth, an expiry or a past or future date; a response phrase
//! ("tolerated well", "no adverse reaction"); a consent phrase; a lot cue
//! with a value that has a digit in it. Filled template fields count too.

use super::{floor_boundary, Extraction, Scan};
use crate::element::Element;
use crate::lexicon::{FieldKind, Kind};
use crate::note::layout::ValueState;
use compact_str::CompactString;
use std::ops::Range;

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    datetime(scan, x);
    response(scan, x);
    consent(scan, x);
    lot(scan, x);
}

/// Is the date at `span` a birth date or an expiry (or a VIS edition)?
fn not_encounter_date(scan: &Scan, span: &Range<usize>) -> bool {
    if scan.layout.field_at(span.start).is_some_and(|f| matches!(f.kind, FieldKind::Expiration | FieldKind::Lot)) {
        return true;
    }
    let line_start = super::line_start(scan.text, span.start);
    let from = floor_boundary(scan.text, span.start.saturating_sub(24)).max(line_start);
    scan.hits_in(from..span.start, |k| matches!(k, Kind::Dob | Kind::Expiry)).next().is_some()
}

/// The four-digit clock time inside a military-time match ("at 0930 hrs").
fn four_digits(text: &str, m: Range<usize>) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = m.start;
    while i + 4 <= m.end {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && (i + 4 == b.len() || !b[i + 4].is_ascii_digit())
            && (i == 0 || b[i - 1] != b'/')
        {
            return Some(i..i + 4);
        }
        i += 1;
    }
    None
}

fn datetime(scan: &Scan, x: &mut Extraction) {
    let p = &scan.lexicon.patterns;
    let text = scan.text;
    let qualifies = |span: &Range<usize>| {
        !(scan.layout.in_label(span.start) || not_encounter_date(scan, span) || !scan.documents(span))
    };
    // The earliest date or time wins, and each pattern's matches come in
    // text order: each search stops at its first match that qualifies.
    let mut found: Vec<Range<usize>> = Vec::new();
    found.extend(p.date.find_iter(text).map(|m| m.start()..m.end()).find(qualifies));
    found.extend(p.times(text, &scan.digits).find(qualifies));
    // Searched only around four-digit runs that may be a clock time.
    found.extend(p.military_times(text, &scan.digits).filter_map(|m| four_digits(text, m)).find(qualifies));
    for f in scan.layout.fields.iter().filter(|f| matches!(f.kind, FieldKind::Date | FieldKind::Time)) {
        let v = &text[f.value.clone()];
        if f.state == ValueState::Present && v.chars().any(|c| c.is_ascii_digit()) {
            found.push(f.value.clone());
        }
    }
    if let Some(span) = found.into_iter().min_by_key(|r| r.start) {
        x.set_first(Element::Datetime, span.clone(), || Some(CompactString::from(&text[span])));
    }
}

fn response(scan: &Scan, x: &mut Extraction) {
    for h in scan.hits_where(|k| k == Kind::Response) {
        let span = h.start..h.end;
        // A response phrase is itself often a negation ("no reaction");
        // only future or past context sets it aside.
        match scan.ctx.modifier(&span) {
            None | Some(crate::lexicon::Modifier::Negated) | Some(crate::lexicon::Modifier::Intent) => {
                if scan
                    .layout
                    .field_at(span.start)
                    .is_some_and(|f| f.state != ValueState::Present && f.value.start <= span.start)
                {
                    continue;
                }
                x.set_first(Element::Response, span.clone(), || Some(CompactString::from(&scan.text[span])));
                break;
            }
            _ => {}
        }
    }
    if let Some(f) = scan.layout.fields_of(FieldKind::Response).find(|f| f.state == ValueState::Present) {
        x.set_first(Element::Response, f.value.clone(), || Some(CompactString::from(&scan.text[f.value.clone()])));
    }
}

fn consent(scan: &Scan, x: &mut Extraction) {
    if let Some(h) = scan.hits_where(|k| k == Kind::Consent).find(|h| scan.documents(&(h.start..h.end))) {
        x.set_first(Element::Consent, h.start..h.end, || Some(CompactString::from(&scan.text[h.start..h.end])));
    }
    if let Some(f) = scan.layout.fields_of(FieldKind::Consent).find(|f| f.state == ValueState::Present) {
        x.set_first(Element::Consent, f.value.clone(), || Some(CompactString::from(&scan.text[f.value.clone()])));
    }
}

fn lot(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    for h in scan.hits_where(|k| matches!(k, Kind::Lot)) {
        let Some(v) = crate::lexicon::numeric::lot_value(&text[h.end..]) else { continue };
        let value = &text[h.end + v.start..h.end + v.end];
        let span = h.start..h.end + v.end;
        if value.chars().any(|c| c.is_ascii_digit()) && scan.documents(&span) {
            x.set_first(Element::Lot, span, || Some(CompactString::from(value)));
            break;
        }
    }
    for f in scan.layout.fields.iter().filter(|f| matches!(f.kind, FieldKind::Lot | FieldKind::Expiration)) {
        let v = &text[f.value.clone()];
        if f.state == ValueState::Present && v.chars().any(|c| c.is_ascii_digit()) {
            x.set_first(Element::Lot, f.value.clone(), || Some(CompactString::from(v)));
        }
    }
}
