//! CSV output: one row per finding, for spreadsheets and BI tools.
//!
//! Columns: note_id, patient_id, date, author, code, name, severity,
//! message, evidence (the note text the finding points at, if any),
//! related_note_id.

use crate::lint::NoteReport;
use crate::note::Note;
use std::io::{self, Write};

/// The header row.
pub const HEADER: [&str; 10] =
    ["note_id", "patient_id", "date", "author", "code", "name", "severity", "message", "evidence", "related_note_id"];

/// Write the header row.
pub fn header(out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    w.flush()
}

/// Write one row per finding of a note.
pub fn note(out: &mut dyn Write, note: &Note, r: &NoteReport) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(out);
    for f in &r.findings {
        let evidence = f.span.as_ref().and_then(|s| note.text.get(s.clone())).unwrap_or("");
        w.write_record([
            r.note_id.as_str(),
            r.patient_id.as_deref().unwrap_or(""),
            r.date.as_deref().unwrap_or(""),
            r.author.as_deref().unwrap_or(""),
            f.code,
            f.name,
            f.severity.as_str(),
            &*f.message,
            evidence,
            f.related_note_id.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;

    #[test]
    fn one_row_per_finding_with_evidence() {
        let note = Note::plain("n1", "Kenalog 40 IM given in the deltoid, \"per protocol\".");
        let report = Linter::default().lint(&note, &[]);
        let mut out = Vec::new();
        header(&mut out).unwrap();
        super::note(&mut out, &note, &report).unwrap();
        let mut reader = csv::Reader::from_reader(out.as_slice());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), report.findings.len());
        let q203 = rows.iter().find(|r| &r[4] == "Q203").unwrap();
        assert_eq!(&q203[8], "deltoid");
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), HEADER.to_vec());
    }
}
