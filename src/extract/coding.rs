//! What the coding rules need beyond the twelve elements: which dose and
//! route go with which drug, whether the drug was the patient's own or a
//! sample, mixed syringes, documented waste, a cancer diagnosis, and signs
//! of a separately identifiable evaluation (history, exam, decisions).

use super::{Extraction, Scan};
use crate::lexicon::{FieldKind, Kind, SectionKind};
use std::ops::Range;

/// Signs of an evaluation beyond the injection (for modifier 25).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Evaluation {
    pub history: bool,
    pub exam: bool,
    pub decision: bool,
}

impl Evaluation {
    /// A separately identifiable E/M: decision-making and a history or an
    /// examination.
    pub fn separately_identifiable(&self) -> bool {
        self.decision && (self.history || self.exam)
    }
}

fn within(r: &Range<usize>, outer: &Range<usize>) -> bool {
    outer.start <= r.start && r.end <= outer.end
}

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    associate(scan, x);
    let affirmed_any = |k: Kind| scan.hits_where(move |h| h == k).any(|h| scan.documents(&(h.start..h.end)));
    x.supplied = affirmed_any(Kind::Supplied);
    x.mixed_syringe = affirmed_any(Kind::MixedSyringe);
    x.waste_documented = scan.hits_where(|k| k == Kind::Waste).any(|h| {
        let sentence = scan.layout.sentence_at(h.start);
        x.doses.iter().any(|d| within(&d.span, &sentence)) || scan.text[sentence].chars().any(|c| c.is_ascii_digit())
    });
    x.cancer = x.diagnoses.iter().any(|d| {
        let code = d.code.as_deref().unwrap_or("");
        let malignant_code = code.starts_with('C')
            || (code.starts_with('D')
                && code.get(1..3).is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()) && n <= "49"));
        let text = &scan.text[d.span.clone()];
        malignant_code
            || ["cancer", "carcinoma", "malignan", "lymphoma", "leukemia", "myeloma", "neoplasm", "metasta", "tumor"]
                .iter()
                .any(|w| super::contains_ignore_case(text, w))
    });
    let section = |k: SectionKind| scan.layout.sections.iter().any(|s| s.kind == k && s.body.end > s.heading.end + 2);
    x.evaluation = Evaluation {
        history: section(SectionKind::Subjective) || affirmed_any(Kind::EvaluationHistory),
        exam: section(SectionKind::Objective) || affirmed_any(Kind::EvaluationExam),
        decision: section(SectionKind::Assessment)
            || section(SectionKind::AssessmentPlan)
            || affirmed_any(Kind::EvaluationDecision),
    };
}

/// For each drug mention, the dose and route that belong to it: in its
/// sentence (after it, before the next drug, else before it), else from
/// the template's Dose field, else the note's only dose or route when the
/// note names one drug.
fn associate(scan: &Scan, x: &mut Extraction) {
    let distinct_drugs = super::count_distinct(&x.drugs, |a, b| a.drug == b.drug);
    // The note's injectable route, if it names exactly one.
    let mut injectable = x.routes.iter().map(|(_, r)| *r).filter(|r| scan.lexicon.is_injectable(*r));
    let first_route = injectable.next();
    let only_route = first_route.filter(|&f| injectable.all(|r| r == f));
    for i in 0..x.drugs.len() {
        let drug = &x.drugs[i];
        let sentence = scan.layout.sentence_at(drug.span.start);
        let next_drug = x.drugs.get(i + 1).map_or(sentence.end, |n| n.span.start.min(sentence.end).max(drug.span.end));
        let after = x.doses.iter().position(|d| {
            d.span.start >= drug.span.end && d.span.end <= next_drug.max(d.span.end) && within(&d.span, &sentence)
        });
        let before = || x.doses.iter().rposition(|d| d.span.end <= drug.span.start && within(&d.span, &sentence));
        let in_field = scan.layout.field_at(drug.span.start).is_some_and(|f| f.kind == FieldKind::Medication);
        let from_field = || {
            in_field
                .then(|| {
                    scan.layout
                        .fields_of(FieldKind::Dose)
                        .find_map(|f| x.doses.iter().position(|d| within(&d.span, &f.value)))
                })
                .flatten()
        };
        let only = || (distinct_drugs == 1).then(|| (!x.doses.is_empty()).then_some(0)).flatten();
        let dose = after.or_else(before).or_else(from_field).or_else(only);
        let route = x.routes.iter().find(|(r, _)| within(r, &sentence)).map(|(_, route)| *route);
        let route = route.or_else(|| only_route.filter(|_| distinct_drugs == 1));
        (x.drugs[i].dose, x.drugs[i].route) = (dose, route);
    }
}
