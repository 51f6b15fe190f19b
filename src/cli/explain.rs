//! `notelint rules` and `notelint rule CODE`.

use super::args::{OutputFormat, RuleArgs, RulesArgs};
use super::{EXIT_CLEAN, EXIT_TROUBLE};
use anyhow::Result;
use notelint::rules::{self, RULES};
use std::io::{self, Write};

const APPLICABILITY: &str = "\
Which notes are checked: a note is an injection note when, in a sentence that is
not negated, future, past or mere intent (\"here for B12\"), it has an injectable
route (IM, SC, IV push, intradermal, intra-articular), an injection word
(\"injected\", \"injection given\", \"shot\"), or a named drug with an
administration verb, a site or a dose; or when it carries a 96372 charge. Oral
medicines and local anaesthetic or contrast used for a procedure do not count.
Other notes are reported as not applicable and get no D/Q findings.";

pub fn rules(args: RulesArgs) -> Result<i32> {
    let mut out = io::stdout().lock();
    if args.format == OutputFormat::Json || args.format == OutputFormat::Jsonl {
        let list: Vec<_> = RULES
            .iter()
            .map(|r| serde_json::json!({"code": r.code, "name": r.name, "severity": r.severity.as_str(), "summary": r.summary}))
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(EXIT_CLEAN);
    }
    for r in RULES {
        writeln!(out, "{:<5} {:<34} {:<8} {}", r.code, r.name, r.severity.as_str(), r.summary)?;
    }
    writeln!(out, "\n{APPLICABILITY}")?;
    Ok(EXIT_CLEAN)
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
}

pub fn rule(args: RuleArgs) -> Result<i32> {
    let mut out = io::stdout().lock();
    let Some(r) = rules::rule(&args.code) else {
        writeln!(io::stderr(), "notelint: no rule `{}` (see `notelint rules`)", args.code)?;
        return Ok(EXIT_TROUBLE);
    };
    writeln!(out, "{} {} (default severity: {})\n", r.code, r.name, r.severity.as_str())?;
    writeln!(out, "{}\n", r.summary)?;
    for (heading, body) in r.doc.sections() {
        writeln!(out, "{heading}\n{}\n", indent(body))?;
    }
    writeln!(out, "{APPLICABILITY}")?;
    Ok(EXIT_CLEAN)
}
