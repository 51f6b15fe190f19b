//! The medication and its dose.
//!
//! A drug counts when the lexicon names it (or a `Medication:` field gives
//! one) in a mention about this encounter, not as a lab value ("B12 level")
//! or an oral medicine. Doses are amounts with units; a concentration with
//! a volume ("1 mL of 40 mg/mL") is multiplied out.

use super::{DoseMention, DrugMention, Extraction, Scan};
use crate::element::Element;
use crate::lexicon::{FieldKind, Kind};
use crate::note::layout::ValueState;
use compact_str::CompactString;
use std::ops::Range;

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    drugs(scan, x);
    doses(scan, x);
}

/// Is the drug at `span` a lab value: "B12 level", "urine hCG", "PPD read"?
fn lab_value(scan: &Scan, span: &Range<usize>) -> bool {
    let after = span.end..(span.end + 16).min(scan.text.len());
    let before = span.start.saturating_sub(12)..span.start;
    let near = |r: Range<usize>, at_start: bool| {
        scan.hits_in(r.clone(), |k| k == Kind::Lab).any(|h| {
            let gap = if at_start { &scan.text[r.start..h.start] } else { &scan.text[h.end..r.end] };
            gap.chars().all(|c| c.is_whitespace() || c == '-' || c == ':')
        })
    };
    let after =
        span.end..scan.hits_in(after.clone(), |k| k == Kind::Lab).next().map_or(span.end, |h| h.end.min(after.end));
    near(after, true) || near(before, false)
}

fn drugs(scan: &Scan, x: &mut Extraction) {
    for h in scan.hits_where(|k| matches!(k, Kind::Drug(_))) {
        let span = h.start..h.end;
        let Kind::Drug(i) = h.kind else { continue };
        if lab_value(scan, &span) || !scan.documents(&span) {
            continue;
        }
        let sentence = scan.layout.sentence_at(span.start);
        let oral = scan.hits_in(sentence.clone(), |k| k == Kind::Oral).next().is_some()
            && scan.hits_in(sentence.clone(), |k| matches!(k, Kind::Route(_) | Kind::Injection)).next().is_none()
            && scan.layout.field_at(span.start).is_none_or(|f| f.kind != FieldKind::Medication);
        if oral {
            continue;
        }
        x.drugs.push(DrugMention { span: span.clone(), drug: Some(i), dose: None, route: None });
        x.set_first(Element::Medication, span, || Some(CompactString::from(scan.lexicon.drug(i).name.as_str())));
    }
    // A `Medication:` field names the drug even when the lexicon does not know it.
    for f in scan.layout.fields_of(FieldKind::Medication) {
        if f.state != ValueState::Present
            || x.drugs.iter().any(|d| f.value.start <= d.span.start && d.span.end <= f.value.end)
        {
            continue;
        }
        let value = &scan.text[f.value.clone()];
        let name_len =
            value.find(|c: char| c.is_ascii_digit() || c == ',' || c == '(' || c == ';').unwrap_or(value.len());
        let name = value[..name_len].trim();
        if name.len() < 2 || !name.chars().any(char::is_alphabetic) {
            continue;
        }
        let span = f.value.start..f.value.start + name.len();
        x.drugs.push(DrugMention { span: span.clone(), drug: None, dose: None, route: None });
        x.set_first(Element::Medication, span, || Some(super::lowercase(name)));
    }
    x.drugs.sort_by_key(|d| d.span.start);
}

