//! `notelint check`: read, lint, find copy-forward across the batch, render,
//! and choose the exit code.
//!
//! Inputs stream through a block at a time (`input::Stream`): each block's
//! notes are linted and rendered on all cores, then written in input order,
//! so memory holds a few blocks whatever the size of the export.
//!
//! Copy-forward needs the whole batch (each patient's visits in date order,
//! template text learned from all patients). With an F rule on, a first pass
//! fingerprints every note into a spill file and keeps only the note's id,
//! patient and date in memory; detection runs on those, and the second pass
//! lints the notes again from the inputs and adds the copy-forward findings.

use super::args::{CheckArgs, Color, InputFormat, Level, OutputFormat};
use super::setup::{self, Source};
use super::spill::{Spill, SpilledPrints};
use super::{EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE};
use anyhow::{anyhow, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use notelint::copyforward::Visit;
use notelint::input::{InputError, Record};
use notelint::report::csv_findings;
use notelint::report::human::HumanPrinter;
use notelint::report::json::{push_json_note, push_jsonl, JsonDocument};
use notelint::report::sarif;
use notelint::report::Summary;
use notelint::{Finding, Note, NoteReport, Severity};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

pub fn run(args: CheckArgs) -> Result<i32> {
    // Compile the note patterns on a second thread while this one builds
    // the lexicon and reads the input: a one-note run (a pre-sign hook)
    // then waits for less of it. Detached; the process need not wait for it.
    // If no thread can be started, each pattern compiles on first use.
    let _ = std::thread::Builder::new().spawn(|| notelint::lexicon::Patterns::shared().warm());
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
    let stdin_format = args.stdin_format.map(InputFormat::format);
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut run = Run {
        printer: HumanPrinter::new(color),
        err_printer: HumanPrinter::new(color && io::stderr().is_terminal()),
        summary: Summary::default(),
        errors: Vec::new(),
        quiet: args.quiet,
        progress: ProgressBar::hidden(),
        notes: 0,
    };

    let (charges, charge_errors) = setup::load_charges(&args.charges);
    for e in charge_errors {
        run.error(e)?;
    }
    let (inputs, walk_errors) = setup::collect(&args.paths);
    for e in walk_errors {
        run.error(e)?;
    }
    let (sources, stdin_errors) = setup::sources(inputs, &args.stdin_name, stdin_format);
    for e in stdin_errors {
        run.error(e)?;
    }
    run.summary.files = sources.len();
    // Earlier notes given with --history take part as earlier visits only.
    let (history, history_errors) = setup::read_notes(&args.history, &setup.read);
    for e in history_errors {
        run.error(e)?;
    }

    let total_bytes: u64 = sources.iter().map(Source::size).sum();
    let show_progress = !args.quiet && io::stderr().is_terminal();
    if show_progress {
        run.progress = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr_with_hz(4));
        run.progress.set_style(
            ProgressStyle::with_template("{prefix:>11} [{bar:30}] {percent:>3}%  {msg}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
    }
    timing("start");
    let copies = if setup.linter.copy_forward_on() {
        let passes = run.progress.clone();
        passes.set_prefix("fingerprint");
        let copies = first_pass(&setup, &sources, &history, args.format == OutputFormat::Human, &passes)?;
        // The lint pass reads the inputs again: position, ETA and rate anew.
        passes.reset();
        copies
    } else {
        Copies::default()
    };
    run.progress.set_prefix("lint");
    run.notes = 0;

    let stdout = io::stdout();
    // Not locked: blocks are written from the pool while the next is linted.
    let mut out = BufWriter::with_capacity(1 << 16, stdout);
    let render = Renderer { format: args.format, statistics: args.statistics, printer: HumanPrinter::new(color) };
    let mut doc = None;
    if !args.statistics {
        match args.format {
            OutputFormat::Csv => csv_findings::header(&mut out)?,
            OutputFormat::Json => doc = Some(JsonDocument::begin(&mut out)?),
            OutputFormat::Sarif => sarif::header(&mut out, env!("CARGO_PKG_VERSION"))?,
            _ => {}
        }
    }
    let mut index = 0usize;
    let progress = run.progress.clone();
    let lint_one = |record: Record, i: usize| -> Linted {
        match record {
            Record::Note(mut note) => {
                setup::join_charges(&mut note, &charges);
                let extra = if copies.same_note(i, &note.id) {
                    copies.findings.get(&i).map(Vec::as_slice).unwrap_or(&[])
                } else {
                    &[]
                };
                let done = catch_unwind(AssertUnwindSafe(|| {
                    let mut report = setup.linter.lint(&note, &[]);
                    report.findings.extend(extra.iter().map(|(f, _)| f.clone()));
                    let related = |id: &str| {
                        let (_, visit) = extra.iter().find(|(f, _)| f.related_note_id.as_deref() == Some(id))?;
                        copies.text(*visit)
                    };
                    // A JSON Lines record of a typical note takes 1-2 KB.
                    let mut buf = Vec::with_capacity(2048);
                    render.note(&mut buf, &note, &report, &related).map(|_| (report, buf))
                }));
                let error = |message: String| InputError {
                    path: note.origin.path.to_string(),
                    line: Some(note.origin.line),
                    message,
                };
                match done {
                    Ok(Ok((report, rendered))) => {
                        let warnings = note.warnings.iter().map(|w| error(w.clone())).collect();
                        Linted::Note { report: Box::new(report), rendered, warnings }
                    }
                    Ok(Err(e)) => Linted::Failed(error(format!("cannot render note {}: {e}", note.id))),
                    Err(_) => Linted::Failed(error(format!("internal error while linting note {}; skipped", note.id))),
                }
            }
            Record::Skipped(e) => Linted::Skipped(e),
            Record::Warning(e) => Linted::Warning(e),
        }
    };
    let mut writer = Writer { out: &mut out, doc: &mut doc, sarif: args.format == OutputFormat::Sarif, results: false };
    // Each block is linted on the pool while the one before it is written.
    let mut pending: Vec<Linted> = Vec::new();
    read_ahead(&sources, &setup.read, &progress, |batch| {
        // Each note's place in the batch, as the first pass counted them.
        let mut at = Vec::with_capacity(batch.len());
        for r in &batch {
            at.push(index);
            index += usize::from(matches!(r, Record::Note(_)));
        }
        let done = std::mem::take(&mut pending);
        let (written, linted) = rayon::join(
            || writer.write(&mut run, done),
            || batch.into_par_iter().zip(at).map(|(record, i)| lint_one(record, i)).collect::<Vec<Linted>>(),
        );
        written?;
        pending = linted;
        Ok(())
    })?;
    writer.write(&mut run, pending)?;
    run.progress.finish_and_clear();
    timing("lint pass");
    if copies.changed.load(std::sync::atomic::Ordering::Relaxed)
        || copies.ids.as_ref().is_some_and(|ids| index != ids.len())
    {
        run.error(InputError {
            path: args.paths.join(" "),
            line: None,
            message: "the input changed between the copy-forward pass and the lint pass; copy-forward findings were \
                      left out for the notes that did not match"
                .into(),
        })?;
    }
    if copies.failed() {
        return Err(anyhow!("could not read back the copy-forward spill file (temporary directory full?)"));
    }
    let summary = &mut run.summary;
    summary.finish();
    if args.statistics {
        run.printer.statistics(&mut out, summary)?;
        out.flush()?;
        return Ok(exit_code(summary, &args, fail_on));
    }
    match args.format {
        OutputFormat::Human if !args.quiet => run.printer.summary(&mut out, summary)?,
        OutputFormat::Json => {
            if let Some(doc) = doc {
                doc.finish(&mut out, summary, &run.errors)?;
            }
        }
        OutputFormat::Sarif => sarif::footer(&mut out, summary, &run.errors)?,
        OutputFormat::Jsonl | OutputFormat::Csv if !args.quiet => {
            out.flush()?;
            run.err_printer.summary(&mut io::stderr().lock(), summary)?;
        }
        _ => {}
    }
    out.flush()?;
    Ok(exit_code(summary, &args, fail_on))
}

/// The state of one run: counts, input errors, where messages go.
struct Run {
    printer: HumanPrinter,
    err_printer: HumanPrinter,
    summary: Summary,
    errors: Vec<InputError>,
    quiet: bool,
    progress: ProgressBar,
    /// Notes done in this pass, for the progress line.
    notes: u64,
}

impl Run {
    /// A record or file that could not be read: counted, shown, kept for JSON.
    fn error(&mut self, e: InputError) -> io::Result<()> {
        self.summary.add_skipped(&e);
        self.progress.suspend(|| self.err_printer.input_error(&mut io::stderr().lock(), &e, true))?;
        self.errors.push(e);
        Ok(())
    }

    fn warning(&mut self, e: InputError) -> io::Result<()> {
        self.summary.warnings += 1;
        if !self.quiet {
            self.progress.suspend(|| self.err_printer.input_error(&mut io::stderr().lock(), &e, false))?;
        }
        Ok(())
    }

    fn tick(&self) {
        tick(&self.progress, self.notes);
    }
}

fn tick(progress: &ProgressBar, notes: u64) {
    if progress.is_hidden() {
        return;
    }
    let secs = progress.elapsed().as_secs_f64().max(1e-3);
    progress.set_message(format!("{notes} notes, {:.0} notes/s", notes as f64 / secs));
}

/// Writes linted blocks in input order and counts them.
struct Writer<'a> {
    out: &'a mut BufWriter<io::Stdout>,
    doc: &'a mut Option<JsonDocument>,
    /// SARIF results are comma-separated across notes.
    sarif: bool,
    results: bool,
}

impl Writer<'_> {
    fn write(&mut self, run: &mut Run, linted: Vec<Linted>) -> io::Result<()> {
        if linted.is_empty() {
            return Ok(());
        }
        for item in linted {
            match item {
                Linted::Note { report, rendered, warnings } => {
                    for w in warnings {
                        run.warning(w)?;
                    }
                    match &mut self.doc {
                        Some(doc) => doc.push(self.out, &rendered)?,
                        None if self.sarif && !rendered.is_empty() => {
                            if self.results {
                                self.out.write_all(b",")?;
                            }
                            self.results = true;
                            self.out.write_all(&rendered)?;
                        }
                        None => self.out.write_all(&rendered)?,
                    }
                    run.summary.add_report(&report);
                    run.notes += 1;
                }
                Linted::Failed(e) | Linted::Skipped(e) => run.error(e)?,
                Linted::Warning(e) => run.warning(e)?,
            }
        }
        run.tick();
        Ok(())
    }
}

