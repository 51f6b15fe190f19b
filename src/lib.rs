//! notelint: lint clinical injection notes (CPT 96372) for the documentation
//! an auditor needs.
//!
//! The crate is layered so that every caller shares one engine:
//!
//! - core, with no I/O: [`note`] (the note and its layout), [`lexicon`]
//!   (vocabularies compiled once), [`extract`] (one extractor per element),
//!   [`rules`] (one documented unit per code), [`lint`] (the front door);
//! - copy-forward: [`copyforward`] finds notes repeated across visits from
//!   fingerprints it fetches through the [`copyforward::Prints`] trait, so a
//!   caller may keep them in memory or, for a big batch, in a spill file;
//! - edges: [`input`] parses bytes into notes (txt, md, csv, jsonl, FHIR;
//!   [`input::Stream`] a block at a time from any reader), [`report`] renders
//!   results (human, jsonl, json, csv, sarif, html), [`config`] reads
//!   `notelint.yaml`, [`eval`] scores against gold labels.
//!
//! ```
//! use notelint::{Linter, Note};
//! let linter = Linter::default();
//! let report = linter.lint(&Note::plain("n1", "Toradol 60 mg IM given in the right deltoid."), &[]);
//! assert!(report.applicable);
//! assert!(report.findings.iter().any(|f| f.code == "D106"));
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod billing;
pub mod config;
pub mod copyforward;
pub mod diagnostic;
pub mod element;
pub mod eval;
pub mod extract;
pub mod hash;
pub mod input;
mod jsonbytes;
pub mod lexicon;
pub mod lint;
pub mod note;
pub mod report;
pub mod rules;
pub mod sample;
pub mod stats;
#[cfg(test)]
mod testing;

pub use diagnostic::{Finding, Severity};
pub use element::Element;
pub use lexicon::Lexicon;
pub use lint::{Linter, NoteReport, Settings};
pub use note::{Charge, Markup, Note, Origin};
