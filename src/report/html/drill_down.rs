//! The drill-down: every note with findings (up to the cap) as a
//! collapsible block with its findings, their fixes, and the note text with
//! evidence marked and documented elements underlined.

use super::copy_forward::CopyPairs;
use super::{severity_class, shown_text, Batch, Esc, MAX_TEXT};
use crate::diagnostic::Severity;
use crate::element::Element;
use crate::extract::floor_boundary;
use crate::lint::NoteReport;
use crate::note::Note;
use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::ops::Range;

/// Where a note came from, as "file:line".
fn source(note: &Note) -> String {
    if note.origin.path.is_empty() {
        return String::new();
    }
    format!("{}:{}", note.origin.path, note.origin.line.max(1))
}

pub(super) fn section(out: &mut String, batch: &Batch, cp: &CopyPairs, max: usize) -> fmt::Result {
    out.push_str("<section id=\"notes\"><h2>Notes with findings</h2>\n");
    let with: Vec<usize> = (0..batch.notes.len()).filter(|i| !batch.notes[*i].1.findings.is_empty()).collect();
    if with.is_empty() {
        out.push_str("<p class=\"empty\">No note has a finding.</p>\n</section>\n");
        return Ok(());
    }
    let shown = with.len().min(max);
    write!(out, "<p class=\"lede\">{} note(s) with findings, in input order", with.len())?;
    let other = with.iter().filter(|i| !batch.notes[**i].1.applicable).count();
    if other > 0 {
        write!(out, " ({other} of them not injection notes, with copy-forward findings only)")?;
    }
    out.push('.');
    if shown < with.len() {
        write!(
            out,
            " <strong class=\"cut\">Showing the first {shown}</strong> (limit set with <code>--max-notes</code>)."
        )?;
    }
    out.push_str(
        " Evidence is <mark class=\"sev-warning\">marked</mark> in the note text (hover for the rule); \
         <span class=\"el\">documented elements</span> are underlined.</p>\n",
    );
    let codes: BTreeSet<&str> =
        with.iter().take(shown).flat_map(|i| batch.notes[*i].1.findings.iter().map(|f| f.code)).collect();
    out.push_str(
        "<div class=\"controls\" hidden><label for=\"code-filter\">Show notes with</label> \
         <select id=\"code-filter\"><option value=\"\">any code</option>",
    );
    for c in &codes {
        let name = crate::rules::rule(c).map_or("", |r| r.name);
        write!(out, "<option value=\"{c}\">{c} {}</option>", Esc(name))?;
    }
    out.push_str(
        "</select> <button type=\"button\" id=\"open-all\">Open all</button> \
         <button type=\"button\" id=\"close-all\">Close all</button> \
         <span class=\"count\" id=\"note-count\" aria-live=\"polite\"></span></div>\n<div class=\"note-list\">\n",
    );
    for &i in with.iter().take(shown) {
        let (note, report) = &batch.notes[i];
        note_block(out, i, note, report, cp, max)?;
    }
    out.push_str("</div>\n</section>\n");
    Ok(())
}

fn note_block(out: &mut String, i: usize, note: &Note, r: &NoteReport, cp: &CopyPairs, max: usize) -> fmt::Result {
    let worst = r.worst().unwrap_or(Severity::Info);
    let codes: BTreeSet<&str> = r.findings.iter().map(|f| f.code).collect();
    write!(
        out,
        "<details class=\"note {}\" id=\"n{i}\" data-codes=\"{}\"><summary><span class=\"nid\">{}</span>",
        severity_class(worst),
        codes.iter().copied().collect::<Vec<_>>().join(" "),
        Esc(&note.id)
    )?;
    let mut meta: Vec<String> = Vec::new();
    if let Some(p) = &r.patient_id {
        meta.push(format!("patient {p}"));
    }
    meta.extend(r.date.as_deref().map(String::from));
    meta.extend(r.author.as_deref().map(String::from));
    if !r.applicable {
        meta.push("not an injection note".into());
    }
    write!(out, " <span class=\"meta\">{}</span> <span class=\"badges\">", Esc(&meta.join(" · ")))?;
    for s in [Severity::Error, Severity::Warning, Severity::Info] {
        let n = r.findings.iter().filter(|f| f.severity == s).count();
        if n > 0 {
            write!(out, "<span class=\"badge {}\" title=\"{n} {s}\">{n} {s}</span>", severity_class(s))?;
        }
    }
    writeln!(out, "</span><span class=\"src\">{}</span></summary>", Esc(&source(note)))?;
    out.push_str(
        "<table class=\"findings\"><thead><tr><th scope=\"col\">Code</th><th scope=\"col\">Severity</th>\
         <th scope=\"col\">Finding</th><th scope=\"col\">Fix</th></tr></thead><tbody>",
    );
    for f in &r.findings {
        let link = f
            .related_note_id
            .as_deref()
            .and_then(|rel| cp.anchor(i, rel, max))
            .map(|a| format!(" <a href=\"#{a}\">compare</a>"))
            .unwrap_or_default();
        write!(
            out,
            "<tr><th scope=\"row\"><code title=\"{}\">{}</code></th><td><span class=\"sev {}\">{}</span></td>\
             <td>{}{link}</td><td>{}</td></tr>",
            f.name,
            f.code,
            severity_class(f.severity),
            f.severity,
            Esc(&f.message),
            Esc(f.help.as_deref().unwrap_or(""))
        )?;
    }
    out.push_str("</tbody></table>\n");
    let (text, cut) = shown_text(&note.text);
    out.push_str("<pre class=\"text\">");
    marked_text(out, text, &marks(r))?;
    out.push_str("</pre>");
    if cut {
        write!(out, "<p class=\"cut\">Text shortened to its first {} KB for the report.</p>", MAX_TEXT / 1000)?;
    }
    out.push_str("</details>\n");
    Ok(())
}

