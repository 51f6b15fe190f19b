//! End-to-end behaviour of the `notelint` command: formats, exit codes,
//! bad input that is reported and skipped while the rest is linted.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;

fn notelint() -> Command {
    Command::cargo_bin("notelint").expect("binary")
}

const CLEAN: &str = "01/05/2026 10:42. Cyanocobalamin 1000 mcg given IM in the left deltoid for vitamin B12 deficiency (E53.8), ordered by Dr. Patel. Verbal consent obtained. Lot 4K21B exp 03/2027. Tolerated well, no adverse reaction.\nAdministered by M. Lopez, RN\n";
const THIN: &str = "B12 1000 mcg IM given. Tolerated well.\n";

#[test]
fn clean_note_on_stdin_exits_zero_with_jsonl() {
    let out = notelint().args(["check", "--no-config", "--format", "jsonl", "-"]).write_stdin(CLEAN).assert().code(0);
    let line = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["note_id"], "stdin");
    assert_eq!(v["applicable"], true);
    let elements = v["elements"].as_object().unwrap();
    assert_eq!(elements.len(), 12, "every element key is present");
    assert_eq!(v["elements"]["site"]["found"], true);
    let (s, e) = (
        v["elements"]["site"]["start"].as_u64().unwrap() as usize,
        v["elements"]["site"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&CLEAN[s..e], "left deltoid");
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn thin_note_exits_one_and_names_the_codes() {
    notelint()
        .args(["check", "--no-config", "-"])
        .write_stdin(THIN)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("error[D104]"))
        .stdout(predicate::str::contains("no injection site is documented"));
}

#[test]
fn select_ignore_and_fail_on() {
    // Only info-level D110 selected: no error, exit 0 by default...
    notelint().args(["check", "--no-config", "--select", "D110", "-"]).write_stdin(THIN).assert().code(0);
    // ...but 1 when failing on info.
    notelint()
        .args(["check", "--no-config", "--select", "D110", "--fail-on", "info", "-"])
        .write_stdin(THIN)
        .assert()
        .code(1);
    notelint().args(["check", "--no-config", "--ignore", "D,Q", "-"]).write_stdin(THIN).assert().code(0);
    notelint().args(["check", "--no-config", "--select", "X9", "-"]).write_stdin(THIN).assert().code(2);
}

#[test]
fn not_applicable_notes_get_no_findings() {
    let tele = "Telephone note: patient asked when her next B12 shot is due. Last injection given 12/02/2025.";
    let out = notelint().args(["check", "--no-config", "--format", "jsonl", "-"]).write_stdin(tele).assert().code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["applicable"], false);
    assert!(v["findings"].as_array().unwrap().is_empty());
}

#[test]
fn bad_records_are_reported_and_the_rest_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("export.csv");
    fs::write(
        &csv,
        format!(
            "note_id,patient_id,date,author,text\nn1,p1,2026-01-05,RN,\"{}\"\nn2,p2,2026-01-05\nn3,p3,,,\"{}\"\n",
            CLEAN.replace('"', "\"\""),
            THIN
        ),
    )
    .unwrap();
    let jsonl = dir.path().join("b.jsonl");
    fs::write(&jsonl, "{\"note_id\":\"j1\",\"text\":\"Toradol 60 mg IM R deltoid\"}\n{broken\n").unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    fs::write(dir.path().join("blob.txt"), b"\x00\x01\x02\x03binary").unwrap();
    fs::write(dir.path().join("latin1.txt"), b"Toradol 60 mg IM given, pt tolerated \x93well\x94.").unwrap();
    let out = notelint().args(["check", "--no-config", "--format", "json"]).arg(dir.path()).assert().code(2);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let ids: Vec<&str> = v["notes"].as_array().unwrap().iter().map(|n| n["note_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["j1", "empty", "n1", "n3", "latin1"]);
    assert_eq!(v["summary"]["skipped"], 3);
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}:{}", e["path"].as_str().unwrap(), e["line"]))
        .collect();
    assert!(errors.iter().any(|e| e.ends_with("b.jsonl:2")), "{errors:?}");
    assert!(errors.iter().any(|e| e.ends_with("export.csv:5")), "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("blob.txt")), "{errors:?}");
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("Windows-1252"), "{stderr}");
    assert!(!stderr.contains("Toradol"), "no note text in messages: {stderr}");
}

#[test]
fn a_fifty_megabyte_note_is_linted() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    let mut text = String::with_capacity(50 << 20);
    while text.len() < 50 << 20 {
        text.push_str("Pt tolerated well without incident and left the clinic in stable condition today ");
    }
    text.push_str("\nToradol 60 mg IM given in the right ventrogluteal.\n");
    fs::write(&big, text).unwrap();
    notelint()
        .args(["check", "--no-config", "--format", "jsonl"])
        .arg(&big)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"note_id\":\"big\""));
}

