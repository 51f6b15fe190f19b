//! `notelint report`: the HTML audit report written from the bundled corpus
//! and from notes on standard input. What the page does in a browser is
//! tested in `report_browser.rs`.

mod common;

use common::{corpus_report, notelint};
use predicates::prelude::*;
use std::fs;

/// Strings that would make the page fetch something.
const FETCHES: [&str; 7] =
    ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(http", "<script src"];

#[test]
fn corpus_report_has_every_section_and_fetches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let run = corpus_report(&out)
        .stderr(predicate::str::contains("billing.csv:10"))
        .stderr(predicate::str::contains("notelint: wrote"));
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(!stderr.contains("deltoid") && !stderr.contains("Prolia"), "no note text on stderr: {stderr}");
    let html = fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"));
    for section in ["overview", "coverage", "authors", "months", "copy-forward", "notes"] {
        assert!(html.contains(&format!("<section id=\"{section}\">")), "section {section}");
    }
    for heading in
        ["Overview", "Element coverage", "Authors", "Findings by month", "Copy-forward", "Notes with findings"]
    {
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "heading {heading}");
    }
    // Charts: findings by code, element coverage with whiskers, months.
    assert_eq!(html.matches("<svg class=\"chart bars\"").count(), 2);
    assert_eq!(html.matches("<svg class=\"chart columns\"").count(), 1);
    assert!(html.contains("class=\"whisker\""));
    assert!(html.contains("D104 missing-site"));
    assert!(html.matches("role=\"img\"").count() >= 3);
    // An author row, a copy-forward pair with its diff, marked evidence.
    assert!(html.contains("<th scope=\"row\" class=\"who\">Brandt, Allison</th>"));
    assert!(html.contains("<div class=\"diff\"") && html.contains("<del>") && html.contains("<ins>"));
    assert!(html.contains("F401</span>"));
    assert!(html.contains("<mark class=\"sev-"));
    assert!(html.contains("<details class=\"note sev-error\""));
    assert!(html.contains("corpus/charges/billing.csv:10"), "skipped records are listed");
    assert!(html.contains("<th scope=\"row\">Undated</th>"));
    for bad in FETCHES {
        assert!(!html.contains(bad), "the report must not fetch anything: found {bad}");
    }
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
}

#[test]
fn the_same_input_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.html"), dir.path().join("b.html"));
    for out in [&a, &b] {
        notelint().args(["report", "--no-config", "corpus/exports/visits.jsonl", "--out"]).arg(out).assert().code(0);
    }
    assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
}

#[test]
fn note_text_ids_and_authors_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let record = serde_json::json!({
        "note_id": "x<img src=x onerror=alert(2)>",
        "patient_id": "p\"1",
        "date": "2026-01-05",
        "author": "<b>Mallory</b>",
        "text": "Toradol 60 mg IM given. <script>alert(1)</script> & more",
    });
    notelint()
        .args(["report", "--no-config", "--title", "Audit <Q1>", "--out"])
        .arg(&out)
        .arg("-")
        .write_stdin(format!("{record}\n"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 note(s)"))
        .stderr(predicate::str::contains("alert").not());
    let html = fs::read_to_string(&out).unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("x&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!html.contains("<b>Mallory</b>"));
    assert!(html.contains("&lt;b&gt;Mallory&lt;/b&gt;"));
    assert!(html.contains("patient p&quot;1"));
    assert!(html.contains("<h1>Audit &lt;Q1&gt;</h1>"));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("No copy-forward found"));
}

#[test]
fn max_notes_cuts_the_drill_down_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    notelint()
        .args(["report", "--no-config", "corpus/notes/ctx", "--max-notes", "3", "--out"])
        .arg(&out)
        .assert()
        .code(0);
    let html = fs::read_to_string(&out).unwrap();
    assert_eq!(html.matches("<details class=\"note ").count(), 3);
    assert!(html.contains("Showing the first 3"));
}

#[test]
fn unwritable_output_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    notelint()
        .args(["report", "--no-config", "corpus/notes/ctx", "--out"])
        .arg(dir.path().join("missing/dir/r.html"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("writing"));
    notelint().args(["report", "--no-config", "corpus/notes/ctx"]).assert().code(2);
}
