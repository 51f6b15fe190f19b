//! The twelve elements an injection note must document (SPEC "Elements").
//!
//! The names are part of the output contract: they are the keys under
//! `elements` in JSON and the words users type in configs.

use std::fmt;

/// One documentation element of an injection note.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    Medication,
    Dose,
    Route,
    Site,
    OrderingClinician,
    AdministeringClinician,
    MedicalNecessity,
    Datetime,
    Response,
    Consent,
    Diagnosis,
    Lot,
}

impl Element {
    /// Every element, in the order of the spec (and of D101..D112).
    pub const ALL: [Element; 12] = [
        Element::Medication,
        Element::Dose,
        Element::Route,
        Element::Site,
        Element::OrderingClinician,
        Element::AdministeringClinician,
        Element::MedicalNecessity,
        Element::Datetime,
        Element::Response,
        Element::Consent,
        Element::Diagnosis,
        Element::Lot,
    ];

    /// The snake_case name used in JSON output and configs.
    pub fn name(self) -> &'static str {
        match self {
            Element::Medication => "medication",
            Element::Dose => "dose",
            Element::Route => "route",
            Element::Site => "site",
            Element::OrderingClinician => "ordering_clinician",
            Element::AdministeringClinician => "administering_clinician",
            Element::MedicalNecessity => "medical_necessity",
            Element::Datetime => "datetime",
            Element::Response => "response",
            Element::Consent => "consent",
            Element::Diagnosis => "diagnosis",
            Element::Lot => "lot",
        }
    }

    /// The element with this snake_case name.
    pub fn from_name(name: &str) -> Option<Element> {
        Element::ALL.into_iter().find(|e| e.name() == name)
    }

    /// Position in [`Element::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_spec_order() {
        for (i, e) in Element::ALL.into_iter().enumerate() {
            assert_eq!(e.index(), i);
            assert_eq!(Element::from_name(e.name()), Some(e));
        }
        assert_eq!(Element::from_name("medicine"), None);
    }
}
