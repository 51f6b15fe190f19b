//! C311 deleted-drug-code: the code was no longer valid on the date of service.

use super::{Emit, Rule, RuleDoc};
use crate::billing::{self, parse_date};
use crate::diagnostic::Severity;
use crate::element::Element;

pub static C311: Rule = Rule {
    code: "C311",
    name: "deleted-drug-code",
    severity: Severity::Error,
    summary: "a billed HCPCS drug code had been deleted before the date of service",
    doc: RuleDoc {
        what: "Fires when a billed drug code's validity (valid_to in lexicons/drugs.yaml) ended before the date of service, and names the code that replaced it. The date of service is the note's date (metadata), or else the first date documented in the note. Examples: methylprednisolone acetate J1030/J1040 after 2024-03-31 (now J1010, per 1 mg); testosterone cypionate J1070/J1080 after 2014-12-31 (now J1071).",
        why: "Claims with codes that are not valid on the date of service are rejected or denied; a deleted code carried over from an old charge sheet is a frequent error.",
        fail: "---\ndate: 2026-01-05\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J1040, units: 1}\n---\n01/05/2026 10:42. Depo-Medrol 80 mg IM in the right ventrogluteal for gout flare (M10.9), ordered by Dr. Patel. Verbal consent obtained. Lot DM0347 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "---\ndate: 2026-01-05\ncharges:\n  - {code: \"96372\", units: 1}\n  - {code: J1010, units: 80}\n---\n01/05/2026 10:42. Depo-Medrol 80 mg IM in the right ventrogluteal for gout flare (M10.9), ordered by Dr. Patel. Verbal consent obtained. Lot DM0347 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "bill the replacement code (the message names it) in its billing units",
    },
    check: |ctx| {
        let dos = ctx
            .note
            .date
            .as_deref()
            .and_then(parse_date)
            .or_else(|| ctx.extraction.get(Element::Datetime).and_then(|m| parse_date(&ctx.note.text[m.span.clone()])));
        let Some(dos) = dos else { return Vec::new() };
        let mut out = Vec::new();
        for line in ctx.note.charges.iter().filter(|c| billing::is_drug_code(&c.code)) {
            let Some((_, code)) = ctx.lexicon.drug_by_code(&line.code) else { continue };
            let Some(end) = code.valid_to.as_deref().and_then(parse_date) else { continue };
            if dos > end {
                let replaced = code.replaced_by.as_deref().map(|r| format!("; use {r}")).unwrap_or_default();
                out.push(Emit {
                    message: format!(
                        "{} was deleted after {:04}-{:02}-{:02}, before the date of service{replaced}",
                        code.code, end.0, end.1, end.2
                    ).into(),
                    span: None,
                    help: Some(C311.doc.fix.into()),
                });
            }
        }
        out
    },
};
