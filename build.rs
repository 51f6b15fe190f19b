//! Turns the embedded default lexicons (`lexicons/*.yaml`, the source of
//! truth) into one merged JSON document in `OUT_DIR`. Parsing that JSON at
//! start-up takes about a tenth of the time of parsing and merging the YAML
//! files, which matters for a one-note run (`notelint check - < note.txt`).
//! A unit test in `src/lexicon/mod.rs` checks that the JSON equals the YAML.

#[allow(dead_code)]
#[path = "src/lexicon/schema.rs"]
mod schema;

use std::path::Path;

/// The default lexicon files, in merge order (the same list as
/// `lexicon::DEFAULT_FILES`).
const FILES: &[&str] = &[
    "drugs.yaml",
    "routes.yaml",
    "sites.yaml",
    "clinicians.yaml",
    "rationale.yaml",
    "context.yaml",
    "cues.yaml",
    "sections.yaml",
    "abbreviations.yaml",
];

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/lexicon/schema.rs");
    let mut all = schema::LexiconSource::default();
    for name in FILES {
        let path = Path::new("lexicons").join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let yaml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if yaml.trim().is_empty() {
            continue;
        }
        let part: schema::LexiconSource =
            serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        all.merge(part);
    }
    let json = serde_json::to_string(&all).expect("lexicon serializes");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("default_lexicon.json");
    std::fs::write(&out, json).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