fn unit_of(raw: &str) -> Option<&'static str> {
    // Lowercased, with white space trimmed and each run of it one space, in
    // a buffer on the stack: every unit fits in 16 bytes.
    let mut buf = [0u8; 16];
    let mut len = 0;
    let mut space = false;
    for c in raw.chars() {
        if c.is_whitespace() {
            space = len > 0;
            continue;
        }
        let mut utf8 = [0u8; 4];
        let bytes = c.to_ascii_lowercase().encode_utf8(&mut utf8).as_bytes();
        let need = usize::from(space) + bytes.len();
        if len + need > buf.len() {
            return None;
        }
        if space {
            buf[len] = b' ';
            len += 1;
            space = false;
        }
        buf[len..len + bytes.len()].copy_from_slice(bytes);
        len += bytes.len();
    }
    let u = std::str::from_utf8(&buf[..len]).ok()?;
    Some(match u {
        "mg" | "milligram" | "milligrams" => "mg",
        "mcg" | "µg" | "μg" | "ug" | "microgram" | "micrograms" => "mcg",
        "g" | "gm" | "gram" | "grams" => "g",
        "ml" | "cc" | "milliliter" | "milliliters" | "millilitre" | "millilitres" => "mL",
        "unit" | "units" | "u" | "iu" => "units",
        "million units" | "million u" | "million iu" | "mu" => "million units",
        "meq" => "mEq",
        "mmol" => "mmol",
        _ => return None,
    })
}

fn parse_number(s: &str) -> Option<f64> {
    if s.contains(',') {
        s.replace(',', "").parse().ok()
    } else {
        s.parse().ok()
    }
}

struct Amount {
    span: Range<usize>,
    amount: f64,
    unit: &'static str,
    /// For a concentration: per how many mL.
    per_ml: Option<f64>,
}

fn doses(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    let mut amounts: Vec<Amount> = Vec::new();
    for c in scan.lexicon.patterns.amounts(text, &scan.digits) {
        if text[c.span.end..].chars().next().is_some_and(|ch| ch.is_alphanumeric()) {
            continue; // "25MG3" is a lot number, not a dose
        }
        let (Some(num), Some(unit)) = (c.num, c.unit) else { continue };
        let Some(unit) = unit_of(&text[unit]) else { continue };
        let Some(amount) = parse_number(&text[num]) else { continue };
        let per_ml = match c.perunit.map(|p| text[p].to_ascii_lowercase()) {
            None => None,
            // "1000 mcg/1 mL" is an amount in a volume: the dose. "40 mg/mL" is a concentration.
            Some(p) if (p == "ml" || p == "cc") && c.per.is_some() => None,
            Some(p) if p == "ml" || p == "cc" => Some(1.0),
            Some(p) if matches!(p.as_str(), "dose" | "vial" | "syringe" | "actuation") => None,
            Some(_) => continue, // mg/dL, mg/kg, units/hr: lab values, weight-based or rates
        };
        let span = c.span;
        if scan.layout.in_label(span.start) || !scan.documents(&span) {
            continue;
        }
        let sentence = scan.layout.sentence_at(span.start);
        let oral = scan.hits_in(sentence.clone(), |k| k == Kind::Oral).next().is_some()
            && scan.hits_in(sentence, |k| matches!(k, Kind::Route(_) | Kind::Injection)).next().is_none();
        if oral {
            continue;
        }
        amounts.push(Amount { span, amount, unit, per_ml });
    }
    // Pair each concentration with a volume close by in the same sentence.
    let mut used = vec![false; amounts.len()];
    for i in 0..amounts.len() {
        let Some(per) = amounts[i].per_ml else { continue };
        let sentence = scan.layout.sentence_at(amounts[i].span.start);
        let volume = (0..amounts.len())
            .filter(|&j| j != i && amounts[j].unit == "mL" && amounts[j].per_ml.is_none())
            .find(|&j| {
                let (a, b) = (&amounts[i].span, &amounts[j].span);
                let gap = if b.start >= a.end { b.start - a.end } else { a.start.saturating_sub(b.end) };
                gap <= 24 && sentence.start <= b.start && b.end <= sentence.end
            });
        if let Some(j) = volume {
            let (a, b) = (&amounts[i], &amounts[j]);
            let span = a.span.start.min(b.span.start)..a.span.end.max(b.span.end);
            x.doses.push(DoseMention {
                span,
                amount: a.amount * b.amount / per,
                unit: a.unit,
                from_concentration: true,
            });
            used[i] = true;
            used[j] = true;
        }
    }
    for (a, used) in amounts.iter().zip(used) {
        if !used && a.per_ml.is_none() {
            x.doses.push(DoseMention {
                span: a.span.clone(),
                amount: a.amount,
                unit: a.unit,
                from_concentration: false,
            });
        }
    }
    x.doses.sort_by_key(|d| d.span.start);
    if let Some(d) = x.doses.first() {
        let (amount, unit) = (d.amount, d.unit);
        x.set_first(Element::Dose, d.span.clone(), || {
            let mut norm = CompactString::default();
            push_trimmed(&mut norm, amount);
            norm.push(' ');
            norm.push_str(unit);
            Some(norm)
        });
    }
    bare_doses(scan, x);
}

