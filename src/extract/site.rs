//! Route and injection site (with its side).
//!
//! A route counts as written; it is never inferred from the site. A site
//! word that is almost always an injection site ("deltoid") counts wherever
//! it is asserted; a weaker one ("arm", "knee") only in a site field or a
//! sentence about the injection, so "c/o left knee pain" is not a site.

use super::{Extraction, Scan, SiteMention};
use crate::element::Element;
use crate::lexicon::{FieldKind, Hit, Kind, Side};
use crate::note::layout::ValueState;
use compact_str::CompactString;

/// Words that may stand between a side and its site ("left upper outer gluteal").
const BETWEEN_SIDE_AND_SITE: &[&str] = &[
    "upper",
    "lower",
    "outer",
    "inner",
    "posterior",
    "anterior",
    "lateral",
    "medial",
    "mid",
    "arm",
    "the",
    "of",
    "side",
    "aspect",
    "gluteal",
    "quadrant",
    "area",
    "region",
    "muscle",
    "thigh",
    "-",
    "sided",
];

pub(super) fn extract(scan: &Scan, x: &mut Extraction) {
    routes(scan, x);
    sites(scan, x);
}

fn routes(scan: &Scan, x: &mut Extraction) {
    for h in scan.hits_where(|k| matches!(k, Kind::Route(_))) {
        let Kind::Route(route) = h.kind else { continue };
        let span = h.start..h.end;
        if route == crate::lexicon::Route::IV {
            // "stage IV", "grade IV": a Roman numeral, not a route.
            let before = scan.text[..span.start].trim_end().rsplit(' ').next().unwrap_or("").to_ascii_lowercase();
            if ["stage", "grade", "type", "class", "ckd", "phase", "level", "step"].contains(&before.as_str()) {
                continue;
            }
        }
        if !scan.documents(&span) {
            continue;
        }
        x.routes.push((span.clone(), route));
        x.set_first(Element::Route, span, || Some(CompactString::from(route.as_str())));
    }
    for f in scan.layout.fields_of(FieldKind::Route) {
        // A value of check boxes with none ticked documents no route.
        let boxes = scan.lexicon.patterns.checkbox.is_match(&scan.text[f.value.clone()]);
        if f.state == ValueState::Present
            && !boxes
            && !x.routes.iter().any(|(s, _)| f.value.start <= s.start && s.end <= f.value.end)
        {
            x.set_first(Element::Route, f.value.clone(), || None);
        }
    }
}

/// The side written next to a site mention, if any.
fn side_near(scan: &Scan, site: &Hit) -> Option<(Side, usize, usize)> {
    let text = scan.text;
    let line_start = super::line_start(text, site.start);
    let line_end = super::line_end(text, site.end);
    let sides: Vec<&Hit> = scan.hits_in(line_start..line_end, |k| matches!(k, Kind::Side(_))).collect();
    // before: "left deltoid", "L upper arm", "right upper outer quadrant"
    if let Some(s) = sides.iter().rev().find(|s| s.end <= site.start) {
        let gap = &text[s.end..site.start];
        let words: Vec<&str> = gap.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        let between_ok = words.len() <= 3
            && words.iter().all(|w| BETWEEN_SIDE_AND_SITE.contains(&w.trim_matches('.').to_ascii_lowercase().as_str()));
        if let (true, Kind::Side(side)) = (between_ok, s.kind) {
            return Some((side, s.start, site.end));
        }
    }
    // after: "deltoid, left", "deltoid (R)", "deltoid - right", "gluteal R"
    if let Some(s) = sides.iter().find(|s| s.start >= site.end) {
        let gap = &text[site.end..s.start];
        let close = gap.len() <= 8 && gap.chars().all(|c| c.is_whitespace() || ",-:(/–".contains(c));
        if let (true, Kind::Side(side)) = (close, s.kind) {
            return Some((side, site.start, s.end));
        }
    }
    None
}

fn sites(scan: &Scan, x: &mut Extraction) {
    let field_side: Option<Side> = scan
        .layout
        .fields_of(FieldKind::Side)
        .filter(|f| f.state == ValueState::Present)
        .find_map(|f| {
            scan.hits_in(f.value.clone(), |k| matches!(k, Kind::Side(_))).find(|h| !scan.layout.unchecked_at(h.start))
        })
        .and_then(|h| match h.kind {
            Kind::Side(s) => Some(s),
            _ => None,
        });
    for h in scan.hits_where(|k| matches!(k, Kind::Site(_) | Kind::SidedSite(..))) {
        let mut span = h.start..h.end;
        let (index, mut side) = match h.kind {
            Kind::Site(i) => (i, None),
            Kind::SidedSite(i, s) => (i, Some(s)),
            _ => continue,
        };
        let entry = scan.lexicon.site(index);
        if !scan.documents(&span) {
            continue;
        }
        let in_site_field = scan.layout.field_at(span.start).is_some_and(|f| f.kind == FieldKind::Site);
        if !entry.strong && !in_site_field {
            let sentence = scan.layout.sentence_at(span.start);
            let about_injection = scan
                .hits_in(sentence.clone(), |k| {
                    matches!(
                        k,
                        Kind::Injection | Kind::AdminVerb | Kind::Route(_) | Kind::Drug(_) | Kind::AdministerCue
                    )
                })
                .next()
                .is_some()
                || x.doses.iter().any(|d| sentence.start <= d.span.start && d.span.end <= sentence.end);
            if !about_injection {
                continue;
            }
        }
        if side.is_none() {
            match side_near(scan, h) {
                Some((s, start, end)) => {
                    side = Some(s);
                    span = start..end;
                }
                None => side = field_side,
            }
        }
        x.sites.push(SiteMention {
            span: span.clone(),
            site: CompactString::from(entry.site.as_str()),
            sided: entry.sided,
            side,
        });
        x.set_first(Element::Site, span, || {
            Some(match side {
                Some(s) if entry.sided => compact_str::format_compact!("{} {}", s.as_str(), entry.site),
                _ => CompactString::from(entry.site.as_str()),
            })
        });
    }
    for f in scan.layout.fields_of(FieldKind::Site) {
        if f.state == ValueState::Present
            && !x.sites.iter().any(|s| f.value.start <= s.span.start && s.span.end <= f.value.end)
        {
            x.set_first(Element::Site, f.value.clone(), || {
                Some(CompactString::from(scan.text[f.value.clone()].trim()))
            });
        }
    }
}
