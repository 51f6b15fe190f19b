//! Medical necessity and diagnosis.
//!
//! A diagnosis is a current condition or an ICD-10-CM code. The medical
//! necessity is the reason for this injection: a cue ("for", "due to",
//! "indication") followed by a condition or code, or an indication,
//! diagnosis or assessment field or section that names one. Encounter-only
//! entries ("encounter for injection", Z23) document a diagnosis of sorts
//! but never the necessity; boilerplate ("per protocol") never does either.

use super::{DiagnosisMention, Extraction, Scan};
use crate::element::Element;
use crate::lexicon::{FieldKind, Kind, SectionKind};
use crate::note::layout::ValueState;
use compact_str::CompactString;
use std::ops::Range;

/// Letter-and-digit strings shaped like ICD codes that are vitamins or
/// spine levels when written without a decimal point.
const NOT_CODES: &[&str] =
    &["B12", "B6", "B1", "B2", "B3", "B5", "B9", "D2", "D3", "K1", "K2", "E2", "T12", "T11", "T10", "L4", "L5"];

/// Cues that put what follows in a reason position (for boilerplate).
const REASON_CUES: &[&str] = &[
    "reason",
    "indication",
    "rationale",
    "medical necessity",
    "reason for injection",
    "given for",
    "indicated for",
    "due to",
];

fn dx_context(scan: &Scan, pos: usize) -> bool {
    scan.layout.field_at(pos).is_some_and(|f| matches!(f.kind, FieldKind::Diagnosis | FieldKind::Indication))
        || scan.layout.section_at(pos).is_some_and(|s| {
            matches!(s.kind, SectionKind::Assessment | SectionKind::AssessmentPlan | SectionKind::Indication)
        })
}

fn codes(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    for span in scan.lexicon.patterns.icd10_codes(text, &scan.digits) {
        let matched = &text[span.clone()];
        let dotted = matched.contains('.');
        let lowercase = matched.starts_with(|c: char| c.is_ascii_lowercase());
        if !dotted && NOT_CODES.iter().any(|c| c.eq_ignore_ascii_case(matched)) {
            continue;
        }
        let before = &text[crate::extract::floor_boundary(text, span.start.saturating_sub(14))..span.start];
        let cued = ["icd", "dx", "code", "("].iter().any(|c| crate::extract::contains_ignore_case(before, c))
            || text[span.end..].starts_with(')');
        let context = cued || dx_context(scan, span.start);
        if !(dotted && !lowercase || context) || scan.layout.in_label(span.start) {
            continue;
        }
        let lot =
            scan.layout.field_at(span.start).is_some_and(|f| matches!(f.kind, FieldKind::Lot | FieldKind::Expiration))
                || scan.hits_in(span.start.saturating_sub(14)..span.start, |k| k == Kind::Lot).next().is_some();
        if lot || !scan.documents(&span) {
            continue;
        }
        let code = matched.to_ascii_uppercase();
        let encounter_only = scan.lexicon.is_encounter_only_code(&code);
        x.diagnoses.push(DiagnosisMention { span, code: Some(code), encounter_only });
    }
}

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    codes(scan, x);
    for h in scan.hits_where(|k| k == Kind::Condition) {
        let span = h.start..h.end;
        if scan.documents(&span) {
            x.diagnoses.push(DiagnosisMention { span, code: None, encounter_only: false });
        }
    }
    for h in scan.hits_where(|k| k == Kind::EncounterOnly) {
        let span = h.start..h.end;
        let overlaps = x.diagnoses.iter().any(|d| d.span.start < span.end && span.start < d.span.end);
        if !overlaps && dx_context(scan, span.start) && scan.documents(&span) {
            x.diagnoses.push(DiagnosisMention { span, code: None, encounter_only: true });
        }
    }
    // A diagnosis field with a value notelint does not know still names one.
    for f in scan.layout.fields_of(FieldKind::Diagnosis) {
        let inside = x.diagnoses.iter().any(|d| f.value.start <= d.span.start && d.span.end <= f.value.end);
        let boiler = scan
            .hits_in(f.value.clone(), |k| matches!(k, Kind::Boilerplate | Kind::BoilerplateReason))
            .next()
            .is_some();
        if f.state == ValueState::Present && !inside && !boiler && scan.documents(&f.value) {
            x.diagnoses.push(DiagnosisMention { span: f.value.clone(), code: None, encounter_only: false });
        }
    }
    x.diagnoses.sort_by_key(|d| d.span.start);
    let first_real = x.diagnoses.iter().find(|d| !d.encounter_only).or(x.diagnoses.first()).cloned();
    if let Some(d) = first_real {
        let norm = match &d.code {
            Some(code) => CompactString::from(code.as_str()),
            None => super::lowercase(&scan.text[d.span.clone()]),
        };
        x.set_first(Element::Diagnosis, d.span, || Some(norm));
    }
    necessity(scan, x);
}

