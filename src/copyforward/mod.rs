//! Copy-forward detection (F401-F403): notes that repeat an earlier visit of
//! the same patient, sections carried forward while the rest changed, and
//! text pasted into different patients' notes.
//!
//! It works on [`Fingerprint`]s, not note texts. Text that many patients'
//! notes share is template, learned from the batch itself (shingles found in
//! the notes of at least `template_min_patients` patients, or a share of
//! the batch's patients up to `template_max_patients`), plus phrases from
//! the config; template text never makes a note a copy. Within a patient,
//! a note is compared with its earlier visits, most recent first. Across
//! patients, a sampled shingle index finds candidates without comparing all
//! pairs.

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
    /// ... or this share of the batch's patients, whichever is larger,
    pub template_share: f64,
    /// ... but never more than this many patients: wording in the notes of
    /// a hundred patients is template however big the batch. (A threshold
    /// that grew with the batch would also let the cross-patient work per
    /// note grow with it.)
    pub template_max_patients: usize,
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
            template_max_patients: 100,
            cross_patient_min_shingles: 30,
            max_history: 24,
        }
    }
}

/// One note as the detector sees it. Its fingerprint is fetched from a
/// [`Prints`] store by the visit's index, when needed: a batch of a million
/// notes need not hold a million fingerprints in memory.
#[derive(Clone, Copy, Debug)]
pub struct Visit<'a> {
    pub note_id: &'a str,
    pub patient_id: Option<&'a str>,
    pub date: Option<&'a str>,
    /// Report findings on this note (false for `--history` notes).
    pub report: bool,
}

/// Where the detector finds the fingerprint of visit `i`. The CLI keeps a
/// batch's fingerprints in a spill file; tests and single notes keep them
/// in memory (a `Vec<Fingerprint>` is a store).
pub trait Prints: Sync {
    /// Put visit `i`'s fingerprint into `out`, reusing its buffers.
    fn load(&self, i: usize, out: &mut Fingerprint);

    /// Put only the whole-note shingles of visit `i` into `out` (what the
    /// cross-patient check compares), reusing its buffer.
    fn load_shingles(&self, i: usize, out: &mut Vec<u64>) {
        let mut print = Fingerprint::default();
        self.load(i, &mut print);
        *out = print.shingles;
    }
}

impl Prints for Vec<Fingerprint> {
    fn load(&self, i: usize, out: &mut Fingerprint) {
        out.clone_from(&self[i]);
    }

