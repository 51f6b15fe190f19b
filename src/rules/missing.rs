//! D101-D112: a required element is not documented.
//!
//! All twelve share one mechanism (the element is absent from the
//! extraction); each has its own code, severity and documentation. D102 and
//! D107 stand back when Q202 or Q201 report the same gap more precisely.

use super::{Emit, Rule, RuleContext, RuleDoc};
use crate::diagnostic::Severity;
use crate::element::Element;

fn missing(ctx: &RuleContext, element: Element, message: &'static str, help: &'static str) -> Vec<Emit> {
    let x = ctx.extraction;
    if x.has(element) {
        return Vec::new();
    }
    let precise = match element {
        Element::Dose => !x.bare_doses.is_empty() && ctx.enabled("Q202"),
        Element::MedicalNecessity => !x.boilerplate.is_empty() && ctx.enabled("Q201"),
        _ => false,
    };
    if precise {
        return Vec::new();
    }
    vec![Emit { message: message.into(), span: None, help: Some(help.into()) }]
}

macro_rules! missing_rule {
    ($code:ident, $name:literal, $element:expr, $severity:expr, $summary:literal, $message:literal, $help:literal,
     what: $what:literal, why: $why:literal, fail: $fail:literal, pass: $pass:literal) => {
        pub static $code: Rule = Rule {
            code: stringify!($code),
            name: $name,
            severity: $severity,
            summary: $summary,
            doc: RuleDoc { what: $what, why: $why, fail: $fail, pass: $pass, fix: $help },
            check: |ctx| missing(ctx, $element, $message, $help),
        };
    };
}

