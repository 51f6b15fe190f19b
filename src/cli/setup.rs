//! File-system work the library does not do: finding notelint.yaml and the
//! lexicon files it names, building the linter, and turning paths into
//! inputs (directories are walked in name order).

use super::args::ConfigArgs;
use anyhow::{anyhow, Context as _, Result};
use notelint::config::{Config, FILE_NAME};
use notelint::input::{self, Format, ReadOptions, Record};
use notelint::lexicon::{self, Lexicon};
use notelint::{Linter, Note, Settings};
use std::path::{Path, PathBuf};

/// The config file to use, if any.
pub fn find_config(args: &ConfigArgs) -> Result<Option<PathBuf>> {
    if args.no_config {
        return Ok(None);
    }
    if let Some(p) = &args.config {
        if !p.is_file() {
            return Err(anyhow!("config file {} not found", p.display()));
        }
        return Ok(Some(p.clone()));
    }
    let mut dir = std::env::current_dir().ok();
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(Some(candidate));
        }
        dir = d.parent().map(Path::to_path_buf);
    }
    Ok(None)
}

/// Everything a command needs from the config.
pub struct Setup {
    pub config: Config,
    pub linter: Linter,
    pub read: ReadOptions,
}

/// Load the config (if any), merge its lexicons over the defaults, compile.
pub fn setup(args: &ConfigArgs, select: &[String], ignore: &[String]) -> Result<Setup> {
    let path = find_config(args)?;
    let config = match &path {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Config::parse(&p.display().to_string(), &text).map_err(|e| anyhow!("invalid configuration: {e}"))?
        }
        None => Config::default(),
    };
    let base = path.as_ref().and_then(|p| p.parent()).map(Path::to_path_buf).unwrap_or_default();
    let mut source = lexicon::default_source();
    for f in &config.lexicon_files {
        let p = base.join(f);
        let text = std::fs::read_to_string(&p).with_context(|| format!("reading lexicon file {}", p.display()))?;
        let part =
            lexicon::parse_source(&p.display().to_string(), &text).map_err(|e| anyhow!("invalid lexicon: {e}"))?;
        source.merge(part);
    }
    source.merge(config.lexicon.clone());
    config.apply_abbreviation_switches(&mut source).map_err(|e| anyhow!("invalid configuration: {e}"))?;
    let lexicon = Lexicon::compile(source).map_err(|e| anyhow!("invalid lexicon: {e}"))?;
    let mut selection = config.selection().map_err(|e| anyhow!("invalid configuration: {e}"))?;
    if !select.is_empty() {
        selection.select = select.to_vec();
    }
    selection.ignore.extend(ignore.iter().cloned());
    selection.validate().map_err(|e| anyhow!("{e}"))?;
    let read = ReadOptions { columns: config.input.columns.clone() };
    let settings = Settings {
        selection,
        copy_forward: config.copy_forward.settings(),
        template_phrases: config.copy_forward.template_phrases.clone(),
    };
    Ok(Setup { config, linter: Linter::new(lexicon, settings), read })
}

/// Read charges CSV files into one table; unreadable files and rows are
/// returned as errors (the rest still applies).
pub fn load_charges(paths: &[PathBuf]) -> (input::charges::ChargeTable, Vec<input::InputError>) {
    let mut table = input::charges::ChargeTable::new();
    let mut errors = Vec::new();
    for p in paths {
        let label = p.display().to_string();
        match std::fs::read(p).map_err(|e| e.to_string()).and_then(|b| input::decode::decode(&b)) {
            Ok(d) => {
                let (t, e) = input::charges::read_charges(&label, &d.text);
                for (id, lines) in t {
                    table.entry(id).or_default().extend(lines);
                }
                errors.extend(e);
            }
            Err(message) => errors.push(input::InputError {
                path: label,
                line: None,
                message: format!("cannot read charges: {message}"),
            }),
        }
    }
    (table, errors)
}

/// Add joined charges to a note.
pub fn join_charges(note: &mut notelint::Note, table: &input::charges::ChargeTable) {
    if let Some(lines) = table.get(&note.id) {
        note.charges.extend(lines.iter().cloned());
    }
}

/// One input to read: a file (with its format) or standard input.
pub enum Input {
    File(PathBuf, Format),
    Stdin,
}

/// Expand paths: files as given (unknown extensions read as plain text),
/// directories walked for files notelint reads, `-` for standard input.
pub fn collect(paths: &[String]) -> (Vec<Input>, Vec<input::InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(Input::Stdin);
            continue;
        }
        let path = PathBuf::from(p);
        if path.is_dir() {
            let walker = walkdir::WalkDir::new(&path)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.')));
            for entry in walker {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        if let Some(f) = Format::from_path(&e.path().to_string_lossy()) {
                            out.push(Input::File(e.path().to_path_buf(), f));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => errors.push(input::InputError { path: p.clone(), line: None, message: e.to_string() }),
                }
            }
        } else if path.exists() {
            let format = Format::from_path(p).unwrap_or(Format::Text);
            out.push(Input::File(path, format));
        } else {
            errors.push(input::InputError { path: p.clone(), line: None, message: "no such file or directory".into() });
        }
    }
    (out, errors)
}