/// Something to mark in a note's text.
#[derive(Clone, Debug, PartialEq)]
enum Mark {
    /// A finding's evidence: code, name, severity.
    Finding(&'static str, &'static str, Severity),
    /// A documented element.
    Element(Element),
}

fn marks(r: &NoteReport) -> Vec<(Range<usize>, Mark)> {
    let mut out: Vec<(Range<usize>, Mark)> = r
        .findings
        .iter()
        .filter_map(|f| f.span.clone().map(|s| (s, Mark::Finding(f.code, f.name, f.severity))))
        .collect();
    out.extend(Element::ALL.iter().filter_map(|e| r.element(*e).map(|m| (m.span.clone(), Mark::Element(*e)))));
    out
}

/// Write `text` escaped, with finding evidence in `<mark>` (titled with the
/// codes) and documented elements in `<span class="el">`. Overlapping
/// marks are split at every boundary so the tags always nest.
fn marked_text(out: &mut String, text: &str, marks: &[(Range<usize>, Mark)]) -> fmt::Result {
    let clamp = |i: usize| floor_boundary(text, i);
    let marks: Vec<(Range<usize>, &Mark)> =
        marks.iter().map(|(r, m)| (clamp(r.start)..clamp(r.end), m)).filter(|(r, _)| r.start < r.end).collect();
    let mut cuts: Vec<usize> = marks.iter().flat_map(|(r, _)| [r.start, r.end]).chain([0, text.len()]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    // (finding titles, worst severity, element titles) covering a piece.
    type Cover = (Vec<String>, Option<Severity>, Vec<&'static str>);
    let cover = |a: usize, b: usize| -> Cover {
        let mut c: Cover = (Vec::new(), None, Vec::new());
        for (r, m) in &marks {
            if r.start <= a && b <= r.end {
                match m {
                    Mark::Finding(code, name, sev) => {
                        let t = format!("{code} {name}");
                        if !c.0.contains(&t) {
                            c.0.push(t);
                        }
                        c.1 = c.1.max(Some(*sev));
                    }
                    Mark::Element(e) if !c.2.contains(&e.name()) => c.2.push(e.name()),
                    Mark::Element(_) => {}
                }
            }
        }
        c
    };
    // Merge neighbouring pieces with the same cover, then write each.
    let mut pieces: Vec<(Range<usize>, Cover)> = Vec::new();
    for w in cuts.windows(2) {
        let c = cover(w[0], w[1]);
        match pieces.last_mut() {
            Some((r, last)) if *last == c => r.end = w[1],
            _ => pieces.push((w[0]..w[1], c)),
        }
    }
    for (r, (findings, worst, elements)) in pieces {
        let piece = Esc(&text[r]);
        let el = if elements.is_empty() {
            piece.to_string()
        } else {
            format!("<span class=\"el\" title=\"element: {}\">{piece}</span>", elements.join(", "))
        };
        match worst {
            Some(s) => write!(
                out,
                "<mark class=\"{}\" title=\"{}\">{el}</mark>",
                severity_class(s),
                Esc(&findings.join("; "))
            )?,
            None => out.push_str(&el),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(text: &str, marks: &[(Range<usize>, Mark)]) -> String {
        let mut s = String::new();
        marked_text(&mut s, text, marks).unwrap();
        s
    }

    #[test]
    fn overlapping_marks_nest_and_text_is_escaped() {
        let text = "B12 <1000> mcg IM glute";
        let (im, glute) = (text.find("IM").unwrap(), text.find("glute").unwrap());
        let marks = vec![
            (glute..text.len(), Mark::Finding("Q203", "site-without-laterality", Severity::Warning)),
            (0..3, Mark::Element(Element::Medication)),
            (im..text.len(), Mark::Element(Element::Route)),
        ];
        let html = render(text, &marks);
        assert_eq!(
            html,
            "<span class=\"el\" title=\"element: medication\">B12</span> &lt;1000&gt; mcg \
             <span class=\"el\" title=\"element: route\">IM </span>\
             <mark class=\"sev-warning\" title=\"Q203 site-without-laterality\">\
             <span class=\"el\" title=\"element: route\">glute</span></mark>"
        );
    }

    #[test]
    fn spans_off_char_boundaries_or_past_the_end_are_clamped() {
        let text = "dose: 1 µg";
        let marks = vec![(9..99, Mark::Finding("Q204", "do-not-use-abbreviation", Severity::Warning))];
        let html = render(text, &marks);
        assert!(html.starts_with("dose: 1 <mark"), "{html}");
        assert!(html.ends_with("µg</mark>"), "{html}");
        assert_eq!(render("", &marks), "");
    }
}
