//! C312 missing-waste-modifier: single-dose drugs need JW or JZ.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::billing;
use crate::diagnostic::Severity;

pub static C312: Rule = Rule {
    code: "C312",
    name: "missing-waste-modifier",
    severity: Severity::Warning,
    summary: "a single-dose drug is billed without JW (with the discarded amount documented) or JZ",
    doc: RuleDoc {
        what: "Fires when a billed drug code belongs to a product supplied in single-dose containers (single_dose in lexicons/drugs.yaml) and none of that code's lines carries JZ (nothing discarded) or JW (amount discarded). A JW line also needs the discarded amount documented in the note (\"0.5 mL wasted\").",
        why: "Since July 2023 Medicare requires JW or JZ on every single-dose container drug, and claims without them are returned; JW is paid only when the note documents the discarded amount.",
        fail: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J0696, units: 2}\n---\n01/05/2026 10:42. Ceftriaxone 500 mg IM in the right ventrogluteal for gonorrhea (A54.00), ordered by Dr. Patel. Verbal consent obtained. Lot RX88213 exp 06/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J0696, modifiers: [JZ], units: 2}\n---\n01/05/2026 10:42. Ceftriaxone 500 mg IM in the right ventrogluteal for gonorrhea (A54.00), ordered by Dr. Patel. Verbal consent obtained. Lot RX88213 exp 06/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "add JZ when nothing was discarded, or a JW line with the discarded amount documented",
    },
    check: |ctx| {
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for line in ctx.note.charges.iter().filter(|c| billing::is_drug_code(&c.code)) {
            let code = line.code.trim();
            if seen.contains(&code) {
                continue;
            }
            seen.push(code);
            let Some((drug, _)) = ctx.lexicon.drug_by_code(code) else { continue };
            if !ctx.lexicon.drug(drug).single_dose {
                continue;
            }
            let lines = || ctx.note.charges.iter().filter(|c| c.code.trim() == code);
            let jz = lines().any(|c| Claim::has_modifier(c, "JZ"));
            let jw = lines().any(|c| Claim::has_modifier(c, "JW"));
            let message = if jz {
                continue;
            } else if jw && !ctx.extraction.waste_documented {
                format!("{code} is billed with JW but the note does not document the discarded amount")
            } else if jw {
                continue;
            } else {
                format!("{code} is a single-dose product billed without JW or JZ")
            };
            out.push(Emit { message: message.into(), span: None, help: Some(C312.doc.fix.into()) });
        }
        out
    },
};
