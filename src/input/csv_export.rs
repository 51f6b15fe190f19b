//! CSV note exports: a header row, then one note per record. Column names
//! are configurable ([`Columns`]); a malformed row is skipped with its line.

use super::{Columns, InputError, Record, Start};
use crate::note::{Markup, Note, Origin};

pub(super) fn read(path: &str, text: &str, columns: &Columns) -> Vec<Record> {
    read_at(path, text, columns, Start::default()).0
}

/// The byte length of the header row (with its line break), if it reads.
pub(super) fn header_len(text: &str) -> Option<usize> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    reader.headers().ok()?;
    Some(reader.position().byte() as usize)
}

/// Read CSV text whose header row starts at `start` in the file; also
/// says whether the header was usable.
pub(super) fn read_at(path: &str, text: &str, columns: &Columns, start: Start) -> (Vec<Record>, bool) {
    let mut out = Vec::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            out.push(Record::Skipped(InputError {
                path: path.into(),
                line: Some(start.line),
                message: format!("unreadable header row: {e}"),
            }));
            return (out, false);
        }
    };
    // One copy of the path, shared by the block's notes.
    let shared_path: std::sync::Arc<str> = path.into();
    let find =
        |name: &str| headers.iter().position(|h| h.trim().trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let Some(text_col) = find(&columns.text) else {
        let found: Vec<&str> = headers.iter().collect();
        out.push(Record::Skipped(InputError {
            path: path.into(),
            line: Some(start.line),
            message: format!(
                "no `{}` column in the header (columns: {}); set input.columns.text in notelint.yaml",
                columns.text,
                found.join(", ")
            ),
        }));
        return (out, false);
    };
    let (id_col, patient_col, date_col, author_col) =
        (find(&columns.note_id), find(&columns.patient_id), find(&columns.date), find(&columns.author));
    let stem = std::path::Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or(path).to_string();
    let mut record = csv::StringRecord::new();
    // Characters before byte `counted.0` of the text, for record regions.
    let mut counted = (0usize, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize + start.line - 1);
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "invalid UTF-8 in row".to_string(),
                    _ => "malformed CSV row".to_string(),
                };
                out.push(Record::Skipped(InputError { path: path.into(), line, message }));
                continue;
            }
        };
        let mut line = record.position().map_or(0, |p| p.line() as usize + start.line - 1);
        let mut row_start = record.position().map_or(0, |p| p.byte() as usize).min(text.len());
        // After a CR LF the reader places a record at the LF, on the line before.
        while let Some(b @ (b'\r' | b'\n')) = text.as_bytes().get(row_start) {
            line += usize::from(*b == b'\n');
            row_start += 1;
        }
        let end = (reader.position().byte() as usize).clamp(row_start, text.len());
        let region = text.get(row_start..end).unwrap_or("").trim_end_matches(['\n', '\r']);
        counted.1 += text.get(counted.0..row_start).map_or(0, crate::note::char_count);
        counted.0 = row_start;
        let (char_offset, char_len) = (start.char + counted.1, crate::note::char_count(region));
        if record.len() != headers.len() {
            out.push(Record::Skipped(InputError {
                path: path.into(),
                line: Some(line),
                message: format!("row has {} fields, the header has {}", record.len(), headers.len()),
            }));
            continue;
        }
        let get =
            |c: Option<usize>| c.and_then(|i| record.get(i)).map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        out.push(Record::Note(Note {
            id: get(id_col).unwrap_or_else(|| format!("{stem}:{line}")),
            patient_id: get(patient_col),
            date: get(date_col),
            author: get(author_col),
            text: record.get(text_col).unwrap_or("").to_string(),
            markup: Markup::Plain,
            // The text field usually starts on the record's first line.
            origin: Origin { path: shared_path.clone(), line, text_line: Some(line), char_offset, char_len },
            ..Note::default()
        }));
    }
    (out, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quoted_multiline_rows_and_skips_bad_ones() {
        let t = "note_id,patient_id,date,author,text\nn1,p1,2026-01-05,RN,\"B12 1000 mcg IM,\nL deltoid\"\nn2,p2,2026-01-06\nn3,p3,,,\"Toradol 60 mg IM\"\n";
        let r = read("x.csv", t, &Columns::default());
        assert!(matches!(&r[0], Record::Note(n) if n.id == "n1" && n.text.contains("L deltoid") && n.origin.line == 2));
        assert!(matches!(&r[1], Record::Skipped(e) if e.line == Some(4) && e.message.contains("3 fields")));
        assert!(matches!(&r[2], Record::Note(n) if n.id == "n3" && n.date.is_none()));
    }

    #[test]
    fn configurable_columns_and_missing_text_column() {
        let cols = Columns { text: "NoteText".into(), note_id: "ID".into(), ..Columns::default() };
        let r = read("x.csv", "ID,NoteText\na,hello\n", &cols);
        assert!(matches!(&r[0], Record::Note(n) if n.id == "a" && n.text == "hello"));
        let r = read("x.csv", "id,body\na,hello\n", &Columns::default());
        assert!(matches!(&r[0], Record::Skipped(e) if e.message.contains("no `text` column")));
    }
}
