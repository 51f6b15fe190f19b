//! Command-line front end: arguments, config discovery, reading files, and
//! wiring the library's readers, linter and renderers together.

mod args;
mod check;
mod eval;
mod explain;
mod report;
mod sample;
mod setup;
mod spill;

use clap::Parser;
use std::io::{self, Write};

/// Exit codes (SPEC "Exit codes").
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

/// Run the command line; returns the process exit code.
pub fn run() -> i32 {
    // A bug must not print note text: report where it happened, not what.
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let _ =
            writeln!(io::stderr(), "notelint: internal error at {at} (please report it; the note text is not shown)");
    }));
    let cli = match args::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_TROUBLE } else { EXIT_CLEAN };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        args::Command::Check(a) => check::run(a),
        args::Command::Rules(a) => explain::rules(a),
        args::Command::Rule(a) => explain::rule(a),
        args::Command::Eval(a) => eval::run(a),
        args::Command::Sample(a) => sample::run(a),
        args::Command::Report(a) => report::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => EXIT_CLEAN,
        Err(e) => {
            let _ = writeln!(io::stderr(), "notelint: {e:#}");
            EXIT_TROUBLE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
}
