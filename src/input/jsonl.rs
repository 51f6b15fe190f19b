//! JSON Lines: plain note records (`note_id`, `patient_id`, `date`,
//! `author`, `text`, optional `charges`), FHIR R4 DocumentReference
//! resources with base64 text attachments, or Bundles of them.

use super::{Columns, InputError, Record, Start};
use crate::note::{Charge, Markup, Note, Origin};
use base64::Engine;
use serde_json::Value;
use std::borrow::Cow;

fn as_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A plain record with the default field names, read without building a
/// JSON tree (the common case for large exports).
#[derive(serde::Deserialize)]
struct Plain<'a> {
    #[serde(borrow, default)]
    note_id: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    patient_id: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    date: Option<Scalar<'a>>,
    #[serde(borrow, default)]
    author: Option<Scalar<'a>>,
    /// The string literal as it is in the line, unescaped by [`unescape`]
    /// into a string of the right size (serde_json would unescape into a
    /// fresh buffer that grows by doubling, for every record).
    #[serde(borrow)]
    text: &'a serde_json::value::RawValue,
    #[serde(default)]
    charges: Option<Vec<Charge>>,
    #[serde(borrow, default)]
    format: Option<Scalar<'a>>,
}

/// A string (borrowed from the line when it has no escapes) or a number,
/// as a tree's [`as_string`] takes them. Deserialized by hand: an untagged
/// enum would first buffer every value to try each variant on it, and an
/// `Option<Cow<str>>` is never borrowed.
enum Scalar<'a> {
    Text(std::borrow::Cow<'a, str>),
    Number(serde_json::Number),
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Scalar<'a>, D::Error> {
        struct ScalarVisitor;
        impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Text(std::borrow::Cow::Owned(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(v.into()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar::Number(v.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar<'de>, E> {
                serde_json::Number::from_f64(v).map(Scalar::Number).ok_or_else(|| E::custom("not a finite number"))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

impl Scalar<'_> {
    fn into_string(self) -> Option<String> {
        let s = match self {
            Scalar::Text(t) => t.trim().to_string(),
            Scalar::Number(n) => n.to_string(),
        };
        (!s.is_empty()).then_some(s)
    }
}

/// The character a two-character JSON escape (`\n`, `\"`...) stands for,
/// by its second character; `None` for `\u` and invalid escapes.
fn short_escape(c: u8) -> Option<char> {
    Some(match c {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        _ => return None,
    })
}

/// The string a valid JSON string literal (quotes included) stands for:
/// read by [`Flat::string`], or by serde_json when that declines (a `\u`
/// escape, or anything that is not a string).
fn unescape(literal: &str) -> Option<String> {
    let mut r = Flat { s: literal, i: 0 };
    match r.string() {
        Some(s) if r.i == literal.len() => Some(s.into_owned()),
        _ => serde_json::from_str(literal).ok(),
    }
}

fn fast_plain(line: &str, origin: &Origin) -> Option<Record> {
    static RESOURCE_TYPE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("\"resourceType\""));
    if RESOURCE_TYPE.find(line.as_bytes()).is_some() {
        return None;
    }
    let p: Plain = serde_json::from_str(line).ok()?;
    let text = unescape(p.text.get())?;
    let ids = [p.note_id, p.patient_id, p.date, p.author];
    Some(plain_note(origin, ids, text, p.format, p.charges.unwrap_or_default()))
}

/// The note of a plain record: its id, patient, date and author (as
/// [`Scalar::into_string`] takes them), text, format and charges.
fn plain_note(
    origin: &Origin,
    [note_id, patient_id, date, author]: [Option<Scalar>; 4],
    text: String,
    format: Option<Scalar>,
    charges: Vec<Charge>,
) -> Record {
    Record::Note(Note {
        id: note_id.and_then(Scalar::into_string).unwrap_or_else(|| format!("{}:{}", origin.path, origin.line)),
        patient_id: patient_id.and_then(Scalar::into_string),
        date: date.and_then(Scalar::into_string),
        author: author.and_then(Scalar::into_string),
        text,
        markup: match format {
            Some(Scalar::Text(f)) if f == "markdown" || f == "md" => Markup::Markdown,
            _ => Markup::Plain,
        },
        charges,
        origin: origin.clone(),
        warnings: Vec::new(),
    })
}

/// The fields a flat record may have, in [`flat_plain`]'s slot order.
const FLAT_FIELDS: [&str; 6] = ["note_id", "patient_id", "date", "author", "text", "format"];

/// A plain record of the common, flat shape, read by hand in one pass over
/// the line: an object of only the [`FLAT_FIELDS`], each a string without
/// `\u` escapes or null, with a string `text`, and perhaps `charges` (read
/// by serde_json in place). Anything else (numbers, other fields, repeated
/// fields, `\u` escapes, anything that is not valid JSON) is left to
/// serde_json: `None`. What it reads is what
/// [`fast_plain`] reads (a test holds the two equal).
fn flat_plain(line: &str, origin: &Origin) -> Option<Record> {
    let mut r = Flat { s: line, i: 0 };
    // Each field: not seen, null, or a string.
    let mut values: [Option<Option<Cow<str>>>; 6] = Default::default();
    let mut charges: Option<Vec<Charge>> = None;
    r.space();
    r.eat(b'{')?;
    loop {
        r.space();
        let key = r.string()?;
        r.space();
        r.eat(b':')?;
        r.space();
        if key == "charges" {
            // The charges go to serde_json, which says where they end.
            let mut value = serde_json::Deserializer::from_str(&line[r.i..]).into_iter::<Option<Vec<Charge>>>();
            let read = value.next()?.ok()?.unwrap_or_default();
            r.i += value.byte_offset();
            if charges.replace(read).is_some() {
                return None;
            }
        } else {
            let slot = FLAT_FIELDS.iter().position(|f| *f == key)?;
            let value = if r.s.as_bytes().get(r.i) == Some(&b'"') {
                Some(r.string()?)
            } else {
                r.s[r.i..].starts_with("null").then(|| r.i += 4)?;
                None
            };
            if values[slot].replace(value).is_some() {
                return None;
            }
        }
        r.space();
        match r.s.as_bytes().get(r.i) {
            Some(b',') => r.i += 1,
            Some(b'}') => break,
            _ => return None,
        }
    }
    r.i += 1;
    r.space();
    if r.i != line.len() {
        return None;
    }
    let [note_id, patient_id, date, author, text, format] = values.map(|v| v.flatten().map(Scalar::Text));
    let Some(Scalar::Text(text)) = text else { return None };
    Some(plain_note(
        origin,
        [note_id, patient_id, date, author],
        text.into_owned(),
        format,
        charges.unwrap_or_default(),
    ))
}

/// A cursor over one JSON Lines record, for [`flat_plain`].
struct Flat<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Flat<'a> {
    /// Skip JSON white space.
    fn space(&mut self) {
        let b = self.s.as_bytes();
        while matches!(b.get(self.i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.s.as_bytes().get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// The string literal at the cursor, unescaped; borrowed when it has no
    /// escape. `None` for a `\u` escape (left to serde_json) and for
    /// anything that is not a valid string literal.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let b = self.s.as_bytes();
        if b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        let (mut i, mut run) = (start, start);
        let mut owned: Option<String> = None;
        loop {
            // Eight bytes at a time to the first special one (or the last
            // few bytes).
            while let Some(word) = b.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().unwrap_or([b' '; 8]));
                let mask = crate::jsonbytes::special_mask(word);
                if mask != 0 {
                    i += (mask.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            match *b.get(i)? {
                b'"' => {
                    self.i = i + 1;
                    return Some(match owned {
                        Some(mut o) => {
                            o.push_str(&self.s[run..i]);
                            Cow::Owned(o)
                        }
                        None => Cow::Borrowed(&self.s[start..i]),
                    });
                }
                b'\\' => {
                    let c = short_escape(*b.get(i + 1)?)?;
                    // Sized for the rest of the line: the text is most of it.
                    let o = owned.get_or_insert_with(|| String::with_capacity(b.len() - start));
                    o.push_str(&self.s[run..i]);
                    o.push(c);
                    i += 2;
                    run = i;
                }
                c if c < 0x20 => return None,
                _ => i += 1,
            }
        }
    }
}

pub(super) fn read(path: &str, text: &str, columns: &Columns, out: &mut Vec<Record>) {
    read_at(path, text, columns, Start::default(), out)
}

/// Read the records of text that starts at `start` in its file onto `out`.
pub(super) fn read_at(path: &str, text: &str, columns: &Columns, start: Start, out: &mut Vec<Record>) {
    // About one record a line.
    out.reserve(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let default_columns = *columns == Columns::default();
    // One copy of the path, shared by the block's notes.
    let shared_path: std::sync::Arc<str> = path.into();
    let mut char_offset = start.char;
    let mut line_start = 0;
    let line_ends = memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1).chain(std::iter::once(text.len()));
    for (i, end) in line_ends.enumerate() {
        // The lines, each with its line break (`split_inclusive`).
        if end == line_start {
            break;
        }
        let raw = &text[line_start..end];
        line_start = end;
        let line_no = i + start.line;
        let line = raw.trim_end_matches(['\n', '\r']);
        let at = char_offset;
        let raw_chars = crate::note::char_count(raw);
        char_offset += raw_chars;
        if line.trim().is_empty() {
            continue;
        }
        let origin = Origin {
            path: shared_path.clone(),
            line: line_no,
            text_line: None,
            char_offset: at,
            // The line ending is one or two one-byte characters.
            char_len: raw_chars - (raw.len() - line.len()),
        };
        if default_columns {
            if let Some(r) = flat_plain(line, &origin).or_else(|| fast_plain(line, &origin)) {
                out.push(r);
                continue;
            }
        }
        let err = |message: String| Record::Skipped(InputError { path: path.into(), line: Some(line_no), message });
        let value: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                out.push(err(format!("invalid JSON at column {}: {}", e.column(), e.classify_message())));
                continue;
            }
        };
        match value.get("resourceType").and_then(Value::as_str) {
            Some("DocumentReference") => out.push(fhir(&value, origin).unwrap_or_else(err)),
            Some("Bundle") => {
                let entries = value.get("entry").and_then(Value::as_array).cloned().unwrap_or_default();
                for e in entries.iter().filter_map(|e| e.get("resource")) {
                    if e.get("resourceType").and_then(Value::as_str) == Some("DocumentReference") {
                        out.push(fhir(e, origin.clone()).unwrap_or_else(err));
                    }
                }
            }
            Some(other) => out.push(err(format!("FHIR {other} resource is not a DocumentReference"))),
            None => out.push(plain(&value, origin, columns).unwrap_or_else(err)),
        }
    }
}

trait ClassifyMessage {
    fn classify_message(&self) -> &'static str;
}

impl ClassifyMessage for serde_json::Error {
    fn classify_message(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "the record ends early",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected value",
            serde_json::error::Category::Io => "read error",
        }
    }
}

fn plain(v: &Value, origin: Origin, columns: &Columns) -> Result<Record, String> {
    let Some(obj) = v.as_object() else { return Err("record is not a JSON object".into()) };
    let text = match obj.get(&columns.text) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => return Err(format!("no `{}` field", columns.text)),
        Some(_) => return Err(format!("`{}` is not a string", columns.text)),
    };
    let charges = match obj.get("charges") {
        None | Some(Value::Null) => Vec::new(),
        Some(c) => serde_json::from_value::<Vec<Charge>>(c.clone()).map_err(|e| format!("invalid `charges`: {e}"))?,
    };
    let markup = match obj.get("format").and_then(Value::as_str) {
        Some("markdown") | Some("md") => Markup::Markdown,
        _ => Markup::Plain,
    };
    Ok(Record::Note(Note {
        id: as_string(obj.get(&columns.note_id)).unwrap_or_else(|| format!("{}:{}", origin.path, origin.line)),
        patient_id: as_string(obj.get(&columns.patient_id)),
        date: as_string(obj.get(&columns.date)),
        author: as_string(obj.get(&columns.author)),
        text,
        markup,
        charges,
        origin,
        warnings: Vec::new(),
    }))
}

fn fhir(v: &Value, origin: Origin) -> Result<Record, String> {
    let attachments = v
        .get("content")
        .and_then(Value::as_array)
        .map(|c| c.iter().filter_map(|c| c.get("attachment")).collect::<Vec<_>>())
        .unwrap_or_default();
    let usable = attachments.iter().find(|a| {
        let ct = a.get("contentType").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
        (ct.starts_with("text/plain") || ct.starts_with("text/markdown")) && a.get("data").is_some()
    });
    let Some(att) = usable else {
        return Err("DocumentReference has no text/plain or text/markdown attachment with inline data".into());
    };
    let data = att.get("data").and_then(Value::as_str).unwrap_or("");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|e| format!("attachment data is not valid base64: {e}"))?;
    let decoded = super::decode::decode(&bytes)?;
    let ct = att.get("contentType").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    let patient = v
        .pointer("/subject/reference")
        .and_then(Value::as_str)
        .map(|r| r.strip_prefix("Patient/").unwrap_or(r).to_string());
    let author = v
        .pointer("/author/0/display")
        .or_else(|| v.pointer("/author/0/reference"))
        .and_then(Value::as_str)
        .map(String::from);
    let date = v
        .get("date")
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| v.pointer("/context/period/start").and_then(Value::as_str).map(String::from));
    Ok(Record::Note(Note {
        id: as_string(v.get("id")).unwrap_or_else(|| format!("{}:{}", origin.path, origin.line)),
        patient_id: patient,
        date,
        author,
        text: decoded.text,
        markup: if ct.starts_with("text/markdown") { Markup::Markdown } else { Markup::Plain },
        charges: Vec::new(),
        origin,
        warnings: decoded.warning.into_iter().collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every string literal reads as serde_json reads it: plain, with each
    /// escape, with `\\u` escapes (left to serde_json), at the edges.
    #[test]
    fn string_literals_unescape_as_serde_json_reads_them() {
        let strings = [
            "",
            "plain text",
            "line\none\r\nline two\ttab",
            "quote \" and backslash \\ and slash /",
            "\u{8}\u{c} controls",
            "caf\u{e9} \u{2013} \u{1F489}",
            "ends with backslash \\",
            "\\u not an escape",
            "\"",
        ];
        for s in strings {
            let literal = serde_json::to_string(s).unwrap();
            assert_eq!(super::unescape(&literal).as_deref(), Some(s), "{literal}");
        }
        for literal in [r#""a\/b""#, r#""\u00e9\ud83d\udc89""#, r#""x\u0041""#] {
            let expected: String = serde_json::from_str(literal).unwrap();
            assert_eq!(super::unescape(literal), Some(expected), "{literal}");
        }
        assert_eq!(super::unescape("42"), None);
        assert_eq!(super::unescape("null"), None);
    }

    /// Ids, dates and authors of every JSON shape read the same on the fast
    /// path as through a JSON tree; strings and numbers never leave the
    /// fast path.
    #[test]
    fn ids_read_the_same_on_the_fast_path() {
        let origin = Origin { path: "x.jsonl".into(), line: 3, ..Origin::default() };
        let ids = [
            r#""n1""#,
            r#"" padded ""#,
            r#""esc\"aped\u00e9""#,
            r#""""#,
            "42",
            "-7",
            "1.5",
            "1e3",
            "-0.0",
            "18446744073709551615",
            "-9223372036854775808",
            "null",
            "true",
            "{}",
            "[1]",
        ];
        let note = |r: Option<Record>| match r {
            Some(Record::Note(n)) => Some((n.id, n.patient_id, n.date, n.author)),
            _ => None,
        };
        for id in ids {
            let line = format!(r#"{{"note_id":{id},"patient_id":{id},"date":{id},"author":{id},"text":"B12 IM"}}"#);
            let fast = note(fast_plain(&line, &origin));
            let value: Value = serde_json::from_str(&line).unwrap();
            let tree = note(plain(&value, origin.clone(), &Columns::default()).ok());
            let scalar = !matches!(id, "true" | "{}" | "[1]");
            assert_eq!(fast.is_some(), scalar, "{id}");
            if fast.is_some() {
                assert_eq!(fast, tree, "{id}");
            }
        }
    }

    /// The hand reader of flat records reads exactly what serde_json reads,
    /// and takes every flat record: on the corpus exports and on records
    /// varied in field order, white space, escapes, nulls, numbers, extra,
    /// repeated and missing fields, and broken syntax.
    #[test]
    fn flat_records_read_as_serde_json_reads_them() {
        let origin = Origin { path: "x.jsonl".into(), line: 7, ..Origin::default() };
        let mut lines: Vec<String> = crate::testing::corpus_texts()
            .iter()
            .filter(|t| t.starts_with('{'))
            .flat_map(|t| t.lines().map(str::to_string).collect::<Vec<_>>())
            .collect();
        let values = [
            r#""n1""#,
            r#"" padded ""#,
            r#""""#,
            r#""line\none \"q\" \\ \/ \t\b\f\r""#,
            r#""caf\u00e9""#,
            "null",
            "42",
            "1.5",
            "true",
            "[]",
            "{}",
            r#""bad \x escape""#,
            "\"raw\u{1}control\"",
            r#""é – 💉""#,
            r#""unterminated"#,
        ];
        let texts =
            [r#""B12 1000 mcg IM given.\nTolerated well.""#, r#""""#, "null", "7", r#""x\u0041""#, r#""tab\there""#];
        for (k, v) in values.iter().enumerate() {
            for t in texts {
                let fields = [
                    format!(r#""note_id":{v}"#),
                    format!(r#""patient_id":{v}"#),
                    format!(r#""date":{v}"#),
                    format!(r#""author":{v}"#),
                    format!(r#""text":{t}"#),
                    format!(r#""format":{}"#, if k % 2 == 0 { r#""markdown""# } else { v }),
                ];
                let n = fields.len();
                // Rotations change the field order; each line also drops,
                // repeats or adds a field, or changes the spacing.
                for rot in 0..n {
                    let f: Vec<&String> = (0..n).map(|i| &fields[(i + rot) % n]).collect();
                    let join =
                        |sep: &str, items: &[&String]| items.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(sep);
                    lines.push(format!("{{{}}}", join(",", &f)));
                    lines.push(format!(" {{ {} }} ", join(" , ", &f).replace(':', " :\t")));
                    lines.push(format!("{{{}}}", join(",", &f[..n - 1])));
                    lines.push(format!("{{{},{}}}", join(",", &f), f[0]));
                    lines.push(format!(r#"{{{},"charges":[]}}"#, join(",", &f)));
                    let charge = r#"{"code":"J3301","modifiers":"25;59","units":2}"#;
                    lines.push(format!(r#"{{"charges": [{charge}, {{"code":"96372"}}] ,{}}}"#, join(",", &f)));
                    lines.push(format!(r#"{{{},"charges":null}}"#, join(",", &f)));
                    lines.push(format!(r#"{{{},"charges":"96372"}}"#, join(",", &f)));
                    lines.push(format!(r#"{{"charges":[{charge}],{},"charges":[]}}"#, join(",", &f)));
                    lines.push(format!(r#"{{{},"charges":[{charge}]x}}"#, join(",", &f)));
                    lines.push(format!(r#"{{{},"extra":"x"}}"#, join(",", &f)));
                    lines.push(format!("{{{},}}", join(",", &f)));
                    lines.push(format!("{{{}}} x", join(",", &f)));
                    lines.push(format!("{{{}", join(",", &f)));
                    lines.push(format!("{{{}}}", join(",", &f)).replacen(':', "", 1));
                }
            }
        }
        lines.extend(["{}", "", "[]", r#"{"text":"t""#, r#"{"text":"t"}"#, r#"{"te\/xt":"t"}"#].map(str::to_string));
        let mut flat = 0;
        for line in &lines {
            let by_hand = flat_plain(line, &origin);
            if by_hand.is_some() {
                flat += 1;
                assert_eq!(by_hand, fast_plain(line, &origin), "{line}");
            }
        }
        // Every corpus record and every varied record of strings and nulls
        // with a text is flat.
        assert!(flat > 400, "{flat} of {}", lines.len());
        let plain = r#"{"note_id":"n1","patient_id":"p1","date":"2026-01-05","author":"A. Lee","text":"B12 \"IM\"\n"}"#;
        assert!(
            matches!(flat_plain(plain, &origin), Some(Record::Note(n)) if n.text == "B12 \"IM\"\n" && n.author.as_deref() == Some("A. Lee"))
        );
        let charged = r#"{"text":"x","charges":[{"code":"96372","units":1}]}"#;
        assert!(matches!(flat_plain(charged, &origin), Some(Record::Note(n)) if n.charges.len() == 1));
    }

    #[test]
    fn plain_records_fhir_and_bad_lines() {
        let data = base64::engine::general_purpose::STANDARD.encode("Depo-Provera 150 mg IM");
        let fhir = format!(
            r#"{{"resourceType":"DocumentReference","id":"fh-1","subject":{{"reference":"Patient/p-9"}},"date":"2026-01-05","content":[{{"attachment":{{"contentType":"text/plain; charset=utf-8","data":"{data}"}}}}]}}"#
        );
        let t = format!("{{\"note_id\":\"n1\",\"text\":\"B12 IM\",\"charges\":[{{\"code\":\"96372\",\"modifiers\":\"25;59\"}}]}}\n{{not json\n{fhir}\n{{\"note_id\":\"n2\"}}\n");
        let mut r = Vec::new();
        read("x.jsonl", &t, &Columns::default(), &mut r);
        assert!(matches!(&r[0], Record::Note(n) if n.id == "n1" && n.charges[0].modifiers == vec!["25", "59"]));
        assert!(matches!(&r[1], Record::Skipped(e) if e.line == Some(2)));
        assert!(
            matches!(&r[2], Record::Note(n) if n.id == "fh-1" && n.patient_id.as_deref() == Some("p-9") && n.text.starts_with("Depo"))
        );
        assert!(matches!(&r[3], Record::Skipped(e) if e.line == Some(4) && e.message.contains("no `text`")));
    }
}
