//! SARIF 2.1.0 (the OASIS Static Analysis Results Interchange Format), for
//! code-scanning dashboards and SARIF viewers.
//!
//! The log is one run, written in three pieces so that a batch of any size
//! streams through without being held in memory:
//!
//! - [`header`]: `$schema`, `version`, `runs[0].tool.driver` with every rule
//!   of [`RULES`] (its documentation as descriptions and help, its default
//!   severity as `defaultConfiguration.level`, its family as a tag), and
//!   everything up to and including the opening `[` of `runs[0].results`;
//! - [`results`] for each note, in input order: that note's results,
//!   comma-separated with no leading or trailing comma, so the caller writes
//!   `,` between fragments that are not empty (it returns how many it wrote);
//! - [`footer`]: closes `results`, then `invocations` (input errors as tool
//!   execution notifications naming file and line) and the run's summary
//!   counts under `properties.summary`, and closes the document.
//!
//! One finding is one result:
//!
//! - `ruleId` and `ruleIndex` point into `tool.driver.rules`; `level` is
//!   `error`, `warning` or `note` (notelint's `info`);
//! - `message.text` is the finding's message; the note text is never copied;
//! - `locations[0].physicalLocation` is the note's record in its file: the
//!   path as a URI reference (a relative path stays relative, an absolute one
//!   becomes a `file:` URI, standard input is `stdin`) and a region in
//!   Unicode characters (`run.columnKind` is `unicodeCodePoints`) with the
//!   record's first line; `locations[0].logicalLocations[0]` names the note;
//! - `partialFingerprints["notelint/v1"]` is the note id, the code and the
//!   finding's ordinal among that code's findings on the note, so viewers can
//!   follow a result from run to run;
//! - `properties`: `note_id`, and `patient_id`, `date`, `author` when known;
//!   `start`/`end` for a finding with evidence (UTF-8 byte offsets into the
//!   note text, as in JSON Lines); `related_note_id` and `similarity` for
//!   copy-forward findings; `help`.

use super::Summary;
use crate::diagnostic::{Finding, Severity};
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::rules::{Rule, RULES};
use serde::Serialize;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, MAIN_SEPARATOR};

/// The official SARIF 2.1.0 schema (OASIS Standard, Errata 01), written as
/// the log's `$schema`.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF level of a severity (`info` is SARIF's `note`).
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    category: &'static str,
    tags: [&'static str; 1],
}

/// A SARIF `reportingDescriptor`: one rule of the driver.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: &'static str,
    short_description: Message<'static>,
    full_description: Message<'static>,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

/// The rule's documentation as `notelint rule CODE` prints it, as plain
/// text and as Markdown (examples in code blocks).
fn help(rule: &Rule) -> Help {
    let (mut text, mut markdown) = (String::new(), String::new());
    for (heading, body) in rule.doc.sections() {
        let example = body == rule.doc.fail || body == rule.doc.pass;
        let _ = write!(text, "{heading}\n{body}\n\n");
        let _ = if example {
            write!(markdown, "## {heading}\n\n```text\n{body}\n```\n\n")
        } else {
            write!(markdown, "## {heading}\n\n{body}\n\n")
        };
    }
    Help { text: text.trim_end().into(), markdown: markdown.trim_end().into() }
}

fn descriptor(rule: &'static Rule) -> Descriptor {
    Descriptor {
        id: rule.code,
        name: rule.name,
        short_description: Message { text: rule.summary },
        full_description: Message { text: rule.doc.what },
        help: help(rule),
        default_configuration: Configuration { level: level(rule.severity) },
        properties: RuleProperties { category: rule.family(), tags: [rule.family()] },
    }
}

/// Write the log up to and including the opening `[` of `runs[0].results`.
pub fn header(out: &mut dyn Write, tool_version: &str) -> io::Result<()> {
    write!(out, "{{\"$schema\":\"{SCHEMA_URI}\",\"version\":\"2.1.0\",\"runs\":[{{\"tool\":{{\"driver\":")?;
    out.write_all(b"{\"name\":\"notelint\",\"version\":")?;
    serde_json::to_writer(&mut *out, tool_version)?;
    out.write_all(b",\"rules\":[")?;
    for (i, rule) in RULES.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &descriptor(rule))?;
    }
    out.write_all(b"\n]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[")
}

