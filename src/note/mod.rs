//! The note model: one clinical note as read from an input, and its layout
//! (lines, sentences, sections and template fields) once analysed.
//!
//! Readers in [`crate::input`] build [`Note`]s; [`layout::Layout`] is what
//! the extractors walk. Offsets are UTF-8 byte offsets into [`Note::text`].

pub mod layout;

use serde::{Deserialize, Serialize};

/// How the note text is marked up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Markup {
    #[default]
    Plain,
    Markdown,
}

/// One billed line that goes with a note (`code`, `modifiers`, `units`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Charge {
    pub code: String,
    #[serde(default, deserialize_with = "modifiers_from_any")]
    pub modifiers: Vec<String>,
    #[serde(default = "one")]
    pub units: f64,
}

fn one() -> f64 {
    1.0
}

/// Modifiers may be written as a list or as one string separated by `;` or `,`.
fn modifiers_from_any<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        List(Vec<String>),
        Text(String),
    }
    Ok(match Option::<Either>::deserialize(d)? {
        None => Vec::new(),
        Some(Either::List(v)) => v,
        Some(Either::Text(s)) => split_modifiers(&s),
    })
}

/// Split a modifier string such as `"25;59"` into its modifiers.
pub fn split_modifiers(s: &str) -> Vec<String> {
    s.split([';', ',', ' ']).map(str::trim).filter(|m| !m.is_empty()).map(str::to_ascii_uppercase).collect()
}

/// Where a note came from, for messages that name a file and line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The path as the user gave it (or `<stdin>`).
    pub path: std::sync::Arc<str>,
    /// 1-based line in that file where the record starts.
    pub line: usize,
    /// 1-based line in that file where the note text starts, when the text
    /// is stored verbatim (plain text, Markdown); `None` for encoded records.
    pub text_line: Option<usize>,
    /// Where the record sits in the decoded file, in Unicode characters
    /// from the start of the file: the whole file for a text or Markdown
    /// note, the line for a JSON Lines record, the row for a CSV record
    /// (without its line break). For SARIF regions and report links.
    pub char_offset: usize,
    pub char_len: usize,
}

impl Origin {
    /// A note that is the whole file: a text or Markdown note.
    pub fn whole_file(path: &str, text: &str) -> Origin {
        Origin { path: path.into(), line: 1, text_line: Some(1), char_offset: 0, char_len: char_count(text) }
    }
}

/// Characters in a UTF-8 string: its length when it is ASCII (a word at a
/// time), else the standard library's word-at-a-time count.
pub fn char_count(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// One note to lint.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Note {
    pub id: String,
    pub patient_id: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub text: String,
    pub markup: Markup,
    pub charges: Vec<Charge>,
    pub origin: Origin,
    /// Warnings from reading this record (e.g. how its bytes were decoded).
    pub warnings: Vec<String>,
}

impl Note {
    /// A plain-text note with just an id and text (handy for tests and
    /// library callers).
    pub fn plain(id: impl Into<String>, text: impl Into<String>) -> Note {
        Note { id: id.into(), text: text.into(), ..Note::default() }
    }
}
