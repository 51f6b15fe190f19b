//! Element extraction: find each documentation element in a note, with its
//! span and a normalised value, and decide whether the note is an injection
//! note at all.
//!
//! The pipeline is one pass of the phrase matcher ([`crate::lexicon`]), the
//! layout ([`crate::note::layout`]) and the context scopes ([`context`]);
//! each submodule then reads the hits it cares about. Nothing here knows
//! about rules or output formats.

mod clinician;
pub mod coding;
pub mod context;
mod cues;
mod medication;
mod reason;
mod site;

use crate::element::Element;
use crate::lexicon::numeric::DigitRuns;
use crate::lexicon::{DrugClass, FieldKind, Hit, Kind, Lexicon, Modifier, Route, Side};
use crate::note::layout::Layout;
use crate::note::layout::ValueState;
use crate::note::Markup;
use compact_str::CompactString;
use context::Context;
use std::ops::Range;

/// Where an element is documented, and what it says once normalised.
#[derive(Clone, Debug, PartialEq)]
pub struct ElementMention {
    pub span: Range<usize>,
    /// Normalised value (route "IM", site "left deltoid", dose "40 mg"...).
    /// Most are short and kept inline, without an allocation.
    pub normalized: Option<CompactString>,
}

/// A drug named as given at this encounter.
#[derive(Clone, Debug, PartialEq)]
pub struct DrugMention {
    pub span: Range<usize>,
    /// Index into the lexicon's drugs; `None` for a drug only named in a
    /// `Medication:` field that the lexicon does not know.
    pub drug: Option<u16>,
    /// The index of its dose in [`Extraction::doses`], if one belongs to it.
    pub dose: Option<usize>,
    /// Its route, if one belongs to it.
    pub route: Option<Route>,
}

/// A dose: amount and unit, possibly computed from concentration x volume.
#[derive(Clone, Debug, PartialEq)]
pub struct DoseMention {
    pub span: Range<usize>,
    pub amount: f64,
    /// Normalised unit: mg, mcg, g, mL, units, mEq, mmol.
    pub unit: &'static str,
    /// True when the amount came from a concentration times a volume.
    pub from_concentration: bool,
}

/// An injection site.
#[derive(Clone, Debug, PartialEq)]
pub struct SiteMention {
    pub span: Range<usize>,
    /// The canonical site (kept inline: site names are short).
    pub site: CompactString,
    pub sided: bool,
    pub side: Option<Side>,
}

/// A diagnosis: a condition, an ICD-10-CM code, or an encounter-only entry.
#[derive(Clone, Debug, PartialEq)]
pub struct DiagnosisMention {
    pub span: Range<usize>,
    pub code: Option<String>,
    pub encounter_only: bool,
}

/// What extraction found in one note.
#[derive(Clone, Debug, Default)]
pub struct Extraction {
    /// The first documenting mention of each element, in [`Element::ALL`] order.
    pub elements: [Option<ElementMention>; 12],
    pub drugs: Vec<DrugMention>,
    pub doses: Vec<DoseMention>,
    pub routes: Vec<(Range<usize>, Route)>,
    pub sites: Vec<SiteMention>,
    pub diagnoses: Vec<DiagnosisMention>,
    /// Numbers written as doses without a unit ("Kenalog 40 IM").
    pub bare_doses: Vec<Range<usize>>,
    /// Boilerplate rationales ("per protocol").
    pub boilerplate: Vec<Range<usize>>,
    /// Is this an injection note (an injection given at this encounter)?
    pub injection_given: bool,
    /// The span that shows an injection was given, when one does.
    pub injection_evidence: Option<Range<usize>>,
    /// The drug was the patient's own supply or a free sample.
    pub supplied: bool,
    /// Drugs were mixed in one syringe.
    pub mixed_syringe: bool,
    /// A discarded amount is documented.
    pub waste_documented: bool,
    /// A cancer is documented.
    pub cancer: bool,
    /// Signs of a separately identifiable evaluation.
    pub evaluation: coding::Evaluation,
}

impl Extraction {
    pub fn get(&self, e: Element) -> Option<&ElementMention> {
        self.elements[e.index()].as_ref()
    }

    pub fn has(&self, e: Element) -> bool {
        self.elements[e.index()].is_some()
    }

    /// Would a mention of `e` starting at `start` be kept by
    /// [`Extraction::set_first`]: is none recorded, or only a later one? An
    /// extractor reading candidates in text order stops at the first that
    /// would not.
    fn earlier_than_recorded(&self, e: Element, start: usize) -> bool {
        self.elements[e.index()].as_ref().is_none_or(|old| start < old.span.start)
    }