/// A path as a SARIF `artifactLocation.uri`: a relative path stays a
/// relative reference with `/` between segments (a leading `./` dropped),
/// an absolute path becomes a `file:` URI, and standard input (`<stdin>`)
/// is `stdin`. Every byte outside RFC 3986's unreserved characters and `/`
/// is percent-encoded (`:` too in a relative path, where it would read as a
/// scheme).
pub fn artifact_uri(path: &str) -> String {
    if path == "<stdin>" {
        return "stdin".into();
    }
    let absolute = Path::new(path).is_absolute();
    let path = if MAIN_SEPARATOR == '\\' { path.replace('\\', "/") } else { path.to_string() };
    let path = path.trim_start_matches("./");
    let mut uri = String::with_capacity(path.len() + 8);
    if absolute {
        uri.push_str(if path.starts_with('/') { "file://" } else { "file:///" });
    }
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) || (absolute && b == b':') {
            uri.push(char::from(b));
        } else {
            let _ = write!(uri, "%{b:02X}");
        }
    }
    uri
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    start_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_offset: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    char_length: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct LogicalLocation<'a> {
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<PhysicalLocation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    note_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    patient_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_note_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

/// `partialFingerprints`: note id, code and ordinal, stable from run to run.
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "notelint/v1")]
    finding: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
    partial_fingerprints: Fingerprints,
    properties: ResultProperties<'a>,
}

/// Where a note's record sits in its file, or `None` for a note that came
/// from no file (a library caller's).
fn record_location<'a>(note: &Note, uri: &'a str) -> Option<PhysicalLocation<'a>> {
    if uri.is_empty() {
        return None;
    }
    let o = &note.origin;
    let region = Region {
        start_line: (o.line > 0).then_some(o.line),
        char_offset: Some(o.char_offset),
        char_length: Some(o.char_len),
    };
    Some(PhysicalLocation { artifact_location: ArtifactLocation { uri }, region: Some(region) })
}

fn result<'a>(note: &'a Note, r: &'a NoteReport, f: &'a Finding, uri: &'a str, ordinal: usize) -> SarifResult<'a> {
    SarifResult {
        rule_id: f.code,
        rule_index: RULES.iter().position(|rule| rule.code == f.code),
        level: level(f.severity),
        message: Message { text: &f.message },
        locations: [Location {
            physical_location: record_location(note, uri),
            logical_locations: vec![LogicalLocation { name: &r.note_id, kind: "note" }],
        }],
        partial_fingerprints: Fingerprints { finding: format!("{}/{}/{ordinal}", r.note_id, f.code) },
        properties: ResultProperties {
            note_id: &r.note_id,
            patient_id: r.patient_id.as_deref(),
            date: r.date.as_deref(),
            author: r.author.as_deref(),
            start: f.span.as_ref().map(|s| s.start),
            end: f.span.as_ref().map(|s| s.end),
            related_note_id: f.related_note_id.as_deref(),
            similarity: f.similarity,
            help: f.help.as_deref(),
        },
    }
}

/// Write one note's results, comma-separated with no leading or trailing
/// comma, each on a line of its own; return how many were written (the
/// caller writes `,` between fragments that are not empty).
pub fn results(out: &mut dyn Write, note: &Note, report: &NoteReport) -> io::Result<usize> {
    if report.findings.is_empty() {
        return Ok(0);
    }
    let uri = if note.origin.path.is_empty() { String::new() } else { artifact_uri(&note.origin.path) };
    for (i, f) in report.findings.iter().enumerate() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        let ordinal = report.findings[..i].iter().filter(|g| g.code == f.code).count();
        serde_json::to_writer(&mut *out, &result(note, report, f, &uri, ordinal))?;
    }
    Ok(report.findings.len())
}

