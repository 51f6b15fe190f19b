//! C303 chemotherapy-not-96372: antineoplastics given for cancer.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;
use crate::lexicon::DrugClass;

pub static C303: Rule = Rule {
    code: "C303",
    name: "chemotherapy-not-96372",
    severity: Severity::Error,
    summary: "an antineoplastic (hormonal or not) was given for cancer; 96401/96402 apply, not 96372",
    doc: RuleDoc {
        what: "Fires when an antineoplastic or hormonal antineoplastic (leuprolide, goserelin, degarelix, triptorelin, fulvestrant, bortezomib, azacitidine...) is given and the note documents a cancer (a C00-D49 code or a named cancer), and the claim is 96372. The same molecule for a non-oncologic indication (leuprolide for endometriosis, methotrexate for arthritis) is 96372 and does not fire: notelint decides from the documented diagnosis.",
        why: "CPT excludes antineoplastic injections, hormonal or not, from 96372; SC/IM chemotherapy administration is 96401 (non-hormonal) or 96402 (hormonal), and reporting 96372 instead under-codes the service and misstates it.",
        fail: "01/05/2026 10:42. Leuprolide (Lupron Depot) 22.5 mg IM in the right gluteal for prostate cancer (C61), ordered by Dr. Patel. Verbal consent obtained. Lot LP4412 exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Leuprolide (Lupron Depot) 11.25 mg IM in the right gluteal for endometriosis (N80.9), ordered by Dr. Patel. Verbal consent obtained. Lot LP4412 exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "bill 96402 (hormonal antineoplastic) or 96401 (non-hormonal) for the administration",
    },
    check: |ctx| {
        let x = ctx.extraction;
        if !x.cancer || !Claim::new(&ctx.note.charges).claims_96372() {
            return Vec::new();
        }
        for d in &x.drugs {
            let Some(i) = d.drug else { continue };
            let drug = ctx.lexicon.drug(i);
            let code = if drug.has_class(DrugClass::HormonalAntineoplastic) {
                "96402"
            } else if drug.has_class(DrugClass::Antineoplastic) {
                "96401"
            } else {
                continue;
            };
            return vec![Emit {
                message: format!("{} for a documented cancer is chemotherapy administration ({code}), not 96372", drug.name).into(),
                span: Some(d.span.clone()),
                help: Some(C303.doc.fix.into()),
            }];
        }
        Vec::new()
    },
};
