//! Q203 site-without-laterality: a two-sided site without its side.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static Q203: Rule = Rule {
    code: "Q203",
    name: "site-without-laterality",
    severity: Severity::Warning,
    summary: "the site has two sides but the note does not say which (\"deltoid\")",
    doc: RuleDoc {
        what: "Fires when the injection site is one that exists on both sides of the body (deltoid, gluteal, ventrogluteal, dorsogluteal, vastus lateralis, thigh, arm, hip, knee, shoulder) and no mention of that site in the note gives a side (left, right, L, R, bilateral). The abdomen needs no side.",
        why: "Without the side, a reaction cannot be traced to an injection, sites cannot be rotated, and two injections billed separately cannot be shown to be at distinct sites.",
        fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "add the side (\"left deltoid\", \"R ventrogluteal\")",
    },
    check: |ctx| {
        let sites = &ctx.extraction.sites;
        let unsided = sites.iter().find(|s| s.sided && s.side.is_none() && !sites.iter().any(|o| o.site == s.site && o.side.is_some()));
        match unsided {
            Some(s) => vec![Emit {
                message: format!("site \"{}\" has no side", s.site).into(),
                span: Some(s.span.clone()),
                help: Some(Q203.doc.fix.into()),
            }],
            None => Vec::new(),
        }
    },
};
