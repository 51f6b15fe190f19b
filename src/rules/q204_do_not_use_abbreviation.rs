//! Q204 do-not-use-abbreviation: Joint Commission / ISMP abbreviations.

use super::{Emit, Rule, RuleDoc};
use crate::diagnostic::Severity;

pub static Q204: Rule = Rule {
    code: "Q204",
    name: "do-not-use-abbreviation",
    severity: Severity::Warning,
    summary: "the note uses a do-not-use abbreviation (U, IU, QD, QOD, trailing zero, naked decimal, MS, cc, µg)",
    doc: RuleDoc {
        what: "Fires for each form on the Joint Commission \"Do Not Use\" list and the ISMP error-prone list that notelint enables: U or u for units, IU, QD, QOD, a trailing zero (\"1.0 mg\"), a missing leading zero (\".5 mL\"), MS, MSO4, MgSO4, cc and µg. SC / SQ are on ISMP's list but off by default; the list and its patterns live in lexicons/abbreviations.yaml.",
        why: "The Joint Commission's list applies to all free-text medication documentation; these forms cause tenfold dosing errors and wrong-drug errors, and surveyors cite them.",
        fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg (1.0 mL) given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg (1 mL) given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well.\nAdministered by M. Lopez, RN",
        fix: "write units, daily, every other day, 1 mg, 0.5 mL, mL, mcg, and drug names in full",
    },
    check: |ctx| {
        let text = &ctx.note.text;
        let lex = ctx.lexicon;
        let mut out = Vec::new();
        // Nine notes in ten have none, and a yes/no search is cheaper than
        // asking which patterns match.
        if !lex.abbreviation_set.is_match(text) {
            return out;
        }
        for i in lex.abbreviation_set.matches(text).iter() {
            let a = &lex.abbreviations[i];
            if let Some(m) = a.regex.find(text) {
                let raw = m.as_str();
                let lead = raw.len() - raw.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != 'µ' && c != 'μ').len();
                let body = raw[lead..].trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
                let span = m.start() + lead..m.start() + lead + body.len();
                out.push(Emit {
                    message: format!("\"{}\": {}", &text[span.clone()], a.message).into(),
                    span: Some(span),
                    help: Some(a.instead.clone().into()),
                });
            }
        }
        out.sort_by_key(|e| e.span.as_ref().map(|s| s.start));
        out
    },
};
