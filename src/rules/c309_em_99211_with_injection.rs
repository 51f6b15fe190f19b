//! C309 em-99211-with-injection.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static C309: Rule = Rule {
    code: "C309",
    name: "em-99211-with-injection",
    severity: Severity::Error,
    summary: "99211 is billed on the same claim as 96372",
    doc: RuleDoc {
        what: "Fires when the charges bill 99211 (with or without modifier 25) together with 96372.",
        why: "CMS does not pay 99211 billed with an injection or infusion code: the nurse visit is part of the injection service.",
        fail: "---\ncharges:\n  - {code: \"99211\", units: 1}\n  - {code: \"96372\", units: 1}\n  - {code: J3420, units: 1}\n---\n01/05/2026 10:42. Cyanocobalamin 1000 mcg IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J3420, units: 1}\n---\n01/05/2026 10:42. Cyanocobalamin 1000 mcg IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "remove 99211; bill 96372 and the drug",
    },
    check: |ctx| {
        let claim = Claim::new(&ctx.note.charges);
        if claim.bills_96372() && claim.bills(|c| c.trim() == "99211") {
            vec![Emit { message: "99211 is billed with 96372".into(), span: None, help: Some(C309.doc.fix.into()) }]
        } else {
            Vec::new()
        }
    },
};