    /// Record a mention of `e` at `span` unless an earlier one is recorded;
    /// its normalised value is only made when it is kept.
    fn set_first(&mut self, e: Element, span: Range<usize>, normalized: impl FnOnce() -> Option<CompactString>) {
        if self.earlier_than_recorded(e, span.start) {
            self.elements[e.index()] = Some(ElementMention { span, normalized: normalized() });
        }
    }
}

/// What extractors share for one note.
pub(crate) struct Scan<'a> {
    pub text: &'a str,
    pub lexicon: &'a Lexicon,
    pub layout: &'a Layout,
    pub hits: &'a [Hit],
    pub ctx: Context<'a>,
    /// The runs of ASCII digits, where doses, codes and times can be.
    pub digits: DigitRuns,
}

impl<'a> Scan<'a> {
    /// Hits of kinds accepted by `f`, skipping template labels.
    pub fn hits_where(&self, f: impl Fn(Kind) -> bool + 'a) -> impl Iterator<Item = &'a Hit> + 'a {
        let layout = self.layout;
        self.hits.iter().filter(move |h| f(h.kind) && !layout.in_label(h.start))
    }

    /// Hits of one kind within `range`.
    pub fn hits_in<F: Fn(Kind) -> bool + 'a>(&self, range: Range<usize>, f: F) -> impl Iterator<Item = &'a Hit> + 'a {
        let hits: &'a [Hit] = self.hits;
        let lo = hits.partition_point(|h| h.start < range.start);
        hits_from(&hits[lo..], range, f)
    }

    /// Is `span` about this encounter? Intent ("here for B12") counts as
    /// documentation.
    pub fn documents(&self, span: &Range<usize>) -> bool {
        matches!(self.ctx.modifier(span), None | Some(Modifier::Intent))
    }
}

/// The hits within `range` of kinds accepted by `f`, from `hits`: hits in
/// text order, none starting before `range`.
fn hits_from<'h, F: Fn(Kind) -> bool + 'h>(
    hits: &'h [Hit],
    range: Range<usize>,
    f: F,
) -> impl Iterator<Item = &'h Hit> + 'h {
    hits.iter().take_while(move |h| h.start < range.end).filter(move |h| h.end <= range.end && f(h.kind))
}

/// Extract every element of one note.
pub fn extract(text: &str, markup: Markup, lexicon: &Lexicon) -> Extraction {
    extract_with_layout(text, markup, lexicon).0
}

/// Extract every element, and hand back the note's layout too (copy-forward
/// fingerprints reuse it).
pub fn extract_with_layout(text: &str, markup: Markup, lexicon: &Lexicon) -> (Extraction, Layout) {
    let layout = Layout::analyse(text, markup, lexicon);
    let (hits, digits) = lexicon.terms.find_with_digit_runs(text);
    let ctx = Context::new(text, &layout, &hits, lexicon.scope_words());
    let scan = Scan { text, lexicon, layout: &layout, hits: &hits, ctx, digits };
    let mut x = Extraction::default();
    medication::extract(&scan, &mut x);
    site::extract(&scan, &mut x);
    clinician::extract(&scan, &mut x);
    reason::extract(&scan, &mut x);
    cues::extract(&scan, &mut x);
    coding::extract(&scan, &mut x);
    applicability(&scan, &mut x);
    drop(scan);
    (x, layout)
}

