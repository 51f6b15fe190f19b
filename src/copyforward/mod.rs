//! Copy-forward detection (F401-F403): notes that repeat an earlier visit of
//! the same patient, sections carried forward while the rest changed, and
//! text pasted into different patients' notes.
//!
//! It works on [`Fingerprint`]s, not note texts. Text that many patients'
//! notes share is template, learned from the batch itself (shingles found in
//! the notes of at least `template_min_patients` patients, or a share of
//! them), plus phrases from the config; template text never makes a note a
//! copy. Within a patient, a note is compared with its earlier visits, most
//! recent first. Across patients, a sampled shingle index finds candidates
//! without comparing all pairs.

pub mod fingerprint;

pub use fingerprint::{fingerprint, Fingerprint, SectionClass};

use crate::billing::parse_date;
use std::collections::HashMap;

/// Thresholds, with the defaults `notelint rule F401` justifies.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Words per shingle.
    pub shingle: usize,
    /// Jaccard similarity of non-template shingles at or above which a note
    /// is a copy of an earlier one (F401).
    pub near_duplicate: f64,
    /// Non-template shingles a note needs before it can be called a copy.
    pub min_shingles: usize,
    /// Non-template shingles a section needs before it can be called copied (F402).
    pub section_min_shingles: usize,
    /// Share of the smaller section repeated in the other for F402.
    pub section_overlap: f64,
    /// Patients whose notes must share a shingle for it to be template.
    pub template_min_patients: usize,
    /// ... or this share of the batch's patients, whichever is larger.
    pub template_share: f64,
    /// Shared non-template shingles that make a cross-patient clone (F403).
    pub cross_patient_min_shingles: usize,
    /// Earlier visits compared, most recent first.
    pub max_history: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shingle: 5,
            near_duplicate: 0.8,
            min_shingles: 8,
            section_min_shingles: 4,
            section_overlap: 0.75,
            template_min_patients: 5,
            template_share: 0.01,
            cross_patient_min_shingles: 30,
            max_history: 24,
        }
    }
}

/// One note as the detector sees it.
#[derive(Clone, Debug)]
pub struct Visit<'a> {
    pub note_id: &'a str,
    pub patient_id: Option<&'a str>,
    pub date: Option<&'a str>,
    pub fingerprint: &'a Fingerprint,
    /// Report findings on this note (false for `--history` notes).
    pub report: bool,
}

/// A copy-forward finding on `note` (an index into the visits).
#[derive(Clone, Debug, PartialEq)]
pub struct CopyFinding {
    pub note: usize,
    pub code: &'static str,
    /// The index of the note it repeats.
    pub related: usize,
    /// Jaccard similarity of the non-template shingles compared.
    pub similarity: f64,
    pub section: Option<SectionClass>,
}

/// The order of a patient's visits: date of service, then note id.
fn visit_key<'a>(v: &Visit<'a>) -> ((i32, u32, u32), &'a str, &'a str) {
    let date = v.date.and_then(parse_date).unwrap_or((0, 0, 0));
    (date, v.date.unwrap_or(""), v.note_id)
}

/// Learned template shingles.
struct Template {
    doc_patients: HashMap<u64, u32>,
    threshold: u32,
    phrases: std::collections::HashSet<u64>,
}

impl Template {
    fn is_template(&self, h: u64) -> bool {
        self.phrases.contains(&h) || self.doc_patients.get(&h).is_some_and(|n| *n >= self.threshold)
    }

    fn patients(&self, h: u64) -> u32 {
        self.doc_patients.get(&h).copied().unwrap_or(0)
    }
}

fn jaccard(a: &[u64], b: &[u64], t: &Template) -> (f64, usize, usize) {
    let own = |s: &[u64]| s.iter().filter(|h| !t.is_template(**h)).count();
    let (na, nb) = (own(a), own(b));
    let inter = fingerprint::intersection(a, b, |h| !t.is_template(h));
    let union = na + nb - inter;
    (if union == 0 { 0.0 } else { inter as f64 / union as f64 }, inter, na)
}

