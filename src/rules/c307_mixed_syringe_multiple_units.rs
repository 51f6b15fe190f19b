//! C307 mixed-syringe-multiple-units.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static C307: Rule = Rule {
    code: "C307",
    name: "mixed-syringe-multiple-units",
    severity: Severity::Error,
    summary: "drugs mixed in one syringe are billed as more than one unit of 96372",
    doc: RuleDoc {
        what: "Fires when the charges bill two or more units of 96372 and the note says the drugs were mixed in one syringe (\"mixed in the same syringe\", \"drawn up together\"). Needs charges.",
        why: "Drugs mixed and given in one syringe are one injection, so one unit of 96372, whatever the number of drug codes billed.",
        fail: "---\ncharges:\n  - {code: \"96372\", units: 2}\n---\n01/05/2026 10:42. Ketorolac 60 mg and promethazine 25 mg mixed in one syringe, given IM in the right ventrogluteal for migraine (G43.909), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 1}\n---\n01/05/2026 10:42. Ketorolac 60 mg and promethazine 25 mg mixed in one syringe, given IM in the right ventrogluteal for migraine (G43.909), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "bill one unit of 96372 for one injection (each drug keeps its own drug code)",
    },
    check: |ctx| {
        let units = Claim::new(&ctx.note.charges).units_96372();
        if units >= 2.0 && ctx.extraction.mixed_syringe {
            vec![Emit {
                message: format!("drugs mixed in one syringe are one injection, but 96372 is billed {units} times").into(),
                span: None,
                help: Some(C307.doc.fix.into()),
            }]
        } else {
            Vec::new()
        }
    },
};
