//! `notelint check --format sarif` against the official SARIF 2.1.0 JSON
//! schema (tests/data, see its README), over the bundled corpus and over
//! input with bad records; and proof that the validation can fail.

use assert_cmd::Command;
use jsonschema::{Draft, Validator};
use serde_json::Value;
use std::collections::HashMap;
use std::fs;

const CORPUS: [&str; 2] = ["corpus/notes", "corpus/exports"];

fn notelint() -> Command {
    Command::cargo_bin("notelint").expect("binary")
}

/// The `language` pattern of this revision of the schema has a stray `]`,
/// which the meta-schema's `regex` format rejects; the OASIS TC's current
/// revision (Errata 01) corrected it to this. notelint writes no `language`.
const LANGUAGE_PATTERN: (&str, &str) = ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");

fn validator() -> Validator {
    let text = fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap();
    assert_eq!(text.matches(LANGUAGE_PATTERN.0).count(), 2, "run.language and toolComponent.language");
    let schema: Value = serde_json::from_str(&text.replace(LANGUAGE_PATTERN.0, LANGUAGE_PATTERN.1)).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).expect("the schema compiles");
    assert_eq!(validator.draft(), Draft::Draft7, "the draft is taken from the schema's $schema");
    validator
}

/// Every schema violation, one per line (empty when the log is valid).
fn violations(validator: &Validator, log: &Value) -> String {
    validator.iter_errors(log).map(|e| format!("{}: {e}\n", e.instance_path())).collect()
}

/// Run `check` with these arguments; return the exit code and standard output.
fn check(args: &[&str]) -> (i32, Vec<u8>) {
    let out = notelint().args(["check", "--no-config"]).args(args).output().unwrap();
    (out.status.code().unwrap(), out.stdout)
}

fn sarif(args: &[&str]) -> Value {
    let (code, stdout) = check(&[&["--format", "sarif"], args].concat());
    assert!(code == 0 || code == 1, "exit {code}");
    serde_json::from_slice(&stdout).expect("one JSON document")
}

/// A relative artifact URI back to the path (the corpus needs no more than
/// `%XX` decoding).
fn path_of(uri: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = uri.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            bytes.push(u8::from_str_radix(std::str::from_utf8(&tail[..2]).unwrap(), 16).unwrap());
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[test]
fn corpus_log_is_valid_sarif_and_matches_the_findings() {
    let validator = validator();
    let log = sarif(&CORPUS);
    let errors = violations(&validator, &log);
    assert!(errors.is_empty(), "schema violations:\n{errors}");

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), notelint::rules::RULES.len());
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r["id"].as_str().unwrap(), i)).collect();
    let results = run["results"].as_array().unwrap();
    let mut texts: HashMap<String, String> = HashMap::new();
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        let i = *index.get(id).unwrap_or_else(|| panic!("{id} is not a rule of the driver"));
        assert_eq!(r["ruleIndex"], i, "ruleIndex of {id}");
        // The region lies within its file, and its first line is the record's.
        let physical = &r["locations"][0]["physicalLocation"];
        let path = path_of(physical["artifactLocation"]["uri"].as_str().unwrap());
        let text = texts.entry(path.clone()).or_insert_with(|| fs::read_to_string(&path).unwrap());
        let region = &physical["region"];
        let (offset, length) =
            (region["charOffset"].as_u64().unwrap() as usize, region["charLength"].as_u64().unwrap() as usize);
        assert!(offset + length <= text.chars().count(), "{path}: region {offset}+{length} past the end");
        let line = 1 + text.chars().take(offset).filter(|c| *c == '\n').count();
        assert_eq!(region["startLine"], line, "{path}: region starts on its record's line");
        assert_eq!(r["locations"][0]["logicalLocations"][0]["name"], r["properties"]["note_id"]);
    }

    // One result per finding of the JSON Lines output of the same run.
    let (_, jsonl) = check(&[&["--format", "jsonl"], &CORPUS[..]].concat());
    let findings: usize = String::from_utf8(jsonl)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["findings"].as_array().unwrap().len())
        .sum();
    assert!(findings > 100, "the corpus has findings to check ({findings})");
    assert_eq!(results.len(), findings);
    assert!(results.iter().any(|r| r["ruleId"].as_str().unwrap().starts_with('F')), "copy-forward is covered");
    assert_eq!(run["properties"]["summary"]["findings"], findings);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);

    // The validation can fail: each of these breaks the log (a property
    // removed, or set to a string).
    let uri = "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri";
    for (pointer, value) in [
        ("/version", None),
        ("/runs/0/results/0/level", Some("fatal")),
        (uri, Some("notes/a b<1>.txt")),
        ("/runs/0/results/0/severity", Some("error")),
    ] {
        let mut broken = log.clone();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let object = broken.pointer_mut(parent).unwrap().as_object_mut().unwrap();
        match value {
            Some(v) => object.insert(key.into(), v.into()),
            None => object.remove(key),
        };
        assert!(!violations(&validator, &broken).is_empty(), "{pointer} = {value:?}: validation should fail");
    }
}

#[test]
fn bad_records_empty_runs_and_awkward_paths_are_valid_sarif() {
    let validator = validator();
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export #1 (été).csv");
    fs::write(&csv, "note_id,patient_id,date,author,text\nn1,p1,2026-01-05,RN,\"B12 1000 mcg IM given.\"\nn2,p2\n")
        .unwrap();
    let (code, stdout) = check(&["--format", "sarif", csv.to_str().unwrap()]);
    assert_eq!(code, 2, "a skipped record exits 2");
    let log: Value = serde_json::from_slice(&stdout).unwrap();
    let errors = violations(&validator, &log);
    assert!(errors.is_empty(), "schema violations:\n{errors}");
    let run = &log["runs"][0];
    let uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///") && uri.ends_with("/export%20%231%20%28%C3%A9t%C3%A9%29.csv"), "{uri}");
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], uri);
    assert_eq!(notification["locations"][0]["physicalLocation"]["region"]["startLine"], 3);

    // No results at all, from standard input.
    let out = notelint()
        .args(["check", "--no-config", "--format", "sarif", "--select", "Q202", "-"])
        .write_stdin("Telephone note: asked about her next appointment.")
        .assert()
        .code(0);
    let log: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    let errors = violations(&validator, &log);
    assert!(errors.is_empty(), "schema violations:\n{errors}");
}

#[test]
fn statistics_replace_the_log_as_for_other_formats() {
    let (_, sarif) = check(&["--format", "sarif", "--statistics", "corpus/exports"]);
    let (_, human) = check(&["--statistics", "corpus/exports"]);
    assert_eq!(sarif, human);
}