/// Find copy-forward in a set of visits. `template_phrases` are shingles of
/// configured template text.
pub fn detect(visits: &[Visit], template_phrases: &[u64], settings: &Settings) -> Vec<CopyFinding> {
    // Patients: a note without a patient id is a patient of its own.
    let mut patient_of: Vec<usize> = Vec::with_capacity(visits.len());
    let mut ids: HashMap<&str, usize> = HashMap::new();
    for (i, v) in visits.iter().enumerate() {
        let next = ids.len() + i;
        patient_of.push(match v.patient_id {
            Some(p) => *ids.entry(p).or_insert(next),
            None => usize::MAX - i,
        });
    }
    let mut by_patient: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, p) in patient_of.iter().enumerate() {
        by_patient.entry(*p).or_default().push(i);
    }
    // Template: shingles in the notes of many patients.
    let mut doc_patients: HashMap<u64, u32> = HashMap::new();
    for notes in by_patient.values() {
        let mut all: Vec<u64> = notes.iter().flat_map(|i| visits[*i].fingerprint.shingles.iter().copied()).collect();
        all.sort_unstable();
        all.dedup();
        for h in all {
            *doc_patients.entry(h).or_default() += 1;
        }
    }
    let threshold =
        (settings.template_min_patients as f64).max((settings.template_share * by_patient.len() as f64).ceil()) as u32;
    let template = Template { doc_patients, threshold, phrases: template_phrases.iter().copied().collect() };

    let mut out: Vec<CopyFinding> = Vec::new();
    let mut copied = vec![false; visits.len()];
    // Within a patient: F401 and F402.
    for notes in by_patient.values_mut() {
        notes.sort_by(|a, b| visit_key(&visits[*a]).cmp(&visit_key(&visits[*b])));
        for (pos, &j) in notes.iter().enumerate() {
            if !visits[j].report || pos == 0 {
                continue;
            }
            let earlier = notes[..pos].iter().rev().take(settings.max_history);
            let fj = visits[j].fingerprint;
            let mut found = None;
            for &i in earlier.clone() {
                let (sim, _, own) = jaccard(&fj.shingles, &visits[i].fingerprint.shingles, &template);
                if own >= settings.min_shingles && sim >= settings.near_duplicate {
                    found = Some((i, sim));
                    break;
                }
            }
            if let Some((i, sim)) = found {
                copied[j] = true;
                out.push(CopyFinding { note: j, code: "F401", related: i, similarity: sim, section: None });
                continue;
            }
            'sections: for (class, shingles) in &fj.sections {
                let own = shingles.iter().filter(|h| !template.is_template(**h)).count();
                if own < settings.section_min_shingles {
                    continue;
                }
                for &i in earlier.clone() {
                    for (c, other) in &visits[i].fingerprint.sections {
                        if c != class {
                            continue;
                        }
                        // Containment: the smaller section repeated within the other,
                        // so a copied paragraph with a new line after it still counts.
                        let (_, inter, own) = jaccard(shingles, other, &template);
                        let other_own = other.iter().filter(|h| !template.is_template(**h)).count();
                        let sim = inter as f64 / own.min(other_own).max(1) as f64;
                        if sim >= settings.section_overlap && inter >= settings.section_min_shingles {
                            out.push(CopyFinding {
                                note: j,
                                code: "F402",
                                related: i,
                                similarity: sim,
                                section: Some(*class),
                            });
                            break 'sections;
                        }
                    }
                }
            }
        }
    }
    // Across patients: F403, through a sampled index of shared shingles.
    const SAMPLE: u64 = 4;
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, v) in visits.iter().enumerate() {
        for &h in &v.fingerprint.shingles {
            if h % SAMPLE == 0 && template.patients(h) >= 2 && !template.is_template(h) {
                index.entry(h).or_default().push(i);
            }
        }
    }
    let need = (settings.cross_patient_min_shingles as u64 / SAMPLE / 2).max(2) as usize;
    for (j, v) in visits.iter().enumerate() {
        if !v.report {
            continue;
        }
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &h in &v.fingerprint.shingles {
            if let Some(notes) = index.get(&h) {
                for &i in notes {
                    if patient_of[i] != patient_of[j] {
                        *counts.entry(i).or_default() += 1;
                    }
                }
            }
        }
        let mut best: Option<(usize, usize)> = None;
        for (i, n) in counts {
            if n < need {
                continue;
            }
            let shared = fingerprint::intersection(&v.fingerprint.shingles, &visits[i].fingerprint.shingles, |h| {
                !template.is_template(h)
            });
            let better = best.is_none_or(|(b, _)| visit_key(&visits[i]) < visit_key(&visits[b]));
            if shared >= settings.cross_patient_min_shingles && better {
                best = Some((i, shared));
            }
        }
        if let Some((i, _)) = best {
            let (sim, _, _) = jaccard(&v.fingerprint.shingles, &visits[i].fingerprint.shingles, &template);
            out.push(CopyFinding { note: j, code: "F403", related: i, similarity: sim, section: None });
        }
    }
    out.sort_by_key(|f| (f.note, f.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;
    use crate::note::layout::Layout;
    use crate::note::Markup;

    fn fp(text: &str) -> Fingerprint {
        let lex = Lexicon::default_compiled();
        fingerprint(text, &Layout::analyse(text, Markup::Plain, &lex), 5)
    }

    const JAN: &str = "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 4K21B exp 03/2027. M. Lopez, RN";
    const FEB_CLONE: &str = "02/09/2026 09:15. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 7J33X exp 05/2027. M. Lopez, RN";
    const FEB_NEW: &str = "02/09/2026 09:15. Monthly B12 visit; she had a cold last week and asks whether the shots can stop. Discussed that pernicious anemia needs lifelong replacement. Cyanocobalamin 1000 mcg IM right deltoid, no reaction after 10 minutes. Consent verbal. Lot 7J33X exp 05/2027. M. Lopez, RN";

    fn visit<'a>(id: &'a str, patient: &'a str, date: &'a str, f: &'a Fingerprint) -> Visit<'a> {
        Visit { note_id: id, patient_id: Some(patient), date: Some(date), fingerprint: f, report: true }
    }

    #[test]
    fn a_clone_with_new_dates_and_lot_is_f401_and_a_rewrite_is_not() {
        let (a, b, c) = (fp(JAN), fp(FEB_CLONE), fp(FEB_NEW));
        let found = detect(
            &[visit("jan", "p1", "2026-01-05", &a), visit("feb", "p1", "2026-02-09", &b)],
            &[],
            &Settings::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].note, found[0].related), ("F401", 1, 0));
        assert!(found[0].similarity > 0.99);
        let found = detect(
            &[visit("jan", "p1", "2026-01-05", &a), visit("feb", "p1", "2026-02-09", &c)],
            &[],
            &Settings::default(),
        );
        assert!(found.iter().all(|f| f.code != "F401"), "{found:?}");
    }

    #[test]
    fn order_is_by_date_not_input_order() {
        let (a, b) = (fp(JAN), fp(FEB_CLONE));
        let found = detect(
            &[visit("feb", "p1", "2026-02-09", &b), visit("jan", "p1", "2026-01-05", &a)],
            &[],
            &Settings::default(),
        );
        assert_eq!((found[0].note, found[0].related), (0, 1));
    }

    #[test]
    fn the_same_text_in_different_patients_is_f403() {
        let (a, b) = (fp(JAN), fp(FEB_CLONE));
        let found = detect(
            &[visit("x", "p1", "2026-01-05", &a), visit("y", "p2", "2026-02-09", &b)],
            &[],
            &Settings::default(),
        );
        let codes: Vec<_> = found.iter().map(|f| (f.code, f.note)).collect();
        assert_eq!(codes, vec![("F403", 0), ("F403", 1)]);
    }
}
