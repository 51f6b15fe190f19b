//! Q202 dose-without-unit: a dose written as a bare number.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::element::Element;

pub static Q202: Rule = Rule {
    code: "Q202",
    name: "dose-without-unit",
    severity: Severity::Error,
    summary: "the dose is a number without a unit (\"Kenalog 40 IM\")",
    doc: RuleDoc {
        what: "Fires when a number stands where the dose belongs (right after the drug name, or as the whole value of a Dose field) with no unit, and no dose with a unit is documented elsewhere. It replaces D102 for such notes.",
        why: "\"Kenalog 40\" may mean 40 mg or 40 mg/mL of an unknown volume; billed units are computed from the dose, so a unitless dose cannot support them and invites a tenfold error.",
        fail: "01/05/2026 10:42. Kenalog 40 given IM in the right ventrogluteal for knee osteoarthritis (M17.11), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Kenalog 40 mg given IM in the right ventrogluteal for knee osteoarthritis (M17.11), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "write the unit with the amount (\"40 mg\", \"1 mL of 40 mg/mL\")",
    },
    check: |ctx| {
        let x = ctx.extraction;
        if x.has(Element::Dose) {
            return Vec::new();
        }
        let Some(span) = x.bare_doses.first() else { return Vec::new() };
        let number = &ctx.note.text[span.clone()];
        vec![Emit {
            message: format!("dose \"{number}\" has no unit").into(),
            span: Some(span.clone()),
            help: Some(Q202.doc.fix.into()),
        }]
    },
};
