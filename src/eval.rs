//! Scoring against gold labels: precision, recall and F1 for applicability,
//! for each element and for each rule code, with micro-averaged totals.
//!
//! Gold labels are JSON Lines (`corpus/README.md` documents the format):
//! `{"note_id", "applicable", "elements": [...], "findings": [...]}`.
//! Elements are scored on gold-applicable notes; rule codes on every note
//! (a note that is not applicable expects no finding).

use crate::element::Element;
use crate::lint::NoteReport;
use crate::rules::RULES;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Gold labels of one note.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Gold {
    pub note_id: String,
    pub applicable: bool,
    pub elements: Vec<String>,
    pub findings: Vec<String>,
    /// For F401: the earlier note it repeats.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub related: BTreeMap<String, String>,
}

/// Parse a gold file; errors name the line.
pub fn parse_gold(origin: &str, text: &str) -> Result<Vec<Gold>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: Gold = serde_json::from_str(line).map_err(|e| format!("{origin}:{}: {e}", i + 1))?;
        for e in &g.elements {
            if Element::from_name(e).is_none() {
                return Err(format!("{origin}:{}: unknown element `{e}`", i + 1));
            }
        }
        out.push(g);
    }
    Ok(out)
}

/// True / false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
}

impl Counts {
    fn add(&mut self, gold: bool, predicted: bool) {
        match (gold, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => {}
        }
    }

    fn merge(&mut self, o: Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }

    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// One disagreement with the gold labels, for `eval --verbose`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Mismatch {
    pub note_id: String,
    /// `applicable`, an element name or a rule code.
    pub what: String,
    /// `false-positive` or `false-negative`.
    pub kind: &'static str,
}

/// The scores of one run.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Scores {
    pub notes: usize,
    pub applicability: Counts,
    pub elements: BTreeMap<String, Counts>,
    pub rules: BTreeMap<String, Counts>,
    pub elements_micro: Counts,
    pub rules_micro: Counts,
    /// F401 found on notes that have it in gold: how many name the right
    /// earlier note.
    pub related_right: usize,
    pub related_checked: usize,
    /// Notes with gold labels that were not found in the input.
    pub missing: Vec<String>,
    /// Notes linted that have no gold labels.
    pub unlabelled: Vec<String>,
    pub mismatches: Vec<Mismatch>,
}

/// Score reports against gold labels.
pub fn score(gold: &[Gold], reports: &[NoteReport]) -> Scores {
    let by_id: HashMap<&str, &NoteReport> = reports.iter().map(|r| (r.note_id.as_str(), r)).collect();
    let gold_ids: HashMap<&str, ()> = gold.iter().map(|g| (g.note_id.as_str(), ())).collect();
    let mut s = Scores::default();
    for e in Element::ALL {
        s.elements.insert(e.name().to_string(), Counts::default());
    }
    for r in RULES {
        s.rules.insert(r.code.to_string(), Counts::default());
    }
    let mismatch = |s: &mut Scores, id: &str, what: &str, gold: bool, pred: bool| {
        if gold != pred {
            s.mismatches.push(Mismatch {
                note_id: id.to_string(),
                what: what.to_string(),
                kind: if pred { "false-positive" } else { "false-negative" },
            });
        }
    };
    for g in gold {
        let Some(r) = by_id.get(g.note_id.as_str()) else {
            s.missing.push(g.note_id.clone());
            continue;
        };
        s.notes += 1;
        s.applicability.add(g.applicable, r.applicable);
        mismatch(&mut s, &g.note_id, "applicable", g.applicable, r.applicable);
        if g.applicable {
            for e in Element::ALL {
                let gold_has = g.elements.iter().any(|x| x == e.name());
                let pred = r.element(e).is_some();
                s.elements.get_mut(e.name()).expect("every element").add(gold_has, pred);
                mismatch(&mut s, &g.note_id, e.name(), gold_has, pred);
            }
        }
        if let (Some(want), Some(got)) = (
            g.related.get("F401"),
            r.findings.iter().find(|f| f.code == "F401").and_then(|f| f.related_note_id.as_ref()),
        ) {
            s.related_checked += 1;
            if want == got {
                s.related_right += 1;
            }
        }
        for rule in RULES {
            let gold_has = g.findings.iter().any(|c| c == rule.code);
            let pred = r.findings.iter().any(|f| f.code == rule.code);
            s.rules.get_mut(rule.code).expect("every rule").add(gold_has, pred);
            mismatch(&mut s, &g.note_id, rule.code, gold_has, pred);
        }
    }
    s.unlabelled =
        reports.iter().filter(|r| !gold_ids.contains_key(r.note_id.as_str())).map(|r| r.note_id.to_string()).collect();
    for c in s.elements.values() {
        s.elements_micro.merge(*c);
    }
    for c in s.rules.values() {
        s.rules_micro.merge(*c);
    }
    s
}

