//! Lint one note: extract, decide applicability, run the rules.
//!
//! This is the library's front door. It does no I/O: callers (the CLI
//! today, an HTTP or CDS Hooks service tomorrow) build a [`Linter`] once
//! and call [`Linter::lint`] for each note.

use crate::diagnostic::{Finding, Severity};
use crate::element::Element;
use crate::extract::{self, ElementMention, Extraction};
use crate::lexicon::Lexicon;
use crate::note::Note;
use crate::rules::{self, RuleContext, Selection};

/// Settings that change what is reported.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub selection: Selection,
}

/// The result of linting one note.
#[derive(Clone, Debug)]
pub struct NoteReport {
    pub note_id: String,
    pub patient_id: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    /// Is this an injection note (see SPEC "Which notes are injection notes")?
    pub applicable: bool,
    pub elements: [Option<ElementMention>; 12],
    pub findings: Vec<Finding>,
}

impl NoteReport {
    pub fn element(&self, e: Element) -> Option<&ElementMention> {
        self.elements[e.index()].as_ref()
    }

    /// The most severe finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// A compiled lexicon and settings, ready to lint notes.
#[derive(Clone, Debug)]
pub struct Linter {
    lexicon: Lexicon,
    settings: Settings,
    severities: Vec<Option<Severity>>,
}

impl Default for Linter {
    fn default() -> Linter {
        Linter::new(Lexicon::default_compiled(), Settings::default())
    }
}

/// Does a charge bill 96372?
fn bills_96372(note: &Note) -> bool {
    note.charges.iter().any(|c| c.code.trim() == "96372")
}

impl Linter {
    pub fn new(lexicon: Lexicon, settings: Settings) -> Linter {
        let severities = rules::severities(&settings.selection);
        Linter { lexicon, settings, severities }
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Extract the elements of a note without running rules.
    pub fn extract(&self, note: &Note) -> Extraction {
        extract::extract(&note.text, note.markup, &self.lexicon)
    }

    /// Lint one note. `history` holds the same patient's earlier notes
    /// (used by copy-forward checks; may be empty).
    pub fn lint(&self, note: &Note, history: &[Note]) -> NoteReport {
        let _ = history;
        let extraction = self.extract(note);
        let applicable = extraction.injection_given || bills_96372(note);
        let findings = if applicable {
            let ctx = RuleContext {
                note,
                extraction: &extraction,
                lexicon: &self.lexicon,
                selection: &self.settings.selection,
                severities: &self.severities,
            };
            rules::check(&ctx, &self.severities)
        } else {
            Vec::new()
        };
        NoteReport {
            note_id: note.id.clone(),
            patient_id: note.patient_id.clone(),
            date: note.date.clone(),
            author: note.author.clone(),
            applicable,
            elements: extraction.elements,
            findings,
        }
    }
}
