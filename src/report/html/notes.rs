//! The note-level sections of the HTML report: copy-forward clusters with
//! side-by-side word diffs, and the drill-down of notes with findings with
//! their evidence marked in the text.

use super::{severity_class, Batch, Esc};
use crate::diagnostic::{Finding, Severity};
use crate::element::Element;
use crate::extract::floor_boundary;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::report::diff::{word_changes, WordChange};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::ops::Range;

/// Longest stretch of a note's text shown (bytes); longer notes are cut.
const MAX_TEXT: usize = 100_000;

/// A note and an earlier note it repeats, with the copy-forward findings
/// that link them.
pub(super) struct Pair<'a> {
    /// Index of the note in the batch.
    pub note: usize,
    pub related: &'a str,
    pub findings: Vec<&'a Finding>,
}

/// Copy-forward findings as pairs (one per note and related note), in input
/// order, grouped into clusters of notes linked by them.
pub(super) struct CopyPairs<'a> {
    pub pairs: Vec<Pair<'a>>,
    /// Each cluster's pairs, by index into `pairs`; clusters in the order of
    /// their first pair.
    pub clusters: Vec<Vec<usize>>,
    /// The notes the pairs name, by id: linted notes first, else history.
    notes: HashMap<&'a str, &'a Note>,
}

impl<'a> CopyPairs<'a> {
    /// A note by id: a linted note first, else a history note.
    fn note(&self, id: &str) -> Option<&'a Note> {
        self.notes.get(id).copied()
    }

    /// The anchor of the pair for a note and related note id, if shown.
    fn anchor(&self, note: usize, related: &str, shown: usize) -> Option<String> {
        self.pairs.iter().take(shown).position(|p| p.note == note && p.related == related).map(|i| format!("cf{i}"))
    }
}

/// Pair up the batch's copy-forward findings and cluster the pairs.
pub(super) fn copy_pairs<'a>(batch: &Batch<'a>) -> CopyPairs<'a> {
    let mut pairs: Vec<Pair<'a>> = Vec::new();
    for (i, (_, report)) in batch.notes.iter().enumerate() {
        for f in &report.findings {
            let Some(related) = f.related_note_id.as_deref().filter(|_| f.code.starts_with('F')) else { continue };
            match pairs.iter_mut().rev().take_while(|p| p.note == i).find(|p| p.related == related) {
                Some(p) => p.findings.push(f),
                None => pairs.push(Pair { note: i, related, findings: vec![f] }),
            }
        }
    }
    // Union-find over note ids: a pair joins its two notes.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut id_of = |s: &'a str, parent: &mut Vec<usize>| {
        *ids.entry(s).or_insert_with(|| {
            parent.push(parent.len());
            parent.len() - 1
        })
    };
    let mut ends = Vec::with_capacity(pairs.len());
    for p in &pairs {
        let a = id_of(batch.notes[p.note].0.id.as_str(), &mut parent);
        let b = id_of(p.related, &mut parent);
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        parent[ra.max(rb)] = ra.min(rb);
        ends.push(a);
    }
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut cluster_of_root: HashMap<usize, usize> = HashMap::new();
    for (k, a) in ends.into_iter().enumerate() {
        let root = find(&mut parent, a);
        let c = *cluster_of_root.entry(root).or_insert_with(|| {
            clusters.push(Vec::new());
            clusters.len() - 1
        });
        clusters[c].push(k);
    }
    let mut notes: HashMap<&'a str, &'a Note> = HashMap::new();
    if !pairs.is_empty() {
        for n in batch.notes.iter().map(|(n, _)| n).chain(batch.history) {
            notes.entry(n.id.as_str()).or_insert(n);
        }
    }
    CopyPairs { pairs, clusters, notes }
}

/// `text` cut to [`MAX_TEXT`] bytes, and whether it was cut.
fn shown_text(text: &str) -> (&str, bool) {
    let cut = floor_boundary(text, MAX_TEXT);
    (&text[..cut], cut < text.len())
}

