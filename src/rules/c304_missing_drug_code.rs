//! C304 missing-drug-code: 96372 billed without the drug's own line.

use super::claim::Claim;
use super::{Emit, Rule, RuleDoc};
use crate::billing;
use crate::diagnostic::Severity;
use crate::lexicon::DrugClass;

pub static C304: Rule = Rule {
    code: "C304",
    name: "missing-drug-code",
    severity: Severity::Error,
    summary: "96372 is billed but no HCPCS drug code is, for a drug that is not patient-supplied or a sample",
    doc: RuleDoc {
        what: "Fires when the charges bill 96372, the note documents a drug, and no drug code line is billed (a HCPCS Level II J or Q code, including the unclassified J3490, or a vaccine product code). It does not fire when the note says the drug was the patient's own supply or a free sample, or when the only drug is an allergen extract (which has no drug code).",
        why: "The drug is billed separately from its administration, in units of its HCPCS code; a 96372 line without the drug line loses the drug payment and suggests the documentation and the claim do not match.",
        fail: "---\ncharges:\n  - {code: \"96372\", units: 1}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J1885, modifiers: [JZ], units: 4}\n---\n01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "add the drug's HCPCS line (J3490 with the drug name and NDC when no specific code exists), or document that the patient supplied the drug",
    },
    check: |ctx| {
        let claim = Claim::new(&ctx.note.charges);
        let x = ctx.extraction;
        if !claim.bills_96372() || claim.bills(billing::is_drug_code) || x.supplied {
            return Vec::new();
        }
        let billable = x.drugs.iter().find(|d| d.drug.is_none_or(|i| !ctx.lexicon.drug(i).has_class(DrugClass::AllergenExtract)));
        match billable {
            Some(d) => vec![Emit {
                message: format!("96372 is billed but no drug code is billed for \"{}\"", &ctx.note.text[d.span.clone()]).into(),
                span: Some(d.span.clone()),
                help: Some(C304.doc.fix.into()),
            }],
            None => Vec::new(),
        }
    },
};
