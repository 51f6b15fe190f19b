//! Q205 encounter-only-diagnosis: the diagnosis names only the encounter.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static Q205: Rule = Rule {
    code: "Q205",
    name: "encounter-only-diagnosis",
    severity: Severity::Warning,
    summary: "the only diagnosis is the encounter itself (\"encounter for injection\", a bare Z-code)",
    doc: RuleDoc {
        what: "Fires when every diagnosis in the note names only the encounter: \"encounter for injection\", an injection as the diagnosis (\"Dx: B12 injection\"), or an encounter Z-code such as Z23, Z79.899, Z51.89 or Z76.0, with no underlying condition. The list of such codes and phrases is in lexicons/rationale.yaml.",
        why: "An encounter code says that an injection happened; coverage depends on the condition treated, so a claim supported only by an encounter code does not show medical necessity.",
        fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid, ordered by Dr. Patel. Dx: Z79.899. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid, ordered by Dr. Patel. Dx: Z79.899, pernicious anemia D51.0. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "add the condition being treated and its code (\"pernicious anemia, D51.0\")",
    },
    check: |ctx| {
        let dx = &ctx.extraction.diagnoses;
        if dx.is_empty() || dx.iter().any(|d| !d.encounter_only) {
            return Vec::new();
        }
        let d = &dx[0];
        vec![Emit {
            message: format!("the only diagnosis is encounter-only (\"{}\")", &ctx.note.text[d.span.clone()]).into(),
            span: Some(d.span.clone()),
            help: Some(Q205.doc.fix.into()),
        }]
    },
};
