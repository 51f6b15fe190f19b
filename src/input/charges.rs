//! Charges CSV: `note_id,code,modifiers,units`, joined to notes on note_id.
//! Modifiers are separated by `;`. A malformed row is reported with its line
//! and skipped; the other rows still apply.

use super::InputError;
use crate::note::{split_modifiers, Charge};
use std::collections::HashMap;

/// Charges by note id, in file order.
pub type ChargeTable = HashMap<String, Vec<Charge>>;

/// Read a charges CSV. Returns the table and the rows that could not be read.
pub fn read_charges(path: &str, text: &str) -> (ChargeTable, Vec<InputError>) {
    let mut table = ChargeTable::new();
    let mut errors = Vec::new();
    let err = |line: Option<usize>, message: String| InputError { path: path.into(), line, message };
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(err(Some(1), format!("unreadable header row: {e}")));
            return (table, errors);
        }
    };
    let col = |name: &str| headers.iter().position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name));
    let (Some(id), Some(code)) = (col("note_id"), col("code")) else {
        errors.push(err(Some(1), "a charges file needs the columns note_id,code[,modifiers][,units]".into()));
        return (table, errors);
    };
    let (modifiers, units) = (col("modifiers"), col("units"));
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                errors.push(err(e.position().map(|p| p.line() as usize), "malformed CSV row".into()));
                continue;
            }
        };
        let line = row.position().map(|p| p.line() as usize);
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("");
        let (note_id, code_value) = (get(Some(id)), get(Some(code)));
        if note_id.is_empty() || code_value.is_empty() {
            errors.push(err(line, "row has no note_id or no code".into()));
            continue;
        }
        let units = match get(units) {
            "" => 1.0,
            u => match u.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => v,
                _ => {
                    errors.push(err(line, format!("units `{u}` is not a number")));
                    continue;
                }
            },
        };
        table.entry(note_id.to_string()).or_default().push(Charge {
            code: code_value.to_ascii_uppercase(),
            modifiers: split_modifiers(get(modifiers)),
            units,
        });
    }
    (table, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_bad_ones_with_their_line() {
        let t =
            "note_id,code,modifiers,units\nn1,96372,,1\nn1,j1885,JZ,4\nn2,96372,25;59,1\nn3,J1885,,four\n,96372,,1\n";
        let (table, errors) = read_charges("c.csv", t);
        assert_eq!(table["n1"].len(), 2);
        assert_eq!(table["n1"][1].code, "J1885");
        assert_eq!(table["n2"][0].modifiers, vec!["25", "59"]);
        assert!(!table.contains_key("n3"));
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![Some(5), Some(6)]);
        assert!(errors[0].message.contains("four"));
    }
}
