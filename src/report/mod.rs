//! Renderers: one per output format, all over the same [`NoteReport`] and
//! [`Summary`]. Each writes to any `io::Write` (the HTML report to a
//! `String`); none decides exit codes.

pub mod csv_findings;
pub mod diff;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::Severity;
use crate::element::Element;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::stats::Rate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// Error rates with confidence intervals, filled by [`Summary::finish`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_rates: Option<ErrorRates>,
    #[serde(skip)]
    overall: Tally,
    /// By author; hashed (a batch has hundreds of authors, and a sorted
    /// map compared names at every note), sorted when the rates are made.
    #[serde(skip)]
    authors: HashMap<String, Tally>,
}

/// Counts behind the error rates of one group of notes.
#[derive(Clone, Debug, Default, PartialEq)]
struct Tally {
    notes: u64,
    with_error: u64,
    missing: [u64; 12],
}

impl Tally {
    fn add(&mut self, r: &NoteReport) {
        self.notes += 1;
        if r.findings.iter().any(|f| f.severity == Severity::Error) {
            self.with_error += 1;
        }
        for e in Element::ALL {
            if r.element(e).is_none() {
                self.missing[e.index()] += 1;
            }
        }
    }

    fn rates(&self) -> GroupRates {
        GroupRates {
            notes: self.notes,
            with_error: Rate::new(self.with_error, self.notes),
            missing: Element::ALL.iter().map(|e| (e.name(), Rate::new(self.missing[e.index()], self.notes))).collect(),
        }
    }
}

/// Error rates of one group of injection notes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupRates {
    /// Injection notes in the group.
    pub notes: u64,
    /// Share with at least one error-level finding.
    pub with_error: Rate,
    /// Share missing each element.
    pub missing: BTreeMap<&'static str, Rate>,
}

/// Error rates overall and per author (the export's author field).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrorRates {
    pub method: &'static str,
    pub overall: GroupRates,
    pub by_author: BTreeMap<String, GroupRates>,
}

impl Summary {
    pub fn add_report(&mut self, r: &NoteReport) {
        self.records += 1;
        self.linted += 1;
        if r.applicable {
            self.overall.add(r);
            // The author's name is copied only the first time it is seen.
            let author = r.author.as_deref().unwrap_or("(no author)");
            match self.authors.get_mut(author) {
                Some(tally) => tally.add(r),
                None => self.authors.entry(author.to_string()).or_default().add(r),
            }
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
        // Each code once per note (a note's findings of one code are adjacent).
        let mut previous = None;
        for f in &r.findings {
            if previous != Some(f.code) {
                *self.by_code.entry(f.code).or_default() += 1;
                previous = Some(f.code);
            }
        }
    }

    pub fn add_skipped(&mut self, _e: &InputError) {
        self.records += 1;
        self.skipped += 1;
    }

    /// Compute the error rates from the notes added so far.
    pub fn finish(&mut self) {
        self.error_rates = Some(ErrorRates {
            method: "share of injection notes, two-sided 90% Clopper-Pearson (exact) interval",
            overall: self.overall.rates(),
            by_author: self.authors.iter().map(|(a, t)| (a.clone(), t.rates())).collect(),
        });
    }

    /// Notes at or above `severity`.
    pub fn has_at_least(&self, severity: Severity) -> bool {
        self.by_severity.iter().any(|(s, n)| *n > 0 && Severity::parse(s).is_some_and(|s| s >= severity))
    }
}