    fn load_shingles(&self, i: usize, out: &mut Vec<u64>) {
        out.clone_from(&self[i].shingles);
    }
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

/// A date of service as one sortable number, yyyymmdd (0 when unreadable).
/// A patient's visits are ordered by it, then by the date as written, then
/// by note id.
fn date_number(date: Option<&str>) -> u32 {
    match date.and_then(parse_date) {
        Some((y, m, d)) if (0..=9999).contains(&y) => y as u32 * 10_000 + m.min(99) * 100 + d.min(99),
        _ => 0,
    }
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

/// How many patients' notes hold each shingle, in bounded memory.
///
/// Counts are exact until `cap` distinct shingles are held. Past that the
/// counter sheds its smaller counts the Misra-Gries way: every count drops
/// by the median and the shingles at zero go; `slack` adds up the drops, so
/// a shingle's true count lies between its count and its count plus
/// `slack` (at most twice the patient-shingle pairs seen divided by `cap`,
/// a few dozen patients for a million notes, while template text is shared
/// by thousands).
struct PatientCounts {
    counts: IntMap<u64, u32>,
    cap: usize,
    slack: u32,
}

impl PatientCounts {
    fn new(cap: usize) -> PatientCounts {
        PatientCounts { counts: IntMap::default(), cap: cap.max(16), slack: 0 }
    }

    /// Count one patient's distinct shingles.
    fn add_patient(&mut self, shingles: &[u64]) {
        for h in shingles {
            *self.counts.entry(*h).or_insert(0) += 1;
        }
        if self.counts.len() > self.cap {
            let mut values: Vec<u32> = self.counts.values().copied().collect();
            let mid = values.len() / 2;
            let m = (*values.select_nth_unstable(mid).1).max(1);
            self.counts.retain(|_, c| {
                *c = c.saturating_sub(m);
                *c > 0
            });
            self.counts.shrink_to(self.cap);
            self.slack += m;
        }
    }

    /// Shingles that may be in at least `threshold` patients' notes.
    fn at_least(&self, threshold: u32) -> crate::hash::IntSet<u64> {
        self.counts.iter().filter(|(_, c)| **c + self.slack >= threshold).map(|(h, _)| *h).collect()
    }
}

/// Distinct shingles tracked exactly before [`PatientCounts`] starts to shed.
const TEMPLATE_COUNTER_CAP: usize = 1 << 21;

/// Patients whose notes must share a shingle for it to be template in a
/// batch of `patients` patients.
fn template_threshold(patients: usize, settings: &Settings) -> u32 {
    // (Float-to-integer casts saturate.)
    let share = (settings.template_share * patients as f64).ceil() as usize;
    let most = settings.template_max_patients.max(settings.template_min_patients);
    u32::try_from(share.clamp(settings.template_min_patients, most)).unwrap_or(u32::MAX)
}

/// Load fingerprint `i` into `print` less the template shingles: the
/// note's own content, whole and by section.
fn load_own(prints: &dyn Prints, i: usize, template: &dyn Fn(u64) -> bool, print: &mut Fingerprint) {
    prints.load(i, print);
    print.shingles.retain(|h| !template(*h));
    for (_, s) in &mut print.sections {
        s.retain(|h| !template(*h));
    }
}

/// Load the whole-note shingles of fingerprint `i` into `out` less the
/// template shingles.
fn load_own_shingles(prints: &dyn Prints, i: usize, template: &dyn Fn(u64) -> bool, out: &mut Vec<u64>) {
    prints.load_shingles(i, out);
    out.retain(|h| !template(*h));
}

/// Find copy-forward in a set of visits. `prints` holds their fingerprints
/// by index; `template_phrases` are shingles of configured template text.
///
/// Memory: a few integers per visit, the template counter, and a sampled
/// index of shared shingles (about a quarter of each note's non-template
/// shingles, 8 bytes each); fingerprints are loaded a patient at a time.
pub fn detect(
    visits: &[Visit],
    prints: &dyn Prints,
    template_phrases: &[u64],
    settings: &Settings,
) -> Vec<CopyFinding> {
    use rayon::prelude::*;
    // Patients: a note without a patient id is a patient of its own.
    let mut patient_of: Vec<u32> = Vec::with_capacity(visits.len());
    {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut next = 0u32;
        for v in visits {
            let p = match v.patient_id {
                Some(p) => *ids.entry(p).or_insert_with(|| {
                    next += 1;
                    next - 1
                }),
                None => {
                    next += 1;
                    next - 1
                }
            };
            patient_of.push(p);
        }
    }
    // Visit order as one integer per note: date of service, then note id.
    let keys: Vec<u32> = {
        // Dates parsed once, packed as yyyymmdd (0 when unreadable).
        let dates: Vec<u32> = visits.par_iter().map(|v| date_number(v.date)).collect();
        let key = |i: u32| (dates[i as usize], visits[i as usize].date.unwrap_or(""), visits[i as usize].note_id, i);
        let mut order: Vec<u32> = (0..visits.len() as u32).collect();
        order.par_sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
        let mut rank = vec![0u32; visits.len()];
        for (r, i) in order.into_iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        rank
    };
    // Each patient's visits in visit order, as runs of one vector.
    let mut by_patient: Vec<u32> = (0..visits.len() as u32).collect();
    by_patient.par_sort_unstable_by_key(|i| (patient_of[*i as usize], keys[*i as usize]));
    let patients: Vec<&[u32]> =
        by_patient.chunk_by(|a, b| patient_of[*a as usize] == patient_of[*b as usize]).collect();

    // Template: shingles in the notes of many patients.
    let threshold = template_threshold(patients.len(), settings);
    let template: crate::hash::IntSet<u64> = {
        // Counted in shards by the top bits of the hash, on all cores: a
        // patient's sorted shingles split into one contiguous run per shard.
        const SHARDS: usize = 8;
        let shard = |h: &u64| (*h >> 61) as usize;
        let mut counters: Vec<PatientCounts> =
            (0..SHARDS).map(|_| PatientCounts::new(TEMPLATE_COUNTER_CAP / SHARDS)).collect();
        for group in patients.chunks(2048) {
            let distinct: Vec<Vec<u64>> = group
                .par_iter()
                .map_init(Vec::new, |shingles, notes| {
                    let mut mine: Vec<u64> = Vec::new();
                    for &i in notes.iter() {
                        prints.load_shingles(i as usize, shingles);
                        mine.extend_from_slice(shingles);
                    }
                    mine.sort_unstable();
                    mine.dedup();
                    mine
                })
                .collect();
            counters.par_iter_mut().enumerate().for_each(|(s, counter)| {
                for mine in &distinct {
                    let lo = mine.partition_point(|h| shard(h) < s);
                    let hi = mine.partition_point(|h| shard(h) <= s);
                    counter.add_patient(&mine[lo..hi]);
                }
            });
        }
        let mut set: crate::hash::IntSet<u64> = counters.iter().flat_map(|c| c.at_least(threshold)).collect();
        set.extend(template_phrases.iter().copied());
        set
    };
    let is_template = |h: u64| template.contains(&h);

    // Within a patient: F401 and F402. Also collect the sampled shingles of
    // every note for the cross-patient index.
    const SAMPLE: u64 = 4;
    // A sampled shingle (folded to 32 bits) and the visit it is in.
    type Postings = Vec<(u32, u32)>;
    let mut out: Vec<CopyFinding> = Vec::new();
    let mut entries: Postings = Vec::new();
    // A group of patients at a time, so that only one group's results wait
    // to be moved into `entries`.
    for group in patients.chunks(4096) {
        let per_patient: Vec<(Vec<CopyFinding>, Postings)> = group
            .par_iter()
            .map(|notes| {
                let own: Vec<Fingerprint> = notes
                    .iter()
                    .map(|&i| {
                        let mut print = Fingerprint::default();
                        load_own(prints, i as usize, &is_template, &mut print);
                        print
                    })
                    .collect();
                let mut sampled = Vec::new();
                for (o, &i) in own.iter().zip(notes.iter()) {
                    sampled.extend(
                        o.shingles.iter().filter(|h| *h % SAMPLE == 0).map(|h| (*h as u32 ^ (*h >> 32) as u32, i)),
                    );
                }
                (within_patient(visits, notes, &own, settings), sampled)
            })
            .collect();
        for (found, sampled) in per_patient {
            out.extend(found);
            entries.extend(sampled);
        }
    }

    // Across patients: F403, through the sampled index of shingles that
    // two or more patients share.
    // Notes kept per indexed shingle: a note needs only some other patients'
    // notes that share its text, and longer lists would make the count
    // grow with the square of the batch.
    const POSTINGS: usize = 16;
    // Candidates verified per note, most shared first.
    const CANDIDATES: usize = 8;
    entries.par_sort_unstable();
    // The index: for each sampled shingle that two or more patients share,
    // its first POSTINGS notes. `entries` is rewritten in place into the
    // transposed list, (note, shingle number) for every note under a kept
    // shingle, so that a note's candidates are counted without loading its
    // fingerprint or searching the index; a note under no kept shingle has
    // no candidate and is never loaded here.
    let mut starts: Vec<u32> = vec![0];
    let mut postings: Vec<u32> = Vec::new();
    let mut kept = 0;
    let mut run_start = 0;
    while run_start < entries.len() {
        let key = entries[run_start].0;
        let run_end = run_start + entries[run_start..].iter().take_while(|e| e.0 == key).count();
        let first = patient_of[entries[run_start].1 as usize];
        if entries[run_start..run_end].iter().any(|(_, i)| patient_of[*i as usize] != first) {
            let k = (starts.len() - 1) as u32;
            postings.extend(entries[run_start..run_end].iter().take(POSTINGS).map(|(_, i)| *i));
            starts.push(postings.len() as u32);
            // `kept <= run_start`: the rewrite never overtakes the reading.
            for r in run_start..run_end {
                entries[kept] = (entries[r].1, k);
                kept += 1;
            }
        }
        run_start = run_end;
    }
    entries.truncate(kept);
    entries.shrink_to_fit();
    entries.par_sort_unstable();
    let by_note = entries;
    let need = (settings.cross_patient_min_shingles as u64 / SAMPLE / 2).max(2) as usize;
    // Candidates come from the first notes posted under each shingle, so
    // the same notes are verified again and again: each worker keeps the
    // non-template shingles of the notes it loaded (up to CACHED of them).
    const CACHED: usize = 4096;
    let cross: Vec<CopyFinding> = by_note
        .par_chunk_by(|a, b| a.0 == b.0)
        .filter(|run| visits[run[0].0 as usize].report)
        .map_init(
            || {
                // Shared shingles per other note, counted in a table indexed by
                // note (cheaper than hashing each of the ~100 postings a note
                // has), with the notes touched, to reset it.
                let counts = vec![0u32; visits.len()];
                (Vec::new(), Vec::new(), counts, Vec::<u32>::new(), IntMap::<u32, Vec<u64>>::default())
            },
            |(mine, other, counts, touched, cache), run| {
                let j = run[0].0 as usize;
                for &(_, k) in run {
                    for &i in &postings[starts[k as usize] as usize..starts[k as usize + 1] as usize] {
                        if patient_of[i as usize] != patient_of[j] {
                            let n = &mut counts[i as usize];
                            if *n == 0 {
                                touched.push(i);
                            }
                            *n += 1;
                        }
                    }
                }
                let mut candidates: Vec<(usize, u32)> = touched
                    .iter()
                    .filter(|&&i| counts[i as usize] as usize >= need)
                    .map(|&i| (counts[i as usize] as usize, i))
                    .collect();
                for &i in touched.iter() {
                    counts[i as usize] = 0;
                }
                touched.clear();
                if candidates.is_empty() {
                    return None;
                }
                load_own_shingles(prints, j, &is_template, mine);
                let own: &[u64] = mine;
                if own.len() < settings.cross_patient_min_shingles {
                    return None;
                }
                candidates.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(keys[a.1 as usize].cmp(&keys[b.1 as usize])));
                let mut best: Option<(usize, f64)> = None;
                for &(_, i) in candidates.iter().take(CANDIDATES) {
                    let theirs: &[u64] = match cache.get(&i) {
                        Some(c) => c,
                        None => {
                            load_own_shingles(prints, i as usize, &is_template, other);
                            if cache.len() < CACHED {
                                cache.insert(i, other.clone());
                            }
                            other
                        }
                    };
                    let i = i as usize;
                    let shared = fingerprint::intersection(own, theirs, |_| true);
                    if shared >= settings.cross_patient_min_shingles && best.is_none_or(|(b, _)| keys[i] < keys[b]) {
                        best = Some((i, jaccard(own, theirs)));
                    }
                }
                let (i, sim) = best?;
                Some(CopyFinding { note: j, code: "F403", related: i, similarity: sim, section: None })
            },
        )
        .flatten()
        .collect();
    out.extend(cross);
    out.sort_by_key(|f| (f.note, f.code));
    out
}

/// F401 and F402 among one patient's visits (`notes`, in visit order, with
/// their own content).
fn within_patient(visits: &[Visit], notes: &[u32], own: &[Fingerprint], settings: &Settings) -> Vec<CopyFinding> {
    let mut out = Vec::new();
    for (pos, &j) in notes.iter().enumerate() {
        let j_us = j as usize;
        if !visits[j_us].report || pos == 0 {
            continue;
        }
        let mine = &own[pos];
        let earlier = (0..pos).rev().take(settings.max_history);
        let mut found = None;
        if mine.shingles.len() >= settings.min_shingles {
            for p in earlier.clone() {
                let sim = jaccard(&mine.shingles, &own[p].shingles);
                if sim >= settings.near_duplicate {
                    found = Some((notes[p] as usize, sim));
                    break;
                }
            }
        }
        if let Some((i, sim)) = found {
            out.push(CopyFinding { note: j_us, code: "F401", related: i, similarity: sim, section: None });
            continue;
        }
        'sections: for (class, shingles) in &mine.sections {
            if shingles.len() < settings.section_min_shingles {
                continue;
            }
            for p in earlier.clone() {
                for (c, other) in &own[p].sections {
                    if c != class {
                        continue;
                    }
                    // Containment: the smaller section repeated within the other,
                    // so a copied paragraph with a new line after it still counts.
                    let inter = fingerprint::intersection(shingles, other, |_| true);
                    let sim = inter as f64 / shingles.len().min(other.len()).max(1) as f64;
                    if sim >= settings.section_overlap && inter >= settings.section_min_shingles {
                        let (related, section) = (notes[p] as usize, Some(*class));
                        out.push(CopyFinding { note: j_us, code: "F402", related, similarity: sim, section });
                        break 'sections;
                    }
                }
            }
        }
    }
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

