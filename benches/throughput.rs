//! Throughput, latency and startup benchmark (a `harness = false` bench; std only).
//!
//!     cargo bench --bench throughput                      # everything (about a minute on 2 cores)
//!     cargo bench --bench throughput -- --generate-only   # only build the data in target/bench-data
//!
//! Data: `target/bench-data/export.jsonl`, a JSON Lines export of at least 100 MiB made by
//! replicating every note of the bundled corpus (`corpus/notes/**`, `corpus/exports/*`, read with
//! `notelint::input::read`), each copy with its own note_id and patient_id. It is (re)built when
//! missing or too small, next to `export.meta` (its counts, for `benches/run.sh`) and
//! `note-2k.txt` (the ~2 KB note of the latency figures). `target/` is not committed.
//!
//! Figures are printed as `name: value unit` lines; MB means 10^6 bytes. See docs/benchmarks.md.

use notelint::input::{self, Format, ReadOptions, Record};
use notelint::report::json::write_jsonl;
use notelint::{Linter, Markup, Note};
use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The export is rebuilt when smaller than this (100 MiB, so it is over 100 MB either way).
const MIN_EXPORT_BYTES: u64 = 100 * 1024 * 1024;
/// Bumped when the export's layout changes, so that an old export is rebuilt.
const EXPORT_VERSION: u32 = 1;
const WARMUP_ITERS: usize = 2_000;
const LATENCY_ITERS: usize = 20_000;
/// The non-ASCII variant of the 2 KB note is slower; fewer iterations keep the bench short.
const NON_ASCII_WARMUP: usize = 200;
const NON_ASCII_ITERS: usize = 5_000;
const STARTUP_BUILDS: usize = 5;

/// A typical ~2 KB injection note: the nursing narrative of `corpus/notes/rn/rn-0001.txt` with the
/// allergy and medication lines, review of systems and discharge teaching such a note usually has.
const TYPICAL_NOTE: &str = "Nurse visit - injection

Marisol Ortega presented to the clinic today, 01/06/2026, at about 09:40 for her vitamin B12 injection. She reports she has been feeling \"a little more tired than usual\" over the past two weeks and noticed some tingling in her toes again, which she says usually gets better after her shot. Her last injection was 12/03/2025 in the left deltoid and she states she had no problems with that one. She denies chest pain, shortness of breath, falls or new numbness in her hands.

PMH: type 2 diabetes, hypertension, GERD; intrinsic factor antibody negative 10/2025. Lives with her daughter, walks daily.
Allergies: sulfa (rash). No latex allergy.
Current medications: metformin 500 mg PO BID, lisinopril 10 mg PO daily, omeprazole 20 mg PO daily.

Her B12 level drawn in November was 168 pg/mL. Diagnosis on her problem list is vitamin B12 deficiency anemia (D51.9), and Dr. Raymond Achebe ordered cyanocobalamin 1000 mcg IM every 4 weeks to treat it. Long-term metformin and omeprazole use are noted as likely contributors.

I reviewed the medication, the dose, and the purpose of the injection with her, and she gave verbal consent. Vitals before the injection: BP 124/78, HR 72, temp 98.4 F.

I administered cyanocobalamin 1000 mcg/1 mL IM into the right deltoid using a 1 inch 25-gauge needle. Lot C4419K, exp 08/2027. Patient tolerated it well. I kept her in the clinic for 15 minutes afterward and she had no redness, swelling, or dizziness. Site care reviewed: a cool compress is fine for soreness and she should not rub the area.

We talked about foods that contain B12 and she asked about taking a supplement by mouth too; I told her I would pass the question along to Dr. Achebe. Her next injection is due 02/03/2026 and will go in the left deltoid so we keep rotating. She was given a reminder card and the clinic phone number, and she knows to call if she notices a rash, swelling at the site or palpitations.

Leah Brennan, RN  01/06/2026 10:05
";

fn main() {
    let generate_only = std::env::args().any(|a| a == "--generate-only");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data_dir = root.join("target").join("bench-data");
    if let Err(e) = run(&root, &data_dir, generate_only) {
        eprintln!("bench failed: {e}");
        std::process::exit(1);
    }
}