/// Is any injection given at this encounter? A sentence shows one when,
/// affirmed and not mere intent, it has an injectable route, an injection
/// word, or a drug with an administration verb, site or dose; but not when
/// it is about an oral drug, or about local anaesthetic or contrast used
/// for a procedure.
fn applicability(scan: &Scan, x: &mut Extraction) {
    let lex = scan.lexicon;
    let procedure_note = scan.hits_where(|k| k == Kind::Procedure).next().is_some();
    // A phone note or portal message: nothing is injected at the encounter.
    let opening = floor_boundary(scan.text, 200);
    if scan.hits_in(0..opening, |k| k == Kind::RemoteEncounter).next().is_some() {
        return;
    }
    // A filled template: a drug in a medication field, and a dose, site or
    // administering clinician recorded in the note's other fields.
    let drug_field = x.drugs.iter().find(|d| {
        scan.layout.field_at(d.span.start).is_some_and(|f| f.kind == FieldKind::Medication)
            && scan.ctx.modifier(&d.span).is_none()
    });
    if let Some(d) = drug_field {
        let filled = |k: FieldKind| scan.layout.fields_of(k).any(|f| f.state == ValueState::Present);
        if filled(FieldKind::Dose) || filled(FieldKind::Site) || filled(FieldKind::AdministeredBy) {
            x.injection_given = true;
            x.injection_evidence = Some(d.span.clone());
            return;
        }
    }
    // `Scan::hits_in` for each sentence in turn, from a cursor instead of a
    // search (sentences and hits are both in text order).
    let mut first_hit = 0;
    for sentence in &scan.layout.sentences {
        first_hit += scan.hits[first_hit..].iter().take_while(|h| h.start < sentence.start).count();
        let hits_in = |f: fn(Kind) -> bool| hits_from(&scan.hits[first_hit..], sentence.clone(), f);
        let affirmed = |h: &&Hit| scan.ctx.modifier(&(h.start..h.end)).is_none() && !scan.layout.in_label(h.start);
        let in_s = |f: fn(Kind) -> bool| hits_in(f).filter(affirmed);
        let is_route = |k| matches!(k, Kind::Route(_));
        let injectable = in_s(is_route).find(|h| matches!(h.kind, Kind::Route(r) if lex.is_injectable(r)));
        let oral_route = in_s(is_route).any(|h| matches!(h.kind, Kind::Route(r) if !lex.is_injectable(r)));
        let injection_word = in_s(|k| k == Kind::Injection).next();
        let oral = oral_route || hits_in(|k| k == Kind::Oral).next().is_some();
        let procedure = hits_in(|k| k == Kind::Procedure).next().is_some();
        let within = |span: &Range<usize>| sentence.start <= span.start && span.end <= sentence.end;
        let procedural_drug = |d: &DrugMention| {
            d.drug.is_some_and(|i| {
                let drug = lex.drug(i);
                drug.has_class(DrugClass::Contrast)
                    || procedure
                    || (drug.has_class(DrugClass::LocalAnesthetic) && procedure_note)
            })
        };
        let any_drug = x.drugs.iter().any(|d| within(&d.span));
        let mut real_drugs = x.drugs.iter().filter(|d| within(&d.span) && !procedural_drug(d));
        let only_procedural = any_drug && real_drugs.clone().next().is_none();
        if procedure && (!any_drug || only_procedural) {
            continue;
        }
        if only_procedural {
            continue;
        }
        let admin = hits_in(|k| k == Kind::AdminVerb).any(|h| affirmed(&h));
        let support = admin || x.sites.iter().any(|s| within(&s.span)) || x.doses.iter().any(|d| within(&d.span));
        let drug_event = real_drugs.find(|d| support && scan.ctx.modifier(&d.span).is_none());
        let evidence = injectable
            .map(|h| h.start..h.end)
            .or_else(|| injection_word.map(|h| h.start..h.end))
            .or_else(|| drug_event.map(|d| d.span.clone()));
        if let Some(ev) = evidence {
            if oral && injectable.is_none() && injection_word.is_none() {
                continue;
            }
            x.injection_given = true;
            x.injection_evidence = Some(ev);
            return;
        }
    }
}

/// Does `hay` contain `needle` (lowercase ASCII), ignoring ASCII case?
/// What `hay.to_ascii_lowercase().contains(needle)` answers, without the copy.
pub(crate) fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// `s.to_lowercase()`, kept inline when short.
pub(crate) fn lowercase(s: &str) -> CompactString {
    if s.is_ascii() {
        let mut c = CompactString::from(s);
        c.make_ascii_lowercase();
        c
    } else {
        CompactString::from(s.to_lowercase())
    }
}

/// How many of `items` differ (by `same`) from every item before them. A
/// note names a few drugs or sites: comparing each with the ones before it
/// is cheaper than sorting a copy.
pub(crate) fn count_distinct<T>(items: &[T], same: impl Fn(&T, &T) -> bool) -> usize {
    items.iter().enumerate().filter(|(i, a)| !items[..*i].iter().any(|b| same(a, b))).count()
}

/// The start of the line holding `pos`: just after the line break before
/// it (the memchr crate's search; `str::rfind` is slower on short spans).
pub(crate) fn line_start(text: &str, pos: usize) -> usize {
    memchr::memrchr(b'\n', &text.as_bytes()[..pos]).map_or(0, |i| i + 1)
}

/// The end of the line holding `pos`: its line break, or the end of the text.
pub(crate) fn line_end(text: &str, pos: usize) -> usize {
    memchr::memchr(b'\n', &text.as_bytes()[pos..]).map_or(text.len(), |i| pos + i)
}

/// The nearest char boundary at or before `i`.
pub(crate) fn floor_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}