pub(super) fn copy_forward(out: &mut String, batch: &Batch, cp: &CopyPairs, max: usize) -> fmt::Result {
    out.push_str("<section id=\"copy-forward\"><h2>Copy-forward</h2>\n");
    if cp.pairs.is_empty() {
        out.push_str("<p class=\"empty\">No copy-forward found (F401, F402, F403).</p>\n</section>\n");
        return Ok(());
    }
    let notes_involved: BTreeSet<&str> =
        cp.pairs.iter().flat_map(|p| [batch.notes[p.note].0.id.as_str(), p.related]).collect();
    writeln!(
        out,
        "<p class=\"lede\">{} note(s) repeat text of another note, in {} cluster(s) of linked notes ({} notes in all). \
         Each pair shows the repeated note (left, <del>removed</del> words) beside the note with the finding \
         (right, <ins>inserted</ins> words); unchanged text is plain.</p>",
        cp.pairs.iter().map(|p| p.note).collect::<BTreeSet<_>>().len(),
        cp.clusters.len(),
        notes_involved.len()
    )?;
    let mut shown = 0;
    for (c, members) in cp.clusters.iter().enumerate() {
        if shown >= max {
            break;
        }
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
        for p in members.iter().map(|k| &cp.pairs[*k]) {
            ids.insert(batch.notes[p.note].0.id.as_str());
            ids.insert(p.related);
            for f in &p.findings {
                *codes.entry(f.code).or_default() += 1;
            }
        }
        let patients: BTreeSet<&str> =
            ids.iter().filter_map(|id| cp.note(id).and_then(|n| n.patient_id.as_deref())).collect();
        let who = match patients.len() {
            0 => "Patient not recorded".to_string(),
            1 => format!("Patient {}", patients.iter().next().map_or("", |p| p)),
            _ => format!("Patients {} (across patients)", patients.iter().copied().collect::<Vec<_>>().join(", ")),
        };
        let codes: Vec<String> = codes.iter().map(|(c, n)| format!("{c} ×{n}")).collect();
        writeln!(
            out,
            "<section class=\"cluster\" aria-labelledby=\"cl{c}\"><h3 id=\"cl{c}\">{} \
             <span class=\"muted\">· {} notes · {}</span></h3>",
            Esc(&who),
            ids.len(),
            codes.join(" · ")
        )?;
        for k in members {
            if shown >= max {
                break;
            }
            pair(out, batch, cp, &cp.pairs[*k], *k)?;
            shown += 1;
        }
        out.push_str("</section>\n");
    }
    if shown < cp.pairs.len() {
        writeln!(
            out,
            "<p class=\"cut\">Showing {shown} of {} pairs (limit set with <code>--max-notes</code>).</p>",
            cp.pairs.len()
        )?;
    }
    out.push_str("</section>\n");
    Ok(())
}

fn note_label(n: Option<&Note>, id: &str) -> String {
    match n.and_then(|n| n.date.as_deref()) {
        Some(d) => format!("{id} ({d})"),
        None => id.to_string(),
    }
}

fn pair(out: &mut String, batch: &Batch, cp: &CopyPairs, p: &Pair, k: usize) -> fmt::Result {
    let note = &batch.notes[p.note].0;
    let related = cp.note(p.related);
    // F403 links notes of different patients, in either order.
    let across = p.findings.iter().all(|f| f.code == "F403");
    let (verb, label) = if across { ("shares text with", "Other patient's note") } else { ("repeats", "Earlier note") };
    write!(
        out,
        "<article class=\"pair\" id=\"cf{k}\"><h4><a href=\"#n{}\">{}</a> {verb} {}</h4><ul class=\"pair-findings\">",
        p.note,
        Esc(&note_label(Some(note), &note.id)),
        Esc(&note_label(related, p.related))
    )?;
    for f in &p.findings {
        let sim = f
            .similarity
            .filter(|_| !f.message.contains("similarity"))
            .map(|s| format!(" <span class=\"muted\">(similarity {s:.2})</span>"))
            .unwrap_or_default();
        write!(
            out,
            "<li><span class=\"code {}\">{}</span> {}{sim}</li>",
            severity_class(f.severity),
            f.code,
            Esc(&f.message)
        )?;
    }
    out.push_str("</ul>\n");
    match related {
        Some(old) => side_by_side(out, old, note, label)?,
        None => out.push_str("<p class=\"empty\">The earlier note's text is not in this batch.</p>"),
    }
    out.push_str("</article>\n");
    Ok(())
}

