//! The audit report: one self-contained HTML5 file for a compliance
//! officer to read on screen, print to PDF, or hand to a clinician.
//!
//! Sections: an overview with counts and findings by code; element
//! coverage with 90% Clopper–Pearson intervals (from [`Summary::finish`]);
//! error rates per author; findings by month; copy-forward clusters with
//! side-by-side word diffs ([`super::diff`]); and a drill-down of every note
//! with findings, its evidence marked in the text.
//!
//! One module per section: `summary` (overview, coverage, authors),
//! `months`, `copy_forward` and `drill_down`; `charts` draws the SVG.
//!
//! Notes are PHI, so the file makes no request of any kind: CSS, SVG charts
//! and a small script are inline, and a Content-Security-Policy
//! forbids anything else. Every piece of note text, id, author and message
//! is escaped. The output depends only on its input (no clock), and every
//! table is complete without the script, which only adds sorting, filters
//! and the "open all" buttons.

mod charts;
mod copy_forward;
mod drill_down;
mod months;
mod summary;

use super::Summary;
use crate::diagnostic::Severity;
use crate::extract::floor_boundary;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::stats::Rate;
use std::fmt::{self, Write as _};

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/script.js");
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// What the report is about: the linted notes (with copy-forward findings
/// already added), earlier notes given as history (for the diffs), the
/// finished summary, and the records that could not be read.
pub struct Batch<'a> {
    pub notes: &'a [(Note, NoteReport)],
    pub history: &'a [Note],
    pub summary: &'a Summary,
    pub skipped: &'a [InputError],
}

/// How the report is presented.
pub struct Options<'a> {
    pub title: &'a str,
    /// What was read, one line each ("corpus/notes", "charges: billing.csv").
    pub sources: &'a [String],
    /// Most notes shown in the drill-down (and copy-forward pairs diffed).
    pub max_notes: usize,
}

/// Text escaped for HTML content and attribute values.
pub(crate) struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// A share as a percentage with one decimal.
fn pct(share: f64) -> String {
    format!("{:.1}%", 100.0 * share)
}

/// A 90% interval as "12.3–45.6%".
fn ci(rate: &Rate) -> String {
    format!("{:.1}–{:.1}%", 100.0 * rate.ci90.0, 100.0 * rate.ci90.1)
}

/// Render the whole report.
pub fn render(batch: &Batch, options: &Options) -> String {
    let mut out = String::with_capacity(64 * 1024);
    write_document(&mut out, batch, options).expect("writing to a String cannot fail");
    out
}

fn write_document(out: &mut String, batch: &Batch, options: &Options) -> fmt::Result {
    let title = Esc(options.title);
    writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"notelint {version}\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <header class=\"masthead\"><p class=\"kicker\">notelint audit report · CPT 96372 injection notes</p>\
         <h1>{title}</h1>\
         <p class=\"phi\">Contains protected health information. Share only with people authorised to see these records.</p></header>\n\
         <nav aria-label=\"Sections\"><ul>\
         <li><a href=\"#overview\">Overview</a></li><li><a href=\"#coverage\">Element coverage</a></li>\
         <li><a href=\"#authors\">Authors</a></li><li><a href=\"#months\">By month</a></li>\
         <li><a href=\"#copy-forward\">Copy-forward</a></li><li><a href=\"#notes\">Notes</a></li></ul></nav>\n<main>",
        version = env!("CARGO_PKG_VERSION"),
    )?;
    let pairs = copy_forward::copy_pairs(batch);
    summary::overview(out, batch, options)?;
    summary::coverage(out, batch.summary)?;
    summary::authors(out, batch.summary)?;
    months::months(out, batch.notes)?;
    copy_forward::section(out, batch, &pairs, options.max_notes)?;
    drill_down::section(out, batch, &pairs, options.max_notes)?;
    writeln!(
        out,
        "</main>\n<footer><p>Generated by notelint {v}. Rates are shares of injection notes with two-sided 90% \
         Clopper–Pearson (exact) intervals. Elements are judged from the note text; see <code>notelint rule CODE</code> \
         for what each rule checks.</p></footer>\n<script>\n{SCRIPT}</script>\n</body>\n</html>",
        v = env!("CARGO_PKG_VERSION")
    )
}

/// CSS class for a severity.
fn severity_class(s: Severity) -> &'static str {
    match s {
        Severity::Error => "sev-error",
        Severity::Warning => "sev-warning",
        Severity::Info => "sev-info",
    }
}

/// Longest stretch of a note's text shown (bytes); longer notes are cut.
const MAX_TEXT: usize = 100_000;

/// `text` cut to [`MAX_TEXT`] bytes, and whether it was cut.
fn shown_text(text: &str) -> (&str, bool) {
    let cut = floor_boundary(text, MAX_TEXT);
    (&text[..cut], cut < text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            Esc("<script>alert('x & \"y\"')</script>").to_string(),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
        assert_eq!(Esc("plain, ünïcode → text").to_string(), "plain, ünïcode → text");
        assert_eq!(Esc("").to_string(), "");
    }

    fn note(id: &str, author: &str, text: &str) -> (Note, NoteReport) {
        let linter = crate::Linter::default();
        let n = Note { author: Some(author.into()), date: Some("2026-01-05".into()), ..Note::plain(id, text) };
        let r = linter.lint(&n, &[]);
        (n, r)
    }

    fn render_notes(notes: &[(Note, NoteReport)]) -> String {
        let mut summary = Summary::default();
        for (_, r) in notes {
            summary.add_report(r);
        }
        summary.finish();
        let batch = Batch { notes, history: &[], summary: &summary, skipped: &[] };
        render(&batch, &Options { title: "T <1>", sources: &["a.csv".into()], max_notes: 10 })
    }

    #[test]
    fn note_text_ids_and_authors_are_escaped() {
        let notes = [note(
            "<img src=x onerror=alert(1)>",
            "Dr. <b>Evil</b>",
            "Toradol 60 mg IM given. <script>alert(1)</script>",
        )];
        let html = render_notes(&notes);
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("<img src=x"));
        assert!(!html.contains("<b>Evil"));
        assert!(html.contains("<title>T &lt;1&gt;</title>"));
        assert_eq!(html.matches("<script>").count(), 1, "only the report's own script");
    }

    #[test]
    fn report_is_deterministic_and_has_every_section() {
        let notes = [
            note("n1", "Lopez, M", "Toradol 60 mg IM given in the right deltoid."),
            note("n2", "Kim, J", "Telephone note: asked about her next B12 shot."),
        ];
        let a = render_notes(&notes);
        assert_eq!(a, render_notes(&notes));
        for id in ["overview", "coverage", "authors", "months", "copy-forward", "notes"] {
            assert!(a.contains(&format!("<section id=\"{id}\"")), "{id}");
        }
        assert!(a.contains("No copy-forward"));
        assert!(a.contains("<th scope=\"row\" class=\"who\">Lopez, M</th>"));
    }
}
