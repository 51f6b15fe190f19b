//! Lint one note: extract, decide applicability, run the rules.
//!
//! This is the library's front door. It does no I/O: callers (the CLI
//! today, an HTTP or CDS Hooks service tomorrow) build a [`Linter`] once
//! and call [`Linter::lint`] for each note.

use crate::copyforward;
use crate::diagnostic::{Finding, Severity};
use crate::element::Element;
use crate::extract::{self, ElementMention, Extraction};
use crate::lexicon::Lexicon;
use crate::note::Note;
use crate::rules::{self, RuleContext, Selection};
use compact_str::CompactString;

/// Settings that change what is reported.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub selection: Selection,
    /// Copy-forward thresholds.
    pub copy_forward: copyforward::Settings,
    /// Text that is template for copy-forward, from the config.
    pub template_phrases: Vec<String>,
}

/// The result of linting one note.
#[derive(Clone, Debug)]
pub struct NoteReport {
    /// The note's identifiers, date and author, copied from the note (kept
    /// inline when short, as they nearly always are: no allocation).
    pub note_id: CompactString,
    pub patient_id: Option<CompactString>,
    pub date: Option<CompactString>,
    pub author: Option<CompactString>,
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
    /// Shingles of the configured template phrases, made once.
    template_shingles: Vec<u64>,
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
        let k = settings.copy_forward.shingle;
        let template_shingles = settings
            .template_phrases
            .iter()
            .flat_map(|p| copyforward::fingerprint::shingles(&copyforward::fingerprint::words(p), k))
            .collect();
        Linter { lexicon, settings, severities, template_shingles }
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

    /// The copy-forward fingerprint of a note.
    pub fn fingerprint(&self, note: &Note) -> copyforward::Fingerprint {
        let layout = crate::note::layout::Layout::outline(&note.text, note.markup, &self.lexicon);
        copyforward::fingerprint(&note.text, &layout, self.settings.copy_forward.shingle)
    }

    /// Copy-forward findings for a set of visits (see [`copyforward::detect`]),
    /// as findings on the visits' notes, by index, with the selected severities.
    /// Each comes with the index of its note and of the related note.
    pub fn copy_forward(
        &self,
        visits: &[copyforward::Visit],
        prints: &dyn copyforward::Prints,
    ) -> Vec<(usize, usize, Finding)> {
        let found = copyforward::detect(visits, prints, &self.template_shingles, &self.settings.copy_forward);
        found
            .into_iter()
            .filter_map(|f| Some((f.note, f.related, self.copy_finding(&f, visits[f.related].note_id)?)))
            .collect()
    }

    /// A copy-forward finding as reported, or `None` if its rule is off.
    fn copy_finding(&self, f: &copyforward::CopyFinding, related: &str) -> Option<Finding> {
        let i = rules::RULES.iter().position(|r| r.code == f.code)?;
        let severity = self.severities[i]?;
        let rule = rules::RULES[i];
        let message = match (f.code, f.section) {
            ("F401", _) => {
                format!("near-identical to the patient's earlier note {related} (similarity {:.2})", f.similarity)
            }
            ("F402", Some(section)) => {
                format!("the {} section is the same as in the patient's earlier note {related}", section.name())
            }
            _ => format!("substantial text is identical to note {related} of another patient"),
        };
        Some(Finding {
            code: rule.code,
            name: rule.name,
            severity,
            message: message.into(),
            span: None,
            related_note_id: Some(related.to_string()),
            similarity: Some((f.similarity * 1000.0).round() / 1000.0),
            help: Some(rule.doc.fix.into()),
        })
    }

    /// Find copy-forward across a batch of linted notes (and earlier notes
    /// given as history, which are compared but not reported) and add the
    /// findings to the reports. Does nothing when every F rule is off.
    ///
    /// This holds the whole batch in memory; `notelint check` streams
    /// instead, keeping fingerprints in a spill file (see [`copyforward::Prints`]).
    pub fn copy_forward_batch(&self, linted: &mut [(Note, NoteReport)], history: &[Note]) {
        if !self.copy_forward_on() {
            return;
        }
        let notes: Vec<(&Note, bool)> =
            history.iter().map(|n| (n, false)).chain(linted.iter().map(|(n, _)| (n, true))).collect();
        let prints: Vec<copyforward::Fingerprint> = {
            use rayon::prelude::*;
            notes.par_iter().map(|(n, _)| self.fingerprint(n)).collect()
        };
        for (i, _, finding) in self.copies(&notes, &prints, None) {
            if let Some((_, report)) = linted.get_mut(i - history.len()) {
                report.findings.push(finding);
            }
        }
    }

    /// Is any copy-forward rule selected?
    pub fn copy_forward_on(&self) -> bool {
        rules::RULES.iter().zip(&self.severities).any(|(r, s)| r.code.starts_with('F') && s.is_some())
    }

    /// Copy-forward findings for notes in visit order of input, `true` for
    /// those to report; `patient` stands in for a missing patient id.
    fn copies(
        &self,
        notes: &[(&Note, bool)],
        prints: &Vec<copyforward::Fingerprint>,
        patient: Option<&str>,
    ) -> Vec<(usize, usize, Finding)> {
        let visits: Vec<copyforward::Visit> = notes
            .iter()
            .map(|(n, report)| copyforward::Visit {
                note_id: &n.id,
                patient_id: n.patient_id.as_deref().or(patient),
                date: n.date.as_deref(),
                report: *report,
            })
            .collect();
        self.copy_forward(&visits, prints)
    }

    /// Lint one note. `history` holds the patient's earlier notes: the note
    /// is checked for copy-forward against them (an empty history skips it).
    pub fn lint(&self, note: &Note, history: &[Note]) -> NoteReport {
        let mut report = self.report(note, self.extract(note));
        if !history.is_empty() {
            let prints: Vec<copyforward::Fingerprint> =
                history.iter().chain([note]).map(|n| self.fingerprint(n)).collect();
            let notes: Vec<(&Note, bool)> = history.iter().map(|n| (n, false)).chain([(note, true)]).collect();
            // History notes without a patient id belong to this note's patient.
            report
                .findings
                .extend(self.copies(&notes, &prints, note.patient_id.as_deref()).into_iter().map(|(_, _, f)| f));
        }
        report
    }

    /// The report for a note from its extraction: applicability, D/Q/C rules.
    fn report(&self, note: &Note, extraction: Extraction) -> NoteReport {
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
            note_id: CompactString::from(note.id.as_str()),
            patient_id: note.patient_id.as_deref().map(CompactString::from),
            date: note.date.as_deref().map(CompactString::from),
            author: note.author.as_deref().map(CompactString::from),
            applicable,
            elements: extraction.elements,
            findings,
        }
    }
}
