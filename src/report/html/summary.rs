//! The report's sections built from the run's [`Summary`]: the overview
//! (counts, skipped records, findings by code), element coverage with its
//! intervals, and error rates per author.

use super::charts::{self, Bar, Scale};
use super::{ci, pct, severity_class, Batch, Esc, Options};
use crate::diagnostic::Severity;
use crate::element::Element;
use crate::input::InputError;
use crate::lint::NoteReport;
use crate::note::Note;
use crate::report::Summary;
use crate::rules;
use crate::stats::Rate;
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

/// Severity of each code as reported in this batch (the config may have
/// changed the default).
fn code_severities(notes: &[(Note, NoteReport)]) -> BTreeMap<&'static str, Severity> {
    let mut out = BTreeMap::new();
    for f in notes.iter().flat_map(|(_, r)| &r.findings) {
        out.entry(f.code).or_insert(f.severity);
    }
    out
}

fn tile(out: &mut String, label: &str, value: &str, note: &str, class: &str) -> fmt::Result {
    write!(
        out,
        "<div class=\"tile {class}\"><dt>{}</dt><dd><span class=\"big\">{}</span>{}</dd></div>",
        Esc(label),
        Esc(value),
        if note.is_empty() { String::new() } else { format!(" <span class=\"sub\">{}</span>", Esc(note)) }
    )
}

pub(super) fn overview(out: &mut String, batch: &Batch, options: &Options) -> fmt::Result {
    let s = batch.summary;
    out.push_str("<section id=\"overview\"><h2>Overview</h2>\n");
    if !options.sources.is_empty() {
        out.push_str("<p class=\"sources\">Read: ");
        for (i, src) in options.sources.iter().enumerate() {
            write!(out, "{}<code>{}</code>", if i > 0 { ", " } else { "" }, Esc(src))?;
        }
        out.push_str("</p>\n");
    }
    let share = |n: usize| {
        if s.applicable == 0 {
            String::new()
        } else {
            format!("{} of injection notes", pct(n as f64 / s.applicable as f64))
        }
    };
    let sev = |k: &str| s.by_severity.get(k).copied().unwrap_or(0);
    out.push_str("<dl class=\"tiles\">");
    tile(out, "Files read", &s.files.to_string(), "", "")?;
    tile(out, "Notes read", &s.linted.to_string(), "", "")?;
    tile(out, "Injection notes", &s.applicable.to_string(), "audited for 96372", "accent")?;
    tile(out, "Not applicable", &s.not_applicable.to_string(), "other note types", "")?;
    tile(out, "Skipped records", &s.skipped.to_string(), "could not be read", if s.skipped > 0 { "bad" } else { "" })?;
    tile(out, "Clean", &s.clean.to_string(), &share(s.clean), "good")?;
    tile(out, "With findings", &s.with_findings.to_string(), &share(s.with_findings), "")?;
    if let Some(r) = s.error_rates.as_ref().map(|r| &r.overall.with_error).filter(|r| r.of > 0) {
        tile(out, "With an error", &pct(r.rate), &format!("{} of {}; 90% CI {}", r.count, r.of, ci(r)), "bad")?;
    }
    let breakdown = format!("{} error · {} warning · {} info", sev("error"), sev("warning"), sev("info"));
    tile(out, "Findings", &s.findings.to_string(), &breakdown, "")?;
    out.push_str("</dl>\n");
    if !batch.skipped.is_empty() {
        skipped_table(out, batch.skipped)?;
    }

    out.push_str(
        "<h3 id=\"by-code\">Findings by code</h3>\n<p class=\"lede\">Notes with at least one finding of each code, \
         coloured by severity: <span class=\"swatch sev-error\"></span>error \
         <span class=\"swatch sev-warning\"></span>warning <span class=\"swatch sev-info\"></span>info.</p>\n",
    );
    let severities = code_severities(batch.notes);
    let mut codes: Vec<(&&str, &usize)> = s.by_code.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let bars: Vec<Bar> = codes
        .iter()
        .map(|(code, n)| {
            let name = rules::rule(code).map_or("", |r| r.name);
            let severity = severities.get(**code).copied().unwrap_or(Severity::Info);
            Bar {
                label: format!("{code} {name}"),
                value: **n as f64,
                value_text: n.to_string(),
                interval: None,
                class: severity_class(severity),
                tip: format!("{code} {name} ({severity}): {n} note(s)"),
            }
        })
        .collect();
    out.push_str(&charts::bar_chart("Notes with findings, by rule code", &bars, Scale::Count));
    if !codes.is_empty() {
        out.push_str(
            "\n<details class=\"table-wrap\"><summary>Table</summary><table class=\"sortable\">\
             <caption>Notes with findings, by rule code</caption><thead><tr><th scope=\"col\">Code</th>\
             <th scope=\"col\">Rule</th><th scope=\"col\">Severity</th><th scope=\"col\" class=\"num\">Notes</th>\
             </tr></thead><tbody>",
        );
        for (code, n) in &codes {
            let rule = rules::rule(code);
            let severity = severities.get(**code).copied().unwrap_or(Severity::Info);
            write!(
                out,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td><span class=\"sev {}\">{}</span></td>\
                 <td class=\"num\" data-sort=\"{n}\">{n}</td></tr>",
                Esc(code),
                Esc(rule.map_or("", |r| r.summary)),
                severity_class(severity),
                severity,
            )?;
        }
        out.push_str("</tbody></table></details>");
    }
    out.push_str("\n</section>\n");
    Ok(())
}

