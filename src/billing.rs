//! Billing arithmetic and code families, as the coding rules (C3xx) need
//! them: HCPCS billing units, unit conversions, which CPT/HCPCS codes belong
//! to which family, and dates of service.
//!
//! Units follow CMS's rule: bill the dose in multiples of the descriptor's
//! amount, rounding up to the next whole unit when the dose falls between
//! units; an "up to X" descriptor bills one unit per X or part of X, which
//! is the same arithmetic.

use crate::lexicon::BillingUnit;

/// An amount in a base unit of one dimension.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quantity {
    /// Milligrams.
    Mass(f64),
    /// Millilitres.
    Volume(f64),
    /// Units (international, USP...).
    Units(f64),
    /// Milliequivalents.
    Equivalents(f64),
}

/// Convert an amount with a normalised unit (mg, mcg, g, mL, units,
/// million units, mEq) to a [`Quantity`].
pub fn quantity(amount: f64, unit: &str) -> Option<Quantity> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "mg" => Quantity::Mass(amount),
        "mcg" => Quantity::Mass(amount / 1000.0),
        "g" => Quantity::Mass(amount * 1000.0),
        "ml" | "cc" => Quantity::Volume(amount),
        "units" | "unit" => Quantity::Units(amount),
        "million units" => Quantity::Units(amount * 1_000_000.0),
        "meq" => Quantity::Equivalents(amount),
        _ => return None,
    })
}

/// Billed units for `dose` under `unit`: the dose divided by the billing
/// unit, rounded up (at least 1). `None` when the dimensions differ (a dose
/// in mL against a code billed per mg).
pub fn expected_units(dose: Quantity, unit: &BillingUnit) -> Option<u64> {
    let per = quantity(unit.amount, &unit.unit)?;
    let ratio = match (dose, per) {
        (Quantity::Mass(a), Quantity::Mass(b))
        | (Quantity::Volume(a), Quantity::Volume(b))
        | (Quantity::Units(a), Quantity::Units(b))
        | (Quantity::Equivalents(a), Quantity::Equivalents(b)) => a / b,
        _ => return None,
    };
    if !ratio.is_finite() || ratio <= 0.0 {
        return None;
    }
    // Tolerate floating-point noise (0.1 mg / 0.1 mg = 1.0000000002).
    Some(((ratio - 1e-9).ceil() as u64).max(1))
}

/// Describe a billing unit as its descriptor does ("per 15 mg", "up to 1000 mcg").
pub fn describe(unit: &BillingUnit) -> String {
    let amount = format_amount(unit.amount);
    if unit.up_to {
        format!("up to {amount} {}", unit.unit)
    } else {
        format!("per {amount} {}", unit.unit)
    }
}

