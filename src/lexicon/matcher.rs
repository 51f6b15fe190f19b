//! Compiled term matching: every lexicon phrase in one byte trie, searched
//! once per note.
//!
//! The search reports overlapping matches so that each consumer sees the
//! phrases of its own kind ("B12" the drug and "B12 deficiency" the
//! condition both exist); [`TermMatcher::find`] then applies the few
//! precedence rules between kinds that keep one reading of the text.

use super::schema::{Route, Side};

/// A byte trie over ASCII-lowercased phrases, walked from candidate start
/// positions. Reporting every phrase that starts at every position is the
/// same as an overlapping (`MatchKind::Standard`) Aho-Corasick search, but
/// building it takes a fraction of a millisecond instead of building failure
/// transitions for thousands of phrases, which dominated a one-note run.
#[derive(Clone, Debug)]
struct Trie {
    /// Children of the root, by (lowercased) byte; `u32::MAX` when none.
    root: Box<[u32; 256]>,
    /// Per node: its first edge in `edges`, its edge count and the pattern
    /// ending here (`u32::MAX` when none).
    nodes: Vec<TrieNode>,
    /// Edges of every node, sorted by byte within a node.
    edges: Vec<(u8, u32)>,
    /// Full child tables of the nodes with many edges (near the root, where
    /// most walks are), so that their lookups are one load.
    dense: Vec<[u32; 256]>,
}

/// Nodes with more edges than this get a full child table.
const DENSE_EDGES: usize = 6;

#[derive(Clone, Copy, Debug)]
struct TrieNode {
    first_edge: u32,
    edge_count: u32,
    pattern: u32,
    /// Index into `dense`, or `NONE`.
    dense: u32,
}

const NONE: u32 = u32::MAX;

impl Trie {
    /// Build from lowercased phrases; phrase `i` is pattern `i`. A repeated
    /// phrase keeps its first index.
    fn build<S: AsRef<[u8]>>(texts: &[S]) -> Trie {
        let lower: Vec<Vec<u8>> = texts.iter().map(|t| t.as_ref().to_ascii_lowercase()).collect();
        // Inserted in byte order (equal phrases in input order, so that the
        // first one keeps the node), each phrase shares its prefix with the
        // one before it, and every node's children are created in byte
        // order: no per-node lists, no searching.
        let mut sorted: Vec<(&[u8], u32)> = lower.iter().enumerate().map(|(i, t)| (&t[..], i as u32)).collect();
        sorted.sort_unstable();
        let mut pattern: Vec<u32> = vec![NONE];
        // (parent, byte, child) in creation order.
        let mut created: Vec<(u32, u8, u32)> = Vec::new();
        // `path[d]`: the node of the previous phrase's first `d` bytes.
        let mut path: Vec<u32> = vec![0];
        let mut prev: &[u8] = &[];
        for &(t, i) in &sorted {
            let common = t.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &t[common..] {
                let n = pattern.len() as u32;
                pattern.push(NONE);
                created.push((path[path.len() - 1], b, n));
                path.push(n);
            }
            let node = path[t.len()] as usize;
            if node != 0 && pattern[node] == NONE {
                pattern[node] = i;
            }
            prev = t;
        }
        // Edges grouped by parent (a counting sort keeps the byte order).
        let mut first = vec![0u32; pattern.len() + 1];
        for &(p, _, _) in &created {
            first[p as usize + 1] += 1;
        }
        for k in 1..first.len() {
            first[k] += first[k - 1];
        }
        let mut edges = vec![(0u8, 0u32); created.len()];
        let mut fill = first.clone();
        for &(p, b, c) in &created {
            edges[fill[p as usize] as usize] = (b, c);
            fill[p as usize] += 1;
        }
        let mut root = Box::new([NONE; 256]);
        for &(b, n) in &edges[first[0] as usize..first[1] as usize] {
            root[b as usize] = n;
        }
        let mut dense = Vec::new();
        let nodes = (0..pattern.len())
            .map(|n| {
                let (from, to) = (first[n], first[n + 1]);
                let mut table = NONE;
                if (to - from) as usize > DENSE_EDGES {
                    let mut t = [NONE; 256];
                    for &(b, c) in &edges[from as usize..to as usize] {
                        t[b as usize] = c;
                    }
                    table = dense.len() as u32;
                    dense.push(t);
                }
                TrieNode { first_edge: from, edge_count: to - from, pattern: pattern[n], dense: table }
            })
            .collect();
        Trie { root, nodes, edges, dense }
    }

