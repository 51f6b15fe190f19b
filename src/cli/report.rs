//! `notelint report`: read every input, lint the notes on all cores, find
//! copy-forward across the batch, and write one self-contained HTML file
//! ([`notelint::report::html`]).
//!
//! Unlike `check`, findings do not set the exit code: the report is the
//! product. It exits 0 once written, 2 when records were skipped (they are
//! listed in the report and on standard error) or it could not be written.
//! Standard error gets input problems and one summary line, never note text.

use super::args::ReportArgs;
use super::setup;
use super::{EXIT_CLEAN, EXIT_TROUBLE};
use anyhow::{Context as _, Result};
use notelint::input::{InputError, Record};
use notelint::report::html::{self, Batch, Options};
use notelint::report::human::HumanPrinter;
use notelint::report::Summary;
use notelint::{Note, NoteReport};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub fn run(args: ReportArgs) -> Result<i32> {
    let setup = setup::setup(&args.config, &args.select, &args.ignore)?;
    let stdin_format = args.stdin_format.map(|f| f.format());
    let mut summary = Summary::default();
    let (charges, mut errors) = setup::load_charges(&args.charges);
    let (inputs, walk_errors) = setup::collect(&args.paths);
    errors.extend(walk_errors);

    let mut notes: Vec<Note> = Vec::new();
    for input in &inputs {
        summary.files += 1;
        for record in setup::read(input, &args.stdin_name, stdin_format, &setup.read) {
            match record {
                Record::Note(mut note) => {
                    setup::join_charges(&mut note, &charges);
                    summary.warnings += note.warnings.len();
                    notes.push(note);
                }
                Record::Skipped(e) => errors.push(e),
                Record::Warning(_) => summary.warnings += 1,
            }
        }
    }
    // Lint on all cores, keeping input order. A note that trips a bug is
    // reported (by id and place, not text) and left out, not the batch.
    let outcomes: Vec<_> =
        notes.par_iter().map(|n| catch_unwind(AssertUnwindSafe(|| setup.linter.lint(n, &[]))).ok()).collect();
    let mut linted: Vec<(Note, NoteReport)> = Vec::with_capacity(notes.len());
    for (note, outcome) in notes.into_iter().zip(outcomes) {
        match outcome {
            Some(report) => linted.push((note, report)),
            None => errors.push(InputError {
                path: note.origin.path.to_string(),
                line: Some(note.origin.line),
                message: format!("internal error while linting note {}; skipped", note.id),
            }),
        }
    }

    let (history, history_errors) = setup::read_notes(&args.history, &setup.read);
    errors.extend(history_errors);
    setup.linter.copy_forward_batch(&mut linted, &history);

    for (_, report) in &linted {
        summary.add_report(report);
    }
    for e in &errors {
        summary.add_skipped(e);
    }
    summary.finish();

    let mut sources: Vec<String> =
        args.paths.iter().map(|p| if p == "-" { "standard input".into() } else { p.clone() }).collect();
    sources.extend(args.charges.iter().map(|p| format!("charges {}", p.display())));
    sources.extend(args.history.iter().map(|p| format!("history {p}")));
    let batch = Batch { notes: &linted, history: &history, summary: &summary, skipped: &errors };
    let options = Options { title: &args.title, sources: &sources, max_notes: args.max_notes };
    let page = html::render(&batch, &options);
    std::fs::write(&args.out, page).with_context(|| format!("writing {}", args.out.display()))?;

    let stderr = io::stderr();
    let mut err = stderr.lock();
    let printer = HumanPrinter::new(stderr.is_terminal() && std::env::var_os("NO_COLOR").is_none());
    for e in &errors {
        printer.input_error(&mut err, e, true)?;
    }
    writeln!(
        err,
        "notelint: wrote {}: {} note(s) from {} input(s), {} injection note(s), {} with findings, {} record(s) skipped",
        args.out.display(),
        summary.linted,
        summary.files,
        summary.applicable,
        summary.with_findings,
        summary.skipped
    )?;
    Ok(if summary.skipped > 0 { EXIT_TROUBLE } else { EXIT_CLEAN })
}
