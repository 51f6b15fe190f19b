//! Readers: bytes in, notes out. One module per input format; none of them
//! touches the file system (the CLI reads files and hands over bytes).
//!
//! A record that cannot be read is reported with its file and line and
//! skipped; every other record is still read. Nothing in an error message
//! quotes note text.

pub mod charges;
mod csv_export;
pub mod decode;
mod jsonl;
mod markdown;
mod stream;

pub use stream::Stream;

use crate::note::{Markup, Note, Origin};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Csv,
    Jsonl,
}

impl Format {
    /// The format a file name implies, if notelint reads it.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = std::path::Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Format::Text,
            "md" | "markdown" => Format::Markdown,
            "csv" => Format::Csv,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ => return None,
        })
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::from_path(&format!("x.{name}"))
    }

    /// Guess the format of standard input from its first bytes.
    pub fn sniff(text: &str) -> Format {
        let t = text.trim_start();
        if t.starts_with('{') {
            Format::Jsonl
        } else if t.starts_with("---") || t.starts_with('#') {
            Format::Markdown
        } else {
            Format::Text
        }
    }
}

/// Column names of CSV exports and field names of JSON Lines records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Columns {
    pub note_id: String,
    pub patient_id: String,
    pub date: String,
    pub author: String,
    pub text: String,
}

impl Default for Columns {
    fn default() -> Columns {
        Columns {
            note_id: "note_id".into(),
            patient_id: "patient_id".into(),
            date: "date".into(),
            author: "author".into(),
            text: "text".into(),
        }
    }
}

/// How to read inputs.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub columns: Columns,
}

/// A problem with one record or one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// What reading yields, in input order.
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
    /// A note to lint.
    Note(Note),
    /// A record that could not be read; it is skipped.
    Skipped(InputError),
    /// Something the user should know that does not stop reading.
    Warning(InputError),
}

/// Where a block of text starts in its file: 1-based line, character offset.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Start {
    pub line: usize,
    pub char: usize,
}

impl Default for Start {
    fn default() -> Start {
        Start { line: 1, char: 0 }
    }
}

fn stem(path: &str) -> String {
    std::path::Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or(path).to_string()
}

/// Read every note in `bytes`, which came from `path` (for messages and
/// note ids) and are in `format`.
pub fn read(path: &str, format: Format, bytes: &[u8], options: &ReadOptions) -> Vec<Record> {
    let mut out = Vec::new();
    let decoded = match decode::decode(bytes) {
        Ok(d) => d,
        Err(message) => {
            out.push(Record::Skipped(InputError { path: path.into(), line: None, message }));
            return out;
        }
    };
    if let Some(w) = &decoded.warning {
        out.push(Record::Warning(InputError { path: path.into(), line: None, message: w.clone() }));
    }
    let text = decoded.text;
    match format {
        Format::Text => out.push(Record::Note(Note {
            id: stem(path),
            origin: Origin::whole_file(path, &text),
            text,
            markup: Markup::Plain,
            ..Note::default()
        })),
        Format::Markdown => out.extend(markdown::read(path, &stem(path), text)),
        Format::Csv => {
            if text.trim().is_empty() {
                out.push(Record::Warning(InputError {
                    path: path.into(),
                    line: None,
                    message: "empty file: no header row, no notes".into(),
                }));
            } else {
                out.extend(csv_export::read(path, &text, &options.columns));
            }
        }
        Format::Jsonl => {
            if text.trim().is_empty() {
                out.push(Record::Warning(InputError {
                    path: path.into(),
                    line: None,
                    message: "empty file: no records".into(),
                }));
            } else {
                jsonl::read(path, &text, &options.columns, &mut out);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(records: &[Record]) -> Vec<&Note> {
        records.iter().filter_map(|r| if let Record::Note(n) = r { Some(n) } else { None }).collect()
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path("a/b.TXT"), Some(Format::Text));
        assert_eq!(Format::from_path("x.ndjson"), Some(Format::Jsonl));
        assert_eq!(Format::from_path("x.pdf"), None);
        assert_eq!(Format::sniff("  {\"text\":1}"), Format::Jsonl);
    }

    #[test]
    fn text_file_is_one_note_named_by_stem_and_empty_is_empty_note() {
        let r = read("dir/n-7.txt", Format::Text, b"", &ReadOptions::default());
        let n = notes(&r);
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].id, "n-7");
        assert_eq!(n[0].text, "");
    }

    #[test]
    fn binary_is_skipped_with_its_path() {
        let r = read("x.txt", Format::Text, b"\x00\x01\x02binary", &ReadOptions::default());
        assert!(matches!(&r[0], Record::Skipped(e) if e.path == "x.txt" && e.message.contains("binary")));
    }

    #[test]
    fn records_know_their_region_in_characters() {
        let jsonl = "{\"note_id\":\"a\",\"text\":\"é\"}\r\n\n{\"note_id\":\"b\",\"text\":\"x\"}\n";
        let r = read("x.jsonl", Format::Jsonl, jsonl.as_bytes(), &ReadOptions::default());
        let n = notes(&r);
        assert_eq!((n[0].origin.char_offset, n[0].origin.char_len), (0, 26));
        assert_eq!((n[1].origin.char_offset, n[1].origin.line), (29, 3));
        assert_eq!(n[1].origin.char_len, 26);
        let csv = "note_id,text\r\na,\"two\nlines é\"\r\nb,x\r\n";
        let r = read("x.csv", Format::Csv, csv.as_bytes(), &ReadOptions::default());
        let n = notes(&r);
        assert_eq!((n[0].origin.char_offset, n[0].origin.char_len), (14, 15));
        assert_eq!((n[1].origin.char_offset, n[1].origin.char_len), (31, 3));
        assert_eq!((n[0].origin.line, n[1].origin.line), (2, 4), "lines agree with the regions");
        let r = read("n.txt", Format::Text, "héllo\n".as_bytes(), &ReadOptions::default());
        assert_eq!(notes(&r)[0].origin.char_len, 6);
    }
}