    #[inline]
    fn child(&self, node: u32, b: u8) -> u32 {
        let n = self.nodes[node as usize];
        if n.dense != NONE {
            return self.dense[n.dense as usize][b as usize];
        }
        let edges = &self.edges[n.first_edge as usize..(n.first_edge + n.edge_count) as usize];
        {
            for &(c, next) in edges {
                if c == b {
                    return next;
                }
                if c > b {
                    break;
                }
            }
            NONE
        }
    }

    /// Every pattern that starts at `start`, as `(pattern, end)`, shortest first.
    #[inline]
    fn walk(&self, bytes: &[u8], start: usize, mut f: impl FnMut(usize, usize)) {
        let Some(&first) = bytes.get(start) else { return };
        let mut node = self.root[first.to_ascii_lowercase() as usize];
        let mut pos = start + 1;
        while node != NONE {
            let p = self.nodes[node as usize].pattern;
            if p != NONE {
                f(p as usize, pos);
            }
            let Some(&b) = bytes.get(pos) else { return };
            node = self.child(node, b.to_ascii_lowercase());
            pos += 1;
        }
    }

    /// Can any pattern start with this byte?
    #[inline]
    fn starts_with(&self, b: u8) -> bool {
        self.root[b.to_ascii_lowercase() as usize] != NONE
    }
}

/// How a context trigger changes the mentions it reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Modifier {
    Negated,
    Hypothetical,
    Historical,
    Allergy,
    /// What the patient came for ("here for B12"): documentation, but no
    /// evidence that anything was given.
    Intent,
}

/// Which way a context trigger reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    Forward,
    Backward,
}

/// What a matched phrase is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Drug(u16),
    Route(Route),
    Site(u16),
    SidedSite(u16, Side),
    Side(Side),
    Credential(u8),
    OrderCue,
    OrderVerb,
    SelfOrder,
    RemoteEncounter,
    AdministerCue,
    AdministerVerb,
    SelfReference,
    SignatureCue,
    NotClinician,
    NecessityCue,
    Boilerplate,
    BoilerplateReason,
    EncounterOnly,
    Condition,
    Trigger(Modifier, Direction),
    Pseudo,
    Terminator,
    Injection,
    AdminVerb,
    Oral,
    Procedure,
    Lab,
    Response,
    Consent,
    Lot,
    Dob,
    Expiry,
    Supplied,
    MixedSyringe,
    Waste,
    EvaluationHistory,
    EvaluationExam,
    EvaluationDecision,
}

impl Kind {
    fn is_trigger(self) -> bool {
        matches!(self, Kind::Trigger(..))
    }
}

/// One matched phrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

impl Hit {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    fn contains(&self, other: &Hit) -> bool {
        self.start <= other.start && other.end <= self.end && self.len() > other.len()
    }
}

#[derive(Clone, Debug)]
struct PatternKind {
    kind: Kind,
    /// Must the text match this casing exactly?
    exact: Option<Box<str>>,
}

#[derive(Clone, Debug)]
struct Pattern {
    first_alnum: bool,
    last_alnum: bool,
    kinds: Vec<PatternKind>,
}