fn skipped_table(out: &mut String, skipped: &[InputError]) -> fmt::Result {
    const SHOWN: usize = 100;
    out.push_str(
        "<h3 id=\"skipped\">Records that could not be read</h3><table>\
         <thead><tr><th scope=\"col\">Where</th><th scope=\"col\">Problem</th></tr></thead><tbody>",
    );
    for e in skipped.iter().take(SHOWN) {
        let at = match e.line {
            Some(l) => format!("{}:{l}", e.path),
            None => e.path.clone(),
        };
        write!(out, "<tr><td><code>{}</code></td><td>{}</td></tr>", Esc(&at), Esc(&e.message))?;
    }
    out.push_str("</tbody></table>");
    if skipped.len() > SHOWN {
        write!(out, "<p class=\"cut\">… and {} more.</p>", skipped.len() - SHOWN)?;
    }
    out.push('\n');
    Ok(())
}

pub(super) fn coverage(out: &mut String, s: &Summary) -> fmt::Result {
    out.push_str("<section id=\"coverage\"><h2>Element coverage</h2>\n");
    let Some(overall) = s.error_rates.as_ref().map(|r| &r.overall).filter(|o| o.notes > 0) else {
        out.push_str("<p class=\"empty\">No injection notes were read.</p></section>\n");
        return Ok(());
    };
    writeln!(
        out,
        "<p class=\"lede\">Share of the {} injection notes in which each element is not documented; \
         whiskers show the 90% confidence interval.</p>",
        overall.notes
    )?;
    let rates: Vec<(Element, &Rate)> =
        Element::ALL.iter().filter_map(|e| overall.missing.get(e.name()).map(|r| (*e, r))).collect();
    let bars: Vec<Bar> = rates
        .iter()
        .map(|(e, r)| Bar {
            label: e.name().replace('_', " "),
            value: r.rate,
            value_text: pct(r.rate),
            interval: Some(r.ci90),
            class: "missing",
            tip: format!("{}: missing in {} of {} ({}; 90% CI {})", e.name(), r.count, r.of, pct(r.rate), ci(r)),
        })
        .collect();
    out.push_str(&charts::bar_chart("Share of injection notes missing each element", &bars, Scale::Share));
    out.push_str(
        "\n<table class=\"sortable\"><caption>Injection notes missing each element</caption><thead><tr>\
         <th scope=\"col\">Element</th><th scope=\"col\">Rule</th><th scope=\"col\" class=\"num\">Missing</th>\
         <th scope=\"col\" class=\"num\">Share missing</th><th scope=\"col\" class=\"num\">90% CI</th></tr></thead><tbody>",
    );
    for (i, (e, r)) in rates.iter().enumerate() {
        write!(
            out,
            "<tr><th scope=\"row\">{}</th><td><code>D{}</code></td><td class=\"num\" data-sort=\"{}\">{} of {}</td>\
             <td class=\"num\" data-sort=\"{:.6}\">{}</td><td class=\"num\" data-sort=\"{:.6}\">{}</td></tr>",
            e.name(),
            101 + i,
            r.count,
            r.count,
            r.of,
            r.rate,
            pct(r.rate),
            r.ci90.0,
            ci(r)
        )?;
    }
    out.push_str("</tbody></table>\n</section>\n");
    Ok(())
}