    fn visit<'a>(id: &'a str, patient: &'a str, date: &'a str) -> Visit<'a> {
        Visit { note_id: id, patient_id: Some(patient), date: Some(date), report: true }
    }

    #[test]
    fn a_clone_with_new_dates_and_lot_is_f401_and_a_rewrite_is_not() {
        let (a, b, c) = (fp(JAN), fp(FEB_CLONE), fp(FEB_NEW));
        let found = detect(
            &[visit("jan", "p1", "2026-01-05"), visit("feb", "p1", "2026-02-09")],
            &vec![a.clone(), b.clone()],
            &[],
            &Settings::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].code, found[0].note, found[0].related), ("F401", 1, 0));
        assert!(found[0].similarity > 0.99);
        let found = detect(
            &[visit("jan", "p1", "2026-01-05"), visit("feb", "p1", "2026-02-09")],
            &vec![a.clone(), c.clone()],
            &[],
            &Settings::default(),
        );
        assert!(found.iter().all(|f| f.code != "F401"), "{found:?}");
    }

    #[test]
    fn the_template_counter_is_exact_below_its_cap_and_keeps_common_shingles_above_it() {
        let mut exact = PatientCounts::new(1000);
        for p in 0..20u64 {
            exact.add_patient(&[1, 2, 100 + p]);
            if p < 4 {
                exact.add_patient(&[3]);
            }
        }
        assert_eq!(exact.slack, 0);
        let common: Vec<u64> =
            exact.at_least(5).into_iter().collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        assert_eq!(common, vec![1, 2]);
        // A small cap: 2,000 patients, each with 50 shingles of their own and
        // shingle 7 in every tenth patient's notes.
        let mut small = PatientCounts::new(4096);
        for p in 0..2000u64 {
            let mut mine: Vec<u64> = (0..50).map(|k| 1_000 + p * 50 + k).collect();
            if p % 10 == 0 {
                mine.push(7);
            }
            small.add_patient(&mine);
        }
        assert!(small.slack > 0 && small.counts.len() <= 4096);
        assert!(small.at_least(150).contains(&7), "200 patients, slack {}", small.slack);
        assert!(!small.at_least(150).contains(&1_000));
    }

    #[test]
    fn the_template_threshold_is_a_share_of_the_patients_between_the_floor_and_the_cap() {
        let s = Settings::default();
        assert_eq!(template_threshold(16, &s), 5);
        assert_eq!(template_threshold(2_000, &s), 20);
        assert_eq!(template_threshold(10_000, &s), 100);
        assert_eq!(template_threshold(100_000, &s), 100);
        let floor_over_cap = Settings { template_min_patients: 500, ..Settings::default() };
        assert_eq!(template_threshold(100_000, &floor_over_cap), 500);
        let no_cap = Settings { template_max_patients: usize::MAX, ..Settings::default() };
        assert_eq!(template_threshold(100_000, &no_cap), 1_000);
    }

    #[test]
    fn order_is_by_date_not_input_order() {
        let (a, b) = (fp(JAN), fp(FEB_CLONE));
        let found = detect(
            &[visit("feb", "p1", "2026-02-09"), visit("jan", "p1", "2026-01-05")],
            &vec![b.clone(), a.clone()],
            &[],
            &Settings::default(),
        );
        assert_eq!((found[0].note, found[0].related), (0, 1));
    }

    #[test]
    fn the_same_text_in_different_patients_is_f403() {
        let (a, b) = (fp(JAN), fp(FEB_CLONE));
        let found = detect(
            &[visit("x", "p1", "2026-01-05"), visit("y", "p2", "2026-02-09")],
            &vec![a.clone(), b.clone()],
            &[],
            &Settings::default(),
        );
        let codes: Vec<_> = found.iter().map(|f| (f.code, f.note)).collect();
        assert_eq!(codes, vec![("F403", 0), ("F403", 1)]);
    }
}
