//! JSON Lines (one object per note, the shape of SPEC "Outputs") and JSON
//! (one document with notes, summary and input errors).
//!
//! Every element key is always present under `elements`: `{"found":false}`
//! or `{"found":true,"text":...,"start":...,"end":...,"value":...}` with
//! UTF-8 byte offsets into the note text.

use super::Summary;
use crate::element::Element;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use serde_json::{json, Map, Value};
use std::io::{self, Write};

/// The JSON object for one note.
pub fn note_value(note: &Note, r: &NoteReport) -> Value {
    let mut elements = Map::new();
    for e in Element::ALL {
        let v = match r.element(e) {
            Some(m) => json!({
                "found": true,
                "text": note.text.get(m.span.clone()).unwrap_or(""),
                "start": m.span.start,
                "end": m.span.end,
                "value": m.normalized,
            }),
            None => json!({"found": false}),
        };
        elements.insert(e.name().to_string(), v);
    }
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            json!({
                "code": f.code,
                "name": f.name,
                "severity": f.severity.as_str(),
                "message": f.message,
                "start": f.span.as_ref().map(|s| s.start),
                "end": f.span.as_ref().map(|s| s.end),
                "related_note_id": f.related_note_id,
            })
        })
        .collect();
    json!({
        "note_id": r.note_id,
        "patient_id": r.patient_id,
        "date": r.date,
        "applicable": r.applicable,
        "elements": elements,
        "findings": findings,
    })
}

/// Write one JSON Lines record.
pub fn write_jsonl(out: &mut dyn Write, note: &Note, r: &NoteReport) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &note_value(note, r))?;
    out.write_all(b"\n")
}

/// Collects notes for the single JSON document written at the end.
#[derive(Default)]
pub struct JsonDocument {
    notes: Vec<Value>,
}

impl JsonDocument {
    pub fn push(&mut self, note: &Note, r: &NoteReport) {
        self.notes.push(note_value(note, r));
    }

    pub fn finish(self, out: &mut dyn Write, summary: &Summary, errors: &[InputError]) -> io::Result<()> {
        let errors: Vec<Value> =
            errors.iter().map(|e| json!({"path": e.path, "line": e.line, "message": e.message})).collect();
        let doc = json!({"notes": self.notes, "summary": summary, "errors": errors});
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")
    }
}