#[test]
fn rules_and_rule_explain() {
    notelint().arg("rules").assert().code(0).stdout(predicate::str::contains("D104  missing-site"));
    notelint()
        .args(["rule", "q203"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Q203 site-without-laterality"))
        .stdout(predicate::str::contains("Why an auditor cares"));
    notelint().args(["rule", "Z999"]).assert().code(2);
}

#[test]
fn config_file_changes_severity_and_bad_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("notelint.yaml");
    fs::write(
        &cfg,
        "severity: {D104: info, D106: info, D105: info, D107: info, D111: info, D108: info, D110: info, D112: info}\n",
    )
    .unwrap();
    notelint().current_dir(dir.path()).args(["check", "-"]).write_stdin(THIN).assert().code(0);
    fs::write(&cfg, "select: [D]\nseverty: {D104: info}\n").unwrap();
    notelint()
        .current_dir(dir.path())
        .args(["check", "-"])
        .write_stdin(THIN)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notelint.yaml:2"));
}

#[test]
fn user_lexicon_adds_a_drug() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notelint.yaml"), "lexicon_files: [formulary.yaml]\n").unwrap();
    fs::write(
        dir.path().join("formulary.yaml"),
        "drugs:\n  - name: zilretta\n    terms: [Zilretta]\n    classes: [corticosteroid]\n",
    )
    .unwrap();
    let note = "Zilretta 32 mg given IM in the left deltoid.";
    let out = notelint().current_dir(dir.path()).args(["check", "--format", "jsonl", "-"]).write_stdin(note).assert();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["elements"]["medication"]["value"], "zilretta");
}

#[test]
fn charges_csv_is_joined_and_a_bad_row_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.jsonl");
    let note = "01/05/2026 10:42. Ketorolac 60 mg IM in the right ventrogluteal for renal colic (N23), ordered by Dr. Patel. Verbal consent obtained. Lot KT7781 exp 11/2026. Tolerated well.\nAdministered by M. Lopez, RN";
    let record = serde_json::json!({"note_id": "k1", "patient_id": "p1", "date": "2026-01-05", "text": note});
    let record2 = serde_json::json!({"note_id": "k2", "patient_id": "p2", "date": "2026-01-05", "text": note});
    fs::write(&notes, format!("{record}\n{record2}\n")).unwrap();
    let charges = dir.path().join("charges.csv");
    fs::write(&charges, "note_id,code,modifiers,units\nk1,96372,,1\nk1,J1885,JZ,1\nk2,96372,,1\nk2,J1885,JZ,four\n")
        .unwrap();
    let out = notelint()
        .args(["check", "--no-config", "--format", "jsonl", "--charges"])
        .arg(&charges)
        .arg(&notes)
        .assert()
        .code(2);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "both notes are still linted");
    let codes = |v: &serde_json::Value| {
        v["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let k1 = codes(&lines[0]);
    assert!(k1.contains(&"C305".to_string()), "{k1:?}");
    let c305 = lines[0]["findings"].as_array().unwrap().iter().find(|f| f["code"] == "C305").unwrap();
    assert_eq!(c305["message"], "J1885 billed 1 unit(s), but 60 mg at per 15 mg is 4 unit(s)");
    // k2's drug line was malformed: only 96372 applies, so the drug code is missing.
    assert!(codes(&lines[1]).contains(&"C304".to_string()), "{:?}", codes(&lines[1]));
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("charges.csv:5"), "{stderr}");
}

#[test]
fn history_finds_the_copy_of_one_note_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.jsonl");
    let jan = "01/05/2026 10:42. Pt here for monthly B12 for pernicious anemia; reports less fatigue and better concentration since last month. Cyanocobalamin 1000 mcg IM given in the left deltoid. Tolerated well. Verbal consent. Lot 4K21B exp 03/2027. M. Lopez, RN";
    let other = "12/01/2025 09:00. First B12 injection after gastric bypass, level 180 pg/mL; cyanocobalamin 1000 mcg IM right deltoid, no reaction after 15 minutes. K. Park, CMA";
    let rec = |id: &str, date: &str, text: &str| serde_json::json!({"note_id": id, "patient_id": "p-7", "date": date, "text": text});
    fs::write(&history, format!("{}\n{}\n", rec("n-dec", "2025-12-01", other), rec("n-jan", "2026-01-05", jan)))
        .unwrap();
    let feb = jan.replace("01/05/2026 10:42", "02/09/2026 09:15").replace("4K21B", "7J33X");
    let stdin = rec("n-feb", "2026-02-09", &feb).to_string();
    let out = notelint()
        .args(["check", "--no-config", "--format", "jsonl", "--history"])
        .arg(&history)
        .arg("-")
        .write_stdin(stdin)
        .assert();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let f401 = v["findings"].as_array().unwrap().iter().find(|f| f["code"] == "F401").expect("F401");
    assert_eq!(f401["related_note_id"], "n-jan");
    // Human output shows the diff against the earlier note.
    notelint()
        .args(["check", "--no-config", "--select", "F", "--history"])
        .arg(&history)
        .arg("-")
        .write_stdin(rec("n-feb", "2026-02-09", &feb).to_string())
        .assert()
        .stdout(predicate::str::contains("warning[F401]"))
        .stdout(predicate::str::contains("changed against n-jan"))
        .stdout(predicate::str::contains("- 4K21B  + 7J33X"));
}

