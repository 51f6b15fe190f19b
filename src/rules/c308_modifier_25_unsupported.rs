//! C308 modifier-25-unsupported.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::billing;
use crate::diagnostic::Severity;

pub static C308: Rule = Rule {
    code: "C308",
    name: "modifier-25-unsupported",
    severity: Severity::Error,
    summary: "an E/M with modifier 25 is billed with 96372 but no separate evaluation is documented",
    doc: RuleDoc {
        what: "Fires when an office E/M code (99202-99215, other than 99211) carries modifier 25 on a claim with 96372 and the note does not document a separately identifiable evaluation: medical decision-making (an assessment or plan beyond the injection) together with a history of a problem or an examination. A nurse-only injection visit fails.",
        why: "Medicare pays an E/M on the day of a drug administration only when it is significant and separately identifiable, with modifier 25 on the E/M; modifier 25 is not for the nursing care, assessment or monitoring that are part of the injection.",
        fail: "---\ncharges:\n  - {code: \"99213\", modifiers: [\"25\"], units: 1}\n  - {code: \"96372\", units: 1}\n  - {code: J3420, units: 1}\n---\n01/05/2026 10:42. Nurse visit. Cyanocobalamin 1000 mcg IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"99213\", modifiers: [\"25\"], units: 1}\n  - {code: \"96372\", units: 1}\n  - {code: J3420, units: 1}\n---\n01/05/2026 10:42. Pt c/o cough and fever for 3 days. Exam: crackles at the right base, afebrile today. Assessment: community acquired pneumonia (J18.9); plan: amoxicillin prescribed, chest x-ray ordered. Cyanocobalamin 1000 mcg IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "document the separate evaluation (history, exam, decision-making) or do not bill the E/M",
    },
    check: |ctx| {
        let claim = Claim::new(&ctx.note.charges);
        if !claim.bills_96372() || ctx.extraction.evaluation.separately_identifiable() {
            return Vec::new();
        }
        let line = ctx.note.charges.iter().find(|c| billing::is_em(&c.code) && c.code.trim() != "99211" && Claim::has_modifier(c, "25"));
        match line {
            Some(c) => vec![Emit {
                message: format!("{}-25 is billed with 96372 but no separately identifiable evaluation is documented", c.code.trim()).into(),
                span: None,
                help: Some(C308.doc.fix.into()),
            }],
            None => Vec::new(),
        }
    },
};
