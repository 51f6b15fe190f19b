//! F401-F403: copy-forward. The findings come from the copy-forward stage
//! ([`crate::copyforward`]), which compares a note with the patient's
//! earlier notes and with the batch; these entries carry their codes,
//! severities and documentation.

use super::{Rule, RuleDoc};
use crate::diagnostic::Severity;

/// Separates the earlier visit from the note in the documented examples.
pub const NEXT_VISIT: &str = "\n---- next visit ----\n";

pub static F401: Rule = Rule {
    code: "F401",
    name: "copy-forward-note",
    severity: Severity::Warning,
    summary: "the note is near-identical to an earlier note of the same patient",
    doc: RuleDoc {
        what: "Compares the note with the same patient's earlier notes (by date of service, then note id), most recent first. Both are reduced to overlapping five-word shingles of their normalized text: lower case, template labels removed, and every date, time, number and lot number folded to one symbol, so a copy with new dates is still a copy. Shingles found in the notes of many patients (at least 5, or 1% of the patients in the batch but never more than 100, so that a phrase in a hundred patients' notes is template however big the export) are template and do not count. The note is a copy when it has at least 8 shingles of its own and their Jaccard similarity with an earlier note is 0.8 or more; related_note_id names the most recent such note. The thresholds (copy_forward in notelint.yaml) were chosen on the corpus: clones score 0.95-1.0, honest notes on a shared template 0.1-0.5. The literature uses similar measures: 10-word spans copied from earlier notes (Steinkamp 2022), Jaccard 0.7-0.9 for near-duplicates (Gabriel 2018).",
        why: "Payers and their contractors treat documentation worded exactly like previous entries as cloned: it does not show the patient's condition at this visit, fails medical necessity, and can lead to denial and recoupment of every claim in the series.",
        fail: "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 4K21B exp 03/2027. M. Lopez, RN\n---- next visit ----\n02/09/2026 09:15. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 7J33X exp 05/2027. M. Lopez, RN",
        pass: "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 4K21B exp 03/2027. M. Lopez, RN\n---- next visit ----\n02/09/2026 09:15. Monthly B12 visit; she had a cold last week and asks whether the shots can stop. Discussed that pernicious anemia needs lifelong replacement. Cyanocobalamin 1000 mcg IM right deltoid, no reaction after 10 minutes. Consent verbal. Lot 7J33X exp 05/2027. M. Lopez, RN",
        fix: "document this visit: the patient's status today, today's site, dose, lot and response",
    },
    check: |_| Vec::new(),
};

pub static F402: Rule = Rule {
    code: "F402",
    name: "copy-forward-section",
    severity: Severity::Warning,
    summary: "an assessment, rationale, plan or response section is the same as at an earlier visit",
    doc: RuleDoc {
        what: "When the note as a whole is not a copy, compares its assessment, rationale (indication, reason, medical necessity), plan and response sections with the same sections of the patient's earlier notes. A section with at least 10 shingles of its own (about 14 words of running text, template aside) is carried forward when 75% or more of the smaller of it and the earlier visit's same section is repeated in the other (containment, so a copied paragraph followed by a new line still counts).",
        why: "A rationale or assessment carried forward word for word while the rest of the note changes is the part of a note auditors read for medical necessity; unchanged, it does not show why this injection was needed today.",
        fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg IM left deltoid, tolerated well. M. Lopez, RN\nIndication: pernicious anemia with numbness in both feet and a B12 level of 150 last spring, oral tablets failed.\n---- next visit ----\n02/09/2026 09:15. She reports the numbness is better. Cyanocobalamin 1000 mcg IM right deltoid after verbal consent, no reaction after 10 minutes. K. Park, CMA\nIndication: pernicious anemia with numbness in both feet and a B12 level of 150 last spring, oral tablets failed.",
        pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg IM left deltoid, tolerated well. M. Lopez, RN\nIndication: pernicious anemia with numbness in both feet and a B12 level of 150 last spring, oral tablets failed.\n---- next visit ----\n02/09/2026 09:15. She reports the numbness is better. Cyanocobalamin 1000 mcg IM right deltoid after verbal consent, no reaction after 10 minutes. K. Park, CMA\nIndication: pernicious anemia on monthly replacement; numbness improving, continue injections.",
        fix: "rewrite the section for this visit",
    },
    check: |_| Vec::new(),
};

pub static F403: Rule = Rule {
    code: "F403",
    name: "cross-patient-clone",
    severity: Severity::Warning,
    summary: "substantial non-template text is identical in notes of different patients",
    doc: RuleDoc {
        what: "Finds notes of different patients that share at least 30 non-template shingles (about 35 words of identical running text). Candidates come from an index of sampled shingles, not from comparing every pair of notes, so it scales to whole exports. Text shared by many patients is template and never counts; every note of a cluster is reported, with related_note_id naming the earliest other note.",
        why: "The same paragraph in different patients' charts is cloned documentation in its plainest form: it cannot describe each patient, and contractors cite it as misrepresenting medical necessity.",
        fail: "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month, no numbness, eating well, sleeping well. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. M. Lopez, RN\n---- next visit ----\n02/09/2026 09:15. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month, no numbness, eating well, sleeping well. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. K. Park, CMA",
        pass: "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month, no numbness, eating well, sleeping well. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. M. Lopez, RN\n---- next visit ----\n02/09/2026 09:15. New patient with B12 deficiency after gastric bypass, level 180. First of four weekly injections: cyanocobalamin 1000 mcg IM right deltoid. No reaction after 15 minutes. K. Park, CMA",
        fix: "document each patient's own findings",
    },
    check: |_| Vec::new(),
};