/// The elements most often missing in a group, as "site 40%, lot 30%".
fn top_missing(missing: &BTreeMap<&'static str, Rate>, n: usize) -> String {
    let mut v: Vec<(&&str, &Rate)> = missing.iter().filter(|(_, r)| r.count > 0).collect();
    v.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| element_order(a.0).cmp(&element_order(b.0))));
    v.iter().take(n).map(|(e, r)| format!("{} {}", e.replace('_', " "), pct(r.rate))).collect::<Vec<_>>().join(", ")
}

fn element_order(name: &str) -> usize {
    Element::from_name(name).map_or(usize::MAX, Element::index)
}

pub(super) fn authors(out: &mut String, s: &Summary) -> fmt::Result {
    out.push_str("<section id=\"authors\"><h2>Authors</h2>\n");
    let Some(rates) = s.error_rates.as_ref().filter(|r| !r.by_author.is_empty()) else {
        out.push_str("<p class=\"empty\">No injection notes were read.</p></section>\n");
        return Ok(());
    };
    out.push_str(
        "<p class=\"lede\">Injection notes by author (the export's author field), the share with an error-level \
         finding, and the elements each author most often leaves out. Click a column header to sort.</p>\n\
         <div class=\"controls\" hidden><label for=\"author-filter\">Filter authors</label> \
         <input type=\"search\" id=\"author-filter\" placeholder=\"name…\" autocomplete=\"off\"> \
         <span class=\"count\" id=\"author-count\" aria-live=\"polite\"></span></div>\n\
         <table class=\"sortable\" id=\"author-table\"><caption>Error rate by author</caption><thead><tr>\
         <th scope=\"col\">Author</th><th scope=\"col\" class=\"num\">Injection notes</th>\
         <th scope=\"col\" class=\"num\">With an error</th><th scope=\"col\" class=\"num\">Error rate</th>\
         <th scope=\"col\" class=\"num\">90% CI</th><th scope=\"col\">Most often missing</th></tr></thead><tbody>",
    );
    // Most injection notes first; the script re-sorts on any column.
    let mut groups: Vec<_> = rates.by_author.iter().collect();
    groups.sort_by(|a, b| b.1.notes.cmp(&a.1.notes).then_with(|| a.0.cmp(b.0)));
    for (author, g) in groups {
        let r = &g.with_error;
        write!(
            out,
            "<tr><th scope=\"row\" class=\"who\">{}</th><td class=\"num\" data-sort=\"{}\">{}</td>\
             <td class=\"num\" data-sort=\"{}\">{}</td><td class=\"num\" data-sort=\"{:.6}\">\
             <span class=\"meter\" style=\"--v:{:.3}\"></span>{}</td><td class=\"num\" data-sort=\"{:.6}\">{}</td>\
             <td>{}</td></tr>",
            Esc(author),
            g.notes,
            g.notes,
            r.count,
            r.count,
            r.rate,
            r.rate,
            pct(r.rate),
            r.ci90.0,
            ci(r),
            Esc(&top_missing(&g.missing, 3)),
        )?;
    }
    out.push_str("</tbody></table>\n</section>\n");
    Ok(())
}
