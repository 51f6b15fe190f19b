//! JSON Lines (one object per note, the shape of SPEC "Outputs") and JSON
//! (one document with notes, summary and input errors).
//!
//! Every element key is always present under `elements`: `{"found":false}`
//! or `{"found":true,"text":...,"start":...,"end":...,"value":...}` with
//! UTF-8 byte offsets into the note text. Note records are written by hand
//! straight from borrowed data (no JSON tree, no serializer state), with
//! `serde_json`'s escaping; the summary goes through `serde_json`.

use super::Summary;
use crate::element::Element;
use crate::input::InputError;
use crate::jsonbytes::{padded_word, special};
use crate::lint::NoteReport;
use crate::note::Note;
use serde::Serialize;
use std::io::{self, Write};

/// Bytes that JSON strings must escape: control characters, `"` and `\`.
/// The value is the short escape letter, or `u` for `\u00XX`.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b'u';
        b += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// A JSON string literal, escaped the way `serde_json` escapes it (so the
/// records are byte-for-byte what a serde serializer would write).
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    // Eight bytes at a time (the last few padded with spaces, which need
    // no escaping); only a group with a byte to escape is read bytewise.
    for (k, chunk) in bytes.chunks(8).enumerate() {
        if !special(padded_word(chunk)) {
            continue;
        }
        for (j, &b) in chunk.iter().enumerate() {
            let esc = ESCAPE[b as usize];
            if esc == 0 {
                continue;
            }
            let i = k * 8 + j;
            out.extend_from_slice(&bytes[run..i]);
            run = i + 1;
            match esc {
                b'u' => {
                    out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xF) as usize]])
                }
                c => out.extend_from_slice(&[b'\\', c]),
            }
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// A string literal known to need no escaping (element names, rule codes
/// and names, severities: fixed ASCII words).
fn raw_string(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(s.bytes().all(|b| ESCAPE[b as usize] == 0));
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

fn opt_number(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => number(out, n),
        None => out.extend_from_slice(b"null"),
    }
}

/// Append one note's record, `{"note_id":...,"elements":{...},"findings":[...]}`:
/// an object of the JSON document (no separator, no newline).
pub fn push_json_note(out: &mut Vec<u8>, note: &Note, r: &NoteReport) {
    out.extend_from_slice(b"{\"note_id\":");
    string(out, &r.note_id);
    out.extend_from_slice(b",\"patient_id\":");
    opt_string(out, r.patient_id.as_deref());
    out.extend_from_slice(b",\"date\":");
    opt_string(out, r.date.as_deref());
    out.extend_from_slice(if r.applicable { b",\"applicable\":true" } else { b",\"applicable\":false" });
    out.extend_from_slice(b",\"elements\":{");
    for (k, e) in Element::ALL.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        raw_string(out, e.name());
        match r.element(*e) {
            Some(m) => {
                out.extend_from_slice(b":{\"found\":true,\"text\":");
                string(out, note.text.get(m.span.clone()).unwrap_or(""));
                out.extend_from_slice(b",\"start\":");
                number(out, m.span.start);
                out.extend_from_slice(b",\"end\":");
                number(out, m.span.end);
                out.extend_from_slice(b",\"value\":");
                opt_string(out, m.normalized.as_deref());
                out.push(b'}');
            }
            None => out.extend_from_slice(b":{\"found\":false}"),
        }
    }
    out.extend_from_slice(b"},\"findings\":[");
    for (k, f) in r.findings.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"code\":");
        raw_string(out, f.code);
        out.extend_from_slice(b",\"name\":");
        raw_string(out, f.name);
        out.extend_from_slice(b",\"severity\":");
        raw_string(out, f.severity.as_str());
        out.extend_from_slice(b",\"message\":");
        string(out, &f.message);
        out.extend_from_slice(b",\"start\":");
        opt_number(out, f.span.as_ref().map(|s| s.start));
        out.extend_from_slice(b",\"end\":");
        opt_number(out, f.span.as_ref().map(|s| s.end));
        out.extend_from_slice(b",\"related_note_id\":");
        opt_string(out, f.related_note_id.as_deref());
        out.push(b'}');
    }
    out.extend_from_slice(b"]}");
}

/// Append one JSON Lines record (with its newline) to `out`.
pub fn push_jsonl(out: &mut Vec<u8>, note: &Note, r: &NoteReport) {
    push_json_note(out, note, r);
    out.push(b'\n');
}

/// Write one JSON Lines record.
pub fn write_jsonl<W: Write + ?Sized>(out: &mut W, note: &Note, r: &NoteReport) -> io::Result<()> {
    let mut buf = Vec::with_capacity(2048);
    push_jsonl(&mut buf, note, r);
    out.write_all(&buf)
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

    /// Add a note object written by [`push_json_note`].
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

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("caf\u{e9} \u{2013} \u{1F489} \\ \" / \u{7f}");
        for s in [all.as_str(), "", "plain", "\"", "\\", "\n\r\t", "tail\u{1}"] {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(s).unwrap(), "{s:?}");
        }
        // Every character that needs escaping (and a few that do not), at
        // every offset of strings up to 24 bytes: the 8-byte skip over plain
        // text must stop at each of them wherever it falls.
        let specials: Vec<char> =
            (0u8..0x20).map(char::from).chain(['"', '\\', '\u{7f}', '/', '\u{e9}', '\u{1F489}']).collect();
        for c in specials {
            for len in 1..24 {
                for at in 0..len {
                    let s: String = (0..len).map(|i| if i == at { c } else { 'a' }).collect();
                    let mut out = Vec::new();
                    string(&mut out, &s);
                    assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&s).unwrap(), "{s:?}");
                }
            }
        }
        for n in [0usize, 7, 10, 99, 1_000_000, usize::MAX] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
        }
    }
}
