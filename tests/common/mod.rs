//! Helpers shared by the report tests (`tests/report.rs`, `tests/report_browser.rs`).

use assert_cmd::Command;
use std::path::Path;

pub fn notelint() -> Command {
    Command::cargo_bin("notelint").expect("binary")
}

/// Write the report for the bundled corpus (notes, exports, charges) to
/// `out`. Exits 2: the charges file has one malformed row on purpose.
pub fn corpus_report(out: &Path) -> assert_cmd::assert::Assert {
    notelint()
        .args([
            "report",
            "--no-config",
            "corpus/notes",
            "corpus/exports",
            "--charges",
            "corpus/charges/billing.csv",
            "--out",
        ])
        .arg(out)
        .assert()
        .code(2)
}
