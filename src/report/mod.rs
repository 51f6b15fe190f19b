//! Renderers: one per output format, all over the same [`NoteReport`] and
//! [`Summary`]. Each writes to any `io::Write`; none decides exit codes.

pub mod human;
pub mod json;

use crate::diagnostic::Severity;
use crate::input::InputError;
use crate::lint::NoteReport;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts for one run, so that nothing silently disappears.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Files (and standard input) read.
    pub files: usize,
    /// Records read, whether linted or skipped.
    pub records: usize,
    /// Notes linted.
    pub linted: usize,
    pub applicable: usize,
    pub not_applicable: usize,
    /// Records that could not be read.
    pub skipped: usize,
    /// Applicable notes with at least one finding.
    pub with_findings: usize,
    /// Applicable notes with no finding.
    pub clean: usize,
    pub findings: usize,
    pub by_severity: BTreeMap<&'static str, usize>,
    pub by_code: BTreeMap<&'static str, usize>,
    pub warnings: usize,
}

impl Summary {
    pub fn add_report(&mut self, r: &NoteReport) {
        self.records += 1;
        self.linted += 1;
        if r.applicable {
            self.applicable += 1;
            if r.findings.is_empty() {
                self.clean += 1;
            } else {
                self.with_findings += 1;
            }
        } else {
            self.not_applicable += 1;
        }
        self.findings += r.findings.len();
        for f in &r.findings {
            *self.by_severity.entry(f.severity.as_str()).or_default() += 1;
        }
        let mut codes: Vec<&str> = r.findings.iter().map(|f| f.code).collect();
        codes.dedup();
        for c in codes {
            *self.by_code.entry(c).or_default() += 1;
        }
    }

    pub fn add_skipped(&mut self, _e: &InputError) {
        self.records += 1;
        self.skipped += 1;
    }

    /// Notes at or above `severity`.
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.by_severity.iter().any(|(s, n)| *n > 0 && Severity::parse(s).is_some_and(|s| s >= severity))
    }
}
