//! `notelint check`: read, lint, find copy-forward across the batch, render,
//! and choose the exit code.
//!
//! Notes are linted as they are read; copy-forward needs the whole batch
//! (each patient's visits in date order, template text learned from all
//! patients), so findings are written once every input has been read, in
//! input order.

use super::args::{CheckArgs, Color, InputFormat, Level, OutputFormat};
use super::setup;
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE};
use anyhow::Result;
use notelint::input::{Format, InputError, Record};
use notelint::report::csv_findings;
use notelint::report::human::HumanPrinter;
use notelint::report::json::{write_jsonl, JsonDocument};
use notelint::report::sarif;
use notelint::report::Summary;
use notelint::{Note, NoteReport, Severity};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub fn run(args: CheckArgs) -> Result<i32> {
    let setup = setup::setup(&args.config, &args.select, &args.ignore)?;
    if let Some(n) = args.threads {
        // Only fails if a pool already exists; the default pool is then used.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
    }
    let fail_on = match args.fail_on {
        Some(Level::Error) => Severity::Error,
        Some(Level::Warning) => Severity::Warning,
        Some(Level::Info) => Severity::Info,
        None => setup.config.fail_on.as_deref().and_then(Severity::parse).unwrap_or(Severity::Error),
    };
    let stdin_format = args.stdin_format.map(|f| match f {
        InputFormat::Txt => Format::Text,
        InputFormat::Md => Format::Markdown,
        InputFormat::Csv => Format::Csv,
        InputFormat::Jsonl => Format::Jsonl,
    });
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let printer = HumanPrinter::new(color);
    let err_printer = HumanPrinter::new(color && io::stderr().is_terminal());
    let stderr = io::stderr();
    let mut err = stderr.lock();
    let mut summary = Summary::default();
    let mut errors: Vec<InputError> = Vec::new();
    let mut report_error = |e: InputError, summary: &mut Summary, err: &mut dyn Write| -> io::Result<()> {
        summary.add_skipped(&e);
        err_printer.input_error(err, &e, true)?;
        errors.push(e);
        Ok(())
    };

    let (charges, charge_errors) = setup::load_charges(&args.charges);
    for e in charge_errors {
        report_error(e, &mut summary, &mut err)?;
    }
    let (inputs, walk_errors) = setup::collect(&args.paths);
    for e in walk_errors {
        report_error(e, &mut summary, &mut err)?;
    }
    let mut linted: Vec<(Note, NoteReport)> = Vec::new();
    let mut prints = Vec::new();
    let copy_forward = setup.linter.copy_forward_on();
    for input in &inputs {
        summary.files += 1;
        let mut records = setup::read(input, &args.stdin_name, stdin_format, &setup.read);
        for record in &mut records {
            if let Record::Note(note) = record {
                setup::join_charges(note, &charges);
            }
        }
        // Lint the file's notes on all cores; results keep input order. A
        // note that trips a bug is reported and skipped, not the batch.
        let lint = |note: &Note| {
            if copy_forward {
                let (r, f) = setup.linter.lint_for_batch(note);
                (r, Some(f))
            } else {
                (setup.linter.lint(note, &[]), None)
            }
        };
        let outcomes: Vec<_> = records
            .par_iter()
            .map(|r| match r {
                Record::Note(note) => Some(catch_unwind(AssertUnwindSafe(|| lint(note)))),
                _ => None,
            })
            .collect();
        for (record, outcome) in records.into_iter().zip(outcomes) {
            match (record, outcome) {
                (Record::Note(note), Some(Ok((report, print)))) => {
                    prints.extend(print);
                    for w in &note.warnings {
                        summary.warnings += 1;
                        if !args.quiet {
                            let e = InputError {
                                path: note.origin.path.clone(),
                                line: Some(note.origin.line),
                                message: w.clone(),
                            };
                            err_printer.input_error(&mut err, &e, false)?;
                        }
                    }
                    linted.push((note, report));
                }
                (Record::Note(note), _) => {
                    let e = InputError {
                        path: note.origin.path.clone(),
                        line: Some(note.origin.line),
                        message: format!("internal error while linting note {}; skipped", note.id),
                    };
                    report_error(e, &mut summary, &mut err)?;
                }
                (Record::Skipped(e), _) => report_error(e, &mut summary, &mut err)?,
                (Record::Warning(e), _) => {
                    summary.warnings += 1;
                    if !args.quiet {
                        err_printer.input_error(&mut err, &e, false)?;
                    }
                }
            }
        }
    }
    // Earlier notes given with --history take part as earlier visits only.
    let (history_inputs, history_errors) = setup::collect(&args.history);
    for e in history_errors {
        report_error(e, &mut summary, &mut err)?;
    }
    let mut history: Vec<Note> = Vec::new();
    for input in &history_inputs {
        for record in setup::read(input, "history", None, &setup.read) {
            match record {
                Record::Note(n) => history.push(n),
                Record::Skipped(e) => report_error(e, &mut summary, &mut err)?,
                Record::Warning(_) => {}
            }
        }
    }
    if copy_forward {
        setup.linter.copy_forward_prints(&mut linted, &prints, &history);
    }

    // Texts by note id, for the diffs under copy-forward findings (human output only).
    let texts: HashMap<&str, &str> = if args.format == OutputFormat::Human {
        history.iter().chain(linted.iter().map(|(n, _)| n)).map(|n| (n.id.as_str(), n.text.as_str())).collect()
    } else {
        HashMap::new()
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut doc = JsonDocument::default();
    if args.format == OutputFormat::Csv && !args.statistics {
        csv_findings::header(&mut out)?;
    }
    if args.format == OutputFormat::Sarif && !args.statistics {
        sarif::header(&mut out, env!("CARGO_PKG_VERSION"))?;
    }
    let mut sarif_results = 0;
    for (note, report) in &linted {
        summary.add_report(report);
        if args.statistics {
            continue;
        }
        match args.format {
            OutputFormat::Csv => csv_findings::note(&mut out, note, report)?,
            OutputFormat::Human => printer.note(&mut out, note, report, &|id| texts.get(id).copied())?,
            OutputFormat::Jsonl => write_jsonl(&mut out, note, report)?,
            OutputFormat::Json => doc.push(note, report),
            OutputFormat::Sarif => {
                if sarif_results > 0 && !report.findings.is_empty() {
                    out.write_all(b",")?;
                }
                sarif_results += sarif::results(&mut out, note, report)?;
            }
        }
    }
    summary.finish();
    if args.statistics {
        printer.statistics(&mut out, &summary)?;
        out.flush()?;
        return Ok(exit_code(&summary, &args, fail_on));
    }
    match args.format {
        OutputFormat::Human if !args.quiet => printer.summary(&mut out, &summary)?,
        OutputFormat::Json => doc.finish(&mut out, &summary, &errors)?,
        OutputFormat::Sarif => sarif::footer(&mut out, &summary, &errors)?,
        OutputFormat::Jsonl | OutputFormat::Csv if !args.quiet => {
            out.flush()?;
            err_printer.summary(&mut err, &summary)?;
        }
        _ => {}
    }
    out.flush()?;
    Ok(exit_code(&summary, &args, fail_on))
}

fn exit_code(summary: &Summary, args: &CheckArgs, fail_on: Severity) -> i32 {
    if summary.skipped > 0 {
        EXIT_TROUBLE
    } else if !args.exit_zero && summary.has_at_least(fail_on) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
