//! JSON Lines (one object per note, the shape of SPEC "Outputs") and JSON
//! (one document with notes, summary and input errors).
//!
//! Every element key is always present under `elements`: `{"found":false}`
//! or `{"found":true,"text":...,"start":...,"end":...,"value":...}` with
//! UTF-8 byte offsets into the note text. Records are serialized straight
//! from borrowed data, with no intermediate JSON tree.

use super::Summary;
use crate::element::Element;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::io::{self, Write};

struct Elements<'a> {
    note: &'a Note,
    report: &'a NoteReport,
}

#[derive(Serialize)]
struct Found<'a> {
    found: bool,
    text: &'a str,
    start: usize,
    end: usize,
    value: Option<&'a str>,
}

#[derive(Serialize)]
struct Missing {
    found: bool,
}

impl Serialize for Elements<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Element::ALL.len()))?;
        for e in Element::ALL {
            match self.report.element(e) {
                Some(m) => map.serialize_entry(
                    e.name(),
                    &Found {
                        found: true,
                        text: self.note.text.get(m.span.clone()).unwrap_or(""),
                        start: m.span.start,
                        end: m.span.end,
                        value: m.normalized.as_deref(),
                    },
                )?,
                None => map.serialize_entry(e.name(), &Missing { found: false })?,
            }
        }
        map.end()
    }
}

#[derive(Serialize)]
struct FindingRecord<'a> {
    code: &'a str,
    name: &'a str,
    severity: &'a str,
    message: &'a str,
    start: Option<usize>,
    end: Option<usize>,
    related_note_id: Option<&'a str>,
}

#[derive(Serialize)]
struct NoteRecord<'a> {
    note_id: &'a str,
    patient_id: Option<&'a str>,
    date: Option<&'a str>,
    applicable: bool,
    elements: Elements<'a>,
    findings: Vec<FindingRecord<'a>>,
}

fn record<'a>(note: &'a Note, r: &'a NoteReport) -> NoteRecord<'a> {
    NoteRecord {
        note_id: &r.note_id,
        patient_id: r.patient_id.as_deref(),
        date: r.date.as_deref(),
        applicable: r.applicable,
        elements: Elements { note, report: r },
        findings: r
            .findings
            .iter()
            .map(|f| FindingRecord {
                code: f.code,
                name: f.name,
                severity: f.severity.as_str(),
                message: &f.message,
                start: f.span.as_ref().map(|s| s.start),
                end: f.span.as_ref().map(|s| s.end),
                related_note_id: f.related_note_id.as_deref(),
            })
            .collect(),
    }
}

/// Write one JSON Lines record.
pub fn write_jsonl<W: Write + ?Sized>(out: &mut W, note: &Note, r: &NoteReport) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &record(note, r))?;
    out.write_all(b"\n")
}

/// Write one note's object for the JSON document (no separator, no newline).
pub fn write_json_note<W: Write + ?Sized>(out: &mut W, note: &Note, r: &NoteReport) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &record(note, r))?;
    Ok(())
}

/// The single JSON document, written as it goes: notes, then the summary
/// and input errors once every note is in.
#[derive(Default)]
pub struct JsonDocument {
    notes: usize,
}

impl JsonDocument {
    pub fn begin(out: &mut dyn Write) -> io::Result<JsonDocument> {
        out.write_all(b"{\"notes\":[")?;
        Ok(JsonDocument { notes: 0 })
    }

    /// Add a note object written by [`write_json_note`].
    pub fn push(&mut self, out: &mut dyn Write, note: &[u8]) -> io::Result<()> {
        if self.notes > 0 {
            out.write_all(b",\n")?;
        }
        self.notes += 1;
        out.write_all(note)
    }

    pub fn finish(self, out: &mut dyn Write, summary: &Summary, errors: &[InputError]) -> io::Result<()> {
        #[derive(Serialize)]
        struct ErrorRecord<'a> {
            path: &'a str,
            line: Option<usize>,
            message: &'a str,
        }
        out.write_all(b"],\n\"summary\":")?;
        serde_json::to_writer(&mut *out, summary)?;
        out.write_all(b",\n\"errors\":")?;
        let errors: Vec<ErrorRecord> =
            errors.iter().map(|e| ErrorRecord { path: &e.path, line: e.line, message: &e.message }).collect();
        serde_json::to_writer(&mut *out, &errors)?;
        out.write_all(b"}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn every_element_key_is_present_in_spec_order() {
        let note = Note::plain("n-1", "Toradol 60 mg IM given in the right deltoid.");
        let report = Linter::default().lint(&note, &[]);
        let mut out = Vec::new();
        write_jsonl(&mut out, &note, &report).unwrap();
        let text = String::from_utf8(out).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = Element::ALL.iter().map(|e| e.name()).collect();
        let order: Vec<usize> = keys.iter().map(|k| text.find(&format!("\"{k}\":")).unwrap()).collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "elements in spec order");
        assert_eq!(v["elements"]["dose"]["text"], "60 mg");
        assert_eq!(v["elements"]["lot"], serde_json::json!({"found": false}));
        assert_eq!(v["findings"][0]["related_note_id"], serde_json::Value::Null);
    }
}