/// One side of a word diff: its pieces, and whether each is changed
/// (`None` for white space, which joins the changes on either side of it).
fn write_side(out: &mut String, pieces: &[(&str, Option<bool>)], tag: &str) -> fmt::Result {
    let mut open = false;
    let mut pending = String::new();
    for &(text, changed) in pieces {
        match changed {
            None => pending.push_str(text),
            Some(true) => {
                // A run of changes joins across spaces but not line breaks.
                if open && pending.contains('\n') {
                    write!(out, "</{tag}>{}<{tag}>", Esc(&pending))?;
                } else if open {
                    write!(out, "{}", Esc(&pending))?;
                } else {
                    write!(out, "{}<{tag}>", Esc(&pending))?;
                    open = true;
                }
                pending.clear();
                write!(out, "{}", Esc(text))?;
            }
            Some(false) => {
                if open {
                    write!(out, "</{tag}>")?;
                    open = false;
                }
                write!(out, "{}{}", Esc(&pending), Esc(text))?;
                pending.clear();
            }
        }
    }
    if open {
        write!(out, "</{tag}>")?;
    }
    write!(out, "{}", Esc(&pending))
}

/// "1 word removed", "3 words removed".
fn words(n: usize, what: &str) -> String {
    format!("{n} word{} {what}", if n == 1 { "" } else { "s" })
}

/// The related note (removed words marked) beside this one (inserted words
/// marked). Changes of white space alone are not marked.
fn side_by_side(out: &mut String, old: &Note, new: &Note, old_label: &str) -> fmt::Result {
    let (old_text, old_cut) = shown_text(&old.text);
    let (new_text, new_cut) = shown_text(&new.text);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    let (mut removed, mut inserted) = (0usize, 0usize);
    for c in word_changes(old_text, new_text) {
        let state = if c.is_space() { None } else { Some(!matches!(c, WordChange::Same(_))) };
        match c {
            WordChange::Same(s) => {
                left.push((s, state));
                right.push((s, state));
            }
            WordChange::Removed(s) => {
                removed += usize::from(state.is_some());
                left.push((s, state));
            }
            WordChange::Inserted(s) => {
                inserted += usize::from(state.is_some());
                right.push((s, state));
            }
        }
    }
    write!(
        out,
        "<div class=\"diff\" role=\"group\" aria-label=\"Word diff: {removed} word(s) removed, {inserted} inserted\">"
    )?;
    let columns = [
        ("old", old_label, &old.id, words(removed, "removed"), &left, "del", old_cut),
        ("new", "This note", &new.id, words(inserted, "inserted"), &right, "ins", new_cut),
    ];
    for (class, label, id, count, pieces, tag, cut) in columns {
        write!(
            out,
            "<div class=\"side {class}\"><p class=\"side-head\">{} · {} <span class=\"muted\">{count}</span></p>\
             <pre class=\"text\">",
            Esc(label),
            Esc(id)
        )?;
        write_side(out, pieces, tag)?;
        out.push_str("</pre>");
        if cut {
            out.push_str("<p class=\"cut\">Text shortened for the report.</p>");
        }
        out.push_str("</div>");
    }
    writeln!(out, "</div>")
}

/// Where a note came from, as "file:line".
fn source(note: &Note) -> String {
    if note.origin.path.is_empty() {
        return String::new();
    }
    format!("{}:{}", note.origin.path, note.origin.line.max(1))
}

pub(super) fn drill_down(out: &mut String, batch: &Batch, cp: &CopyPairs, max: usize) -> fmt::Result {
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
    meta.extend(r.date.clone());
    meta.extend(r.author.clone());
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
    fn changed_words_and_the_space_between_them_form_one_run() {
        let mut s = String::new();
        let pieces = [
            ("a", Some(false)),
            (" ", None),
            ("b", Some(true)),
            (" ", None),
            ("<c>", Some(true)),
            (" ", None),
            ("d", Some(false)),
            (" ", None),
        ];
        write_side(&mut s, &pieces, "del").unwrap();
        assert_eq!(s, "a <del>b &lt;c&gt;</del> d ");
        s.clear();
        write_side(&mut s, &[("x", Some(true)), ("\n", None), ("y", Some(true))], "ins").unwrap();
        assert_eq!(s, "<ins>x</ins>\n<ins>y</ins>");
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