fn run(root: &Path, data_dir: &Path, generate_only: bool) -> io::Result<()> {
    fs::create_dir_all(data_dir)?;
    fs::write(data_dir.join("note-2k.txt"), TYPICAL_NOTE)?;

    // Startup first, so that the first build is the one a fresh process pays.
    let startup = if generate_only { None } else { Some(startup()) };

    let export = data_dir.join("export.jsonl");
    let meta = ensure_export(root, data_dir, &export)?;
    println!("export_path: {}", export.display());
    println!("export_notes: {} notes", meta.notes);
    println!("export_file_size: {:.1} MB", mb(meta.file_bytes));
    println!("export_text_size: {:.1} MB", mb(meta.text_bytes));
    if generate_only {
        return Ok(());
    }

    let (first, median) = startup.unwrap_or_default();
    println!("startup_linter_default_first: {:.2} ms", ms(first));
    println!("startup_linter_default_median: {:.2} ms (of {STARTUP_BUILDS} builds)", ms(median));

    let linter = Linter::default();
    throughput(&linter, &export)?;
    latency(&linter);
    Ok(())
}

/// Time `Linter::default()` (parse and compile the embedded lexicons): (first, median).
fn startup() -> (Duration, Duration) {
    let mut times = Vec::with_capacity(STARTUP_BUILDS);
    for _ in 0..STARTUP_BUILDS {
        let t = Instant::now();
        let linter = black_box(Linter::default());
        times.push(t.elapsed());
        drop(linter);
    }
    let first = times[0];
    times.sort();
    (first, times[times.len() / 2])
}

/// Single thread, in process: read the export, lint every note, write JSON Lines to a sink.
fn throughput(linter: &Linter, export: &Path) -> io::Result<()> {
    let label = export.display().to_string();
    let start = Instant::now();
    let bytes = fs::read(export)?;
    let records = input::read(&label, Format::Jsonl, &bytes, &ReadOptions::default());
    let read_time = start.elapsed();

    let lint_start = Instant::now();
    let mut out = BufWriter::with_capacity(64 * 1024, Counter { inner: io::sink(), bytes: 0 });
    let (mut notes, mut text_bytes, mut applicable, mut findings, mut skipped) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let (mut lint_only, mut write_only) = (Duration::ZERO, Duration::ZERO);
    for record in &records {
        match record {
            Record::Note(note) => {
                let t = Instant::now();
                let report = linter.lint(note, &[]);
                let linted = Instant::now();
                write_jsonl(&mut out, note, &report)?;
                lint_only += linted - t;
                write_only += linted.elapsed();
                notes += 1;
                text_bytes += note.text.len() as u64;
                applicable += u64::from(report.applicable);
                findings += report.findings.len() as u64;
            }
            Record::Skipped(_) => skipped += 1,
            Record::Warning(_) => {}
        }
    }
    out.flush()?;
    let lint_time = lint_start.elapsed();
    let total = start.elapsed();
    let out_bytes = out.get_ref().bytes;
    drop(records);

    let file_bytes = bytes.len() as u64;
    let secs = total.as_secs_f64();
    println!("inprocess_notes: {notes} notes ({applicable} injection notes, {findings} findings, {skipped} skipped)");
    println!("inprocess_read_parse_time: {:.2} s", read_time.as_secs_f64());
    println!("inprocess_lint_write_time: {:.2} s", lint_time.as_secs_f64());
    println!("inprocess_total_time: {secs:.2} s");
    println!("inprocess_output_size: {:.1} MB", mb(out_bytes));
    println!("inprocess_notes_per_s: {:.0} notes/s", notes as f64 / secs);
    println!("inprocess_text_throughput: {:.2} MB/s", mb(text_bytes) / secs);
    println!("inprocess_file_throughput: {:.2} MB/s", mb(file_bytes) / secs);
    println!("inprocess_lint_only_time: {:.2} s (Linter::lint)", lint_only.as_secs_f64());
    println!("inprocess_write_only_time: {:.2} s (write_jsonl)", write_only.as_secs_f64());
    println!("inprocess_lint_only_text_throughput: {:.2} MB/s", mb(text_bytes) / lint_only.as_secs_f64());
    let text_mbps = mb(text_bytes) / secs;
    println!("target_text_throughput_ge_20_mb_s: {} ({text_mbps:.2} MB/s, in process)", verdict(text_mbps >= 20.0));
    if skipped > 0 {
        return Err(io::Error::other(format!("{skipped} records of the export were skipped")));
    }
    Ok(())
}

