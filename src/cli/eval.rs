//! `notelint eval`: lint a gold-labelled corpus and score it.

use super::args::{EvalArgs, OutputFormat};
use super::setup::{self, Input};
use super::{EXIT_CLEAN, EXIT_FINDINGS};
use anyhow::{anyhow, Context as _, Result};
use notelint::eval::{parse_gold, score, Gold};
use notelint::input::Record;
use std::io::{self, Write};

pub fn run(args: EvalArgs) -> Result<i32> {
    let setup = setup::setup(&args.config, &[], &[])?;
    let corpus = &args.corpus;
    let gold_dir = corpus.join("gold");
    let mut gold: Vec<Gold> = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&gold_dir)
        .with_context(|| format!("reading {}", gold_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).with_context(|| format!("reading {}", f.display()))?;
        gold.extend(parse_gold(&f.display().to_string(), &text).map_err(|e| anyhow!(e))?);
    }
    let paths: Vec<String> = ["notes", "exports"]
        .iter()
        .map(|d| corpus.join(d))
        .filter(|p| p.is_dir())
        .map(|p| p.display().to_string())
        .collect();
    let charge_dir = corpus.join("charges");
    let mut charge_files: Vec<std::path::PathBuf> = match std::fs::read_dir(&charge_dir) {
        Ok(rd) => {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "csv")).collect()
        }
        Err(_) => Vec::new(),
    };
    charge_files.sort();
    let (charges, _charge_errors) = setup::load_charges(&charge_files);
    let (inputs, errors) = setup::collect(&paths);
    if let Some(e) = errors.first() {
        return Err(anyhow!("{e}"));
    }
    let mut linted = Vec::new();
    for input in &inputs {
        if let Input::File(..) = input {
            for r in setup::read(input, "stdin", None, &setup.read) {
                match r {
                    Record::Note(mut n) => {
                        setup::join_charges(&mut n, &charges);
                        let report = setup.linter.lint(&n, &[]);
                        linted.push((n, report));
                    }
                    Record::Skipped(e) => return Err(anyhow!("corpus record unreadable: {e}")),
                    Record::Warning(_) => {}
                }
            }
        }
    }
    setup.linter.copy_forward_batch(&mut linted, &[]);
    let reports: Vec<_> = linted.into_iter().map(|(_, r)| r).collect();
    let scores = score(&gold, &reports);
    let mut out = io::stdout().lock();
    if args.format == OutputFormat::Human {
        write!(out, "{}", scores.table())?;
        if args.verbose {
            writeln!(out, "\nDisagreements with the gold labels:")?;
            for m in &scores.mismatches {
                writeln!(out, "  {:<12} {:<26} {}", m.note_id, m.what, m.kind)?;
            }
        }
    } else {
        serde_json::to_writer_pretty(&mut out, &scores)?;
        writeln!(out)?;
    }
    let below = |min: Option<f64>, f1: f64| min.is_some_and(|m| f1 < m);
    if below(args.min_element_f1, scores.elements_micro.f1()) || below(args.min_rule_f1, scores.rules_micro.f1()) {
        writeln!(io::stderr(), "notelint: scores below the required minimum")?;
        return Ok(EXIT_FINDINGS);
    }
    Ok(EXIT_CLEAN)
}