#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    message: Message<'a>,
    locations: [Location<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// Close `results`, write the invocation (input errors as notifications
/// naming file and line) and the summary, and close the document.
pub fn footer(out: &mut dyn Write, summary: &Summary, errors: &[InputError]) -> io::Result<()> {
    let uris: Vec<String> = errors.iter().map(|e| artifact_uri(&e.path)).collect();
    let notifications = errors
        .iter()
        .zip(&uris)
        .map(|(e, uri)| Notification {
            level: "error",
            message: Message { text: &e.message },
            locations: [Location {
                physical_location: Some(PhysicalLocation {
                    artifact_location: ArtifactLocation { uri },
                    region: e.line.map(|l| Region { start_line: Some(l), char_offset: None, char_length: None }),
                }),
                logical_locations: Vec::new(),
            }],
        })
        .collect();
    let invocation =
        Invocation { execution_successful: errors.is_empty(), tool_execution_notifications: notifications };
    out.write_all(b"\n],\"invocations\":[")?;
    serde_json::to_writer(&mut *out, &invocation)?;
    out.write_all(b"],\"properties\":{\"summary\":")?;
    serde_json::to_writer(&mut *out, summary)?;
    out.write_all(b"}}]}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Linter;
    use serde_json::Value;

    fn parse(out: &[u8]) -> Value {
        serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
    }

    #[test]
    fn zero_results_is_a_valid_log_with_every_rule() {
        let mut out = Vec::new();
        header(&mut out, "1.2.3").unwrap();
        footer(&mut out, &Summary::default(), &[]).unwrap();
        let v = parse(&out);
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["$schema"], SCHEMA_URI);
        let run = &v["runs"][0];
        assert_eq!(run["results"], serde_json::json!([]));
        assert_eq!(run["tool"]["driver"]["version"], "1.2.3");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), RULES.len());
        let d110 = rules.iter().find(|r| r["id"] == "D110").unwrap();
        assert_eq!(d110["name"], "missing-consent");
        assert_eq!(d110["defaultConfiguration"]["level"], "note");
        assert_eq!(d110["properties"]["category"], "documentation");
        assert!(d110["help"]["markdown"].as_str().unwrap().contains("## How to fix"));
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn text_is_escaped_and_paths_percent_encoded() {
        let mut note = Note::plain("n \"1\"\n\u{e9}", "Toradol 60 mg IM given in the deltoid.");
        note.origin.path = "exports/clinic a#1%.csv".into();
        note.origin.line = 3;
        note.origin.char_offset = 40;
        note.origin.char_len = 12;
        note.author = Some("O'Brien \\ \"RN\"".into());
        let report = Linter::default().lint(&note, &[]);
        assert!(!report.findings.is_empty());
        let mut out = Vec::new();
        header(&mut out, "0").unwrap();
        let n = results(&mut out, &note, &report).unwrap();
        let error = InputError { path: "<stdin>".into(), line: Some(2), message: "bad \"row\"\ttab".into() };
        footer(&mut out, &Summary::default(), &[error]).unwrap();
        let v = parse(&out);
        let run = &v["runs"][0];
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), n);
        let r = &results[0];
        assert_eq!(r["properties"]["note_id"], "n \"1\"\n\u{e9}");
        assert_eq!(r["properties"]["author"], "O'Brien \\ \"RN\"");
        assert_eq!(r["locations"][0]["logicalLocations"][0]["name"], "n \"1\"\n\u{e9}");
        let physical = &r["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "exports/clinic%20a%231%25.csv");
        assert_eq!(physical["region"], serde_json::json!({"startLine": 3, "charOffset": 40, "charLength": 12}));
        let q203 = results.iter().find(|r| r["ruleId"] == "Q203").unwrap();
        let span = &note.text[q203["properties"]["start"].as_u64().unwrap() as usize..][..7];
        assert_eq!(span, "deltoid");
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let notification = &invocation["toolExecutionNotifications"][0];
        assert_eq!(notification["message"]["text"], "bad \"row\"\ttab");
        assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "stdin");
        assert_eq!(notification["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    }

    #[test]
    fn fragments_join_with_commas_between_non_empty_ones() {
        let linter = Linter::default();
        let notes = [
            Note::plain("a", "B12 1000 mcg IM given. Tolerated well."),
            Note::plain("b", "Telephone note: patient asked about her appointment."),
            Note::plain("c", "Kenalog 40 IM given in the deltoid, per protocol."),
        ];
        let mut out = Vec::new();
        header(&mut out, "0").unwrap();
        let (mut written, mut expected) = (0, 0);
        for note in &notes {
            let report = linter.lint(note, &[]);
            expected += report.findings.len();
            let mut buf = Vec::new();
            let n = results(&mut buf, note, &report).unwrap();
            if written > 0 && n > 0 {
                out.push(b',');
            }
            written += n;
            out.extend(buf);
        }
        footer(&mut out, &Summary::default(), &[]).unwrap();
        let v = parse(&out);
        let results = v["runs"][0]["results"].as_array().unwrap();
        assert_eq!((results.len(), written), (expected, expected));
        // No file: no physical location, but the note is named.
        assert!(results[0]["locations"][0].get("physicalLocation").is_none());
        assert_eq!(results[0]["locations"][0]["logicalLocations"][0]["name"], "a");
        assert_eq!(
            results[0]["partialFingerprints"]["notelint/v1"],
            format!("a/{}/0", results[0]["ruleId"].as_str().unwrap())
        );
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("./corpus/notes/rn/rn-0001.txt"), "corpus/notes/rn/rn-0001.txt");
        assert_eq!(artifact_uri("../a b/c:d.md"), "../a%20b/c%3Ad.md");
        assert_eq!(artifact_uri("notes/\u{e9}t\u{e9}.txt"), "notes/%C3%A9t%C3%A9.txt");
        assert_eq!(artifact_uri("<stdin>"), "stdin");
        if cfg!(unix) {
            assert_eq!(artifact_uri("/data/x y.csv"), "file:///data/x%20y.csv");
        }
    }

    #[test]
    fn levels() {
        assert_eq!([Severity::Error, Severity::Warning, Severity::Info].map(level), ["error", "warning", "note"]);
    }
}
