//! Rules: one documented unit per code, and the registry that maps codes to
//! rules.
//!
//! A rule reads an [`Extraction`] and says what is wrong; it knows nothing
//! of inputs or output formats. Each rule's documentation sits beside it and
//! is what `notelint rule CODE` prints; its failing and passing examples are
//! run as tests.

mod c301_route_not_96372;
mod c302_vaccine_not_96372;
mod c303_chemotherapy_not_96372;
mod c304_missing_drug_code;
mod c305_drug_units_mismatch;
mod c306_multiple_injections_without_sites;
mod c307_mixed_syringe_multiple_units;
mod c308_modifier_25_unsupported;
mod c309_em_99211_with_injection;
mod c310_modifier_59_unsupported;
mod c311_deleted_drug_code;
mod c312_missing_waste_modifier;
mod c313_allergen_immunotherapy_not_96372;
mod claim;
pub mod f401_copy_forward_note;
mod missing;
mod q201_generic_necessity;
mod q202_dose_without_unit;
mod q203_site_without_laterality;
mod q204_do_not_use_abbreviation;
mod q205_encounter_only_diagnosis;
mod q206_route_contraindicated;

use crate::diagnostic::{Finding, Severity};
use crate::extract::Extraction;
use crate::lexicon::Lexicon;
use crate::note::Note;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// The documentation of a rule, as `notelint rule CODE` shows it.
#[derive(Debug)]
pub struct RuleDoc {
    /// What the rule checks.
    pub what: &'static str,
    /// Why an auditor cares.
    pub why: &'static str,
    /// A note that fails.
    pub fail: &'static str,
    /// The same note, fixed.
    pub pass: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

impl RuleDoc {
    /// The sections with their headings, in the order `notelint rule CODE`
    /// prints them.
    pub fn sections(&self) -> [(&'static str, &'static str); 5] {
        [
            ("What it checks", self.what),
            ("Why an auditor cares", self.why),
            ("Fails", self.fail),
            ("Passes", self.pass),
            ("How to fix", self.fix),
        ]
    }
}

/// What a rule emits before the registry stamps it with code and severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Emit {
    pub message: Cow<'static, str>,
    pub span: Option<Range<usize>>,
    pub help: Option<Cow<'static, str>>,
}

/// Everything a rule may look at for one note.
pub struct RuleContext<'a> {
    pub note: &'a Note,
    pub extraction: &'a Extraction,
    pub lexicon: &'a Lexicon,
    pub selection: &'a Selection,
    /// [`severities`] of `selection`.
    pub severities: &'a [Option<Severity>],
}

impl RuleContext<'_> {
    /// Is the rule with this code going to report? (A D rule stands back
    /// when the matching Q rule says more precisely what is wrong.)
    pub fn enabled(&self, code: &str) -> bool {
        RULES.iter().position(|r| r.code == code).is_some_and(|i| self.severities[i].is_some())
    }
}

/// One rule.
#[derive(Debug)]
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: RuleDoc,
    pub check: fn(&RuleContext) -> Vec<Emit>,
}

impl Rule {
    /// The rule's family, as SPEC "Rule codes" groups them: `documentation`
    /// (D), `quality` (Q), `coding` (C) or `copy-forward` (F).
    pub fn family(&self) -> &'static str {
        match self.code.as_bytes().first() {
            Some(b'D') => "documentation",
            Some(b'Q') => "quality",
            Some(b'C') => "coding",
            _ => "copy-forward",
        }
    }
}

/// Every rule, in code order.
pub static RULES: &[&Rule] = &[
    &missing::D101,
    &missing::D102,
    &missing::D103,
    &missing::D104,
    &missing::D105,
    &missing::D106,
    &missing::D107,
    &missing::D108,
    &missing::D109,
    &missing::D110,
    &missing::D111,
    &missing::D112,
    &q201_generic_necessity::Q201,
    &q202_dose_without_unit::Q202,
    &q203_site_without_laterality::Q203,
    &q204_do_not_use_abbreviation::Q204,
    &q205_encounter_only_diagnosis::Q205,
    &q206_route_contraindicated::Q206,
    &c301_route_not_96372::C301,
    &c302_vaccine_not_96372::C302,
    &c303_chemotherapy_not_96372::C303,
    &c304_missing_drug_code::C304,
    &c305_drug_units_mismatch::C305,
    &c306_multiple_injections_without_sites::C306,
    &c307_mixed_syringe_multiple_units::C307,
    &c308_modifier_25_unsupported::C308,
    &c309_em_99211_with_injection::C309,
    &c310_modifier_59_unsupported::C310,
    &c311_deleted_drug_code::C311,
    &c312_missing_waste_modifier::C312,
    &c313_allergen_immunotherapy_not_96372::C313,
    &f401_copy_forward_note::F401,
    &f401_copy_forward_note::F402,
    &f401_copy_forward_note::F403,
];

/// The rule with this code (case-insensitive).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// Which rules run and at what severity: `--select`/`--ignore` by code or
/// prefix, and per-code severity overrides (`None` turns a rule off).
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: HashMap<String, Option<Severity>>,
}

fn matches_prefix(code: &str, patterns: &[String]) -> Option<usize> {
    patterns
        .iter()
        .filter(|p| p.eq_ignore_ascii_case("ALL") || code.to_ascii_uppercase().starts_with(&p.to_ascii_uppercase()))
        .map(|p| if p.eq_ignore_ascii_case("ALL") { 0 } else { p.len() })
        .max()
}

