//! Flags, defined once; `--help` text comes from these definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "notelint",
    version,
    about = "Lint clinical injection notes (CPT 96372) for the documentation an auditor needs."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Lint notes: files, directories (walked) or `-` for standard input.
    Check(CheckArgs),
    /// List every rule: code, name, default severity, summary.
    Rules(RulesArgs),
    /// Explain one rule: what it checks, why it matters, examples, the fix.
    Rule(RuleArgs),
    /// Score extraction and rules against a gold-labelled corpus.
    Eval(EvalArgs),
    /// Draw a reproducible audit sample of notes (written as JSON Lines).
    Sample(SampleArgs),
    /// Write a self-contained HTML audit report (charts, error rates, drill-down).
    Report(ReportArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Stratum {
    Author,
    Patient,
    Month,
}

#[derive(Args, Debug)]
pub struct SampleArgs {
    /// Files or directories to sample from (any input format).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Notes in the sample.
    #[arg(long)]
    pub size: usize,
    /// Stratify with proportional allocation.
    #[arg(long, value_enum)]
    pub per: Option<Stratum>,
    /// Seed of the random draw: the same input and seed give the same sample.
    #[arg(long)]
    pub seed: u64,
    /// Write the sample here (JSON Lines, which `check` reads) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Charges CSV joined on note_id, carried into the sample.
    #[arg(long, value_name = "FILE.csv")]
    pub charges: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Jsonl,
    Json,
    /// One row per finding (CSV with a header row).
    Csv,
    /// SARIF 2.1.0, for code-scanning tools and SARIF viewers.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    Txt,
    Md,
    Csv,
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug, Clone, Default)]
pub struct ConfigArgs {
    /// Config file (default: the nearest notelint.yaml from the working directory up).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any notelint.yaml; use the built-in defaults only.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to lint; `-` reads one input from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format (`sarif`: one SARIF 2.1.0 log for code-scanning tools and SARIF viewers).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Only these rule codes or prefixes (comma-separated, e.g. `D1,Q203`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Skip these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    /// Exit 1 when a finding at or above this severity is reported [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<Level>,
    /// Always exit 0 unless the input could not be read.
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Earlier notes of the same patients (any input format): compared for
    /// copy-forward but not reported. For checking one note before signing.
    #[arg(long, value_name = "PATH")]
    pub history: Vec<String>,
    /// Charges CSV (note_id,code,modifiers,units) joined to the notes on note_id.
    #[arg(long, value_name = "FILE.csv")]
    pub charges: Vec<std::path::PathBuf>,
    /// Format of standard input (default: guessed from its first bytes).
    #[arg(long, value_enum)]
    pub stdin_format: Option<InputFormat>,
    /// Name used for standard input in messages and as its note id.
    #[arg(long, value_name = "NAME", default_value = "stdin")]
    pub stdin_name: String,
    /// Threads for linting (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,
    /// Print counts per rule code instead of the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print only findings (no summary, no warnings about inputs).
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format (human or json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

#[derive(Args, Debug)]
pub struct RuleArgs {
    /// The rule code, e.g. D104.
    pub code: String,
}

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// The corpus folder (with notes/, exports/ and gold/).
    #[arg(default_value = "corpus")]
    pub corpus: PathBuf,
    /// Output format (human or json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// List every disagreement with the gold labels.
    #[arg(long, short)]
    pub verbose: bool,
    /// Exit 1 when the element micro-F1 is below this.
    #[arg(long, value_name = "F1")]
    pub min_element_f1: Option<f64>,
    /// Exit 1 when the rule micro-F1 is below this.
    #[arg(long, value_name = "F1")]
    pub min_rule_f1: Option<f64>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Files or directories to report on; `-` reads one input from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Write the report to this file (one self-contained HTML file).
    #[arg(long, short, value_name = "FILE.html")]
    pub out: PathBuf,
    /// Title at the top of the report.
    #[arg(long, value_name = "TEXT", default_value = "Injection note audit")]
    pub title: String,
    /// Most notes listed in the drill-down (and copy-forward pairs shown); the report says when it is cut.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_notes: usize,
    /// Charges CSV (note_id,code,modifiers,units) joined to the notes on note_id.
    #[arg(long, value_name = "FILE.csv")]
    pub charges: Vec<PathBuf>,
    /// Earlier notes of the same patients (any input format): compared for
    /// copy-forward but not reported.
    #[arg(long, value_name = "PATH")]
    pub history: Vec<String>,
    /// Only these rule codes or prefixes (comma-separated, e.g. `D1,Q203`).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,
    /// Skip these rule codes or prefixes (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Format of standard input (default: guessed from its first bytes).
    #[arg(long, value_enum)]
    pub stdin_format: Option<InputFormat>,
    /// Name used for standard input in messages and as its note id.
    #[arg(long, value_name = "NAME", default_value = "stdin")]
    pub stdin_name: String,
}

impl InputFormat {
    /// The reader for this format.
    pub fn format(self) -> notelint::input::Format {
        use notelint::input::Format;
        match self {
            InputFormat::Txt => Format::Text,
            InputFormat::Md => Format::Markdown,
            InputFormat::Csv => Format::Csv,
            InputFormat::Jsonl => Format::Jsonl,
        }
    }
}
