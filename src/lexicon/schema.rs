//! The YAML shape of lexicon files (`lexicons/*.yaml`) and how a user's
//! additions merge into the defaults.
//!
//! Every file deserializes into the same [`LexiconSource`]; each file fills
//! the keys it is about. Unknown keys are errors, so a typo in a user's file
//! is reported with its line instead of being silently ignored.

use serde::{Deserialize, Serialize};

/// Classes a drug can belong to. They drive applicability and the coding
/// rules (vaccines, antineoplastics, allergen extracts are not 96372).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrugClass {
    Vaccine,
    Toxoid,
    Antineoplastic,
    HormonalAntineoplastic,
    Biologic,
    Controlled,
    LocalAnesthetic,
    Contrast,
    AllergenExtract,
    ImmuneGlobulin,
    Corticosteroid,
    Antibiotic,
    Antiemetic,
    Antipsychotic,
    Analgesic,
    Hormone,
    Vitamin,
    Anticoagulant,
    Other,
}

/// A route of administration, as normalised by notelint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Route {
    IM,
    SC,
    #[serde(rename = "IV_PUSH")]
    IvPush,
    IV,
    #[serde(rename = "INTRA_ARTERIAL")]
    IntraArterial,
    #[serde(rename = "INTRA_ARTICULAR", alias = "IA")]
    IntraArticular,
    ID,
    #[serde(rename = "INTRALESIONAL")]
    Intralesional,
    IO,
    PO,
    SL,
    #[serde(rename = "INTRANASAL")]
    Intranasal,
    #[serde(rename = "TOPICAL")]
    Topical,
    #[serde(rename = "INHALED")]
    Inhaled,
    #[serde(rename = "OTHER", alias = "other")]
    Other,
}

impl Route {
    /// The normalised name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::IM => "IM",
            Route::SC => "SC",
            Route::IvPush => "IV_PUSH",
            Route::IV => "IV",
            Route::IntraArterial => "INTRA_ARTERIAL",
            Route::IntraArticular => "INTRA_ARTICULAR",
            Route::ID => "ID",
            Route::Intralesional => "INTRALESIONAL",
            Route::IO => "IO",
            Route::PO => "PO",
            Route::SL => "SL",
            Route::Intranasal => "INTRANASAL",
            Route::Topical => "TOPICAL",
            Route::Inhaled => "INHALED",
            Route::Other => "OTHER",
        }
    }
}

/// A side of the body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Left,
    Right,
    Bilateral,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
            Side::Bilateral => "bilateral",
        }
    }
}

/// The billing unit of a HCPCS drug code, as its descriptor states it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingUnit {
    pub amount: f64,
    pub unit: String,
    #[serde(default)]
    pub up_to: bool,
}

/// A HCPCS Level II code for a drug.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HcpcsCode {
    pub code: String,
    #[serde(default)]
    pub descriptor: String,
    pub billing_unit: Option<BillingUnit>,
    #[serde(default)]
    pub valid_from: Option<String>,
    #[serde(default)]
    pub valid_to: Option<String>,
    #[serde(default)]
    pub replaced_by: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// An injectable drug or substance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Drug {
    pub name: String,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub brands: Vec<String>,
    #[serde(default)]
    pub classes: Vec<DrugClass>,
    #[serde(default)]
    pub schedule: Option<String>,
    #[serde(default)]
    pub routes: Vec<Route>,
    #[serde(default)]
    pub contraindicated_routes: Vec<Route>,
    #[serde(default)]
    pub single_dose: bool,
    #[serde(default)]
    pub hcpcs: Vec<HcpcsCode>,
}