/// One record after the lint pass.
enum Linted {
    Note { report: Box<NoteReport>, rendered: Vec<u8>, warnings: Vec<InputError> },
    Failed(InputError),
    Skipped(InputError),
    Warning(InputError),
}

/// Renders one note's output in the chosen format into a buffer.
struct Renderer {
    format: OutputFormat,
    statistics: bool,
    printer: HumanPrinter,
}

impl Renderer {
    fn note(
        &self,
        out: &mut Vec<u8>,
        note: &Note,
        report: &NoteReport,
        related: &dyn Fn(&str) -> Option<String>,
    ) -> io::Result<()> {
        if self.statistics {
            return Ok(());
        }
        match self.format {
            OutputFormat::Csv => csv_findings::note(out, note, report),
            OutputFormat::Human => self.printer.note(out, note, report, related),
            OutputFormat::Jsonl => {
                push_jsonl(out, note, report);
                Ok(())
            }
            OutputFormat::Json => {
                push_json_note(out, note, report);
                Ok(())
            }
            OutputFormat::Sarif => sarif::results(out, note, report).map(|_| ()),
        }
    }
}

/// What the first pass found: copy-forward findings by note index (with
/// the visit index of the related note), and note texts for diffs.
#[derive(Default)]
struct Copies {
    findings: HashMap<usize, Vec<(Finding, usize)>>,
    texts: Option<Spill>,
    /// A hash of each note's id as the first pass read it (`None` when
    /// copy-forward is off), to notice an input that changed in between.
    ids: Option<Vec<u64>>,
    changed: std::sync::atomic::AtomicBool,
}

fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Copies {
    /// Is note `i` of the lint pass the note the first pass saw there? (Yes
    /// when copy-forward is off.)
    fn same_note(&self, i: usize, id: &str) -> bool {
        let Some(ids) = &self.ids else { return true };
        let same = ids.get(i) == Some(&id_hash(id));
        if !same {
            self.changed.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        same
    }

    /// The text of visit `i`, for a diff.
    fn text(&self, i: usize) -> Option<String> {
        let mut buf = Vec::new();
        String::from_utf8(self.texts.as_ref()?.record(i, &mut buf).to_vec()).ok()
    }

    fn failed(&self) -> bool {
        self.texts.as_ref().is_some_and(Spill::failed)
    }
}

/// Ids, patients and dates of every visit, packed into one string.
#[derive(Default)]
struct VisitTable {
    strings: String,
    /// Start in `strings` and the byte lengths of id, patient and date
    /// (`ABSENT` for none).
    rows: Vec<(usize, [u16; 3])>,
    report: Vec<bool>,
}

const ABSENT: u16 = u16::MAX;

impl VisitTable {
    fn push(&mut self, note: &Note, report: bool) {
        let start = self.strings.len();
        let mut lens = [ABSENT; 3];
        for (k, s) in [Some(note.id.as_str()), note.patient_id.as_deref(), note.date.as_deref()].into_iter().enumerate()
        {
            if let Some(s) = s {
                // Ids longer than 64 KiB are cut (at a character boundary).
                let mut end = s.len().min(usize::from(ABSENT) - 1);
                while !s.is_char_boundary(end) {
                    end -= 1;
                }
                self.strings.push_str(&s[..end]);
                lens[k] = end as u16;
            }
        }
        self.rows.push((start, lens));
        self.report.push(report);
    }

    fn visits(&self) -> Vec<Visit<'_>> {
        self.rows
            .iter()
            .zip(&self.report)
            .map(|((start, lens), report)| {
                let mut at = *start;
                let mut field = |len: u16| {
                    (len != ABSENT).then(|| {
                        let s = &self.strings[at..at + usize::from(len)];
                        at += usize::from(len);
                        s
                    })
                };
                let note_id = field(lens[0]).unwrap_or("");
                let patient_id = field(lens[1]);
                let date = field(lens[2]);
                Visit { note_id, patient_id, date, report: *report }
            })
            .collect()
    }
}

