//! C305 drug-units-mismatch: billed units differ from dose / billing unit.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::billing::{self, describe, expected_units, format_amount, quantity};
use crate::diagnostic::Severity;

pub static C305: Rule = Rule {
    code: "C305",
    name: "drug-units-mismatch",
    severity: Severity::Error,
    summary: "billed HCPCS units differ from the documented dose divided by the code's billing unit",
    doc: RuleDoc {
        what: "For each billed drug code that notelint knows (lexicons/drugs.yaml carries each code's billing unit), divides the documented dose of that drug by the billing unit, rounds up to a whole unit, and fires when the billed units differ. The message shows the dose, the billing unit, and the expected and billed units. Lines with modifier JW (the discarded amount) are not compared with the dose given.",
        why: "Drugs must be billed in multiples of the HCPCS descriptor's amount, rounded up when the dose falls between units; excessive or insufficient drug units are a standing CMS recovery-audit issue.",
        fail: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J1885, modifiers: [JZ], units: 1}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J1885, modifiers: [JZ], units: 4}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "bill the units the dose supports: dose / billing unit, rounded up",
    },
    check: |ctx| {
        let x = ctx.extraction;
        let mut out = Vec::new();
        for line in ctx.note.charges.iter().filter(|c| billing::is_drug_code(&c.code) && !Claim::has_modifier(c, "JW")) {
            let Some((drug, code)) = ctx.lexicon.drug_by_code(&line.code) else { continue };
            let Some(unit) = &code.billing_unit else { continue };
            let Some(mention) = x.drugs.iter().find(|d| d.drug == Some(drug)) else { continue };
            let Some(dose) = mention.dose.map(|i| &x.doses[i]) else { continue };
            let Some(expected) = quantity(dose.amount, dose.unit).and_then(|q| expected_units(q, unit)) else { continue };
            if (line.units - expected as f64).abs() > 1e-6 {
                out.push(Emit {
                    message: format!(
                        "{} billed {} unit(s), but {} {} at {} is {} unit(s)",
                        code.code,
                        format_amount(line.units),
                        format_amount(dose.amount),
                        dose.unit,
                        describe(unit),
                        expected
                    ).into(),
                    span: Some(dose.span.clone()),
                    help: Some(format!("bill {expected} unit(s) of {}", code.code).into()),
                });
            }
        }
        out
    },
};