impl Selection {
    /// The severity a rule reports at, or `None` when it does not run. The
    /// more specific of a matching select and ignore wins, as in ruff.
    pub fn severity_of(&self, code: &str) -> Option<Severity> {
        let rule = rule(code)?;
        let selected = if self.select.is_empty() { Some(0) } else { matches_prefix(code, &self.select) };
        let ignored = matches_prefix(code, &self.ignore);
        match (selected, ignored) {
            (None, _) => return None,
            (Some(s), Some(i)) if i >= s => return None,
            _ => {}
        }
        match self.severity.get(&code.to_ascii_uppercase()) {
            Some(over) => *over,
            None => Some(rule.severity),
        }
    }

    /// Check that every code or prefix names at least one rule.
    pub fn validate(&self) -> Result<(), String> {
        for p in self.select.iter().chain(&self.ignore).chain(self.severity.keys()) {
            if !p.eq_ignore_ascii_case("ALL") && !RULES.iter().any(|r| r.code.starts_with(&p.to_ascii_uppercase())) {
                return Err(format!("`{p}` matches no rule code (see `notelint rules`)"));
            }
        }
        Ok(())
    }
}

/// The severity of every rule in [`RULES`] order under a selection
/// (`None`: the rule does not run). Computed once per linter.
pub fn severities(selection: &Selection) -> Vec<Option<Severity>> {
    RULES.iter().map(|r| selection.severity_of(r.code)).collect()
}

/// Run every selected rule on one applicable note.
pub fn check(ctx: &RuleContext, severities: &[Option<Severity>]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (r, severity) in RULES.iter().zip(severities) {
        let Some(severity) = *severity else { continue };
        for e in (r.check)(ctx) {
            out.push(Finding {
                code: r.code,
                name: r.name,
                severity,
                message: e.message,
                span: e.span,
                related_note_id: None,
                similarity: None,
                help: e.help,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{read, Format, ReadOptions, Record};
    use crate::{Linter, Note};

    #[test]
    fn every_rule_is_documented_and_unique() {
        let mut codes: Vec<_> = RULES.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        for r in RULES {
            assert!(r.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{}", r.name);
            for (heading, s) in r.doc.sections() {
                assert!(!s.trim().is_empty(), "{} lacks {heading}", r.code);
            }
        }
    }

    /// An example note; one with `---` front matter carries its charges.
    fn example(text: &str) -> Note {
        let format = if text.starts_with("---") { Format::Markdown } else { Format::Text };
        match read("example.md", format, text.as_bytes(), &ReadOptions::default()).pop() {
            Some(Record::Note(n)) => n,
            other => panic!("example does not read as a note: {other:?}"),
        }
    }

    /// The documented examples are tests: the failing note fires the rule,
    /// the passing note does not.
    #[test]
    fn documented_examples_fail_and_pass() {
        let linter = Linter::default();
        for r in RULES {
            if r.code.starts_with('F') {
                // Two visits: the earlier one is history (F403: another patient).
                for (text, fires) in [(r.doc.fail, true), (r.doc.pass, false)] {
                    let (before, after) = text.split_once(f401_copy_forward_note::NEXT_VISIT).expect("two visits");
                    let mut earlier = Note::plain("earlier", before);
                    earlier.patient_id = Some("p1".into());
                    earlier.date = Some("2026-01-05".into());
                    let mut note = Note::plain("note", after);
                    note.patient_id = Some(if r.code == "F403" { "p2" } else { "p1" }.into());
                    note.date = Some("2026-02-09".into());
                    let report = linter.lint(&note, &[earlier]);
                    let fired = report
                        .findings
                        .iter()
                        .any(|f| f.code == r.code && f.related_note_id.as_deref() == Some("earlier"));
                    assert_eq!(fired, fires, "{}: {:?}", r.code, report.findings);
                }
                continue;
            }
            let fail = linter.lint(&example(r.doc.fail), &[]);
            assert!(fail.applicable, "{}: failing example is not an injection note", r.code);
            assert!(
                fail.findings.iter().any(|f| f.code == r.code),
                "{}: failing example does not fire: {:?}",
                r.code,
                fail.findings
            );
            let pass = linter.lint(&example(r.doc.pass), &[]);
            assert!(pass.applicable, "{}: passing example is not an injection note", r.code);
            assert!(
                !pass.findings.iter().any(|f| f.code == r.code),
                "{}: passing example fires: {:?}",
                r.code,
                pass.findings
            );
        }
    }

    #[test]
    fn select_and_ignore_by_prefix() {
        let s = Selection { select: vec!["Q2".into()], ignore: vec!["Q204".into()], ..Default::default() };
        assert_eq!(s.severity_of("Q201"), Some(Severity::Error));
        assert_eq!(s.severity_of("Q204"), None);
        assert_eq!(s.severity_of("D101"), None);
        let s = Selection { ignore: vec!["D1".into()], select: vec!["D110".into()], ..Default::default() };
        assert_eq!(s.severity_of("D110"), Some(Severity::Info));
        assert_eq!(s.severity_of("D101"), None);
        let mut s = Selection::default();
        s.severity.insert("D112".into(), Some(Severity::Error));
        s.severity.insert("D110".into(), None);
        assert_eq!(s.severity_of("D112"), Some(Severity::Error));
        assert_eq!(s.severity_of("D110"), None);
        assert!(Selection { select: vec!["X9".into()], ..Default::default() }.validate().is_err());
    }
}
