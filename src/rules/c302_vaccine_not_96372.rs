//! C302 vaccine-not-96372: vaccines have their own administration codes.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::lexicon::DrugClass;

pub static C302: Rule = Rule {
    code: "C302",
    name: "vaccine-not-96372",
    severity: Severity::Error,
    summary: "a vaccine or toxoid was given; immunization administration codes apply, not 96372",
    doc: RuleDoc {
        what: "Fires when a vaccine or toxoid is given (not declined, deferred or historical) and the claim is 96372: no charges, or 96372 billed. Charges that bill 90460/90471/90472 or G0008-G0010 without 96372 are consistent.",
        why: "CPT excludes vaccines and toxoids from 96372; their administration is 90460-90461 or 90471-90474 (and G0008-G0010 for Medicare flu, pneumococcal and hepatitis B vaccines), billed with the vaccine product code.",
        fail: "10/14/2025 10:05. Influenza vaccine (Fluzone) 0.5 mL IM in the left deltoid for influenza prevention, ordered by Dr. Patel. VIS given, verbal consent obtained. Lot FZ2291 exp 06/2026. No reaction after 15 minutes.\nAdministered by T. Nguyen, MA",
        pass: "10/14/2025 10:05. Declined the influenza vaccine. Cyanocobalamin 1000 mcg IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot FZ2291 exp 06/2026. No reaction after 15 minutes.\nAdministered by T. Nguyen, MA",
        fix: "bill the immunization administration code (90471/90472, 90460/90461 with counselling, or G0008-G0010) with the vaccine product code",
    },
    check: |ctx| {
        if !Claim::new(&ctx.note.charges).claims_96372() {
            return Vec::new();
        }
        let x = ctx.extraction;
        let vaccine = x.drugs.iter().find(|d| {
            d.drug.is_some_and(|i| {
                let drug = ctx.lexicon.drug(i);
                drug.has_class(DrugClass::Vaccine) || drug.has_class(DrugClass::Toxoid)
            })
        });
        match vaccine {
            Some(d) => vec![Emit {
                message: format!("\"{}\" is a vaccine or toxoid; its administration is not 96372", &ctx.note.text[d.span.clone()]).into(),
                span: Some(d.span.clone()),
                help: Some(C302.doc.fix.into()),
            }],
            None => Vec::new(),
        }
    },
};