impl Drug {
    pub fn has_class(&self, class: DrugClass) -> bool {
        self.classes.contains(&class)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteEntry {
    pub route: Route,
    #[serde(default)]
    pub injectable: bool,
    #[serde(default)]
    pub terms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteEntry {
    pub site: String,
    #[serde(default)]
    pub sided: bool,
    #[serde(default)]
    pub strong: bool,
    #[serde(default)]
    pub terms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SidedTerm {
    pub site: String,
    pub side: Side,
    pub terms: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideEntry {
    pub side: Side,
    pub terms: Vec<String>,
}

/// Whether a credential may order (prescriber) or only administer (staff).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Prescriber,
    Staff,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialEntry {
    pub credential: String,
    pub role: Role,
    pub terms: Vec<String>,
}

/// Context triggers of one kind, by the direction they reach.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Triggers {
    pub forward: Vec<String>,
    pub backward: Vec<String>,
}

/// Section kinds notelint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Subjective,
    Objective,
    Assessment,
    Plan,
    AssessmentPlan,
    Procedure,
    Allergies,
    MedicationList,
    History,
    FamilyHistory,
    Signature,
    Indication,
    Other,
}

/// Template field kinds notelint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Medication,
    Dose,
    Route,
    Site,
    Side,
    Lot,
    Expiration,
    OrderedBy,
    AdministeredBy,
    Indication,
    Diagnosis,
    Consent,
    Date,
    Time,
    Response,
    Allergies,
    Signature,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionEntry {
    pub kind: SectionKind,
    pub labels: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldEntry {
    pub kind: FieldKind,
    pub labels: Vec<String>,
}

/// A do-not-use abbreviation (Q204).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Abbreviation {
    pub id: String,
    pub pattern: String,
    pub message: String,
    pub instead: String,
    #[serde(default)]
    pub source: String,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// Everything a lexicon file may hold. The defaults are several files, each
/// filling some keys; a user's file or config may fill any of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LexiconSource {
    pub drugs: Vec<Drug>,
    pub routes: Vec<RouteEntry>,
    pub sites: Vec<SiteEntry>,
    pub sided_terms: Vec<SidedTerm>,
    pub sides: Vec<SideEntry>,
    pub credentials: Vec<CredentialEntry>,
    pub order_cues: Vec<String>,
    pub order_verbs: Vec<String>,
    pub self_order_cues: Vec<String>,
    pub administer_cues: Vec<String>,
    pub administer_verbs: Vec<String>,
    pub self_references: Vec<String>,
    pub signature_cues: Vec<String>,
    pub not_clinician_cues: Vec<String>,
    pub necessity_cues: Vec<String>,
    pub boilerplate: Vec<String>,
    pub boilerplate_reasons: Vec<String>,
    pub encounter_only_codes: Vec<String>,
    pub encounter_only_terms: Vec<String>,
    pub conditions: Vec<String>,
    pub scope_words: Option<usize>,
    pub negated: Triggers,
    pub hypothetical: Triggers,
    pub historical: Triggers,
    pub allergy: Triggers,
    pub intent: Triggers,
    pub pseudo: Vec<String>,
    pub terminators: Vec<String>,
    pub remote_encounter: Vec<String>,
    pub injection: Vec<String>,
    pub admin_verbs: Vec<String>,
    pub oral: Vec<String>,
    pub procedure: Vec<String>,
    pub lab: Vec<String>,
    pub response: Vec<String>,
    pub consent: Vec<String>,
    pub lot: Vec<String>,
    pub dob: Vec<String>,
    pub expiry: Vec<String>,
    pub supplied: Vec<String>,
    pub mixed_syringe: Vec<String>,
    pub waste: Vec<String>,
    pub evaluation_history: Vec<String>,
    pub evaluation_exam: Vec<String>,
    pub evaluation_decision: Vec<String>,
    pub sections: Vec<SectionEntry>,
    pub fields: Vec<FieldEntry>,
    pub abbreviations: Vec<Abbreviation>,
}

/// Replace the entry whose key matches, or append.
fn upsert<T, K: PartialEq>(into: &mut Vec<T>, from: Vec<T>, key: impl Fn(&T) -> K) {
    for item in from {
        match into.iter().position(|x| key(x) == key(&item)) {
            Some(i) => into[i] = item,
            None => into.push(item),
        }
    }
}

/// Append terms not already present (compared without case).
fn union(into: &mut Vec<String>, from: Vec<String>) {
    for t in from {
        if !into.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
            into.push(t);
        }
    }
}

impl LexiconSource {
    /// Merge `other` into `self`. Named entries (drugs by name, routes by
    /// route, sites by site, credentials, abbreviations by id) replace the
    /// entry of the same name; term lists are unioned; section and field
    /// labels are added to their kind.
    pub fn merge(&mut self, other: LexiconSource) {
        // A user's drug takes its names away from any other entry, so the
        // newer definition wins wherever they overlap.
        for incoming in &other.drugs {
            let names: Vec<String> = std::iter::once(&incoming.name)
                .chain(&incoming.terms)
                .chain(&incoming.brands)
                .map(|t| t.to_lowercase())
                .collect();
            for d in self.drugs.iter_mut().filter(|d| !d.name.eq_ignore_ascii_case(&incoming.name)) {
                d.terms.retain(|t| !names.contains(&t.to_lowercase()));
                d.brands.retain(|t| !names.contains(&t.to_lowercase()));
            }
        }
        upsert(&mut self.drugs, other.drugs, |d| d.name.to_lowercase());
        upsert(&mut self.routes, other.routes, |r| r.route);
        upsert(&mut self.sites, other.sites, |s| s.site.to_lowercase());
        self.sided_terms.extend(other.sided_terms);
        for side in other.sides {
            match self.sides.iter_mut().find(|s| s.side == side.side) {
                Some(s) => union(&mut s.terms, side.terms),
                None => self.sides.push(side),
            }
        }
        upsert(&mut self.credentials, other.credentials, |c| c.credential.clone());
        let lists: [(&mut Vec<String>, Vec<String>); 33] = [
            (&mut self.supplied, other.supplied),
            (&mut self.mixed_syringe, other.mixed_syringe),
            (&mut self.waste, other.waste),
            (&mut self.evaluation_history, other.evaluation_history),
            (&mut self.evaluation_exam, other.evaluation_exam),
            (&mut self.evaluation_decision, other.evaluation_decision),
            (&mut self.self_order_cues, other.self_order_cues),
            (&mut self.remote_encounter, other.remote_encounter),
            (&mut self.boilerplate_reasons, other.boilerplate_reasons),
            (&mut self.order_cues, other.order_cues),
            (&mut self.order_verbs, other.order_verbs),
            (&mut self.administer_cues, other.administer_cues),
            (&mut self.administer_verbs, other.administer_verbs),
            (&mut self.self_references, other.self_references),
            (&mut self.signature_cues, other.signature_cues),
            (&mut self.not_clinician_cues, other.not_clinician_cues),
            (&mut self.necessity_cues, other.necessity_cues),
            (&mut self.boilerplate, other.boilerplate),
            (&mut self.encounter_only_codes, other.encounter_only_codes),
            (&mut self.encounter_only_terms, other.encounter_only_terms),
            (&mut self.conditions, other.conditions),
            (&mut self.pseudo, other.pseudo),
            (&mut self.terminators, other.terminators),
            (&mut self.injection, other.injection),
            (&mut self.admin_verbs, other.admin_verbs),
            (&mut self.oral, other.oral),
            (&mut self.procedure, other.procedure),
            (&mut self.lab, other.lab),
            (&mut self.response, other.response),
            (&mut self.consent, other.consent),
            (&mut self.lot, other.lot),
            (&mut self.dob, other.dob),
            (&mut self.expiry, other.expiry),
        ];
        for (into, from) in lists {
            union(into, from);
        }
        for (into, from) in [
            (&mut self.negated, other.negated),
            (&mut self.hypothetical, other.hypothetical),
            (&mut self.historical, other.historical),
            (&mut self.allergy, other.allergy),
            (&mut self.intent, other.intent),
        ] {
            union(&mut into.forward, from.forward);
            union(&mut into.backward, from.backward);
        }
        if other.scope_words.is_some() {
            self.scope_words = other.scope_words;
        }
        for s in other.sections {
            match self.sections.iter_mut().find(|x| x.kind == s.kind) {
                Some(x) => union(&mut x.labels, s.labels),
                None => self.sections.push(s),
            }
        }
        for f in other.fields {
            match self.fields.iter_mut().find(|x| x.kind == f.kind) {
                Some(x) => union(&mut x.labels, f.labels),
                None => self.fields.push(f),
            }
        }
        upsert(&mut self.abbreviations, other.abbreviations, |a| a.id.clone());
    }
}