/// In process latency of one ~2 KB note: lint alone, then lint + JSON Lines record; then the
/// same note with one non-ASCII character (an em dash in its title), as real exports often have.
fn latency(linter: &Linter) {
    let note = Note::plain("typical-2k", TYPICAL_NOTE);
    let report = linter.lint(&note, &[]);
    println!("latency_note_size: {} bytes", note.text.len());
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code).collect();
    let codes = if codes.is_empty() { "none".to_string() } else { codes.join(",") };
    println!("latency_note_report: applicable={} findings={codes}", report.applicable);

    let mut times = measure(WARMUP_ITERS, LATENCY_ITERS, || drop(black_box(linter.lint(black_box(&note), &[]))));
    let p99 = print_percentiles("latency_lint", WARMUP_ITERS, &mut times);
    println!("target_p99_le_1ms: {} ({:.0} us)", verdict(p99 <= Duration::from_millis(1)), us(p99));

    let mut buf = Vec::with_capacity(16 * 1024);
    let mut times = measure(WARMUP_ITERS, LATENCY_ITERS, || {
        buf.clear();
        let report = linter.lint(black_box(&note), &[]);
        write_jsonl(&mut buf, &note, &report).expect("writing to a Vec");
        black_box(&buf);
    });
    print_percentiles("latency_lint_jsonl", WARMUP_ITERS, &mut times);

    let dash = Note::plain("typical-2k-dash", TYPICAL_NOTE.replacen("Nurse visit - ", "Nurse visit \u{2014} ", 1));
    let mut times = measure(NON_ASCII_WARMUP, NON_ASCII_ITERS, || drop(black_box(linter.lint(black_box(&dash), &[]))));
    let p99 = print_percentiles("latency_lint_non_ascii", NON_ASCII_WARMUP, &mut times);
    println!("non_ascii_p99_le_1ms: {} ({:.0} us)", verdict(p99 <= Duration::from_millis(1)), us(p99));
}

