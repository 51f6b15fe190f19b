//! C306 multiple-injections-without-sites.

use super::claim::{distinct_sites, Claim};
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static C306: Rule = Rule {
    code: "C306",
    name: "multiple-injections-without-sites",
    severity: Severity::Error,
    summary: "96372 is billed more than once but the note does not give each injection its own site",
    doc: RuleDoc {
        what: "Fires when the charges bill two or more units (or lines) of 96372 and the note documents fewer distinct injection sites (site and side) than units. Needs charges.",
        why: "Each unit of 96372 is a separate injection; an auditor accepts more than one only when each has its own documented site (and drug).",
        fail: "---\ncharges:\n  - {code: \"96372\", units: 2}\n---\n01/05/2026 10:42. Ketorolac 60 mg and promethazine 25 mg given IM in the right ventrogluteal for migraine (G43.909), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 2}\n---\n01/05/2026 10:42. Ketorolac 60 mg given IM in the right ventrogluteal and promethazine 25 mg IM in the left ventrogluteal for migraine (G43.909), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "document the site of each injection, or bill one unit",
    },
    check: |ctx| {
        let units = Claim::new(&ctx.note.charges).units_96372();
        let sites = distinct_sites(ctx.extraction);
        if units >= 2.0 && (sites as f64) < units {
            vec![Emit {
                message: format!("96372 is billed {units} times but {sites} distinct site(s) are documented").into(),
                span: None,
                help: Some(C306.doc.fix.into()),
            }]
        } else {
            Vec::new()
        }
    },
};
