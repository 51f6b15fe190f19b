//! Q201 generic-necessity: the only rationale is boilerplate.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::element::Element;

pub static Q201: Rule = Rule {
    code: "Q201",
    name: "generic-necessity",
    severity: Severity::Error,
    summary: "the only stated reason is boilerplate (\"per protocol\", \"as ordered\", \"routine\")",
    doc: RuleDoc {
        what: "Fires when the note gives a rationale but it is only boilerplate: \"as ordered\", \"per protocol\", \"standing order\", \"routine injection\", \"monthly shot\", \"maintenance\", \"patient request\", or a Reason field saying \"injection given\"; and no real reason (a condition, symptom or code) is documented anywhere in the note. It replaces D107 for such notes.",
        why: "Boilerplate says that an injection happened, not why this patient needed it today; reviewers treat it as missing medical necessity, and identical boilerplate across visits also reads as cloned documentation.",
        fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid per protocol. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8) per protocol. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "replace the boilerplate with the clinical reason (\"for pernicious anemia, B12 level 150 pg/mL\")",
    },
    check: |ctx| {
        let x = ctx.extraction;
        if x.has(Element::MedicalNecessity) {
            return Vec::new();
        }
        let Some(span) = x.boilerplate.first() else { return Vec::new() };
        let phrase = &ctx.note.text[span.clone()];
        vec![Emit {
            message: format!("the only rationale is boilerplate (\"{phrase}\")").into(),
            span: Some(span.clone()),
            help: Some(Q201.doc.fix.into()),
        }]
    },
};