/// Normalise a lexicon phrase: trim and fold runs of white space.
pub fn normalize_term(term: &str) -> String {
    term.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A short all-capitals term ("MA", "DO", "LD") must match with its case;
/// everything else ignores case.
fn is_exact_case(term: &str) -> bool {
    let mut letters = 0;
    for c in term.chars().filter(|c| c.is_alphanumeric()) {
        letters += 1;
        if letters > 4 || !c.is_ascii_uppercase() {
            return false;
        }
    }
    letters > 0
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Does a match at `start..end` stand on word boundaries? A letter may touch
/// a digit ("Toradol60mg"), since notes run names and numbers together.
pub(crate) fn on_boundaries(text: &str, start: usize, end: usize, first_alnum: bool, last_alnum: bool) -> bool {
    if first_alnum {
        if let Some(prev) = text[..start].chars().next_back() {
            let first = text[start..].chars().next().unwrap_or(' ');
            if is_word_char(prev) && !(prev.is_ascii_digit() && first.is_alphabetic()) {
                return false;
            }
        }
    }
    if last_alnum {
        if let Some(next) = text[end..].chars().next() {
            let last = text[..end].chars().next_back().unwrap_or(' ');
            if is_word_char(next) && !(next.is_ascii_digit() && last.is_alphabetic()) {
                return false;
            }
        }
    }
    true
}

/// Every lexicon phrase, compiled once.
///
/// Short alphanumeric terms ("L", "IM", "MA", "for", "lot") stay out of the
/// trie: they would match inside most words and be thrown away by the
/// boundary check. They are looked up word by word in a hash map instead.
#[derive(Clone, Debug)]
pub struct TermMatcher {
    trie: Trie,
    /// The phrases, lowercased; pattern `i` is `texts[i]`.
    texts: Vec<String>,
    /// The same phrases as an Aho-Corasick automaton, once
    /// [`TermMatcher::prepare_for_batch`] ran.
    automaton: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    patterns: Vec<Pattern>,
    /// Kinds of short alphanumeric terms, by [`short_key`] of their lowercase text.
    short: crate::hash::IntMap<u32, Vec<PatternKind>>,
}

/// A word of up to three ASCII bytes packed into a `u32` (length in the top byte).
fn short_key(word: &[u8]) -> u32 {
    word.iter().fold(word.len() as u32, |k, b| (k << 8) | u32::from(b.to_ascii_lowercase()))
}

/// Longest term, in bytes, looked up word by word.
const SHORT_TERM: usize = 3;

impl TermMatcher {
    /// Build from `(phrase, kind)` pairs. The same phrase may carry several
    /// kinds ("due to" is a necessity cue and a terminator).
    pub fn build(entries: impl IntoIterator<Item = (String, Kind)>) -> Result<TermMatcher, String> {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut short: crate::hash::IntMap<u32, Vec<PatternKind>> = crate::hash::IntMap::default();
        for (raw, kind) in entries {
            let term = normalize_term(&raw);
            if term.is_empty() {
                continue;
            }
            if term.len() <= SHORT_TERM && term.bytes().all(|b| b.is_ascii_alphanumeric()) {
                let exact =
                    (!matches!(kind, Kind::Drug(_)) && is_exact_case(&term)).then(|| term.clone().into_boxed_str());
                let kinds = short.entry(short_key(term.as_bytes())).or_default();
                if !kinds.iter().any(|k| k.kind == kind && k.exact == exact) {
                    kinds.push(PatternKind { kind, exact });
                }
                continue;
            }
            let key = term.to_ascii_lowercase();
            let exact = (!matches!(kind, Kind::Drug(_)) && is_exact_case(&term)).then(|| term.clone().into_boxed_str());
            let i = *index.entry(key.clone()).or_insert_with(|| {
                texts.push(key);
                patterns.push(Pattern {
                    first_alnum: term.chars().next().is_some_and(is_word_char),
                    last_alnum: term.chars().next_back().is_some_and(is_word_char),
                    kinds: Vec::new(),
                });
                patterns.len() - 1
            });
            let p = &mut patterns[i];
            if !p.kinds.iter().any(|k| k.kind == kind && k.exact == exact) {
                p.kinds.push(PatternKind { kind, exact });
            }
        }
        let trie = Trie::build(&texts);
        Ok(TermMatcher { trie, texts, automaton: std::sync::OnceLock::new(), patterns, short })
    }

    /// Every phrase in `text`, one [`Hit`] per kind, sorted by start (longer
    /// first), after the precedence rules:
    /// - within one kind, overlapping matches keep the leftmost-longest;
    /// - a condition hides the drug inside it ("B12 deficiency");
    /// - a trigger inside a longer phrase of another kind is not a trigger
    ///   ("no" in "no adverse reaction", "due" in "due to");
    /// - an administration verb, injection word, response or consent phrase
    ///   inside a trigger belongs to the trigger ("given" in "not given").
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let mut raw: Vec<Hit> = Vec::with_capacity(64);
        self.find_short(text, &mut raw);
        if let Some(Some(automaton)) = self.automaton.get() {
            // Every occurrence of every phrase, from the automaton.
            // The automaton holds lowercased phrases; ASCII lowercasing keeps
            // every byte offset.
            let lower = text.as_bytes().to_ascii_lowercase();
            for m in automaton.find_overlapping_iter(&lower) {
                self.hit(text, m.start(), m.end(), m.pattern().as_usize(), &mut raw);
            }
        } else {
            // Every occurrence of every phrase, as an overlapping search would
            // report them: walk the trie from each position a phrase can start at.
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                let b = bytes[start];
                if !self.trie.starts_with(b) {
                    continue;
                }
                // A phrase starting with an ASCII letter or digit needs a word
                // boundary before it (the same test `on_boundaries` makes).
                if b.is_ascii_alphanumeric() && start > 0 {
                    let prev = bytes[start - 1];
                    let prev_word = if prev.is_ascii() {
                        prev.is_ascii_alphanumeric()
                    } else {
                        text[..start].chars().next_back().is_some_and(is_word_char)
                    };
                    if prev_word && !(prev.is_ascii_digit() && b.is_ascii_alphabetic()) {
                        continue;
                    }
                }
                self.trie.walk(bytes, start, |pattern, end| self.hit(text, start, end, pattern, &mut raw));
            }
        }
        // Text order (longer first at one start, kinds in their declared
        // order on the same span), then leftmost-longest within each kind: a
        // hit overlapping the last kept hit of its kind is dropped.
        raw.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(a.kind.cmp(&b.kind)));
        let mut kept: Vec<Hit> = Vec::with_capacity(raw.len());
        let mut last_end: Vec<(Kind, usize)> = Vec::new();
        for h in raw {
            match last_end.iter_mut().find(|(k, _)| *k == h.kind) {
                Some((_, end)) if h.start < *end => continue,
                Some((_, end)) => *end = h.end,
                None => last_end.push((h.kind, h.end)),
            }
            kept.push(h);
        }
        self.apply_precedence(kept)
    }

    /// Record phrase `pattern` at `start..end` if it stands on word
    /// boundaries, once per kind it carries.
    #[inline]
    fn hit(&self, text: &str, start: usize, end: usize, pattern: usize, raw: &mut Vec<Hit>) {
        let p = &self.patterns[pattern];
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return;
        }
        if !on_boundaries(text, start, end, p.first_alnum, p.last_alnum) {
            return;
        }
        for k in &p.kinds {
            if let Some(exact) = &k.exact {
                if text[start..end] != **exact {
                    continue;
                }
            }
            raw.push(Hit { start, end, kind: k.kind });
        }
    }

    /// Build an Aho-Corasick automaton of the phrases, which finds them
    /// faster than the trie walk from every word start: worth its build
    /// (about 5 ms) for a batch, not for one note. Idempotent.
    ///
    /// It is a contiguous NFA over the lowercased phrases, searched in a
    /// lowercased copy of the note: about 350 KB, which stays in a core's L2
    /// cache. A DFA of the same phrases (case-insensitive, 128 byte classes)
    /// takes 10 MB, and on a 2-core EPYC VM its transition loads stalled a
    /// fifth of a batch run; the NFA ran the same batch 5-10 % faster.
    pub fn prepare_for_batch(&self) {
        // A lexicon too big for the automaton keeps the trie.
        self.automaton.get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(&self.texts)
                .ok()
        });
    }

    /// Heap bytes of the batch automaton, if built.
    pub fn automaton_memory(&self) -> Option<usize> {
        self.automaton.get()?.as_ref().map(|d| d.memory_usage())
    }

    /// Short terms, word by word. A word that runs letters into digits
    /// ("IM60") is also looked up piece by piece, as the boundary rule allows.
    fn find_short(&self, text: &str, raw: &mut Vec<Hit>) {
        let mut lookup = |start: usize, end: usize| {
            if end - start > SHORT_TERM {
                return;
            }
            let word = &text[start..end];
            if let Some(kinds) = self.short.get(&short_key(word.as_bytes())) {
                for k in kinds {
                    if k.exact.as_deref().is_none_or(|e| e == word) {
                        raw.push(Hit { start, end, kind: k.kind });
                    }
                }
            }
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
            let start = i;
            let mut pieces = 1;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                if i > start && bytes[i].is_ascii_digit() != bytes[i - 1].is_ascii_digit() {
                    pieces += 1;
                }
                i += 1;
            }
            // A non-ASCII letter next to the word makes it part of a longer word.
            let glued = text[..start].chars().next_back().is_some_and(char::is_alphanumeric)
                || text[i..].chars().next().is_some_and(char::is_alphanumeric);
            if glued {
                continue;
            }
            if i - start <= SHORT_TERM {
                lookup(start, i);
            }
            if pieces > 1 {
                // "IM60", "60mg": each letter or digit run may stand alone.
                let mut s = start;
                for j in start + 1..=i {
                    if j == i || bytes[j].is_ascii_digit() != bytes[j - 1].is_ascii_digit() {
                        lookup(s, j);
                        s = j;
                    }
                }
            }
        }
    }

    fn apply_precedence(&self, hits: Vec<Hit>) -> Vec<Hit> {
        // Hits are sorted by start; only hits that start within a longer hit
        // can be inside it, so a small look-back window suffices.
        let mut drop = vec![false; hits.len()];
        for (i, h) in hits.iter().enumerate() {
            let mut j = i;
            while j > 0 {
                j -= 1;
                let o = &hits[j];
                if o.end <= h.start && o.start + 64 < h.start {
                    break;
                }
                Self::mark(h, o, i, &mut drop);
            }
            for (k, o) in hits.iter().enumerate().skip(i + 1) {
                if o.start > h.start {
                    break;
                }
                Self::mark(h, o, k.min(i), &mut drop);
                let _ = k;
            }
        }
        hits.into_iter().zip(drop).filter(|(_, d)| !d).map(|(h, _)| h).collect()
    }

    /// Should `h` (at index `i`) be dropped because it sits inside `o`?
    fn mark(h: &Hit, o: &Hit, i: usize, drop: &mut [bool]) {
        if !o.contains(h) {
            return;
        }
        let hidden = match (h.kind, o.kind) {
            (Kind::Drug(_) | Kind::Site(_) | Kind::SidedSite(..) | Kind::Side(_), Kind::Condition) => true,
            (hk, ok) if hk.is_trigger() => ok != Kind::Terminator,
            (Kind::AdminVerb | Kind::Injection | Kind::Response | Kind::Consent | Kind::Route(_), ok) => {
                ok.is_trigger() || ok == Kind::Pseudo
            }
            (Kind::Condition, Kind::EncounterOnly) => true,
            (Kind::SignatureCue | Kind::AdministerCue | Kind::OrderCue, Kind::NotClinician) => true,
            _ => false,
        };
        if hidden {
            drop[i] = true;
        }
    }
}