/// Run `f` `warmup` times untimed, then `iters` times timed one by one.
fn measure(warmup: usize, iters: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..warmup {
        f();
    }
    let mut times = Vec::with_capacity(iters);
    for _ in 0..iters {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times
}

/// Print p50 / p90 / p99 / max in microseconds; return p99.
fn print_percentiles(name: &str, warmup: usize, times: &mut [Duration]) -> Duration {
    times.sort();
    let at = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    println!("{name}_iterations: {} (after {warmup} warm-up)", times.len());
    for (label, p) in [("p50", 0.50), ("p90", 0.90), ("p99", 0.99)] {
        println!("{name}_{label}: {:.1} us", us(at(p)));
    }
    println!("{name}_max: {:.1} us", us(times[times.len() - 1]));
    at(0.99)
}

/// What `export.meta` records about the export.
#[derive(Default)]
struct Meta {
    version: u32,
    notes: u64,
    text_bytes: u64,
    file_bytes: u64,
}

impl Meta {
    fn parse(text: &str) -> Meta {
        let mut m = Meta::default();
        for line in text.lines() {
            let Some((k, v)) = line.split_once('=') else { continue };
            let v = v.trim().parse().unwrap_or(0);
            match k.trim() {
                "version" => m.version = v as u32,
                "notes" => m.notes = v,
                "text_bytes" => m.text_bytes = v,
                "file_bytes" => m.file_bytes = v,
                _ => {}
            }
        }
        m
    }

    fn render(&self) -> String {
        format!(
            "version={}\nnotes={}\ntext_bytes={}\nfile_bytes={}\n",
            self.version, self.notes, self.text_bytes, self.file_bytes
        )
    }
}

/// Reuse the export when it is current and big enough, else build it.
fn ensure_export(root: &Path, data_dir: &Path, export: &Path) -> io::Result<Meta> {
    let meta_path = data_dir.join("export.meta");
    let size = fs::metadata(export).map(|m| m.len()).unwrap_or(0);
    if let Ok(text) = fs::read_to_string(&meta_path) {
        let meta = Meta::parse(&text);
        if meta.version == EXPORT_VERSION && size >= MIN_EXPORT_BYTES && meta.file_bytes == size {
            println!("export_built: no (reused)");
            return Ok(meta);
        }
    }
    let t = Instant::now();
    let notes = corpus_notes(root)?;
    let tmp = data_dir.join("export.jsonl.tmp");
    let mut out = BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
    let mut meta = Meta { version: EXPORT_VERSION, ..Meta::default() };
    let mut line = String::new();
    let mut copy = 0u32;
    while meta.file_bytes < MIN_EXPORT_BYTES {
        for note in &notes {
            line.clear();
            record(&mut line, note, copy);
            out.write_all(line.as_bytes())?;
            meta.file_bytes += line.len() as u64;
            meta.text_bytes += note.text.len() as u64;
            meta.notes += 1;
        }
        copy += 1;
    }
    out.flush()?;
    drop(out);
    fs::rename(&tmp, export)?;
    fs::write(&meta_path, meta.render())?;
    println!("export_built: yes ({} corpus notes x {copy} copies in {:.1} s)", notes.len(), t.elapsed().as_secs_f64());
    Ok(meta)
}

/// Every note of the bundled corpus, in path order, with unique ids.
fn corpus_notes(root: &Path) -> io::Result<Vec<Note>> {
    let mut files = Vec::new();
    walk(&root.join("corpus").join("notes"), &mut files)?;
    walk(&root.join("corpus").join("exports"), &mut files)?;
    let mut notes = Vec::new();
    let mut ids = HashSet::new();
    for path in files {
        let Some(format) = Format::from_path(&path.to_string_lossy()) else { continue };
        let label = path.strip_prefix(root).unwrap_or(&path).display().to_string();
        for r in input::read(&label, format, &fs::read(&path)?, &ReadOptions::default()) {
            match r {
                Record::Note(mut n) => {
                    if !ids.insert(n.id.clone()) {
                        n.id = format!("{}~{}", n.id, notes.len());
                        ids.insert(n.id.clone());
                    }
                    notes.push(n);
                }
                Record::Skipped(e) => eprintln!("corpus record skipped: {e}"),
                Record::Warning(_) => {}
            }
        }
    }
    if notes.is_empty() {
        return Err(io::Error::other("no notes found under corpus/notes and corpus/exports"));
    }
    Ok(notes)
}

/// Files under `dir`, recursively, in name order (hidden entries skipped).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<io::Result<_>>()?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = e.path();
        if e.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// One JSON Lines record for copy `copy` of `note` (plain record layout of README "Inputs").
fn record(out: &mut String, note: &Note, copy: u32) {
    let patient = match &note.patient_id {
        Some(p) => format!("{p}-x{copy:04}"),
        None => format!("p-{}-x{copy:04}", note.id),
    };
    out.push_str("{\"note_id\":");
    json_str(out, &format!("{}-x{copy:04}", note.id));
    out.push_str(",\"patient_id\":");
    json_str(out, &patient);
    for (key, value) in [("date", &note.date), ("author", &note.author)] {
        if let Some(v) = value {
            let _ = write!(out, ",\"{key}\":");
            json_str(out, v);
        }
    }
    if note.markup == Markup::Markdown {
        out.push_str(",\"format\":\"markdown\"");
    }
    if !note.charges.is_empty() {
        out.push_str(",\"charges\":[");
        for (i, c) in note.charges.iter().enumerate() {
            out.push_str(if i == 0 { "{\"code\":" } else { ",{\"code\":" });
            json_str(out, &c.code);
            out.push_str(",\"modifiers\":[");
            for (j, m) in c.modifiers.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                json_str(out, m);
            }
            let units = if c.units.is_finite() { c.units } else { 1.0 };
            let _ = write!(out, "],\"units\":{units}}}");
        }
        out.push(']');
    }
    out.push_str(",\"text\":");
    json_str(out, &note.text);
    out.push_str("}\n");
}

/// A JSON string literal.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A writer that counts what it throws away.
struct Counter<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "NOT met"
    }
}
