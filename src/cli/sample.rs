//! `notelint sample`: a reproducible audit sample, written as JSON Lines.

use super::args::{SampleArgs, Stratum};
use super::setup;
use super::{EXIT_CLEAN, EXIT_TROUBLE};
use anyhow::{Context as _, Result};
use notelint::input::Record;
use notelint::note::Markup;
use notelint::sample::{describe, draw};
use notelint::Note;
use std::io::{self, BufWriter, Write};

fn stratum(note: &Note, per: Stratum) -> String {
    match per {
        Stratum::Author => note.author.clone().unwrap_or_else(|| "(no author)".into()),
        Stratum::Patient => note.patient_id.clone().unwrap_or_else(|| format!("(note {})", note.id)),
        Stratum::Month => note
            .date
            .as_deref()
            .and_then(notelint::billing::parse_date)
            .map_or_else(|| "(no date)".to_string(), |(y, m, _)| format!("{y:04}-{m:02}")),
    }
}

pub fn run(args: SampleArgs) -> Result<i32> {
    let setup = setup::setup(&args.config, &[], &[])?;
    let (charges, charge_errors) = setup::load_charges(&args.charges);
    let (inputs, errors) = setup::collect(&args.paths);
    let mut trouble = !errors.is_empty() || !charge_errors.is_empty();
    for e in errors.iter().chain(&charge_errors) {
        writeln!(io::stderr(), "notelint: {e} (skipped)")?;
    }
    let mut notes: Vec<Note> = Vec::new();
    for input in &inputs {
        for record in setup::read(input, "stdin", None, &setup.read) {
            match record {
                Record::Note(mut n) => {
                    setup::join_charges(&mut n, &charges);
                    notes.push(n);
                }
                Record::Skipped(e) => {
                    trouble = true;
                    writeln!(io::stderr(), "notelint: {e} (skipped)")?;
                }
                Record::Warning(_) => {}
            }
        }
    }
    let strata: Option<Vec<String>> = args.per.map(|per| notes.iter().map(|n| stratum(n, per)).collect());
    let chosen = draw(notes.len(), args.size, strata.as_deref(), args.seed);
    let per_name = args.per.map(|p| match p {
        Stratum::Author => "author",
        Stratum::Patient => "patient",
        Stratum::Month => "month",
    });
    writeln!(io::stderr(), "notelint sample: {}", describe(chosen.len(), notes.len(), per_name, args.seed))?;
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => {
            Box::new(BufWriter::new(std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?))
        }
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    for i in chosen {
        let n = &notes[i];
        let record = serde_json::json!({
            "note_id": n.id,
            "patient_id": n.patient_id,
            "date": n.date,
            "author": n.author,
            "text": n.text,
            "format": if n.markup == Markup::Markdown { "markdown" } else { "text" },
            "charges": n.charges,
        });
        serde_json::to_writer(&mut out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(if trouble { EXIT_TROUBLE } else { EXIT_CLEAN })
}