missing_rule!(D101, "missing-medication", Element::Medication, Severity::Error,
    "the note does not name the drug or substance injected",
    "no medication is named for this injection",
    "name the drug given, generic or brand (\"cyanocobalamin\", \"Kenalog-40\")",
    what: "Looks for the drug or substance given at this encounter: a generic or brand name from the drug lexicon, a common short form (\"B12\", \"Depo\"), or the value of a Medication field. Names under Allergies, in a medication list, or in negated, future or past statements do not count.",
    why: "96372 descriptors require the substance to be specified, and the drug is billed on its own HCPCS line; a claim whose note does not say what was injected cannot be matched to either and is denied on review.",
    fail: "01/05/2026 10:42. Injection of 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D102, "missing-dose", Element::Dose, Severity::Error,
    "the note gives no dose with a unit",
    "no dose with a unit is documented",
    "write the amount and unit given (\"1000 mcg\", \"60 mg\", or \"1 mL of 40 mg/mL\")",
    what: "Looks for an amount with a unit (mg, mcg, g, mL, units, million units, mEq) about this injection, or a concentration with a volume, which is multiplied out. A number without a unit is reported by Q202 instead.",
    why: "Drug lines are billed in units of the HCPCS descriptor; without the documented dose an auditor cannot verify the billed units, and payers recoup the drug line.",
    fail: "01/05/2026 10:42. Cyanocobalamin given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D103, "missing-route", Element::Route, Severity::Error,
    "the note does not state the route (IM, SC...)",
    "no route of administration is documented",
    "state the route: IM / intramuscular or subcut / subcutaneous",
    what: "Looks for an explicit route: IM, intramuscular, SC, subcut, subQ, SQ, IV push, intradermal, intra-articular. The route is never inferred from the site: \"into the deltoid\" alone does not say IM.",
    why: "96372 covers only subcutaneous and intramuscular injections; other routes have other codes. Without the route the claim cannot be shown to be 96372 at all.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D104, "missing-site", Element::Site, Severity::Error,
    "the note does not name the injection site",
    "no injection site is documented",
    "name the anatomical site with its side (\"left deltoid\", \"right ventrogluteal\")",
    what: "Looks for the anatomical site of this injection (deltoid, ventrogluteal, gluteal / upper outer quadrant, vastus lateralis, thigh, upper arm, abdomen...) or a Site field with a value. The next visit's site or a previous visit's site does not count.",
    why: "The site is part of the administration record and what separates two injections billed as two units (and modifier XS); an empty Site field is one of the first things an auditor notices.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D105, "missing-ordering-clinician", Element::OrderingClinician, Severity::Warning,
    "the note does not say who ordered the injection",
    "no ordering clinician is named",
    "name who ordered it (\"ordered by Dr. Patel\", \"per order of J. Kim, NP\")",
    what: "Looks for who ordered the injection: \"ordered by\", \"per order of\", \"verbal order from\" and a person, a clinician followed by \"ordered\", or an Ordered by field. \"Per protocol\", \"standing order\" and \"co-signed by\" name nobody.",
    why: "Medicare contractors list an incomplete or missing physician order among the most common errors for drug administration; the order must come from a treating clinician.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8) per protocol. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D106, "missing-administering-clinician", Element::AdministeringClinician, Severity::Error,
    "the note does not say who gave the injection",
    "no administering clinician is named",
    "name who gave it with credentials (\"administered by M. Lopez, RN\") or sign the note",
    what: "Looks for who gave the injection: \"administered by\" / \"given by\" and a person, credential or \"this writer\", an Administered by field, or a signature line naming a clinician with a credential.",
    why: "Payers require the signature and credentials of everyone who provided the service; an unsigned or anonymous administration entry cannot be attributed and fails review.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D107, "missing-medical-necessity", Element::MedicalNecessity, Severity::Error,
    "the note does not say why the injection was needed",
    "no reason for the injection is documented",
    "state the clinical reason (\"for B12 deficiency anemia, oral therapy failed\")",
    what: "Looks for the reason for this injection: a cue (\"for\", \"due to\", \"to treat\", \"indication:\") followed by a condition, symptom or code, or an Indication, Diagnosis or Assessment field or section naming one. Boilerplate is reported by Q201 instead.",
    why: "Missing medical-necessity documentation is a leading cause of drug administration denials; coverage policies (for example for B12) pay only for documented indications.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid, ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D108, "missing-administration-time", Element::Datetime, Severity::Warning,
    "the note gives no date or time of administration",
    "no date or time of administration is documented",
    "record when it was given (\"01/05/2026 10:42\", \"at 14:05\")",
    what: "Looks for a date or time of this encounter: a date, a clock time, a Date or Time field, or a signature timestamp. Dates of birth, expiry dates and past or future dates do not count; nor does the export's date column.",
    why: "Entries must be dated and timed; the time orders administrations within a visit and supports modifiers for separate encounters.",
    fail: "Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D109, "missing-patient-response", Element::Response, Severity::Warning,
    "the note does not say how the patient tolerated it",
    "the patient's response is not documented",
    "record tolerance or any reaction (\"tolerated well, no adverse reaction\", \"observed 15 min\")",
    what: "Looks for how the patient tolerated the injection: \"tolerated well\", \"no adverse reaction\", an observation period, a reaction that occurred, or a Response / Reaction field with a value. \"Call if any reaction\" is an instruction, not a response.",
    why: "Monitoring the effect of a medication is a Joint Commission standard, and a documented response shows the service was completed.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Instructed to call with any concerns.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D110, "missing-consent", Element::Consent, Severity::Info,
    "the note does not record consent",
    "consent is not documented",
    "record consent (\"verbal consent obtained\")",
    what: "Looks for consent to the injection: \"consent obtained\", \"verbal consent\", \"written consent signed\", \"agreed to injection\", or a Consent field with a value. \"No consent on file\" and an empty field do not count.",
    why: "No payer rule requires consent for 96372, but many organisations do; the rule is info-level by default and can be raised in notelint.yaml.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D111, "missing-diagnosis", Element::Diagnosis, Severity::Warning,
    "the note names no diagnosis or ICD-10 code",
    "no diagnosis supports this injection",
    "name the condition treated and its ICD-10-CM code (\"vitamin B12 deficiency, E53.8\")",
    what: "Looks for a current diagnosis: an ICD-10-CM code or a named condition or symptom. \"History of\", family history, \"rule out\" and negated conditions do not count.",
    why: "Documentation must support the diagnosis billed for the medication; coverage determinations list the diagnoses a drug is paid for.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid as ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");

missing_rule!(D112, "missing-lot-expiration", Element::Lot, Severity::Info,
    "the note does not record the lot number or expiration",
    "no lot number or expiration date is documented",
    "record the product's lot and expiration (\"Lot 4K21B exp 03/2027\")",
    what: "Looks for a lot number or an expiration: \"Lot\", \"Lot #\", \"exp\" or a Lot field followed by a value with a digit in it. \"Lot not recorded\" does not count.",
    why: "Lot and expiry let a recalled or expired product be traced to the patients who got it; federal law requires them for vaccines. For other drugs the rule is info-level by default.",
    fail: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN",
    pass: "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN");