impl Scores {
    /// A plain-text table.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "  {name:<26} {:>5} {:>5} {:>5}   {:>6.3} {:>6.3} {:>6.3}",
                c.tp,
                c.fp,
                c.fn_,
                c.precision(),
                c.recall(),
                c.f1()
            );
        };
        let header =
            format!("  {:<26} {:>5} {:>5} {:>5}   {:>6} {:>6} {:>6}", "", "tp", "fp", "fn", "prec", "recall", "f1");
        let _ = writeln!(out, "Scored {} note(s) against gold labels.\n", self.notes);
        let _ = writeln!(out, "{header}");
        row(&mut out, "applicability", &self.applicability);
        let _ = writeln!(out, "\nElements (on gold-applicable notes)");
        let _ = writeln!(out, "{header}");
        for (name, c) in &self.elements {
            row(&mut out, name, c);
        }
        row(&mut out, "micro-average", &self.elements_micro);
        let _ = writeln!(out, "\nRules (per note)");
        let _ = writeln!(out, "{header}");
        for (code, c) in &self.rules {
            let name = crate::rules::rule(code).map_or("", |r| r.name);
            row(&mut out, &format!("{code} {name}"), c);
        }
        row(&mut out, "micro-average", &self.rules_micro);
        if self.related_checked > 0 {
            let _ = writeln!(
                out,
                "\nF401 related_note_id right: {} of {} ({:.1}%)",
                self.related_right,
                self.related_checked,
                100.0 * self.related_right as f64 / self.related_checked as f64
            );
        }
        if !self.missing.is_empty() {
            let _ = writeln!(
                out,
                "\n{} gold note(s) not found in the input: {}",
                self.missing.len(),
                self.missing.join(", ")
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Linter, Note};

    #[test]
    fn counts_and_scores() {
        let c = Counts { tp: 8, fp: 2, fn_: 0 };
        assert!((c.precision() - 0.8).abs() < 1e-9);
        assert!((c.recall() - 1.0).abs() < 1e-9);
        assert!((c.f1() - 2.0 * 0.8 / 1.8).abs() < 1e-9);
        let linter = Linter::default();
        let r = linter.lint(&Note::plain("n1", "Toradol 60 mg IM given in the right deltoid."), &[]);
        let gold = vec![Gold {
            note_id: "n1".into(),
            applicable: true,
            elements: vec!["medication".into(), "dose".into(), "route".into(), "site".into(), "lot".into()],
            findings: vec!["D105".into()],
            related: BTreeMap::new(),
        }];
        let s = score(&gold, &[r]);
        assert_eq!(s.elements["medication"], Counts { tp: 1, fp: 0, fn_: 0 });
        assert_eq!(s.elements["lot"], Counts { tp: 0, fp: 0, fn_: 1 });
        assert_eq!(s.rules["D105"].tp, 1);
        assert!(s.rules["D106"].fp == 1);
        assert!(s.mismatches.iter().any(|m| m.what == "lot" && m.kind == "false-negative"));
    }

    #[test]
    fn gold_errors_name_the_line() {
        let e =
            parse_gold("g.jsonl", "{\"note_id\":\"a\",\"applicable\":true,\"elements\":[\"sight\"],\"findings\":[]}\n")
                .unwrap_err();
        assert!(e.starts_with("g.jsonl:1"), "{e}");
    }
}
