//! Human output: rustc / ruff-style diagnostics with the annotated line of
//! the note, and a summary at the end.

use super::diff::{word_changes, WordChange};
use super::Summary;
use crate::diagnostic::Severity;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::rules;
use annotate_snippets::{Level, Renderer, Snippet};
use std::io::{self, Write};
use std::ops::Range;

/// Longest stretch of a note line shown around a span.
const MAX_SHOWN: usize = 160;

fn level(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

/// The line of `text` holding `span`, cut to at most [`MAX_SHOWN`] bytes
/// around it: (shown text, span within it, 0-based line index).
fn line_around(text: &str, span: &Range<usize>) -> (String, Range<usize>, usize) {
    let start = span.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_index = text[..line_start].matches('\n').count();
    let end = span.end.clamp(start, line_end);
    let mut from = line_start;
    let mut to = line_end;
    if to - from > MAX_SHOWN {
        from = crate::extract::floor_boundary(text, start.saturating_sub(MAX_SHOWN / 2).max(line_start));
        to = crate::extract::floor_boundary(text, (from + MAX_SHOWN).min(line_end));
    }
    let shown = text[from..to].trim_end_matches('\r').to_string();
    let local = (start - from).min(shown.len())..(end.max(start) - from).min(shown.len());
    (shown, local, line_index)
}

/// Renders findings for people.
pub struct HumanPrinter {
    renderer: Renderer,
}

impl HumanPrinter {
    pub fn new(color: bool) -> HumanPrinter {
        HumanPrinter { renderer: if color { Renderer::styled() } else { Renderer::plain() } }
    }

    /// Render a note's findings. `related` looks up the text of another
    /// note by id, for the diff under copy-forward findings.
    pub fn note(
        &self,
        out: &mut dyn Write,
        note: &Note,
        r: &NoteReport,
        related: &dyn Fn(&str) -> Option<String>,
    ) -> io::Result<()> {
        for f in &r.findings {
            let title = f.message.clone();
            let help = f.help.clone().unwrap_or_default();
            let where_ = format!("note {}", r.note_id);
            match &f.span {
                Some(span) => {
                    let (shown, local, line_index) = line_around(&note.text, span);
                    let (origin, line_start) = match note.origin.text_line {
                        Some(first) => (note.origin.path.to_string(), first + line_index),
                        None => (format!("{} [record {}]", note.origin.path, note.origin.line), line_index + 1),
                    };
                    let note_ref = format!("note {}", r.note_id);
                    let mut msg = level(f.severity).title(&title).id(f.code).snippet(
                        Snippet::source(&shown)
                            .line_start(line_start)
                            .origin(&origin)
                            .annotation(level(f.severity).span(local).label(f.name)),
                    );
                    if note.origin.text_line != Some(1) {
                        msg = msg.footer(Level::Note.title(&note_ref));
                    }
                    if !help.is_empty() {
                        msg = msg.footer(Level::Help.title(&help));
                    }
                    writeln!(out, "{}", self.renderer.render(msg))?;
                }
                None => {
                    let location = match note.origin.text_line {
                        Some(_) => format!("{} ({})", note.origin.path, where_),
                        None => format!("{}:{} ({})", note.origin.path, note.origin.line, where_),
                    };
                    let loc = format!("in {location}");
                    let mut msg = level(f.severity).title(&title).id(f.code).footer(Level::Note.title(&loc));
                    if !help.is_empty() {
                        msg = msg.footer(Level::Help.title(&help));
                    }
                    writeln!(out, "{}", self.renderer.render(msg))?;
                }
            }
            if let Some(other) = f.related_note_id.as_deref().and_then(related) {
                write_diff(out, &other, &note.text, f.related_note_id.as_deref().unwrap_or(""))?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    pub fn input_error(&self, out: &mut dyn Write, e: &InputError, skipped: bool) -> io::Result<()> {
        let lvl = if skipped { Level::Error } else { Level::Warning };
        let title = if skipped { format!("{e} (record skipped)") } else { e.to_string() };
        let rendered = self.renderer.render(lvl.title(&title)).to_string();
        writeln!(out, "{rendered}")
    }

    /// Counts per rule code, most frequent first (`--statistics`).
    pub fn statistics(&self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut rows: Vec<(&&str, &usize)> = s.by_code.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        writeln!(out, "{:>7}  {:<5}  {:<34}  severity", "notes", "code", "name")?;
        for (code, n) in rows {
            let (name, severity) = rules::rule(code).map_or(("", ""), |r| (r.name, r.severity.as_str()));
            writeln!(out, "{n:>7}  {code:<5}  {name:<34}  {severity}")?;
        }
        writeln!(out, "{:>7}  notes with findings, of {} injection notes", s.with_findings, s.applicable)
    }

    pub fn summary(&self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        writeln!(
            out,
            "Read {} record(s) from {} input(s): {} linted ({} injection notes, {} not applicable), {} skipped.",
            s.records, s.files, s.linted, s.applicable, s.not_applicable, s.skipped
        )?;
        let sev = |k: &'static str| s.by_severity.get(k).copied().unwrap_or(0);
        writeln!(
            out,
            "{} injection note(s) with findings, {} clean; {} finding(s): {} error, {} warning, {} info.",
            s.with_findings,
            s.clean,
            s.findings,
            sev("error"),
            sev("warning"),
            sev("info")
        )?;
        if let Some(rates) = &s.error_rates {
            let o = &rates.overall;
            if o.notes > 0 {
                writeln!(
                    out,
                    "Injection notes with an error: {:.1}% ({} of {}; 90% CI {:.1}-{:.1}%, Clopper-Pearson).",
                    100.0 * o.with_error.rate,
                    o.with_error.count,
                    o.notes,
                    100.0 * o.with_error.ci90.0,
                    100.0 * o.with_error.ci90.1
                )?;
            }
        }
        if !s.by_code.is_empty() {
            writeln!(out, "Notes by code:")?;
            for (code, n) in &s.by_code {
                let name = rules::rule(code).map_or("", |r| r.name);
                writeln!(out, "  {code:<5} {name:<34} {n:>6}")?;
            }
        }
        Ok(())
    }
}

/// What differs between the related note and this one, word by word
/// (white space and line breaks aside), at most [`MAX_DIFF_LINES`] changes,
/// computed under a deadline (see [`super::diff`]).
fn write_diff(out: &mut dyn Write, old: &str, new: &str, old_id: &str) -> io::Result<()> {
    // Runs of changed words, each as (deleted, inserted).
    let mut runs: Vec<(String, String)> = Vec::new();
    let mut open = false;
    let mut same_words = 0usize;
    for change in word_changes(old, new) {
        if change.is_space() {
            continue;
        }
        if let WordChange::Same(_) = change {
            open = false;
            same_words += 1;
            continue;
        }
        if !open {
            runs.push((String::new(), String::new()));
            open = true;
        }
        let run = runs.last_mut().expect("a run is open");
        let side = if matches!(change, WordChange::Removed(_)) { &mut run.0 } else { &mut run.1 };
        if !side.is_empty() {
            side.push(' ');
        }
        side.push_str(change.text().trim());
    }
    if runs.is_empty() {
        writeln!(out, "   = same words as {old_id} ({same_words}); only spacing or line breaks differ")?;
        return Ok(());
    }
    writeln!(out, "   = changed against {old_id} (- earlier, + this note; {same_words} words unchanged):")?;
    let clip = |s: &str| {
        let cut = crate::extract::floor_boundary(s, MAX_SHOWN / 2);
        format!("{}{}", &s[..cut], if cut < s.len() { "..." } else { "" })
    };
    for (deleted, inserted) in runs.iter().take(MAX_DIFF_LINES) {
        match (deleted.is_empty(), inserted.is_empty()) {
            (false, false) => writeln!(out, "     - {}  + {}", clip(deleted), clip(inserted))?,
            (false, true) => writeln!(out, "     - {}", clip(deleted))?,
            _ => writeln!(out, "     + {}", clip(inserted))?,
        }
    }
    if runs.len() > MAX_DIFF_LINES {
        writeln!(out, "     ... {} more change(s)", runs.len() - MAX_DIFF_LINES)?;
    }
    Ok(())
}

/// Changes shown under a copy-forward finding.
const MAX_DIFF_LINES: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let text = format!("{}deltoid{}", "x".repeat(1000), "y".repeat(1000));
        let (shown, local, line) = line_around(&text, &(1000..1007));
        assert!(shown.len() <= MAX_SHOWN);
        assert_eq!(&shown[local], "deltoid");
        assert_eq!(line, 0);
    }
}
