//! C310 modifier-59-unsupported.

use super::claim::{distinct_sites, Claim};
use super::{Emit, Rule, RuleDoc};
use crate::billing;
use crate::diagnostic::Severity;

pub static C310: Rule = Rule {
    code: "C310",
    name: "modifier-59-unsupported",
    severity: Severity::Warning,
    summary: "96372 carries 59/XS/XU/XE/XP but no distinct site or purpose is documented",
    doc: RuleDoc {
        what: "Fires when a 96372 line carries modifier 59, XS, XU, XE or XP and the note documents fewer than two distinct injection sites.",
        why: "Modifier 59 and the X modifiers bypass NCCI edits only when the documentation shows a distinct procedural service: a different site, a separate encounter or a different purpose. An auditor looks for it in the note.",
        fail: "---\ncharges:\n  - {code: \"96372\", modifiers: [\"59\"], units: 1}\n  - {code: J1885, units: 4}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", modifiers: [XS], units: 2}\n  - {code: J1885, units: 4}\n  - {code: J2550, units: 1}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal and promethazine 25 mg IM in the left ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "document the distinct site or purpose, or remove the modifier",
    },
    check: |ctx| {
        let line = ctx.note.charges.iter().find(|c| {
            billing::is_96372(&c.code) && ["59", "XS", "XU", "XE", "XP"].iter().any(|m| Claim::has_modifier(c, m))
        });
        let sites = distinct_sites(ctx.extraction);
        match line {
            Some(c) if sites < 2 => vec![Emit {
                message: format!(
                    "96372-{} needs a distinct site or purpose; {sites} site(s) documented",
                    c.modifiers.join("-")
                ).into(),
                span: None,
                help: Some(C310.doc.fix.into()),
            }],
            _ => Vec::new(),
        }
    },
};
