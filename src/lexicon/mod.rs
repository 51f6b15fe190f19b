//! Lexicons: the vocabularies notelint reads notes with, and their compiled
//! form.
//!
//! The defaults are the YAML files under `lexicons/`, embedded in the binary
//! at build time. A user's files merge over them ([`LexiconSource::merge`]).
//! [`Lexicon::compile`] turns the merged source into automata and regexes
//! once; linting a note never compiles anything.

pub mod matcher;
pub mod numeric;
pub mod schema;

pub use matcher::{Direction, Hit, Kind, LabelKinds, LabelMatcher, Modifier, TermMatcher};
pub use schema::*;

use regex::{Regex, RegexSet};
use std::fmt;
use std::sync::OnceLock;

/// The embedded default lexicon files, by file name.
pub const DEFAULT_FILES: &[(&str, &str)] = &[
    ("drugs.yaml", include_str!("../../lexicons/drugs.yaml")),
    ("routes.yaml", include_str!("../../lexicons/routes.yaml")),
    ("sites.yaml", include_str!("../../lexicons/sites.yaml")),
    ("clinicians.yaml", include_str!("../../lexicons/clinicians.yaml")),
    ("rationale.yaml", include_str!("../../lexicons/rationale.yaml")),
    ("context.yaml", include_str!("../../lexicons/context.yaml")),
    ("cues.yaml", include_str!("../../lexicons/cues.yaml")),
    ("sections.yaml", include_str!("../../lexicons/sections.yaml")),
    ("abbreviations.yaml", include_str!("../../lexicons/abbreviations.yaml")),
];

/// A lexicon file that could not be read or compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct LexiconError {
    /// The file (or `config`) the problem is in.
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for LexiconError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.origin, l, self.message),
            None => write!(f, "{}: {}", self.origin, self.message),
        }
    }
}

impl std::error::Error for LexiconError {}

/// Parse one lexicon file. Errors name the file and line.
pub fn parse_source(origin: &str, yaml: &str) -> Result<LexiconSource, LexiconError> {
    if yaml.trim().is_empty() {
        return Ok(LexiconSource::default());
    }
    serde_yaml::from_str(yaml).map_err(|e| LexiconError {
        origin: origin.to_string(),
        line: e.location().map(|l| l.line()),
        message: e.to_string(),
    })
}

/// The embedded defaults, merged: `build.rs` parses and merges
/// [`DEFAULT_FILES`] at build time and embeds the result as JSON, which
/// loads about ten times faster than the YAML.
pub fn default_source() -> LexiconSource {
    // The JSON is checked against the YAML by a unit test.
    serde_json::from_str(DEFAULT_JSON).unwrap_or_else(|e| panic!("embedded lexicon JSON: {e}"))
}

/// [`DEFAULT_FILES`] parsed and merged at build time, as JSON.
const DEFAULT_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/default_lexicon.json"));

/// The embedded defaults, parsed from the YAML files and merged (what
/// [`default_source`] loads from the build-time JSON).
pub fn default_source_from_yaml() -> LexiconSource {
    let mut all = LexiconSource::default();
    for (name, yaml) in DEFAULT_FILES {
        // The defaults are checked by a unit test; failing here is a build bug.
        let part = parse_source(name, yaml).unwrap_or_else(|e| panic!("embedded lexicon {e}"));
        all.merge(part);
    }
    all
}

/// A compiled do-not-use abbreviation.
///
/// [`Lexicon::abbreviation_set`] tells which abbreviations a note has; the
/// abbreviation's own regex (to find where) is compiled the first time a
/// note has it, so a run that never meets it never pays for it.
#[derive(Clone, Debug)]
pub struct CompiledAbbreviation {
    pub id: String,
    /// Its pattern; it compiled as part of the set, so it compiles alone.
    pub regex: LazyRegex,
    pub message: String,
    pub instead: String,
}