/// What a label at the start of a line (or a column) names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LabelKinds {
    pub section: Option<super::schema::SectionKind>,
    pub field: Option<super::schema::FieldKind>,
}

/// Section headings and field labels, matched only where a label can start.
#[derive(Clone, Debug)]
pub struct LabelMatcher {
    trie: Trie,
    kinds: Vec<LabelKinds>,
}

impl LabelMatcher {
    pub fn build(
        sections: &[super::schema::SectionEntry],
        fields: &[super::schema::FieldEntry],
    ) -> Result<LabelMatcher, String> {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut texts = Vec::new();
        let mut kinds: Vec<LabelKinds> = Vec::new();
        let mut slot = |label: &str| -> usize {
            let key = normalize_term(label).to_ascii_lowercase().replace('_', " ");
            *index.entry(key.clone()).or_insert_with(|| {
                texts.push(key);
                kinds.push(LabelKinds::default());
                kinds.len() - 1
            })
        };
        let mut assign: Vec<(usize, Option<super::schema::SectionKind>, Option<super::schema::FieldKind>)> = Vec::new();
        let mut alias: Vec<(usize, usize)> = Vec::new();
        for s in sections {
            for l in &s.labels {
                assign.push((slot(l), Some(s.kind), None));
            }
        }
        for f in fields {
            for l in &f.labels {
                assign.push((slot(l), None, Some(f.kind)));
            }
        }
        // "ordered_by" and "Ordered By" name the same field.
        let spaced: Vec<(usize, String)> =
            texts.iter().enumerate().filter(|(_, t)| t.contains(' ')).map(|(i, t)| (i, t.replace(' ', "_"))).collect();
        for (i, t) in spaced {
            texts.push(t);
            kinds.push(LabelKinds::default());
            assign.push((kinds.len() - 1, None, None));
            let last = assign.len() - 1;
            assign[last] = (kinds.len() - 1, None, None);
            alias.push((kinds.len() - 1, i));
        }
        for (i, s, f) in assign {
            if s.is_some() && kinds[i].section.is_none() {
                kinds[i].section = s;
            }
            if f.is_some() && kinds[i].field.is_none() {
                kinds[i].field = f;
            }
        }
        for (a, i) in alias {
            kinds[a] = kinds[i];
        }
        let trie = Trie::build(&texts);
        Ok(LabelMatcher { trie, kinds })
    }

    /// The label starting exactly at `pos`, if one does and it ends on a
    /// word boundary: its end offset and kinds.
    pub fn label_at(&self, text: &str, pos: usize) -> Option<(usize, LabelKinds)> {
        // Anchored leftmost-longest: the longest label starting at `pos`.
        let mut found: Option<(usize, usize)> = None;
        self.trie.walk(text.as_bytes(), pos, |pattern, end| found = Some((pattern, end)));
        let (pattern, end) = found?;
        let last_alnum = text[..end].chars().next_back().is_some_and(is_word_char);
        if !on_boundaries(text, pos, end, false, last_alnum) {
            return None;
        }
        Some((end, self.kinds[pattern]))
    }
}