/// Fingerprint bytes read into memory for detection; more stay on disk.
const PRINTS_IN_MEMORY: u64 = 512 << 20;

/// Fingerprint every note (history first), then find copy-forward.
fn first_pass(
    setup: &setup::Setup,
    sources: &[Source],
    history: &[Note],
    keep_texts: bool,
    progress: &ProgressBar,
) -> Result<Copies> {
    let mut prints = Spill::new()?;
    let mut texts = if keep_texts { Some(Spill::new()?) } else { None };
    let mut table = VisitTable::default();
    let mut add = |note: &Note, print: &[u8], report: bool| -> io::Result<()> {
        prints.push(print)?;
        table.push(note, report);
        if let Some(t) = &mut texts {
            t.push(note.text.as_bytes())?;
        }
        Ok(())
    };
    let fingerprint = |note: &Note| {
        let mut bytes = Vec::new();
        // A note that trips a bug gets an empty fingerprint here; the lint
        // pass reports it.
        if let Ok(f) = catch_unwind(AssertUnwindSafe(|| setup.linter.fingerprint(note))) {
            f.encode(&mut bytes);
        } else {
            notelint::copyforward::Fingerprint::default().encode(&mut bytes);
        }
        bytes
    };
    for note in history {
        add(note, &fingerprint(note), false)?;
    }
    let mut notes = 0u64;
    // Each block is fingerprinted on the pool while the one before it is
    // stored.
    let mut pending: (Vec<Note>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    let mut ids: Vec<u64> = Vec::new();
    let mut store = |(batch, batch_prints): (Vec<Note>, Vec<Vec<u8>>)| -> io::Result<()> {
        for (note, print) in batch.iter().zip(&batch_prints) {
            add(note, print, true)?;
            ids.push(id_hash(&note.id));
        }
        notes += batch.len() as u64;
        if !batch.is_empty() {
            tick(progress, notes);
        }
        Ok(())
    };
    read_ahead(sources, &setup.read, progress, |batch| {
        let batch: Vec<Note> =
            batch.into_iter().filter_map(|r| if let Record::Note(n) = r { Some(n) } else { None }).collect();
        let done = std::mem::take(&mut pending);
        let (stored, batch_prints) =
            rayon::join(|| store(done), || batch.par_iter().map(&fingerprint).collect::<Vec<Vec<u8>>>());
        stored?;
        pending = (batch, batch_prints);
        Ok(())
    })?;
    store(pending)?;
    prints.flush()?;
    // Detection reads every fingerprint two or three times in patient
    // order: from memory when they are small enough (about 90 MB for 100k
    // visit notes of 660 bytes), from the file record by record otherwise.
    prints.load_if_under(PRINTS_IN_MEMORY);
    if let Some(t) = &mut texts {
        t.flush()?;
    }
    progress.set_prefix("copies");
    progress.set_message(format!("comparing {notes} notes"));
    timing("fingerprint pass");
    let visits = table.visits();
    let store = SpilledPrints(prints);
    let found = setup.linter.copy_forward(&visits, &store);
    timing("copy-forward detection");
    if store.0.failed() {
        return Err(anyhow!("could not read back the copy-forward spill file (temporary directory full?)"));
    }
    let mut findings: HashMap<usize, Vec<(Finding, usize)>> = HashMap::new();
    for (note, related, finding) in found {
        // History notes come first and are never reported.
        if let Some(i) = note.checked_sub(history.len()) {
            findings.entry(i).or_default().push((finding, related));
        }
    }
    Ok(Copies { findings, texts, ids: Some(ids), changed: Default::default() })
}

/// With `NOTELINT_TIMINGS` set, print how long each phase took to stderr
/// (times only, never note text), for tuning big runs.
fn timing(phase: &str) {
    use std::sync::Mutex;
    use std::time::Instant;
    static LAST: Mutex<Option<Instant>> = Mutex::new(None);
    if std::env::var_os("NOTELINT_TIMINGS").is_none() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = last.replace(now) {
        eprintln!("notelint: {phase}: {:.2} s", now.duration_since(t).as_secs_f64());
    }
}

/// Read the sources on a thread of their own, a block ahead of `f`, which
/// gets each block's records in input order. Reading and parsing overlap
/// with linting, instead of leaving the other cores idle while they run.
fn read_ahead(
    sources: &[Source],
    options: &notelint::input::ReadOptions,
    progress: &ProgressBar,
    mut f: impl FnMut(Vec<Record>) -> Result<()>,
) -> Result<()> {
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            for source in sources {
                for batch in source.stream(options, progress) {
                    if tx.send(batch).is_err() {
                        // The consumer stopped (an error); stop reading.
                        return;
                    }
                }
            }
        });
        for batch in rx {
            f(batch)?;
        }
        Ok(())
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_that_moved_between_the_passes_is_noticed() {
        let copies = Copies { ids: Some(vec![id_hash("a"), id_hash("b")]), ..Copies::default() };
        assert!(copies.same_note(0, "a") && copies.same_note(1, "b"));
        assert!(!copies.changed.load(std::sync::atomic::Ordering::Relaxed));
        assert!(!copies.same_note(1, "c"));
        assert!(!copies.same_note(2, "a"), "a note the first pass did not see");
        let empty = Copies { ids: Some(Vec::new()), ..Copies::default() };
        assert!(!empty.same_note(0, "a"), "the first pass saw no notes, the lint pass one");
        assert!(copies.changed.load(std::sync::atomic::Ordering::Relaxed));
        assert!(Copies::default().same_note(7, "x"), "no copy-forward, nothing to compare");
    }
}
