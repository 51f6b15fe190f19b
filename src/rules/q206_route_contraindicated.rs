//! Q206 route-contraindicated: a route the product's label forbids.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::lexicon::Route;

pub static Q206: Rule = Rule {
    code: "Q206",
    name: "route-contraindicated",
    severity: Severity::Error,
    summary: "the documented route is one the product's label contraindicates (promethazine SC)",
    doc: RuleDoc {
        what: "Fires when a drug is documented with a route listed under contraindicated_routes in lexicons/drugs.yaml for that drug: promethazine subcutaneously or intra-arterially, hydroxyzine SC or IV, penicillin G benzathine IV, triamcinolone (Kenalog) IV, enoxaparin IM, Sublocade IV. The route must belong to that drug (same sentence, or the note's only route). Add more pairs in your lexicon.",
        why: "Promethazine's boxed warning says subcutaneous injection is contraindicated (severe tissue injury, gangrene); giving a product by a contraindicated route is a patient-safety event before it is a billing problem.",
        fail: "01/05/2026 10:42. Promethazine 25 mg SC in the right thigh for nausea with vomiting (R11.2), ordered by Dr. Patel. Verbal consent obtained. Lot PZ1204 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Promethazine 25 mg deep IM in the right ventrogluteal for nausea with vomiting (R11.2), ordered by Dr. Patel. Verbal consent obtained. Lot PZ1204 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "check the patient; document the route actually used; never give the product by that route",
    },
    check: |ctx| {
        let x = ctx.extraction;
        for d in &x.drugs {
            let Some(drug) = d.drug.map(|i| ctx.lexicon.drug(i)) else { continue };
            let Some(route) = d.route else { continue };
            let forbidden = drug
                .contraindicated_routes
                .iter()
                .any(|r| *r == route || (*r == Route::Other && route == Route::IntraArterial));
            if forbidden {
                return vec![Emit {
                    message: format!("{} must not be given {}: its label contraindicates that route", drug.name, route.as_str()).into(),
                    span: Some(d.span.clone()),
                    help: Some(Q206.doc.fix.into()),
                }];
            }
        }
        Vec::new()
    },
};
