//! C313 allergen-immunotherapy-not-96372.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::lexicon::DrugClass;

pub static C313: Rule = Rule {
    code: "C313",
    name: "allergen-immunotherapy-not-96372",
    severity: Severity::Error,
    summary: "an allergy shot (allergen extract) was given; 95115/95117 apply, not 96372",
    doc: RuleDoc {
        what: "Fires when an allergen extract is given (allergy shot, venom immunotherapy) and the claim is 96372: no charges, or 96372 billed. Charges that bill 95115/95117 without 96372 are consistent. Allergen extracts have no HCPCS drug code, so C304 never asks for one.",
        why: "CPT excludes allergen immunotherapy from 96372; the injections are 95115 (one) or 95117 (two or more), and the extract is billed under 95144-95170.",
        fail: "01/05/2026 10:42. Allergen extract maintenance dose 0.5 mL SC in the left posterior upper arm for allergic rhinitis (J30.9), ordered by Dr. Patel. Verbal consent obtained. Lot AX1101 exp 06/2026. Observed 30 minutes, no reaction.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Omalizumab 150 mg SC in the left posterior upper arm for allergic asthma (J45.50), ordered by Dr. Patel. Verbal consent obtained. Lot AX1101 exp 06/2026. Observed 30 minutes, no reaction.\nAdministered by M. Lopez, RN",
        fix: "bill 95115 (one injection) or 95117 (two or more) instead of 96372",
    },
    check: |ctx| {
        if !Claim::new(&ctx.note.charges).claims_96372() {
            return Vec::new();
        }
        let shot = ctx.extraction.drugs.iter().find(|d| d.drug.is_some_and(|i| ctx.lexicon.drug(i).has_class(DrugClass::AllergenExtract)));
        match shot {
            Some(d) => vec![Emit {
                message: "allergen immunotherapy is 95115/95117, not 96372".into(),
                span: Some(d.span.clone()),
                help: Some(C313.doc.fix.into()),
            }],
            None => Vec::new(),
        }
    },
};
