//! Copy-forward: F401/F402/F403 findings paired up (a note and the note it
//! repeats), the pairs clustered into groups of linked notes, and each pair
//! shown as a side-by-side word diff ([`crate::report::diff`]).

use super::{severity_class, shown_text, Batch, Esc};
use crate::diagnostic::Finding;
use crate::note::Note;
use crate::report::diff::{word_changes, WordChange};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};

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
    pub(super) fn anchor(&self, note: usize, related: &str, shown: usize) -> Option<String> {
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

pub(super) fn section(out: &mut String, batch: &Batch, cp: &CopyPairs, max: usize) -> fmt::Result {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