/// Read one input into records.
pub fn read(input: &Input, stdin_name: &str, stdin_format: Option<Format>, options: &ReadOptions) -> Vec<Record> {
    match input {
        Input::File(path, format) => {
            let label = path.display().to_string();
            match std::fs::read(path) {
                Ok(bytes) => input::read(&label, *format, &bytes, options),
                Err(e) => vec![Record::Skipped(input::InputError {
                    path: label,
                    line: None,
                    message: format!("cannot read: {e}"),
                })],
            }
        }
        Input::Stdin => match read_stdin(stdin_name, stdin_format) {
            Ok((label, format, bytes)) => {
                let mut records = input::read(&label, format, &bytes, options);
                show_as_stdin(&mut records);
                records
            }
            Err(e) => vec![Record::Skipped(e)],
        },
    }
}

/// Standard input, read whole: the name its records are read under (from
/// --stdin-name, which makes the note id), its format and its bytes.
fn read_stdin(stdin_name: &str, stdin_format: Option<Format>) -> Result<(String, Format, Vec<u8>), input::InputError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map_err(|e| input::InputError {
        path: STDIN.into(),
        line: None,
        message: format!("cannot read: {e}"),
    })?;
    let format =
        stdin_format.unwrap_or_else(|| Format::sniff(&String::from_utf8_lossy(&bytes[..bytes.len().min(256)])));
    let label =
        if Path::new(stdin_name).extension().is_some() { stdin_name.to_string() } else { format!("{stdin_name}.txt") };
    Ok((label, format, bytes))
}

/// How records from standard input name their origin.
const STDIN: &str = "<stdin>";

/// Records read from standard input show it as their origin.
fn show_as_stdin(records: &mut [Record]) {
    for r in records {
        match r {
            Record::Note(n) => n.origin.path = STDIN.into(),
            Record::Skipped(e) | Record::Warning(e) => e.path = STDIN.into(),
        }
    }
}

/// An input ready to be read, as often as needed: a file, or standard
/// input read once into memory.
pub struct Source {
    /// The name records are read under (for standard input, the name given
    /// with --stdin-name, which makes the note id).
    label: String,
    format: Format,
    data: SourceData,
}

enum SourceData {
    File(PathBuf),
    /// Standard input, read once.
    Stdin(Vec<u8>),
}

impl Source {
    /// Bytes on disk or in memory, for the progress bar.
    pub fn size(&self) -> u64 {
        match &self.data {
            SourceData::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            SourceData::Stdin(b) => b.len() as u64,
        }
    }

    /// Read the source a block at a time; `progress` is told of every byte read.
    pub fn stream<'a>(
        &'a self,
        options: &ReadOptions,
        progress: &'a indicatif::ProgressBar,
    ) -> Box<dyn Iterator<Item = Vec<Record>> + 'a> {
        let reader: Box<dyn std::io::Read + 'a> = match &self.data {
            SourceData::File(p) => match std::fs::File::open(p) {
                Ok(f) => Box::new(f),
                Err(e) => {
                    let error = input::InputError {
                        path: self.label.clone(),
                        line: None,
                        message: format!("cannot read: {e}"),
                    };
                    return Box::new(std::iter::once(vec![Record::Skipped(error)]));
                }
            },
            SourceData::Stdin(b) => Box::new(&b[..]),
        };
        // A hidden bar is not fed: its wrapper reads only through `read`,
        // so every block's buffer would be zeroed before each read.
        let reader: Box<dyn std::io::Read + 'a> =
            if progress.is_hidden() { reader } else { Box::new(progress.wrap_read(reader)) };
        let stream = input::Stream::new(&self.label, self.format, reader, options);
        Box::new(stream.map(move |mut records| {
            if matches!(self.data, SourceData::Stdin(_)) {
                show_as_stdin(&mut records);
            }
            records
        }))
    }
}

/// Turn inputs into sources, reading standard input (if named) once.
pub fn sources(
    inputs: Vec<Input>,
    stdin_name: &str,
    stdin_format: Option<Format>,
) -> (Vec<Source>, Vec<input::InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for i in inputs {
        match i {
            Input::File(path, format) => {
                out.push(Source { label: path.display().to_string(), format, data: SourceData::File(path) })
            }
            Input::Stdin => match read_stdin(stdin_name, stdin_format) {
                Ok((label, format, bytes)) => out.push(Source { label, format, data: SourceData::Stdin(bytes) }),
                Err(e) => errors.push(e),
            },
        }
    }
    (out, errors)
}

/// Read every note under `paths` (earlier notes given with `--history`),
/// with the records that could not be read; warnings are dropped.
pub fn read_notes(paths: &[String], options: &ReadOptions) -> (Vec<Note>, Vec<input::InputError>) {
    let (inputs, mut errors) = collect(paths);
    let mut notes = Vec::new();
    for input in &inputs {
        for record in read(input, "history", None, options) {
            match record {
                Record::Note(n) => notes.push(n),
                Record::Skipped(e) => errors.push(e),
                Record::Warning(_) => {}
            }
        }
    }
    (notes, errors)
}