/// Append `v` rounded to four decimals, without trailing zeros or a
/// trailing point ("60", "1.5", "0.25").
///
/// A dose is nearly always a whole number of ten-thousandths, which integer
/// formatting writes exactly as `{:.4}` would (the value lies far from any
/// rounding midpoint); anything else takes the general formatter.
fn push_trimmed(out: &mut impl std::fmt::Write, v: f64) {
    let scaled = v * 10_000.0;
    let r = scaled.round();
    // Writing to a string cannot fail.
    let _ = if v.is_sign_positive() && (scaled - r).abs() < 1e-6 && r < 1e15 {
        let n = r as u64;
        let (int, mut frac) = (n / 10_000, n % 10_000);
        if frac == 0 {
            write!(out, "{int}")
        } else {
            // Four decimals, trailing zeros dropped.
            let mut width = 4;
            while frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
            write!(out, "{int}.{frac:0width$}")
        }
    } else {
        let s = format!("{v:.4}");
        out.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    };
}

/// Numbers where a dose should be, with no unit: right after a drug name, or
/// the whole value of a `Dose:` field.
fn bare_doses(scan: &Scan, x: &mut Extraction) {
    let text = scan.text;
    let bare_at = |pos: usize| -> Option<Range<usize>> {
        let n = crate::lexicon::numeric::bare_number(&text[pos..])?;
        let span = pos + n.start..pos + n.end;
        let after = text[span.end..].trim_start_matches(' ');
        if after.starts_with(['/', ':', '%', '-', '.'])
            || x.doses.iter().any(|d| d.span.start <= span.start && span.start < d.span.end)
        {
            return None;
        }
        Some(span)
    };
    for d in &x.drugs {
        if let Some(span) = bare_at(d.span.end) {
            if span.start - d.span.end <= 3 {
                x.bare_doses.push(span);
            }
        }
    }
    for f in scan.layout.fields_of(FieldKind::Dose) {
        if f.state == ValueState::Present
            && !x.doses.iter().any(|d| f.value.start <= d.span.start && d.span.start < f.value.end)
        {
            if let Some(span) = bare_at(f.value.start) {
                if text[span.end..f.value.end].trim().is_empty() {
                    x.bare_doses.push(span);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trimmed_amounts_match_the_general_formatter() {
        let general = |v: f64| {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let mut values =
            vec![0.0, -0.0, 1.0, 60.0, 1.5, 0.25, 0.1, 0.3, 2.675, 0.00005, 0.00015, 1e-9, 123456.789, 1e16, -2.5];
        values.extend((0..20_000).map(|i| f64::from(i) * 0.0137));
        values.extend((0..2_000).map(|i| f64::from(i) / 3.0));
        values.extend((1..500).map(|i| 40.0 * (f64::from(i) * 0.1)));
        values.extend((0..5_000).map(|i| f64::from(i) * 0.00005));
        for v in values {
            let mut s = String::new();
            super::push_trimmed(&mut s, v);
            assert_eq!(s, general(v), "{v:e}");
        }
    }

    #[test]
    fn units_fold_case_and_white_space() {
        use super::unit_of;
        assert_eq!(unit_of("MG"), Some("mg"));
        assert_eq!(unit_of("Million   Units"), Some("million units"));
        assert_eq!(unit_of("million\tiu"), Some("million units"));
        assert_eq!(unit_of("µg"), Some("mcg"));
        assert_eq!(unit_of("mL"), Some("mL"));
        assert_eq!(unit_of("millilitres and more"), None);
        assert_eq!(unit_of("kg"), None);
    }
}
