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
use crate::hash::IntMap;
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
            section_min_shingles: 10,
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

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let inter = fingerprint::intersection(a, b, |_| true);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
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
    let mut by_patient: IntMap<usize, Vec<usize>> = IntMap::default();
    for (i, p) in patient_of.iter().enumerate() {
        by_patient.entry(*p).or_default().push(i);
    }
    // Template: shingles in the notes of many patients. Each patient's
    // distinct shingles go into one vector, sorted so that equal shingles sit
    // together; only those shared by two or more patients are kept (most
    // shingles belong to one patient, and a map of them all would be large).
    let mut doc_patients: IntMap<u64, u32> = IntMap::default();
    {
        let mut all: Vec<u64> = Vec::new();
        let mut mine: Vec<u64> = Vec::new();
        for notes in by_patient.values() {
            mine.clear();
            mine.extend(notes.iter().flat_map(|i| visits[*i].fingerprint.shingles.iter().copied()));
            mine.sort_unstable();
            mine.dedup();
            all.extend_from_slice(&mine);
        }
        all.sort_unstable();
        for run in all.chunk_by(|a, b| a == b) {
            if run.len() >= 2 {
                doc_patients.insert(run[0], run.len() as u32);
            }
        }
    }
    let threshold =
        (settings.template_min_patients as f64).max((settings.template_share * by_patient.len() as f64).ceil()) as u32;
    let phrases: std::collections::HashSet<u64> = template_phrases.iter().copied().collect();
    let is_template = |h: u64| phrases.contains(&h) || doc_patients.get(&h).is_some_and(|n| *n >= threshold);
    // Each note's own content: its shingles less the template, computed once.
    let own: Vec<Vec<u64>> =
        visits.iter().map(|v| v.fingerprint.shingles.iter().copied().filter(|h| !is_template(*h)).collect()).collect();
    let own_sections: Vec<Vec<(SectionClass, Vec<u64>)>> = visits
        .iter()
        .map(|v| {
            v.fingerprint
                .sections
                .iter()
                .map(|(c, s)| (*c, s.iter().copied().filter(|h| !is_template(*h)).collect()))
                .collect()
        })
        .collect();
    // Visit order as one integer per note: date of service, then note id.
    let keys: Vec<u32> = {
        let mut order: Vec<usize> = (0..visits.len()).collect();
        let sort_keys: Vec<_> = visits.iter().map(visit_key).collect();
        order.sort_by(|a, b| sort_keys[*a].cmp(&sort_keys[*b]));
        let mut rank = vec![0u32; visits.len()];
        for (r, i) in order.into_iter().enumerate() {
            rank[i] = r as u32;
        }
        rank
    };

    let mut out: Vec<CopyFinding> = Vec::new();
    // Within a patient: F401 and F402.
    for notes in by_patient.values_mut() {
        notes.sort_by_key(|i| keys[*i]);
        for (pos, &j) in notes.iter().enumerate() {
            if !visits[j].report || pos == 0 {
                continue;
            }
            let earlier = notes[..pos].iter().rev().take(settings.max_history);
            let mut found = None;
            if own[j].len() >= settings.min_shingles {
                for &i in earlier.clone() {
                    let sim = jaccard(&own[j], &own[i]);
                    if sim >= settings.near_duplicate {
                        found = Some((i, sim));
                        break;
                    }
                }
            }
            if let Some((i, sim)) = found {
                out.push(CopyFinding { note: j, code: "F401", related: i, similarity: sim, section: None });
                continue;
            }
            'sections: for (class, shingles) in &own_sections[j] {
                if shingles.len() < settings.section_min_shingles {
                    continue;
                }
                for &i in earlier.clone() {
                    for (c, other) in &own_sections[i] {
                        if c != class {
                            continue;
                        }
                        // Containment: the smaller section repeated within the other,
                        // so a copied paragraph with a new line after it still counts.
                        let inter = fingerprint::intersection(shingles, other, |_| true);
                        let sim = inter as f64 / shingles.len().min(other.len()).max(1) as f64;
                        if sim >= settings.section_overlap && inter >= settings.section_min_shingles {
                            let section = Some(*class);
                            out.push(CopyFinding { note: j, code: "F402", related: i, similarity: sim, section });
                            break 'sections;
                        }
                    }
                }
            }
        }
    }
    // Across patients: F403, through a sampled index of shared shingles.
    const SAMPLE: u64 = 4;
    // Candidates verified per note, most shared first.
    const CANDIDATES: usize = 8;
    // Notes kept per indexed shingle: a note needs only some other patients'
    // notes that share its text, and longer lists would make the count
    // grow with the square of the batch.
    const POSTINGS: usize = 16;
    let mut index: IntMap<u64, Vec<usize>> = IntMap::default();
    for (i, shingles) in own.iter().enumerate() {
        for &h in shingles {
            if h % SAMPLE == 0 && doc_patients.get(&h).is_some_and(|n| *n >= 2) {
                let postings = index.entry(h).or_default();
                if postings.len() < POSTINGS {
                    postings.push(i);
                }
            }
        }
    }
    let need = (settings.cross_patient_min_shingles as u64 / SAMPLE / 2).max(2) as usize;
    let mut counts: IntMap<usize, usize> = IntMap::default();
    for (j, v) in visits.iter().enumerate() {
        if !v.report || own[j].len() < settings.cross_patient_min_shingles {
            continue;
        }
        counts.clear();
        for &h in &own[j] {
            if let Some(notes) = index.get(&h) {
                for &i in notes {
                    if patient_of[i] != patient_of[j] {
                        *counts.entry(i).or_default() += 1;
                    }
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> =
            counts.iter().filter(|(_, n)| **n >= need).map(|(i, n)| (*n, *i)).collect();
        candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(keys[a.1].cmp(&keys[b.1])));
        let mut best: Option<usize> = None;
        for &(_, i) in candidates.iter().take(CANDIDATES) {
            let shared = fingerprint::intersection(&own[j], &own[i], |_| true);
            if shared >= settings.cross_patient_min_shingles && best.is_none_or(|b| keys[i] < keys[b]) {
                best = Some(i);
            }
        }
        if let Some(i) = best {
            let sim = jaccard(&own[j], &own[i]);
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