#[test]
fn sample_is_reproducible_and_readable_by_check() {
    let run = |seed: &str| {
        let out = notelint()
            .args(["sample", "corpus/exports/visits.jsonl", "--size", "12", "--per", "patient", "--seed", seed])
            .assert()
            .code(0)
            .stderr(predicate::str::contains("stratified by patient"))
            .stderr(predicate::str::contains(format!("seed {seed}")));
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let (a, b, c) = (run("7"), run("7"), run("8"));
    assert_eq!(a, b, "same seed, same sample");
    assert_ne!(a, c, "another seed, another sample");
    assert_eq!(a.lines().count(), 12);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.jsonl");
    fs::write(&path, &a).unwrap();
    let out = notelint().args(["check", "--no-config", "--format", "jsonl"]).arg(&path).assert();
    assert_eq!(String::from_utf8(out.get_output().stdout.clone()).unwrap().lines().count(), 12);
}

#[test]
fn csv_has_one_row_per_finding_and_statistics_counts_codes() {
    let out = notelint().args(["check", "--no-config", "--format", "csv", "-"]).write_stdin(THIN).assert().code(1);
    let mut reader = csv::Reader::from_reader(out.get_output().stdout.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let json = notelint().args(["check", "--no-config", "--format", "jsonl", "-"]).write_stdin(THIN).assert();
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(rows.len(), v["findings"].as_array().unwrap().len());
    assert!(rows.iter().all(|r| &r[0] == "stdin"));
    notelint()
        .args(["check", "--no-config", "--statistics", "-"])
        .write_stdin(THIN)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("D104   missing-site"))
        .stdout(predicate::str::contains("error[").not());
}

#[test]
fn parallel_linting_keeps_input_order_and_results() {
    let run = |threads: &str| {
        let out = notelint()
            .args(["check", "--no-config", "--format", "jsonl", "-j", threads, "corpus/exports", "corpus/notes/ctx"])
            .assert();
        out.get_output().stdout.clone()
    };
    let one = run("1");
    assert!(one.len() > 10_000);
    assert_eq!(one, run("2"));
}

/// An export bigger than a read block (4 MiB) streams through in pieces:
/// every note comes out once, in order; a bad line deep in the file is
/// reported with its line; copy-forward still links notes in different
/// blocks; and stderr carries no progress bar when it is not a terminal.
#[test]
fn a_large_export_streams_in_blocks_with_copy_forward_across_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let filler = "Patient seen for follow up of chronic conditions; vitals reviewed and stable. ".repeat(40);
    let mut text = String::new();
    let n = 2000;
    for i in 0..n {
        let note = if i == n - 1 {
            // A copy of the first note, about 5 MB further on.
            CLEAN.replace("01/05/2026", "02/09/2026")
        } else {
            format!("Visit {i}. {filler} Nothing injected today; patient {i} asked about diet.")
        };
        let date = if i == n - 1 { "2026-02-09" } else { "2026-01-05" };
        let patient = if i == 0 || i == n - 1 { "p-copy".to_string() } else { format!("p-{i}") };
        let record = serde_json::json!({"note_id": format!("n{i}"), "patient_id": patient, "date": date,
            "text": if i == 0 { CLEAN.to_string() } else { note }});
        text.push_str(&record.to_string());
        text.push('\n');
        if i == 1200 {
            text.push_str("{\"note_id\": broken\n");
        }
    }
    assert!(text.len() > 5 << 20);
    let bad_line = text[..text.find("broken").unwrap()].matches('\n').count() + 1;
    fs::write(&path, &text).unwrap();
    let out = notelint().args(["check", "--no-config", "--format", "jsonl"]).arg(&path).assert().code(2);
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["note_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, (0..n).map(|i| format!("n{i}")).collect::<Vec<_>>());
    assert!(stderr.contains(&format!("big.jsonl:{bad_line}")), "{stderr}");
    let last: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap()).unwrap();
    let f401 = last["findings"].as_array().unwrap().iter().find(|f| f["code"] == "F401").expect("F401");
    assert_eq!(f401["related_note_id"], "n0");
    assert!(!stderr.contains("ETA") && !stderr.contains('\r'), "no progress bar when stderr is not a terminal");
}