fn real_dx_in(x: &Extraction, r: &Range<usize>) -> Option<Range<usize>> {
    x.diagnoses
        .iter()
        .find(|d| !d.encounter_only && r.start <= d.span.start && d.span.end <= r.end)
        .map(|d| d.span.clone())
}

fn necessity(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    let mut found: Vec<Range<usize>> = Vec::new();
    // (a) a cue followed by a condition in the same clause
    for h in scan.hits_where(|k| k == Kind::NecessityCue) {
        if !scan.documents(&(h.start..h.end)) {
            continue;
        }
        let sentence = scan.layout.sentence_at(h.start);
        let rest = &text[h.end..sentence.end.max(h.end)];
        let clause_end = rest
            .char_indices()
            .find(|&(i, c)| c == ';' || (c == '.' && rest[i + 1..].starts_with(char::is_whitespace)))
            .map_or(sentence.end.max(h.end), |(i, _)| h.end + i);
        let reason =
            x.diagnoses.iter().filter(|d| !d.encounter_only && d.span.start >= h.end && d.span.end <= clause_end).find(
                |d| {
                    let gap = &text[h.end..d.span.start];
                    gap.split_whitespace().count() <= 6
                },
            );
        if let Some(d) = reason {
            found.push(h.start..d.span.end);
            continue;
        }
        let cue = text[h.start..h.end].to_ascii_lowercase();
        if REASON_CUES.contains(&cue.as_str()) {
            let near = h.end..(h.end + 40).min(clause_end.max(h.end));
            if let Some(b) = scan.hits_in(near, |k| matches!(k, Kind::Boilerplate | Kind::BoilerplateReason)).next() {
                x.boilerplate.push(b.start..b.end);
            }
        }
    }
    // (b) indication and diagnosis fields; (c) assessment sections
    for f in &scan.layout.fields {
        if f.state != ValueState::Present || !matches!(f.kind, FieldKind::Indication | FieldKind::Diagnosis) {
            continue;
        }
        if let Some(d) = real_dx_in(x, &f.value) {
            found.push(d);
        } else if f.kind == FieldKind::Indication {
            match scan.hits_in(f.value.clone(), |k| matches!(k, Kind::Boilerplate | Kind::BoilerplateReason)).next() {
                Some(b) => x.boilerplate.push(b.start..b.end),
                None if x.diagnoses.iter().all(|d| !(f.value.start <= d.span.start && d.span.end <= f.value.end)) => {
                    found.push(f.value.clone())
                }
                None => {}
            }
        }
    }
    for s in &scan.layout.sections {
        if matches!(s.kind, SectionKind::Assessment | SectionKind::AssessmentPlan | SectionKind::Indication) {
            if let Some(d) = real_dx_in(x, &s.body) {
                found.push(d);
            }
        }
    }
    // (d) a current diagnosis elsewhere in an injection note is taken as its
    // reason: auditors read "Dx: E53.8 ... B12 1000 mcg IM" that way.
    if let Some(d) = x.diagnoses.iter().find(|d| !d.encounter_only) {
        found.push(d.span.clone());
    }
    for h in scan.hits_where(|k| k == Kind::Boilerplate) {
        if scan.documents(&(h.start..h.end)) {
            x.boilerplate.push(h.start..h.end);
        }
    }
    x.boilerplate.sort_by_key(|r| r.start);
    x.boilerplate.dedup();
    if let Some(span) = found.into_iter().min_by_key(|r| r.start) {
        let norm = CompactString::from(&text[span.clone()]);
        x.set_first(Element::MedicalNecessity, span, || Some(norm));
    }
}
