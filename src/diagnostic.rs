//! Findings: what a rule reports about one note.
//!
//! Every output format renders the same [`Finding`]; nothing here knows
//! about terminals or JSON layouts.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding on one note.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Stable rule code, e.g. `D104`.
    pub code: &'static str,
    /// Kebab-case rule name, e.g. `missing-site`.
    pub name: &'static str,
    pub severity: Severity,
    /// Most messages are fixed text; a few name what was found.
    pub message: Cow<'static, str>,
    /// Byte range in the note text the finding points at, if any.
    pub span: Option<Range<usize>>,
    /// For copy-forward findings: the note this one repeats.
    pub related_note_id: Option<String>,
    /// For copy-forward findings: the similarity to that note (0-1).
    pub similarity: Option<f64>,
    /// A short suggestion for fixing the note.
    pub help: Option<Cow<'static, str>>,
}
