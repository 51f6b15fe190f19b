//! Reading a note's charge lines for the coding rules (C3xx).

use crate::billing;
use crate::extract::Extraction;
use crate::note::Charge;

/// The charge lines of one note.
pub struct Claim<'a> {
    pub charges: &'a [Charge],
}

impl<'a> Claim<'a> {
    pub fn new(charges: &'a [Charge]) -> Claim<'a> {
        Claim { charges }
    }

    pub fn is_empty(&self) -> bool {
        self.charges.is_empty()
    }

    pub fn bills(&self, pred: impl Fn(&str) -> bool) -> bool {
        self.charges.iter().any(|c| pred(&c.code))
    }

    pub fn bills_96372(&self) -> bool {
        self.bills(billing::is_96372)
    }

    /// Units of 96372 over all its lines.
    pub fn units_96372(&self) -> f64 {
        self.charges.iter().filter(|c| billing::is_96372(&c.code)).map(|c| c.units).sum()
    }

    /// Is the note's injection claimed as 96372? Without charges it is taken
    /// as one; with charges, only when 96372 is billed.
    pub fn claims_96372(&self) -> bool {
        self.is_empty() || self.bills_96372()
    }

    pub fn has_modifier(c: &Charge, m: &str) -> bool {
        c.modifiers.iter().any(|x| x.eq_ignore_ascii_case(m))
    }
}

/// Injection sites distinct by site and side.
pub fn distinct_sites(x: &Extraction) -> usize {
    crate::extract::count_distinct(&x.sites, |a, b| a.site == b.site && a.side == b.side)
}