/// A regular expression compiled the first time it is used: a single note
/// on standard input (a pre-sign hook) pays only for the patterns its text
/// reaches (a regex costs 0.05-1.2 ms to build; the built-in ones together
/// about 3 ms). Only patterns known to compile go here: the built-in ones
/// (`patterns_compile` tests every one) and abbreviations that compiled in
/// [`Lexicon::abbreviation_set`].
#[derive(Clone, Debug)]
pub struct LazyRegex {
    pattern: std::borrow::Cow<'static, str>,
    cell: OnceLock<Regex>,
    /// The same pattern for anchored searches, compiled on first use.
    anchored: OnceLock<regex_automata::meta::Regex>,
}

impl LazyRegex {
    fn new(pattern: impl Into<std::borrow::Cow<'static, str>>) -> LazyRegex {
        LazyRegex { pattern: pattern.into(), cell: OnceLock::new(), anchored: OnceLock::new() }
    }

    /// The pattern's source text (without compiling it).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// The pattern as a `regex_automata` meta regex (the engine behind
    /// [`Regex`], which offers anchored searches), for searches from known
    /// places or within windows of a few dozen bytes: without a literal
    /// prefilter, which an anchored search does not use and which costs a
    /// window more than it saves.
    pub(crate) fn anchored(&self) -> &regex_automata::meta::Regex {
        self.anchored.get_or_init(|| {
            regex_automata::meta::Regex::builder()
                .configure(regex_automata::meta::Config::new().auto_prefilter(false))
                .build(&self.pattern)
                .unwrap_or_else(|e| panic!("pattern `{}` compiled before: {e}", self.pattern))
        })
    }
}

impl std::ops::Deref for LazyRegex {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.cell.get_or_init(|| {
            Regex::new(&self.pattern).unwrap_or_else(|e| panic!("pattern `{}` compiled before: {e}", self.pattern))
        })
    }
}

/// Regular expressions for the parts of a note that are patterns rather
/// than vocabulary: amounts, dates, times, codes, names.
#[derive(Clone, Debug)]
pub struct Patterns {
    /// A number with a dose unit, optionally per a volume (a concentration).
    pub amount: LazyRegex,
    /// A calendar date.
    pub date: LazyRegex,
    /// A clock time.
    pub time: LazyRegex,
    /// A 24-hour time written without a colon ("0930"), after a cue.
    pub military_time: LazyRegex,
    /// An ICD-10-CM code.
    pub icd10: LazyRegex,
    /// A person: a title and name, initials and a surname, or a full name.
    pub person: LazyRegex,
    /// A person at the end of a text: "Dr. Lee", "A. Nguyen, NP".
    pub person_before: LazyRegex,
    /// A titled clinician or a name with a prescriber credential, anywhere.
    pub titled_person: LazyRegex,
    /// "by" followed by a word (a candidate administering clinician). The
    /// clinician finder reads these by hand (a test holds the two equal).
    pub by_person: LazyRegex,
    /// A name with a credential closing a line (a sign-off). The clinician
    /// finder reads its group by hand from where the match starts (a test
    /// holds the two equal).
    pub trailing_signature: LazyRegex,
    /// What may follow a sign-off's name and credential to the end of the
    /// line: a date, a time, "hrs", punctuation.
    pub signature_tail: LazyRegex,
    /// A lot number or expiration value after a lot cue. The lot finder
    /// reads it by hand ([`numeric::lot_value`]; a test holds the two equal).
    pub lot_value: LazyRegex,
    /// A bare number (a dose without unit when it follows a drug). The dose
    /// finder uses [`numeric::bare_number`], which finds what this captures
    /// (a test holds them equal).
    pub bare_number: LazyRegex,
    /// A check box, ticked or not.
    pub checkbox: LazyRegex,
}

/// The end of [`Patterns::trailing_signature`], after its group: what
/// [`Patterns::signature_tail`] matches.
const SIGNATURE_TAIL: &str =
    r"[\s,.]*(?:[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4})?\s*(?:[0-9]{3,4}|[0-9]{1,2}:[0-9]{2})?\s*(?:hrs?)?[\s.]*$";

