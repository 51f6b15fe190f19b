//! `notelint.yaml`: which rules run at what severity, extra lexicon files or
//! inline lexicon entries, and input column names.
//!
//! Parsing is pure (text in, [`Config`] out); the CLI finds and reads the
//! files. Unknown keys are errors that name the file and line.
//!
//! ```yaml
//! select: [D, Q]            # codes or prefixes; default: every rule
//! ignore: [D110]
//! severity: {D112: warning, D110: off}
//! fail_on: warning          # error (default) | warning | info
//! lexicon_files: [formulary.yaml]   # relative to this file; same schema as lexicons/*.yaml
//! lexicon:                  # inline entries, same schema
//!   drugs:
//!     - {name: zilretta, terms: [Zilretta], classes: [corticosteroid], routes: [IA]}
//! abbreviations: {enable: [SC-SQ], disable: [MS]}
//! input:
//!   columns: {note_id: NoteID, text: NoteText}
//! ```

use crate::diagnostic::Severity;
use crate::input::Columns;
use crate::lexicon::{LexiconError, LexiconSource};
use crate::rules::Selection;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The name looked for from the working directory upward.
pub const FILE_NAME: &str = "notelint.yaml";

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AbbreviationSwitches {
    pub enable: Vec<String>,
    pub disable: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputConfig {
    pub columns: Columns,
}

/// Copy-forward thresholds (`notelint rule F401` explains the defaults).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CopyForwardConfig {
    pub shingle: Option<usize>,
    pub near_duplicate: Option<f64>,
    pub min_shingles: Option<usize>,
    pub section_min_shingles: Option<usize>,
    pub section_overlap: Option<f64>,
    pub template_min_patients: Option<usize>,
    pub template_share: Option<f64>,
    pub template_max_patients: Option<usize>,
    pub cross_patient_min_shingles: Option<usize>,
    pub max_history: Option<usize>,
    /// Text that is template in your notes (never copy-forward on its own).
    pub template_phrases: Vec<String>,
}

impl CopyForwardConfig {
    /// The defaults with this config's values over them.
    pub fn settings(&self) -> crate::copyforward::Settings {
        let mut s = crate::copyforward::Settings::default();
        s.shingle = self.shingle.unwrap_or(s.shingle).max(1);
        s.near_duplicate = self.near_duplicate.unwrap_or(s.near_duplicate);
        s.min_shingles = self.min_shingles.unwrap_or(s.min_shingles);
        s.section_min_shingles = self.section_min_shingles.unwrap_or(s.section_min_shingles);
        s.section_overlap = self.section_overlap.unwrap_or(s.section_overlap);
        s.template_min_patients = self.template_min_patients.unwrap_or(s.template_min_patients);
        s.template_share = self.template_share.unwrap_or(s.template_share);
        s.template_max_patients = self.template_max_patients.unwrap_or(s.template_max_patients);
        s.cross_patient_min_shingles = self.cross_patient_min_shingles.unwrap_or(s.cross_patient_min_shingles);
        s.max_history = self.max_history.unwrap_or(s.max_history);
        s
    }
}

/// The contents of a config file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// Code → `error` | `warning` | `info` | `off`.
    pub severity: BTreeMap<String, String>,
    pub fail_on: Option<String>,
    pub lexicon_files: Vec<String>,
    pub lexicon: LexiconSource,
    pub abbreviations: AbbreviationSwitches,
    pub input: InputConfig,
    pub copy_forward: CopyForwardConfig,
}

fn err(origin: &str, line: Option<usize>, message: String) -> LexiconError {
    LexiconError { origin: origin.to_string(), line, message }
}

impl Config {
    /// Parse a config file's text; `origin` names it in errors.
    pub fn parse(origin: &str, yaml: &str) -> Result<Config, LexiconError> {
        if yaml.trim().is_empty() {
            return Ok(Config::default());
        }
        let config: Config =
            serde_yaml::from_str(yaml).map_err(|e| err(origin, e.location().map(|l| l.line()), e.to_string()))?;
        config.selection().map_err(|m| err(origin, None, m))?;
        if let Some(f) = &config.fail_on {
            Severity::parse(f)
                .ok_or_else(|| err(origin, None, format!("fail_on: `{f}` is not error, warning or info")))?;
        }
        Ok(config)
    }

    /// The rule selection this config asks for.
    pub fn selection(&self) -> Result<Selection, String> {
        let mut severity = std::collections::HashMap::new();
        for (code, s) in &self.severity {
            let level = match s.to_ascii_lowercase().as_str() {
                "off" | "none" | "ignore" => None,
                other => Some(
                    Severity::parse(other)
                        .ok_or_else(|| format!("severity of {code}: `{s}` is not error, warning, info or off"))?,
                ),
            };
            severity.insert(code.to_ascii_uppercase(), level);
        }
        let selection = Selection { select: self.select.clone(), ignore: self.ignore.clone(), severity };
        selection.validate()?;
        Ok(selection)
    }

    /// Apply the abbreviation switches to a merged lexicon source.
    pub fn apply_abbreviation_switches(&self, source: &mut LexiconSource) -> Result<(), String> {
        for (ids, on) in [(&self.abbreviations.enable, true), (&self.abbreviations.disable, false)] {
            for id in ids {
                let a = source
                    .abbreviations
                    .iter_mut()
                    .find(|a| a.id.eq_ignore_ascii_case(id))
                    .ok_or_else(|| format!("abbreviations: no abbreviation with id `{id}`"))?;
                a.enabled = on;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let c = Config::parse(
            "notelint.yaml",
            "select: [D, Q]\nignore: [D110]\nseverity: {D112: warning, Q204: off}\nfail_on: warning\n",
        )
        .unwrap();
        let s = c.selection().unwrap();
        assert_eq!(s.severity_of("D112"), Some(Severity::Warning));
        assert_eq!(s.severity_of("Q204"), None);
        assert_eq!(s.severity_of("D110"), None);
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = Config::parse("cfg/notelint.yaml", "select: [D]\nseverty: {D112: warning}\n").unwrap_err();
        assert_eq!((e.origin.as_str(), e.line), ("cfg/notelint.yaml", Some(2)));
        let e = Config::parse("n.yaml", "severity: {D112: loud}\n").unwrap_err();
        assert!(e.message.contains("loud"));
        let e = Config::parse("n.yaml", "ignore: [Z9]\n").unwrap_err();
        assert!(e.message.contains("Z9"));
    }

    #[test]
    fn the_readme_copy_forward_block_parses_and_reaches_the_settings() {
        let readme = include_str!("../README.md");
        let start = readme.find("```yaml\ncopy_forward:").expect("README has a copy_forward block") + "```yaml\n".len();
        let block = &readme[start..start + readme[start..].find("```").unwrap()];
        let c = Config::parse("README.md", block).unwrap();
        let s = c.copy_forward.settings();
        assert_eq!(c.copy_forward.template_phrases.len(), 1);
        assert_eq!((s.template_min_patients, s.template_share, s.template_max_patients), (5, 0.01, 100));
        assert_eq!(s, crate::copyforward::Settings::default(), "the README shows the defaults");
        let capped = Config::parse("n.yaml", "copy_forward:\n  template_max_patients: 40\n").unwrap();
        assert_eq!(capped.copy_forward.settings().template_max_patients, 40);
    }
}
