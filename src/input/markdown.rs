//! Markdown notes, with optional YAML front matter (`note_id`,
//! `patient_id`, `date`, `author`, `charges`). Headings become sections in
//! the layout; here we only split the front matter from the body.

use super::{InputError, Record};
use crate::note::{Charge, Markup, Note, Origin};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct FrontMatter {
    note_id: Option<serde_yaml::Value>,
    patient_id: Option<serde_yaml::Value>,
    date: Option<serde_yaml::Value>,
    author: Option<serde_yaml::Value>,
    charges: Vec<Charge>,
}

fn scalar(v: Option<serde_yaml::Value>) -> Option<String> {
    match v? {
        serde_yaml::Value::String(s) => Some(s),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Split `---` front matter from the body: (yaml, body offset, body line).
fn split(text: &str) -> Option<(&str, usize, usize)> {
    let first = text.lines().next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut offset = text.find('\n')? + 1;
    let yaml_start = offset;
    for (line, l) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if l.trim_end() == "---" || l.trim_end() == "..." {
            return Some((&text[yaml_start..offset], offset + l.len(), line + 1));
        }
        offset += l.len();
    }
    None
}

pub(super) fn read(path: &str, stem: &str, text: String) -> Vec<Record> {
    let mut out = Vec::new();
    let mut note = Note {
        id: stem.to_string(),
        markup: Markup::Markdown,
        origin: Origin::whole_file(path, &text),
        ..Note::default()
    };
    match split(&text) {
        Some((yaml, body, body_line)) => {
            match serde_yaml::from_str::<FrontMatter>(yaml) {
                Ok(fm) => {
                    if let Some(id) = scalar(fm.note_id) {
                        note.id = id;
                    }
                    note.patient_id = scalar(fm.patient_id);
                    note.date = scalar(fm.date);
                    note.author = scalar(fm.author);
                    note.charges = fm.charges;
                }
                Err(e) => out.push(Record::Warning(InputError {
                    path: path.into(),
                    line: Some(1 + e.location().map_or(1, |l| l.line())),
                    message: format!("front matter ignored: {}", first_line(&e.to_string())),
                })),
            }
            note.text = text[body..].to_string();
            note.origin.text_line = Some(body_line);
        }
        None => note.text = text,
    }
    out.push(Record::Note(note));
    out
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_sets_metadata_and_body_offsets() {
        let t = "---\nnote_id: soap-1\npatient_id: 42\ndate: 2026-01-05\ncharges:\n  - {code: \"96372\", units: 1}\n---\n# Plan\nToradol 60 mg IM.\n";
        let r = read("a.md", "a", t.to_string());
        let Record::Note(n) = &r[0] else { panic!("{r:?}") };
        assert_eq!(n.id, "soap-1");
        assert_eq!(n.patient_id.as_deref(), Some("42"));
        assert_eq!(n.date.as_deref(), Some("2026-01-05"));
        assert_eq!(n.charges[0].code, "96372");
        assert!(n.text.starts_with("# Plan"));
        assert_eq!(n.origin.text_line, Some(8));
    }

    #[test]
    fn bad_front_matter_warns_and_keeps_the_note() {
        let r = read("a.md", "a", "---\nnote_id: [unclosed\n---\nbody".to_string());
        assert!(matches!(&r[0], Record::Warning(e) if e.line.is_some()));
        assert!(matches!(&r[1], Record::Note(n) if n.text == "body"));
    }
}
