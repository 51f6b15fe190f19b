//! Findings by month: injection notes and notes with an error per month of
//! the note date (gaps filled so the trend reads true), undated notes apart.

use super::charts::{self, Column};
use super::{ci, pct, Esc};
use crate::diagnostic::Severity;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::stats::Rate;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// The month ("2026-01") of a note date written as ISO 8601 ("2026-01-05",
/// "2026-01-05T10:42") or US style ("1/5/2026").
fn month_of(date: &str) -> Option<String> {
    let d = date.trim();
    let b = d.as_bytes();
    if b.len() >= 7 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[5..7].iter().all(u8::is_ascii_digit) {
        let m: u32 = d[5..7].parse().ok()?;
        return (1..=12).contains(&m).then(|| d[..7].to_string());
    }
    let head = d.split([' ', 'T']).next()?;
    let mut parts = head.split('/');
    let (m, _day, y) = (parts.next()?, parts.next()?, parts.next()?);
    let m: u32 = m.parse().ok()?;
    (y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()) && (1..=12).contains(&m)).then(|| format!("{y}-{m:02}"))
}

/// Injection notes and notes with an error finding, per month.
#[derive(Default)]
struct MonthTally {
    notes: u64,
    injection: u64,
    with_error: u64,
}

impl MonthTally {
    fn add(&mut self, r: &NoteReport) {
        self.notes += 1;
        if r.applicable {
            self.injection += 1;
            if r.findings.iter().any(|f| f.severity == Severity::Error) {
                self.with_error += 1;
            }
        }
    }
}

/// The months from the first to the last, gaps included (unless the range
/// is implausibly long, when only months with notes are listed).
fn month_range(months: &BTreeMap<String, MonthTally>) -> Vec<String> {
    let parse = |m: &str| -> Option<i64> { Some(m[..4].parse::<i64>().ok()? * 12 + m[5..7].parse::<i64>().ok()? - 1) };
    let (Some(first), Some(last)) =
        (months.keys().next().and_then(|m| parse(m)), months.keys().next_back().and_then(|m| parse(m)))
    else {
        return Vec::new();
    };
    if last - first > 240 {
        return months.keys().cloned().collect();
    }
    (first..=last).map(|i| format!("{:04}-{:02}", i / 12, i % 12 + 1)).collect()
}

pub(super) fn months(out: &mut String, notes: &[(Note, NoteReport)]) -> fmt::Result {
    out.push_str("<section id=\"months\"><h2>Findings by month</h2>\n");
    let mut by_month: BTreeMap<String, MonthTally> = BTreeMap::new();
    let mut undated = MonthTally::default();
    for (_, r) in notes {
        match r.date.as_deref().and_then(month_of) {
            Some(m) => by_month.entry(m).or_default().add(r),
            None => undated.add(r),
        }
    }
    let range = month_range(&by_month);
    let empty = MonthTally::default();
    let rows: Vec<(&str, &MonthTally)> =
        range.iter().map(|m| (m.as_str(), by_month.get(m).unwrap_or(&empty))).collect();
    if rows.is_empty() {
        out.push_str("<p class=\"empty\">No note has a date.</p>\n");
    } else {
        out.push_str(
            "<p class=\"lede\">Injection notes per month of the note date, and how many had an error-level finding.</p>\n",
        );
        let columns: Vec<Column> = rows
            .iter()
            .map(|(m, t)| Column {
                label: (*m).to_string(),
                total: t.injection,
                part: t.with_error,
                tip: format!("{m}: {} injection note(s), {} with an error", t.injection, t.with_error),
            })
            .collect();
        out.push_str(&charts::column_chart(
            "Injection notes and notes with an error, by month",
            &columns,
            "injection notes",
            "with an error",
        ));
    }
    if rows.is_empty() && undated.notes == 0 {
        out.push_str("</section>\n");
        return Ok(());
    }
    out.push_str(
        "\n<table><caption>Notes by month</caption><thead><tr><th scope=\"col\">Month</th>\
         <th scope=\"col\" class=\"num\">Notes</th><th scope=\"col\" class=\"num\">Injection notes</th>\
         <th scope=\"col\" class=\"num\">With an error</th><th scope=\"col\" class=\"num\">Error rate</th>\
         <th scope=\"col\" class=\"num\">90% CI</th></tr></thead><tbody>",
    );
    let row = |out: &mut String, label: &str, t: &MonthTally| -> fmt::Result {
        let r = Rate::new(t.with_error, t.injection);
        let (rate, interval) = if t.injection > 0 { (pct(r.rate), ci(&r)) } else { ("–".into(), "–".into()) };
        write!(
            out,
            "<tr><th scope=\"row\">{label}</th><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{rate}</td><td class=\"num\">{interval}</td></tr>",
            t.notes, t.injection, t.with_error
        )
    };
    // Months without notes are in the chart, not the table.
    for (m, t) in rows.iter().filter(|(_, t)| t.notes > 0) {
        row(out, &Esc(m).to_string(), t)?;
    }
    if undated.notes > 0 {
        row(out, "Undated", &undated)?;
    }
    out.push_str("</tbody></table>\n</section>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_from_iso_and_us_dates() {
        assert_eq!(month_of("2026-01-05").as_deref(), Some("2026-01"));
        assert_eq!(month_of("2026-01-05T10:42:00Z").as_deref(), Some("2026-01"));
        assert_eq!(month_of("1/5/2026 10:42").as_deref(), Some("2026-01"));
        assert_eq!(month_of("12/31/2025").as_deref(), Some("2025-12"));
        assert_eq!(month_of("2026-13-01"), None);
        assert_eq!(month_of("yesterday"), None);
        assert_eq!(month_of(""), None);
    }

    #[test]
    fn month_range_fills_gaps() {
        let mut m = BTreeMap::new();
        m.insert("2025-11".to_string(), MonthTally::default());
        m.insert("2026-02".to_string(), MonthTally::default());
        assert_eq!(month_range(&m), vec!["2025-11", "2025-12", "2026-01", "2026-02"]);
    }
}