/// A number without trailing zeros, with thousands separators for large ones.
pub fn format_amount(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        let s = format!("{}", v as i64);
        if s.len() > 4 {
            let mut out = String::new();
            for (i, c) in s.chars().enumerate() {
                if i > 0 && (s.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(c);
            }
            return out;
        }
        return s;
    }
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn numeric(code: &str) -> Option<u32> {
    code.trim().parse().ok()
}

/// 96372 itself.
pub fn is_96372(code: &str) -> bool {
    code.trim() == "96372"
}

/// An office / outpatient E/M code (99202-99215).
pub fn is_em(code: &str) -> bool {
    numeric(code).is_some_and(|n| (99202..=99215).contains(&n))
}

/// A HCPCS Level II drug code line (J and Q codes) or a vaccine product
/// code (CPT 90476-90759).
pub fn is_drug_code(code: &str) -> bool {
    let c = code.trim();
    let level2 = c.len() == 5 && c.starts_with(['J', 'j', 'Q', 'q']) && c[1..].bytes().all(|b| b.is_ascii_digit());
    level2 || numeric(c).is_some_and(|n| (90476..=90759).contains(&n))
}

/// Immunization administration codes.
pub fn is_vaccine_admin(code: &str) -> bool {
    let c = code.trim().to_ascii_uppercase();
    matches!(c.as_str(), "90460" | "90461" | "90471" | "90472" | "90473" | "90474" | "G0008" | "G0009" | "G0010")
}

/// Chemotherapy administration, SC/IM.
pub fn is_chemo_admin(code: &str) -> bool {
    matches!(code.trim(), "96401" | "96402")
}

/// Allergen immunotherapy administration.
pub fn is_allergy_admin(code: &str) -> bool {
    matches!(code.trim(), "95115" | "95117")
}

/// Administration codes for routes other than SC/IM: IV push, infusion,
/// hydration, intra-arterial, joint and trigger-point injection, TB skin
/// test, intralesional.
pub fn is_other_route_admin(code: &str) -> bool {
    numeric(code).is_some_and(|n| {
        matches!(n, 96360 | 96361 | 96365..=96368 | 96373..=96376 | 20600..=20611 | 20552 | 20553 | 86580 | 11900 | 11901)
    })
}

/// A calendar date as (year, month, day), parsed from `YYYY-MM-DD...`,
/// `MM/DD/YYYY` or `M/D/YY`.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let ok = |y: i32, m: u32, d: u32| ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d));
    if s.len() >= 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
        return ok(s[..4].parse().ok()?, s[5..7].parse().ok()?, s[8..10].parse().ok()?);
    }
    let head = s.split_whitespace().next()?;
    let parts: Vec<&str> = head.split('/').collect();
    if parts.len() == 3 {
        let y: i32 = parts[2].parse().ok()?;
        let y = if y < 100 { 2000 + y } else { y };
        return ok(y, parts[0].parse().ok()?, parts[1].parse().ok()?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::default_source;

    fn unit(amount: f64, unit: &str, up_to: bool) -> BillingUnit {
        BillingUnit { amount, unit: unit.into(), up_to }
    }

    #[test]
    fn worked_examples() {
        // ketorolac 60 mg, J1885 per 15 mg
        assert_eq!(expected_units(Quantity::Mass(60.0), &unit(15.0, "mg", false)), Some(4));
        // ceftriaxone 1 g, J0696 per 250 mg
        assert_eq!(expected_units(quantity(1.0, "g").unwrap(), &unit(250.0, "mg", false)), Some(4));
        // B12 1000 mcg, J3420 up to 1000 mcg
        assert_eq!(expected_units(quantity(1000.0, "mcg").unwrap(), &unit(1000.0, "mcg", true)), Some(1));
        // penicillin G benzathine 2.4 million units, J0561 per 100,000 units
        assert_eq!(expected_units(quantity(2.4, "million units").unwrap(), &unit(100000.0, "units", false)), Some(24));
        // First Coast's example: 10 mg against a 6 mg descriptor is 2 units
        assert_eq!(expected_units(Quantity::Mass(10.0), &unit(6.0, "mg", false)), Some(2));
        // a dose below the descriptor amount is 1 unit
        assert_eq!(expected_units(Quantity::Mass(12.5), &unit(50.0, "mg", true)), Some(1));
        // different dimensions cannot be compared
        assert_eq!(expected_units(Quantity::Volume(1.0), &unit(1.0, "mg", false)), None);
        assert_eq!(describe(&unit(100000.0, "units", false)), "per 100,000 units");
    }

    /// Every drug code in the lexicon with a billing unit: one, two and two
    /// and a half billing units of dose bill 1, 2 and 3 units.
    #[test]
    fn every_billing_unit_in_the_lexicon() {
        let source = default_source();
        let mut checked = 0;
        for d in &source.drugs {
            for h in &d.hcpcs {
                let Some(bu) = &h.billing_unit else { continue };
                assert!(quantity(bu.amount, &bu.unit).is_some(), "{} {}: unknown unit {}", d.name, h.code, bu.unit);
                for (k, want) in [(1.0, 1), (2.0, 2), (2.5, 3), (0.5, 1)] {
                    let dose = quantity(bu.amount * k, &bu.unit).unwrap();
                    assert_eq!(expected_units(dose, bu), Some(want), "{} {} x{k}", d.name, h.code);
                }
                checked += 1;
            }
        }
        assert!(checked >= 40, "at least 40 drug codes with billing units, got {checked}");
    }

    #[test]
    fn code_families_and_dates() {
        assert!(is_drug_code("J3420") && is_drug_code("q5101") && is_drug_code("90686") && !is_drug_code("96372"));
        assert!(is_em("99213") && is_em("99211") && !is_em("96372"));
        assert!(is_other_route_admin("96374") && is_other_route_admin("20610") && !is_other_route_admin("96372"));
        assert_eq!(parse_date("2026-01-05T10:42:00Z"), Some((2026, 1, 5)));
        assert_eq!(parse_date("1/5/26 0930"), Some((2026, 1, 5)));
        assert_eq!(parse_date("13/45/2026"), None);
    }
}