impl Patterns {
    fn new() -> Patterns {
        Patterns {
            amount: LazyRegex::new(
                r"(?xi)
                (?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)
                \x20?(?:-\x20?(?:[0-9]+(?:\.[0-9]+)?)\x20?)?
                (?P<unit>million\s+units|million\s+iu(?-u:\b)|million\s+u(?-u:\b)|mu(?-u:\b)|milligrams?|micrograms?|mcg|µg|μg|ug|mg|grams?|gm?|
                  milliliters?|millilitres?|ml|cc|units?|u(?-u:\b)|iu(?-u:\b)|meq|mmol)
                (?:\s?(?:/|per)\s?(?P<per>[0-9]+(?:\.[0-9]+)?\s?)?(?P<perunit>ml|cc|kg|dl|l(?-u:\b)|hr|h(?-u:\b)|min|day|dose|vial|syringe|actuation))?
                ",
            ),
            date: LazyRegex::new(
                r"(?xi)
                (?-u:\b)(?:
                   [0-9]{1,2}/[0-9]{1,2}/(?:[0-9]{4}|[0-9]{2})
                 | [0-9]{4}-[0-9]{2}-[0-9]{2}
                 | [0-9]{1,2}-[0-9]{1,2}-[0-9]{4}
                 | [0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}
                 | (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?,?\s+[0-9]{4}
                 | [0-9]{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+[0-9]{4}
                 | [0-9]{1,2}-(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)-[0-9]{2,4}
                )(?-u:\b)",
            ),
            time: LazyRegex::new(
                r"(?i)(?-u:\b)(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?(?:\s?(?:am|pm|a\.m\.|p\.m\.|a|p)(?-u:\b))?|(?-u:\b)(?:1[0-2]|0?[1-9])\s?(?:am|pm|a\.m\.|p\.m\.)(?:\W|$)",
            ),
            military_time: LazyRegex::new(
                r"(?i)(?:(?-u:\b)(?:at|@|time(?:\s+given)?:?|given at|hrs?:?)\s*|@\s*|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}\s+)((?:[01][0-9]|2[0-3])[0-5][0-9])(?-u:\b)(?:\s?(?:hrs?|h)(?-u:\b))?|(?-u:\b)((?:[01][0-9]|2[0-3])[0-5][0-9])\s?(?:hrs?|h)(?-u:\b)",
            ),
            icd10: LazyRegex::new(r"(?-u:\b)([A-TV-Za-tv-z][0-9][0-9ABab](?:\.[0-9A-TV-Za-tv-z]{1,4})?)(?-u:\b)"),
            person: LazyRegex::new(
                r"(?x)
                ^\s*(?:
                   (?:Dr|DR|Doctor|Nurse|NP|PA)\.?\s+(?:[A-Z]\.\s?){0,2}[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+)?
                 | dr\.?\s+(?:[a-z]\.\s?)?[a-z][a-z'\-]{2,}
                 | [A-Z]\.\s?(?:[A-Z]\.\s?)?[A-Z][A-Za-z'\-]+
                 | [A-Z][a-z'\-]+(?:\s+[A-Z]\.)?\s+[A-Z][A-Za-z'\-]+
                 | [A-Z][a-z'\-]{2,}
                 | [A-Z]{2,3}(?-u:\b)
                )",
            ),
            person_before: LazyRegex::new(
                r"(?x)
                (?:
                   (?:Dr|DR|dr|Doctor)\.?\s+(?:[A-Z]\.\s?){0,2}[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+)?
                 | [A-Z][A-Za-z.'\-]*(?:\s+[A-Z][A-Za-z.'\-]*){0,2},?\s+(?:MD|DO|NP|PA|PA-C|FNP|FNP-C|APRN|CNM|RN|LPN|CMA|MA)
                )\s*,?\s*$",
            ),
            titled_person: LazyRegex::new(
                r"(?:(?-u:\b)(?:Dr|DR|Doctor)\.?\s+(?:[A-Z]\.\s?){0,2}[A-Z][A-Za-z'\-]+(?:\s+[A-Z][A-Za-z'\-]+)?|(?-u:\b)dr\.?\s+[a-z][a-z'\-]{2,}|(?-u:\b)[A-Z][A-Za-z.'\-]*(?:\s+[A-Z][A-Za-z.'\-]*){0,2},?\s+(?:MD|DO|NP|PA-C|PA|FNP|APRN|CNM)(?-u:\b))",
            ),
            by_person: LazyRegex::new(r"(?i)(?-u:\b)by\s+\S"),
            trailing_signature: LazyRegex::new(format!(
                r"(?x)(?:^|[.;]\s+|\s[-\u{{2013}}\u{{2014}}~]{{1,2}}\s?|^[-\u{{2013}}\u{{2014}}~]{{1,2}}\s?|[0-9]\s+|\s{{2,}})
                (
                  (?:[A-Za-z]\.\s?){{1,2}}\s?[A-Za-z][A-Za-z'\-]+,?\s+[A-Za-z\-]{{2,8}}
                | [A-Z][a-z'\-]+\s+(?:[A-Z]\.\s)?[A-Z][A-Za-z'\-]+,?\s+[A-Za-z\-]{{2,8}}
                | [A-Z]{{2,3}}\s+[A-Z]{{2,4}}
                )
                {SIGNATURE_TAIL}",
            )),
            signature_tail: LazyRegex::new(SIGNATURE_TAIL),
            lot_value: LazyRegex::new(r"(?i)^\s*(?:#|no\.?|number|num)?\s*[:#=\-]?\s*([A-Z0-9][A-Z0-9\-/\.]{1,24})"),
            bare_number: LazyRegex::new(r"^[\s:=\-]*([0-9]+(?:\.[0-9]+)?)(?-u:\b)"),
            checkbox: LazyRegex::new(r"\[\s?[xX✓✔*]?\s?\]|\(\s?[xX✓✔*]?\s?\)|[☐☒☑■□]"),
        }
    }

    /// The one set of patterns every lexicon uses: they do not depend on
    /// the lexicon's vocabulary, so they are built (and each compiled) once
    /// per process.
    pub fn shared() -> &'static Patterns {
        static SHARED: std::sync::LazyLock<Patterns> = std::sync::LazyLock::new(Patterns::new);
        &SHARED
    }

    /// Compile now, in the order linting first needs them, the forms of the
    /// patterns that linting uses. Each compiles on first use anyway; a
    /// one-note run (a pre-sign hook) calls this on a second thread while
    /// the first builds the lexicon and reads the note, taking some 15
    /// million instructions of regex compilation off its critical path.
    pub fn warm(&self) {
        for r in [&self.amount, &self.icd10, &self.time, &self.military_time] {
            r.anchored();
        }
        for r in [
            &self.checkbox,
            &self.date,
            &self.person,
            &self.person_before,
            &self.titled_person,
            &self.trailing_signature,
        ] {
            r.as_str();
        }
        self.signature_tail.anchored();
    }

    /// Every pattern, compiled now (tests, and callers that want start-up
    /// errors early).
    pub fn compile_all(&self) {
        for r in [
            &self.amount,
            &self.date,
            &self.time,
            &self.military_time,
            &self.icd10,
            &self.person,
            &self.person_before,
            &self.titled_person,
            &self.by_person,
            &self.trailing_signature,
            &self.signature_tail,
            &self.lot_value,
            &self.bare_number,
            &self.checkbox,
        ] {
            // Any use of the `Regex` behind it compiles it.
            r.as_str();
        }
    }
}

/// A compiled lexicon: what linting a note needs, built once.
#[derive(Clone, Debug)]
pub struct Lexicon {
    pub source: LexiconSource,
    pub terms: TermMatcher,
    pub labels: LabelMatcher,
    pub patterns: &'static Patterns,
    pub abbreviations: Vec<CompiledAbbreviation>,
    pub abbreviation_set: RegexSet,
    /// Which routes are injectable, by route.
    injectable: Vec<Route>,
    /// Drug and entry index of each HCPCS code, by its upper-case text.
    drug_codes: std::collections::HashMap<String, (u16, usize)>,
}

/// The phrase matcher and the section/field label matcher of a lexicon.
fn build_matchers(source: &LexiconSource) -> Result<(TermMatcher, LabelMatcher), LexiconError> {
    let entries = term_entries(source)?;
    let terms = TermMatcher::build(entries).map_err(|e| build_error("lexicon", e))?;
    let labels = LabelMatcher::build(&source.sections, &source.fields).map_err(|e| build_error("sections", e))?;
    Ok((terms, labels))
}

/// The enabled do-not-use abbreviations, and the set that tells which of
/// them a note has.
fn compile_abbreviations(source: &LexiconSource) -> Result<(Vec<CompiledAbbreviation>, RegexSet), LexiconError> {
    let abbreviations: Vec<CompiledAbbreviation> = source
        .abbreviations
        .iter()
        .filter(|a| a.enabled)
        .map(|a| CompiledAbbreviation {
            id: a.id.clone(),
            regex: LazyRegex::new(a.pattern.clone()),
            message: a.message.clone(),
            instead: a.instead.clone(),
        })
        .collect();
    let set = RegexSet::new(abbreviations.iter().map(|a| a.regex.pattern())).map_err(|e| {
        // Name the abbreviation whose pattern is invalid, if one is.
        abbreviations
            .iter()
            .find_map(|a| {
                Regex::new(a.regex.pattern()).err().map(|e| LexiconError {
                    origin: "abbreviations".into(),
                    line: None,
                    message: format!("abbreviation `{}`: invalid pattern: {e}", a.id),
                })
            })
            .unwrap_or_else(|| build_error("abbreviations", e))
    })?;
    Ok((abbreviations, set))
}

fn build_error(origin: &str, e: impl fmt::Display) -> LexiconError {
    LexiconError { origin: origin.to_string(), line: None, message: e.to_string() }
}

impl Lexicon {
    /// The embedded defaults, compiled.
    pub fn default_compiled() -> Lexicon {
        Lexicon::compile(default_source()).unwrap_or_else(|e| panic!("embedded lexicon does not compile: {e}"))
    }

    /// Compile a merged lexicon. `enable`/`disable` list abbreviation ids
    /// to switch on or off.
    pub fn compile(source: LexiconSource) -> Result<Lexicon, LexiconError> {
        // The abbreviation set (a few million instructions of regex
        // compilation) is built on a second thread alongside the phrase
        // trie and labels: start-up is most of a one-note run.
        // Where no thread can be started, it is built here after them.
        let (matchers, abbreviations) = std::thread::scope(|scope| {
            let spawned = std::thread::Builder::new().spawn_scoped(scope, || compile_abbreviations(&source)).ok();
            let matchers = build_matchers(&source);
            let abbreviations = match spawned {
                // A panic there is a bug; pass it on as it is.
                Some(handle) => handle.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                None => compile_abbreviations(&source),
            };
            (matchers, abbreviations)
        });
        let (terms, labels) = matchers?;
        let (abbreviations, abbreviation_set) = abbreviations?;
        let patterns = Patterns::shared();
        let injectable = source.routes.iter().filter(|r| r.injectable).map(|r| r.route).collect();
        // Each code's first entry, in drug order, by its upper-case text.
        let mut drug_codes = std::collections::HashMap::new();
        for (i, d) in source.drugs.iter().enumerate() {
            for (k, h) in d.hcpcs.iter().enumerate() {
                drug_codes.entry(h.code.to_ascii_uppercase()).or_insert((i as u16, k));
            }
        }
        Ok(Lexicon { source, terms, labels, patterns, abbreviations, abbreviation_set, injectable, drug_codes })
    }

    pub fn drug(&self, index: u16) -> &Drug {
        &self.source.drugs[index as usize]
    }

    pub fn site(&self, index: u16) -> &SiteEntry {
        &self.source.sites[index as usize]
    }

    pub fn credential(&self, index: u8) -> &CredentialEntry {
        &self.source.credentials[index as usize]
    }

    pub fn is_injectable(&self, route: Route) -> bool {
        self.injectable.contains(&route)
    }

    /// The drug a HCPCS code belongs to, and the code's entry (the first,
    /// in drug order, whose code is this one ignoring ASCII case).
    pub fn drug_by_code(&self, code: &str) -> Option<(u16, &HcpcsCode)> {
        let &(drug, k) = self.drug_codes.get(&code.trim().to_ascii_uppercase())?;
        Some((drug, &self.source.drugs[usize::from(drug)].hcpcs[k]))
    }

    pub fn scope_words(&self) -> usize {
        self.source.scope_words.unwrap_or(8)
    }

    /// Is this ICD-10 code or phrase one that names only the encounter?
    pub fn is_encounter_only_code(&self, code: &str) -> bool {
        let code = code.as_bytes();
        self.source
            .encounter_only_codes
            .iter()
            .any(|p| code.get(..p.len()).is_some_and(|c| c.eq_ignore_ascii_case(p.as_bytes())))
    }
}

/// Every phrase of the lexicon with its kind.
fn term_entries(s: &LexiconSource) -> Result<Vec<(String, Kind)>, LexiconError> {
    let mut out: Vec<(String, Kind)> = Vec::new();
    let too_many = |what: &str| build_error("lexicon", format!("too many {what}"));
    for (i, d) in s.drugs.iter().enumerate() {
        let i = u16::try_from(i).map_err(|_| too_many("drugs"))?;
        for t in std::iter::once(&d.name).chain(&d.terms).chain(&d.brands) {
            out.push((t.clone(), Kind::Drug(i)));
        }
    }
    for r in &s.routes {
        out.extend(r.terms.iter().map(|t| (t.clone(), Kind::Route(r.route))));
    }
    for (i, site) in s.sites.iter().enumerate() {
        let i = u16::try_from(i).map_err(|_| too_many("sites"))?;
        out.push((site.site.clone(), Kind::Site(i)));
        out.extend(site.terms.iter().map(|t| (t.clone(), Kind::Site(i))));
    }
    for st in &s.sided_terms {
        let i = s
            .sites
            .iter()
            .position(|x| x.site.eq_ignore_ascii_case(&st.site))
            .ok_or_else(|| build_error("sites", format!("sided_terms names unknown site `{}`", st.site)))?;
        out.extend(st.terms.iter().map(|t| (t.clone(), Kind::SidedSite(i as u16, st.side))));
    }
    for side in &s.sides {
        out.extend(side.terms.iter().map(|t| (t.clone(), Kind::Side(side.side))));
    }
    for (i, c) in s.credentials.iter().enumerate() {
        let i = u8::try_from(i).map_err(|_| too_many("credentials"))?;
        out.extend(c.terms.iter().map(|t| (t.clone(), Kind::Credential(i))));
    }
    let lists: [(&Vec<String>, Kind); 36] = [
        (&s.supplied, Kind::Supplied),
        (&s.mixed_syringe, Kind::MixedSyringe),
        (&s.waste, Kind::Waste),
        (&s.evaluation_history, Kind::EvaluationHistory),
        (&s.evaluation_exam, Kind::EvaluationExam),
        (&s.evaluation_decision, Kind::EvaluationDecision),
        (&s.self_order_cues, Kind::SelfOrder),
        (&s.remote_encounter, Kind::RemoteEncounter),
        (&s.boilerplate_reasons, Kind::BoilerplateReason),
        (&s.intent.forward, Kind::Trigger(Modifier::Intent, Direction::Forward)),
        (&s.intent.backward, Kind::Trigger(Modifier::Intent, Direction::Backward)),
        (&s.order_cues, Kind::OrderCue),
        (&s.order_verbs, Kind::OrderVerb),
        (&s.administer_cues, Kind::AdministerCue),
        (&s.administer_verbs, Kind::AdministerVerb),
        (&s.self_references, Kind::SelfReference),
        (&s.signature_cues, Kind::SignatureCue),
        (&s.not_clinician_cues, Kind::NotClinician),
        (&s.necessity_cues, Kind::NecessityCue),
        (&s.boilerplate, Kind::Boilerplate),
        (&s.encounter_only_terms, Kind::EncounterOnly),
        (&s.conditions, Kind::Condition),
        (&s.pseudo, Kind::Pseudo),
        (&s.terminators, Kind::Terminator),
        (&s.injection, Kind::Injection),
        (&s.admin_verbs, Kind::AdminVerb),
        (&s.oral, Kind::Oral),
        (&s.procedure, Kind::Procedure),
        (&s.lab, Kind::Lab),
        (&s.response, Kind::Response),
        (&s.consent, Kind::Consent),
        (&s.lot, Kind::Lot),
        (&s.dob, Kind::Dob),
        (&s.expiry, Kind::Expiry),
        (&s.allergy.forward, Kind::Trigger(Modifier::Allergy, Direction::Forward)),
        (&s.allergy.backward, Kind::Trigger(Modifier::Allergy, Direction::Backward)),
    ];
    for (list, kind) in lists {
        out.extend(list.iter().map(|t| (t.clone(), kind)));
    }
    for (triggers, modifier) in [
        (&s.negated, Modifier::Negated),
        (&s.hypothetical, Modifier::Hypothetical),
        (&s.historical, Modifier::Historical),
    ] {
        out.extend(triggers.forward.iter().map(|t| (t.clone(), Kind::Trigger(modifier, Direction::Forward))));
        out.extend(triggers.backward.iter().map(|t| (t.clone(), Kind::Trigger(modifier, Direction::Backward))));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code index finds what a search of every drug's codes finds: each
    /// code in any case and with white space around, and no code for text
    /// that is none.
    #[test]
    fn drugs_are_found_by_code_as_a_search_finds_them() {
        let lex = Lexicon::default_compiled();
        let search = |code: &str| {
            let code = code.trim();
            lex.source.drugs.iter().enumerate().find_map(|(i, d)| {
                d.hcpcs.iter().find(|h| h.code.eq_ignore_ascii_case(code)).map(|h| (i as u16, h.code.clone()))
            })
        };
        let mut codes: Vec<String> =
            lex.source.drugs.iter().flat_map(|d| d.hcpcs.iter().map(|h| h.code.clone())).collect();
        assert!(codes.len() > 60, "{}", codes.len());
        let variants: Vec<String> =
            codes.iter().flat_map(|c| [c.to_lowercase(), format!(" {c}\t"), format!("{c}x")]).collect();
        codes.extend(variants);
        codes.extend(
            ["", "96372", "J", "j9999", "J1885 J1885", "ĵ3301", "a-very-long-code-that-is-no-code"].map(String::from),
        );
        for code in &codes {
            let found = lex.drug_by_code(code).map(|(i, h)| (i, h.code.clone()));
            assert_eq!(found, search(code), "{code:?}");
        }
    }

    #[test]
    fn patterns_compile() {
        let p = Patterns::new();
        p.compile_all();
        assert!(p.amount.is_match("40 mg/mL") && p.icd10.is_match("E53.8"));
        for date in ["on 11/23/2026", "Nov 23, 2026", "November 3rd, 2026", "23 Nov 2026", "2026-11-23"] {
            assert!(p.date.is_match(date), "{date}");
        }
    }

    #[test]
    fn embedded_defaults_parse_and_compile() {
        for (name, yaml) in DEFAULT_FILES {
            parse_source(name, yaml).unwrap_or_else(|e| panic!("{e}"));
        }
        let lex = Lexicon::default_compiled();
        assert!(lex.source.drugs.len() >= 80, "at least 80 drugs, got {}", lex.source.drugs.len());
    }

    #[test]
    fn embedded_json_matches_the_yaml() {
        // build.rs output is not stale and loads back to the same lexicon.
        let from_yaml = serde_json::to_string(&default_source_from_yaml()).unwrap();
        assert!(from_yaml == DEFAULT_JSON, "embedded lexicon JSON differs from lexicons/*.yaml");
        let loaded = serde_json::to_string(&default_source()).unwrap();
        assert!(loaded == from_yaml, "embedded lexicon JSON does not load back to the same lexicon");
    }

    #[test]
    fn an_invalid_abbreviation_pattern_is_named() {
        let mut s = default_source();
        let extra = parse_source(
            "mine.yaml",
            "abbreviations:\n  - id: BAD\n    pattern: '(unclosed'\n    message: m\n    instead: i\n    source: s\n",
        )
        .unwrap();
        s.merge(extra);
        let e = Lexicon::compile(s).unwrap_err();
        assert!(e.message.starts_with("abbreviation `BAD`: invalid pattern"), "{}", e.message);
    }

    #[test]
    fn abbreviation_regexes_match_the_set() {
        let lex = Lexicon::default_compiled();
        let text = "B12 1000 mcg IM 1.0 mL, .5 mL, 10 U, MSO4 QD";
        for i in lex.abbreviation_set.matches(text).iter() {
            assert!(lex.abbreviations[i].regex.is_match(text), "{}", lex.abbreviations[i].id);
        }
    }

    #[test]
    fn no_drug_term_names_two_drugs() {
        let s = default_source();
        let mut seen = std::collections::HashMap::new();
        for d in &s.drugs {
            for t in std::iter::once(&d.name).chain(&d.terms).chain(&d.brands) {
                let key = matcher::normalize_term(t).to_lowercase();
                if let Some(other) = seen.insert(key.clone(), d.name.clone()) {
                    assert_eq!(other, d.name, "term `{key}` names both `{other}` and `{}`", d.name);
                }
            }
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_line() {
        let e = parse_source("mine.yaml", "drugs:\n  - name: foo\n    brand: [Bar]\n").unwrap_err();
        assert_eq!(e.origin, "mine.yaml");
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("brand"), "{}", e.message);
    }

    #[test]
    fn user_drugs_override_by_name_and_add() {
        let mut s = default_source();
        let n = s.drugs.len();
        let extra = parse_source(
            "mine.yaml",
            "drugs:\n  - name: cyanocobalamin\n    terms: [cobalamin shot]\n  - name: zilretta\n    terms: [Zilretta]\n",
        )
        .unwrap();
        s.merge(extra);
        assert_eq!(s.drugs.len(), n + 1);
        let b12 = s.drugs.iter().find(|d| d.name == "cyanocobalamin").unwrap();
        assert_eq!(b12.terms, vec!["cobalamin shot".to_string()]);
        let lex = Lexicon::compile(s).unwrap();
        let hits = lex.terms.find("Zilretta 32 mg given");
        assert!(hits.iter().any(|h| matches!(h.kind, Kind::Drug(_))));
    }

    #[test]
    fn short_capital_terms_keep_their_case_and_boundaries() {
        let lex = Lexicon::default_compiled();
        let kinds = |t: &str| lex.terms.find(t).into_iter().map(|h| t[h.start..h.end].to_string()).collect::<Vec<_>>();
        // "MA" credential only in capitals; "ma" in a word never.
        assert!(kinds("given by K. Park, MA").contains(&"MA".to_string()));
        assert!(!kinds("mama said").iter().any(|t| t.eq_ignore_ascii_case("ma")));
        // "IM" not inside "immediately".
        assert!(!kinds("immediately").iter().any(|t| t.eq_ignore_ascii_case("im")));
        // A name run into a dose still matches.
        assert!(kinds("Toradol60mg IM").contains(&"Toradol".to_string()));
    }

    #[test]
    fn conditions_hide_drugs_and_phrases_hide_triggers() {
        let lex = Lexicon::default_compiled();
        let hits = lex.terms.find("for B12 deficiency; no adverse reaction");
        assert!(!hits.iter().any(|h| matches!(h.kind, Kind::Drug(_))), "{hits:?}");
        assert!(hits.iter().any(|h| h.kind == Kind::Condition));
        assert!(!hits.iter().any(|h| matches!(h.kind, Kind::Trigger(..))), "{hits:?}");
        assert!(hits.iter().any(|h| h.kind == Kind::Response));
    }
}
