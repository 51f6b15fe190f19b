//! Compiled term matching: every lexicon phrase in one byte trie, searched
//! once per note, word by word.
//!
//! The search reports overlapping matches so that each consumer sees the
//! phrases of its own kind ("B12" the drug and "B12 deficiency" the
//! condition both exist); [`TermMatcher::find`] then applies the few
//! precedence rules between kinds that keep one reading of the text.
//!
//! It finds what an overlapping Aho-Corasick search filtered by word
//! boundaries finds, but only starts where a phrase may start: at a word
//! piece that begins some phrase (`PieceTable`). On the benchmark export
//! that took raw phrase search from 17-19 ns a byte (a contiguous
//! Aho-Corasick NFA over a lowercased copy) to about 8.

use super::numeric::DigitRuns;
use super::schema::{Route, Side};
use std::ops::Range;

/// A byte trie over ASCII-lowercased phrases, walked from candidate start
/// positions. Reporting every phrase that starts at every position is the
/// same as an overlapping (`MatchKind::Standard`) Aho-Corasick search, and
/// building it takes a fraction of a millisecond instead of building failure
/// transitions for thousands of phrases, which dominated a one-note run.
///
/// It is stored as a double array: the child of state `s` by byte `b` is
/// state `slots[s].base + b` if that slot's `check` is `s`. A step is one
/// load and one compare, with no search among a node's edges.
#[derive(Clone, Debug)]
struct Trie {
    slots: Vec<Slot>,
}

#[derive(Clone, Copy, Debug)]
struct Slot {
    /// Where this state's children start (child by byte `b` at `base + b`).
    base: u32,
    /// The parent state of the state in this slot; `NONE` for a free slot.
    check: u32,
    /// The pattern ending at this state, or `NONE`.
    pattern: u32,
}

const NONE: u32 = u32::MAX;
/// The root's state.
const ROOT: u32 = 0;

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
        // Place the nodes, parents first (a node is created after its
        // parent): each node's children go at the lowest base where all
        // their slots are free. `next[i]` leads to the lowest free slot at
        // or after `i` (path halving keeps the chains short), so the search
        // visits free slots only.
        let free = Slot { base: 0, check: NONE, pattern: NONE };
        let mut slots = vec![free; 512 + pattern.len() + pattern.len() / 4];
        let mut next: Vec<u32> = (0..slots.len() as u32).collect();
        fn find_free(next: &mut [u32], mut i: usize) -> usize {
            while next[i] as usize != i {
                let up = next[next[i] as usize];
                next[i] = up;
                i = up as usize;
            }
            i
        }
        let mut state = vec![NONE; pattern.len()];
        state[0] = ROOT;
        next[ROOT as usize] = ROOT + 1;
        for n in 0..pattern.len() {
            let kids = &edges[first[n] as usize..first[n + 1] as usize];
            let (Some(&(low, _)), Some(&(high, _))) = (kids.first(), kids.last()) else { continue };
            let (low, high) = (usize::from(low), usize::from(high));
            // The first child's slot is a free one, at base 1 or more.
            let mut at = find_free(&mut next, low + 1);
            let base = loop {
                let base = at - low;
                if base + high + 1 >= next.len() {
                    // Grow; the slots past the old end are all free.
                    let old = next.len();
                    next.extend(old as u32..(old + high + 512) as u32);
                    slots.resize(next.len(), free);
                }
                if kids.iter().all(|&(b, _)| next[base + usize::from(b)] as usize == base + usize::from(b)) {
                    break base;
                }
                at = find_free(&mut next, at + 1);
            };
            let s = state[n];
            slots[s as usize].base = base as u32;
            for &(b, child) in kids {
                let t = base + usize::from(b);
                next[t] = t as u32 + 1;
                slots[t] = Slot { base: 0, check: s, pattern: pattern[child as usize] };
                state[child as usize] = t as u32;
            }
        }
        let used = |i: usize| i == ROOT as usize || slots[i].check != NONE;
        let last_used = (0..slots.len()).rev().find(|&i| used(i)).unwrap_or(0);
        // Room for `base + 255` past the last state, so a step never
        // indexes out of the array.
        slots.truncate(last_used + 1);
        let max_base = slots.iter().map(|s| s.base as usize).max().unwrap_or(0);
        slots.resize(slots.len().max(max_base + 256), free);
        Trie { slots }
    }

    /// The child of state `s` by (lowercased) byte `b`, or `NONE`.
    #[inline]
    fn child(&self, s: u32, b: u8) -> u32 {
        let t = self.slots[s as usize].base as usize + usize::from(b);
        // A leaf's base is 0: slot `b` then belongs to another parent.
        if self.slots[t].check == s {
            t as u32
        } else {
            NONE
        }
    }

    /// Every pattern that starts at `start`, as `(pattern, end)`, shortest first.
    #[inline]
    fn walk(&self, bytes: &[u8], start: usize, f: impl FnMut(usize, usize)) {
        let Some(&first) = bytes.get(start) else { return };
        self.walk_from(bytes, self.child(ROOT, first.to_ascii_lowercase()), start + 1, f);
    }

    /// The walk of [`Trie::walk`] from `node`, reached at `pos`: every
    /// pattern ending at or after `pos` along the text, shortest first.
    #[inline]
    fn walk_from(&self, bytes: &[u8], node: u32, pos: usize, f: impl FnMut(usize, usize)) {
        if node != NONE {
            let Slot { base, pattern, .. } = self.slots[node as usize];
            self.walk_from_parts(bytes, node, base, pattern, pos, f);
        }
    }

    /// [`Trie::walk_from`] given the node's base and pattern (copies kept
    /// elsewhere save the walk its first load).
    #[inline]
    fn walk_from_parts(
        &self,
        bytes: &[u8],
        mut node: u32,
        mut base: u32,
        mut pattern: u32,
        mut pos: usize,
        mut f: impl FnMut(usize, usize),
    ) {
        loop {
            if pattern != NONE {
                f(pattern as usize, pos);
            }
            // A leaf: no child to look for (a node with children has a base
            // of 1 or more).
            if base == 0 {
                return;
            }
            let Some(&b) = bytes.get(pos) else { return };
            let t = base as usize + usize::from(b.to_ascii_lowercase());
            let slot = self.slots[t];
            if slot.check != node {
                return;
            }
            (node, base, pattern) = (t as u32, slot.base, slot.pattern);
            pos += 1;
        }
    }

    /// The node reached from the root by `path` (lowercased), if any.
    fn descend(&self, path: &[u8]) -> u32 {
        if path.is_empty() {
            return NONE;
        }
        path.iter()
            .try_fold(ROOT, |node, &b| Some(self.child(node, b.to_ascii_lowercase())).filter(|&n| n != NONE))
            .unwrap_or(NONE)
    }

    /// Can any pattern start with this byte?
    #[inline]
    fn starts_with(&self, b: u8) -> bool {
        self.child(ROOT, b.to_ascii_lowercase()) != NONE
    }
}

/// Longest piece key, in bytes; a longer piece is looked up by its first
/// `PIECE_KEY` bytes and the trie walk goes on from there.
const PIECE_KEY: usize = 16;

const FILTER_BITS: u32 = 15;
const FILTER_WORDS: usize = 1 << (FILTER_BITS - 6);

/// The first pieces of the phrases that start with an ASCII letter or
/// digit, each mapped to the trie node it leads to.
///
/// A piece is a run of ASCII letters or of ASCII digits ("toradol", "60",
/// "mg" in "toradol60mg"). A phrase that starts with one can only match
/// where the text has the very same piece, because the phrase must end on a
/// word boundary or go on with a byte the text must repeat. So the search
/// looks each piece of the text up once (an exact key, no hashing
/// collisions to resolve) and walks the trie only from the node after a
/// known first piece: a third of the trie steps of walking from every word
/// start, and none of the unpredictable branches near the root.
#[derive(Clone, Debug)]
struct PieceTable {
    /// One bit per hash value (its top `FILTER_BITS` bits) of every key: most
    /// pieces of a note start no phrase, and this L1-sized filter says so
    /// without touching the table.
    filter: Box<[u64; FILTER_WORDS]>,
    slots: Vec<PieceSlot>,
    /// `slots.len() - 1` (a power of two).
    mask: usize,
}

/// For a piece of `n` bytes, the masks that keep its bytes of the two key
/// words.
const KEY_MASKS: [[u64; 2]; PIECE_KEY + 1] = {
    const fn bits(used: usize) -> u64 {
        if used >= 8 {
            u64::MAX
        } else {
            (1u64 << (used * 8)) - 1
        }
    }
    let mut masks = [[0u64; 2]; PIECE_KEY + 1];
    let mut n = 0;
    while n <= PIECE_KEY {
        masks[n] = [bits(n), bits(n.saturating_sub(8))];
        n += 1;
    }
    masks
};

#[derive(Clone, Copy, Debug, Default)]
struct PieceKey {
    /// The piece's first `PIECE_KEY` bytes, lowercased, little-endian.
    bytes: [u64; 2],
    /// The piece's length, or `PIECE_KEY + 1` for any longer piece.
    len: u32,
}

/// 32 bytes: the key's bytes and length (held flat, so no padding) and
/// the trie data of the piece.
#[derive(Clone, Copy, Debug)]
struct PieceSlot {
    bytes: [u64; 2],
    /// The key's length; 0 marks an empty slot.
    len: u32,
    /// The trie node after the piece.
    node: u32,
    /// Copies of the node's trie base and pattern, so that a found piece
    /// starts its walk without another load.
    base: u32,
    pattern: u32,
}

impl Default for PieceSlot {
    fn default() -> PieceSlot {
        PieceSlot { bytes: [0; 2], len: 0, node: NONE, base: 0, pattern: NONE }
    }
}

impl PieceSlot {
    #[inline]
    fn holds(&self, key: &PieceKey) -> bool {
        self.bytes == key.bytes && self.len == key.len
    }
}

impl PieceKey {
    /// The key of the piece at `bytes[start..start + len]` (ASCII letters
    /// only, or ASCII digits only).
    #[inline]
    fn at(bytes: &[u8], start: usize, len: usize) -> PieceKey {
        let n = len.min(PIECE_KEY);
        // Sixteen bytes from the text (two loads), or the piece alone near
        // its end.
        let word = |b: &[u8], k: usize| u64::from_le_bytes(b[k..k + 8].try_into().unwrap_or([0; 8]));
        let (lo, hi) = match bytes.get(start..start + PIECE_KEY) {
            Some(window) => (word(window, 0), word(window, 8)),
            None => {
                let mut buf = [0u8; PIECE_KEY];
                buf[..n].copy_from_slice(&bytes[start..start + n]);
                (word(&buf, 0), word(&buf, 8))
            }
        };
        // Setting bit 5 lowercases a letter and leaves a digit as it is;
        // bytes past the piece are masked off.
        let lower = 0x2020_2020_2020_2020;
        let [mlo, mhi] = KEY_MASKS[n];
        PieceKey { bytes: [(lo | lower) & mlo, (hi | lower) & mhi], len: len.min(PIECE_KEY + 1) as u32 }
    }

    #[inline]
    fn hash(&self) -> u64 {
        (self.bytes[0] ^ self.bytes[1].rotate_left(23) ^ u64::from(self.len)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// The key's home slot: bits 32 and up of the hash (a multiplicative
    /// hash's high bits depend on every bit of the key, its low bits only
    /// on the low bits).
    #[inline]
    fn slot(&self, mask: usize) -> usize {
        (self.hash() >> 32) as usize & mask
    }

    /// This key's bit in [`PieceTable::filter`]: (word, bit mask), from the
    /// hash's top `FILTER_BITS` bits.
    #[inline]
    fn filter_bit(&self) -> (usize, u64) {
        let bit = (self.hash() >> (64 - FILTER_BITS)) as usize;
        (bit / 64, 1 << (bit % 64))
    }
}

impl PieceTable {
    fn build(trie: &Trie, texts: &[String]) -> PieceTable {
        let mut keys: Vec<(PieceKey, u32)> = Vec::new();
        for t in texts {
            let b = t.as_bytes();
            if !b.first().is_some_and(u8::is_ascii_alphanumeric) {
                continue;
            }
            let len = piece_len(b);
            let key = PieceKey::at(b, 0, len);
            let node = trie.descend(&b[..len.min(PIECE_KEY)]);
            if node != NONE {
                keys.push((key, node));
            }
        }
        // Many phrases share a first piece; the table holds each once, at
        // most half full.
        keys.sort_unstable_by_key(|(k, _)| (k.bytes, k.len));
        keys.dedup_by_key(|(k, _)| (k.bytes, k.len));
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mut table =
            PieceTable { filter: Box::new([0; FILTER_WORDS]), slots: vec![PieceSlot::default(); size], mask: size - 1 };
        for (key, node) in keys {
            let (word, bit) = key.filter_bit();
            table.filter[word] |= bit;
            let mut i = key.slot(table.mask);
            loop {
                let slot = &mut table.slots[i];
                if slot.len == 0 {
                    let Slot { base, pattern, .. } = trie.slots[node as usize];
                    *slot = PieceSlot { bytes: key.bytes, len: key.len, node, base, pattern };
                    break;
                }
                if slot.holds(&key) {
                    break;
                }
                i = (i + 1) & table.mask;
            }
        }
        table
    }

    /// The slot of this piece (or of its first `PIECE_KEY` bytes), with
    /// the trie node after it, if some phrase starts with it.
    #[inline]
    fn get(&self, bytes: &[u8], start: usize, len: usize) -> Option<&PieceSlot> {
        let key = PieceKey::at(bytes, start, len);
        let (word, bit) = key.filter_bit();
        if self.filter[word] & bit == 0 {
            return None;
        }
        let mut i = key.slot(self.mask);
        loop {
            let slot = &self.slots[i];
            if slot.holds(&key) {
                return Some(slot);
            }
            if slot.len == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }
}

/// Length of the piece `bytes` starts with: its run of ASCII letters, or of
/// ASCII digits.
#[inline]
fn piece_len(bytes: &[u8]) -> usize {
    let digit = bytes.first().is_some_and(u8::is_ascii_digit);
    bytes.iter().take_while(|b| if digit { b.is_ascii_digit() } else { b.is_ascii_alphabetic() }).count()
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
}

#[derive(Clone, Debug)]
struct PatternKind {
    kind: Kind,
    /// Must the text match this casing exactly?
    exact: Option<Box<str>>,
    /// Index of `kind` in [`TermMatcher::kinds`].
    rank: u32,
}

#[derive(Clone, Debug)]
struct Pattern {
    first_alnum: bool,
    last_alnum: bool,
    kinds: Vec<PatternKind>,
}

/// A phrase as the search reads it, in 8 bytes: its kinds are
/// `TermMatcher::pattern_kinds[first..first + count]`. The phrases of a
/// lexicon then take a few tens of kilobytes instead of a hundred, which
/// keeps more of them in cache between the hits of a note.
#[derive(Clone, Copy, Debug)]
struct PatternHead {
    first: u32,
    count: u16,
    first_alnum: bool,
    last_alnum: bool,
}

/// One kind of a phrase: its rank, and the casing the text must have (an
/// index into `TermMatcher::exact`, or `NONE` for any casing).
#[derive(Clone, Copy, Debug)]
struct KindRef {
    rank: u32,
    exact: u32,
}

/// Flatten build-time kinds into `out`, their casings into `exact`.
fn flatten_kinds(kinds: Vec<PatternKind>, out: &mut Vec<KindRef>, exact: &mut Vec<Box<str>>) {
    for k in kinds {
        let e = match k.exact {
            Some(x) => {
                exact.push(x);
                (exact.len() - 1) as u32
            }
            None => NONE,
        };
        out.push(KindRef { rank: k.rank, exact: e });
    }
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
/// boundary check. They are looked up word by word in a small table instead.
#[derive(Clone, Debug)]
pub struct TermMatcher {
    trie: Trie,
    patterns: Vec<PatternHead>,
    pattern_kinds: Vec<KindRef>,
    /// The casings that exact-case kinds must match ([`KindRef::exact`]).
    exact: Vec<Box<str>>,
    /// First pieces of the phrases, for the word-by-word search.
    pieces: PieceTable,
    /// Kinds of short alphanumeric terms, by [`short_key`] of their lowercase text.
    short: ShortTable,
    /// What each byte is to the word-by-word reading: [`LETTER`],
    /// [`DIGIT`], or [`STARTS`] (a byte that is neither and starts a phrase).
    byte_class: Box<[u8; 256]>,
    /// Every kind a phrase carries, in their declared order; a hit's rank
    /// indexes it.
    kinds: Vec<Kind>,
}

/// The short terms' kinds, by [`short_key`]: an open-addressed table a
/// few kilobytes large, so a lookup stays in the L1 cache. Most short words
/// of a note ("of", "the", "to") are no term, and an empty slot says so
/// after one probe.
#[derive(Clone, Debug)]
struct ShortTable {
    /// `(key, first kind, number of kinds)`; key 0 marks an empty slot (a
    /// key holds its word's length, so no word's key is 0).
    slots: Vec<(u32, u16, u16)>,
    kinds: Vec<KindRef>,
}

impl ShortTable {
    fn build(terms: Vec<(u32, Vec<PatternKind>)>, exact: &mut Vec<Box<str>>) -> Result<ShortTable, String> {
        let size = (terms.len() * 4).next_power_of_two().max(64);
        let mut table = ShortTable { slots: vec![(0, 0, 0); size], kinds: Vec::new() };
        for (key, kinds) in terms {
            let first = u16::try_from(table.kinds.len()).map_err(|_| "too many short terms".to_string())?;
            let count = u16::try_from(kinds.len()).map_err(|_| "too many kinds of one short term".to_string())?;
            flatten_kinds(kinds, &mut table.kinds, exact);
            let mut i = table.slot(key);
            while table.slots[i].0 != 0 {
                i = (i + 1) & (size - 1);
            }
            table.slots[i] = (key, first, count);
        }
        Ok(table)
    }

    #[inline]
    fn slot(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> 16) as usize & (self.slots.len() - 1)
    }

    /// The kinds of the short term with this key (none if it is no term).
    #[inline]
    fn get(&self, key: u32) -> &[KindRef] {
        let mut i = self.slot(key);
        loop {
            let (k, first, count) = self.slots[i];
            if k == key {
                return &self.kinds[usize::from(first)..usize::from(first) + usize::from(count)];
            }
            if k == 0 {
                return &[];
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
    }
}

/// [`TermMatcher::byte_class`] of an ASCII letter.
const LETTER: u8 = 1;
/// [`TermMatcher::byte_class`] of an ASCII digit.
const DIGIT: u8 = 2;
/// [`TermMatcher::byte_class`] of any other byte some phrase starts with.
const STARTS: u8 = 4;

/// A word of up to three ASCII bytes packed into a `u32` (length in the top byte).
fn short_key(word: &[u8]) -> u32 {
    word.iter().fold(word.len() as u32, |k, b| (k << 8) | u32::from(b.to_ascii_lowercase()))
}

/// Longest term, in bytes, looked up word by word.
const SHORT_TERM: usize = 3;

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

impl TermMatcher {
    /// Build from `(phrase, kind)` pairs. The same phrase may carry several
    /// kinds ("due to" is a necessity cue and a terminator).
    pub fn build(entries: impl IntoIterator<Item = (String, Kind)>) -> Result<TermMatcher, String> {
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut short: std::collections::BTreeMap<u32, Vec<PatternKind>> = std::collections::BTreeMap::new();
        for (raw, kind) in entries {
            let term = normalize_term(&raw);
            if term.is_empty() {
                continue;
            }
            let exact = (!matches!(kind, Kind::Drug(_)) && is_exact_case(&term)).then(|| term.clone().into_boxed_str());
            let kinds = if term.len() <= SHORT_TERM && term.bytes().all(|b| b.is_ascii_alphanumeric()) {
                short.entry(short_key(term.as_bytes())).or_default()
            } else {
                let key = term.to_ascii_lowercase();
                let i = *index.entry(key.clone()).or_insert_with(|| {
                    texts.push(key);
                    patterns.push(Pattern {
                        first_alnum: term.chars().next().is_some_and(is_word_char),
                        last_alnum: term.chars().next_back().is_some_and(is_word_char),
                        kinds: Vec::new(),
                    });
                    patterns.len() - 1
                });
                &mut patterns[i].kinds
            };
            if !kinds.iter().any(|k| k.kind == kind && k.exact == exact) {
                kinds.push(PatternKind { kind, exact, rank: 0 });
            }
        }
        // Rank the kinds in their declared order, for sorting hits by a number.
        let mut kinds: Vec<Kind> =
            patterns.iter().flat_map(|p| &p.kinds).chain(short.values().flatten()).map(|k| k.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        for k in patterns.iter_mut().flat_map(|p| &mut p.kinds).chain(short.values_mut().flatten()) {
            k.rank = kinds.binary_search(&k.kind).map_err(|_| "a phrase kind was not ranked".to_string())? as u32;
        }
        let trie = Trie::build(&texts);
        let pieces = PieceTable::build(&trie, &texts);
        let mut exact = Vec::new();
        let short = ShortTable::build(short.into_iter().collect(), &mut exact)?;
        let mut pattern_kinds = Vec::new();
        let mut heads = Vec::with_capacity(patterns.len());
        for p in patterns {
            let first = u32::try_from(pattern_kinds.len()).map_err(|_| "too many phrase kinds".to_string())?;
            let count = u16::try_from(p.kinds.len()).map_err(|_| "too many kinds of one phrase".to_string())?;
            flatten_kinds(p.kinds, &mut pattern_kinds, &mut exact);
            heads.push(PatternHead { first, count, first_alnum: p.first_alnum, last_alnum: p.last_alnum });
        }
        let mut byte_class = Box::new([0u8; 256]);
        for (b, class) in (0..=255u8).zip(byte_class.iter_mut()) {
            *class = if b.is_ascii_alphabetic() {
                LETTER
            } else if b.is_ascii_digit() {
                DIGIT
            } else if trie.starts_with(b) {
                STARTS
            } else {
                0
            };
        }
        Ok(TermMatcher { trie, patterns: heads, pattern_kinds, exact, pieces, short, byte_class, kinds })
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
        self.find_with_digit_runs(text).0
    }

    /// [`TermMatcher::find`], and the runs of ASCII digits of the text,
    /// which the same word-by-word reading meets (every digit is in a word),
    /// for the number patterns ([`super::numeric`]).
    pub fn find_with_digit_runs(&self, text: &str) -> (Vec<Hit>, DigitRuns) {
        // The raw hits and the open list are scratch, kept per thread from
        // one note to the next (their memory stays warm in cache, and two
        // allocations a note are saved).
        thread_local! {
            static SCRATCH: std::cell::RefCell<Scratch> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut s) => {
                let (raw, open) = &mut *s;
                raw.clear();
                open.clear();
                let found = self.find_in(text, raw, open);
                // A huge note's scratch is not kept.
                if raw.capacity() > 1 << 16 {
                    *raw = Vec::new();
                }
                found
            }
            // Only a search inside a search would get here.
            Err(_) => self.find_in(text, &mut Vec::new(), &mut Vec::new()),
        })
    }

    fn find_in(&self, text: &str, raw: &mut Vec<RawHit>, open: &mut Vec<(u32, usize)>) -> (Vec<Hit>, DigitRuns) {
        // About one raw hit per 12 bytes of note text.
        raw.reserve((text.len() / 8 + 16).min(4096));
        let mut digits = Vec::with_capacity(32);
        self.collect(text, raw, &mut digits);
        // Text order (longer first at one start, kinds in their declared
        // order on the same span), then leftmost-longest within each kind: a
        // hit overlapping the last kept hit of its kind is dropped.
        sort_hits(raw);
        // The kept hits that reach past the current start, as (rank, end):
        // one whose end is behind can no longer overlap anything.
        raw.retain(|h| {
            let (mut i, mut same_kind) = (0, false);
            while i < open.len() {
                if open[i].1 <= h.start {
                    open.swap_remove(i);
                    continue;
                }
                same_kind |= open[i].0 == h.rank;
                i += 1;
            }
            if !same_kind {
                open.push((h.rank, h.end));
            }
            !same_kind
        });
        (self.apply_precedence(raw), DigitRuns::from_runs(digits))
    }

    /// Every occurrence of every phrase on word boundaries, in about text
    /// order.
    ///
    /// The text is read word by word. Each piece of a word that may start a
    /// phrase is looked up in the [`PieceTable`], and the trie is walked on
    /// from there; the word itself and its pieces are looked up among the
    /// short terms. Phrases that start with punctuation ("(R)", "--") or a
    /// non-ASCII character are walked from each byte they can start with.
    /// Each run of digits met on the way goes to `digits`.
    fn collect(&self, text: &str, raw: &mut Vec<RawHit>, digits: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let class = |b: u8| self.byte_class[usize::from(b)];
        let mut i = 0;
        while i < bytes.len() {
            let c = class(bytes[i]);
            if c & (LETTER | DIGIT) == 0 {
                if c == STARTS {
                    let start = i;
                    self.trie.walk(bytes, start, |pattern, end| self.hit(text, start, end, pattern, raw));
                }
                i += 1;
                continue;
            }
            let start = i;
            // A non-ASCII letter next to the word makes it part of a longer word.
            let glued_before = start > 0
                && !bytes[start - 1].is_ascii()
                && text[..start].chars().next_back().is_some_and(char::is_alphanumeric);
            let mut pieces = 0;
            loop {
                let ps = i;
                let digit = class(bytes[i]) == DIGIT;
                i = self.piece_end(bytes, i);
                pieces += 1;
                if digit {
                    digits.push(ps..i);
                }
                // A phrase may start at the word's first piece (unless glued
                // to a letter before it) and at a letter run after a digit
                // run ("60mg"), as `on_boundaries` allows.
                if if ps == start { !glued_before } else { !digit } {
                    if let Some(p) = self.pieces.get(bytes, ps, i - ps) {
                        let from = ps + (i - ps).min(PIECE_KEY);
                        self.trie.walk_from_parts(bytes, p.node, p.base, p.pattern, from, |pattern, e| {
                            self.hit_after_start(text, ps, e, pattern, raw)
                        });
                    }
                }
                if i == bytes.len() || class(bytes[i]) & (LETTER | DIGIT) == 0 {
                    break;
                }
            }
            let end = i;
            if end - start > SHORT_TERM && pieces == 1 {
                continue;
            }
            let glued_after = end < bytes.len()
                && !bytes[end].is_ascii()
                && text[end..].chars().next().is_some_and(char::is_alphanumeric);
            if !(glued_before || glued_after) {
                self.short_in_word(text, start, end, pieces, raw);
            }
        }
    }

    /// The end of the piece starting at `i` (an ASCII letter or digit): the
    /// run of bytes of its class, as [`piece_len`] reads a phrase's.
    #[inline]
    fn piece_end(&self, bytes: &[u8], i: usize) -> usize {
        let kind = self.byte_class[usize::from(bytes[i])];
        bytes[i..].iter().position(|&b| self.byte_class[usize::from(b)] != kind).map_or(bytes.len(), |k| i + k)
    }

    /// Short terms in one word of `pieces` pieces, not glued to non-ASCII
    /// letters: the word itself, and, when it runs letters into digits
    /// ("IM60"), each letter or digit run, as the boundary rule allows.
    #[inline]
    fn short_in_word(&self, text: &str, start: usize, end: usize, pieces: usize, raw: &mut Vec<RawHit>) {
        let bytes = text.as_bytes();
        self.short_term(bytes, start, end, raw);
        if pieces > 1 {
            let mut s = start;
            while s < end {
                let e = self.piece_end(bytes, s);
                self.short_term(bytes, s, e, raw);
                s = e;
            }
        }
    }

    /// Record the kinds of the short term `bytes[s..e]` (ASCII letters and
    /// digits), if it is one.
    #[inline(always)]
    fn short_term(&self, bytes: &[u8], s: usize, e: usize, raw: &mut Vec<RawHit>) {
        if e - s > SHORT_TERM {
            return;
        }
        let word = &bytes[s..e];
        for k in self.short.get(short_key(word)) {
            if self.casing_matches(k, word) {
                raw.push(RawHit { start: s, end: e, rank: k.rank });
            }
        }
    }

    /// Record phrase `pattern` at `start..end` if it stands on word
    /// boundaries, once per kind it carries.
    #[inline]
    fn hit(&self, text: &str, start: usize, end: usize, pattern: usize, raw: &mut Vec<RawHit>) {
        let p = self.patterns[pattern];
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            return;
        }
        if !on_boundaries(text, start, end, p.first_alnum, p.last_alnum) {
            return;
        }
        self.push_kinds(text, start, end, p, raw);
    }

    /// [`TermMatcher::hit`] for a phrase known to start on a word boundary:
    /// only its end needs checking, which ASCII text answers from two bytes.
    #[inline]
    fn hit_after_start(&self, text: &str, start: usize, end: usize, pattern: usize, raw: &mut Vec<RawHit>) {
        let bytes = text.as_bytes();
        let p = self.patterns[pattern];
        match bytes.get(end) {
            Some(&next) if next.is_ascii() && bytes[end - 1].is_ascii() => {
                let last = bytes[end - 1];
                if p.last_alnum
                    && next.is_ascii_alphanumeric()
                    && !(next.is_ascii_digit() && last.is_ascii_alphabetic())
                {
                    return;
                }
            }
            Some(_) => return self.hit(text, start, end, pattern, raw),
            None => {}
        }
        self.push_kinds(text, start, end, p, raw);
    }

    #[inline(always)]
    fn push_kinds(&self, text: &str, start: usize, end: usize, p: PatternHead, raw: &mut Vec<RawHit>) {
        let first = p.first as usize;
        let word = &text.as_bytes()[start..end];
        for k in &self.pattern_kinds[first..first + usize::from(p.count)] {
            if self.casing_matches(k, word) {
                raw.push(RawHit { start, end, rank: k.rank });
            }
        }
    }

    /// Does `word` have the casing kind `k` asks for (if it asks)?
    #[inline(always)]
    fn casing_matches(&self, k: &KindRef, word: &[u8]) -> bool {
        k.exact == NONE || self.exact[k.exact as usize].as_bytes() == word
    }

    /// The hits not hidden inside a longer hit (see [`TermMatcher::find`]).
    fn apply_precedence(&self, hits: &[RawHit]) -> Vec<Hit> {
        let hidden = |h: &RawHit, o: &RawHit| {
            o.start <= h.start
                && h.end <= o.end
                && o.end - o.start > h.end - h.start
                && Self::hides(self.kinds[h.rank as usize], self.kinds[o.rank as usize])
        };
        let mut kept = Vec::with_capacity(hits.len());
        // The furthest end of the hits before the current one: a hit that
        // ends before `h` does cannot hold it, and in most notes no hit
        // before reaches that far, so the look-back below is skipped.
        let mut reach = 0;
        for (i, h) in hits.iter().enumerate() {
            // Hits are sorted by start; only hits that start within a longer
            // hit can be inside it, so a small look-back window suffices.
            let before = reach >= h.end
                && hits[..i]
                    .iter()
                    .rev()
                    .take_while(|o| !(o.end <= h.start && o.start + 64 < h.start))
                    .any(|o| hidden(h, o));
            reach = reach.max(h.end);
            let at_start = || hits[i + 1..].iter().take_while(|o| o.start <= h.start).any(|o| hidden(h, o));
            if !before && !at_start() {
                kept.push(Hit { start: h.start, end: h.end, kind: self.kinds[h.rank as usize] });
            }
        }
        kept
    }

    /// Is a hit of kind `h` hidden inside a longer hit of kind `o`?
    fn hides(h: Kind, o: Kind) -> bool {
        match (h, o) {
            (Kind::Drug(_) | Kind::Site(_) | Kind::SidedSite(..) | Kind::Side(_), Kind::Condition) => true,
            (hk, ok) if hk.is_trigger() => ok != Kind::Terminator,
            (Kind::AdminVerb | Kind::Injection | Kind::Response | Kind::Consent | Kind::Route(_), ok) => {
                ok.is_trigger() || ok == Kind::Pseudo
            }
            (Kind::Condition, Kind::EncounterOnly) => true,
            (Kind::SignatureCue | Kind::AdministerCue | Kind::OrderCue, Kind::NotClinician) => true,
            _ => false,
        }
    }
}

/// The phrase search's per-thread scratch: raw hits, and the open list of
/// the leftmost-longest pass.
type Scratch = (Vec<RawHit>, Vec<(u32, usize)>);

/// A phrase found, before the precedence rules; `rank` orders its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RawHit {
    start: usize,
    end: usize,
    rank: u32,
}

impl RawHit {
    #[inline]
    fn key(&self) -> (usize, std::cmp::Reverse<usize>, u32) {
        (self.start, std::cmp::Reverse(self.end), self.rank)
    }
}

/// Sort hits by start, longer first, then kind. [`TermMatcher::collect`]
/// emits them nearly in that order (out of it only within a word), so an
/// insertion sort does it in about one pass; text that defeats that falls
/// back to a general sort.
fn sort_hits(hits: &mut [RawHit]) {
    let mut budget = 8 * hits.len() + 64;
    for i in 1..hits.len() {
        let x = hits[i];
        let mut j = i;
        while j > 0 && x.key() < hits[j - 1].key() {
            hits[j] = hits[j - 1];
            j -= 1;
        }
        hits[j] = x;
        budget = budget.saturating_sub(i - j);
        if budget == 0 {
            hits.sort_unstable_by_key(RawHit::key);
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl TermMatcher {
        /// What [`TermMatcher::collect`] must find, the slow way: walk the
        /// trie from every position a phrase may start at, and look every
        /// word and piece up among the short terms.
        fn collect_by_walking(&self, text: &str) -> Vec<RawHit> {
            let mut raw = Vec::new();
            let bytes = text.as_bytes();
            for start in 0..bytes.len() {
                self.trie.walk(bytes, start, |pattern, end| self.hit(text, start, end, pattern, &mut raw));
            }
            let mut i = 0;
            while i < bytes.len() {
                if !bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let glued = text[..start].chars().next_back().is_some_and(char::is_alphanumeric)
                    || text[i..].chars().next().is_some_and(char::is_alphanumeric);
                if !glued {
                    let pieces = std::iter::successors(Some(start), |&s| (s < i).then(|| s + piece_len(&bytes[s..i])))
                        .take_while(|&s| s < i)
                        .count();
                    self.short_in_word(text, start, i, pieces, &mut raw);
                }
            }
            raw.sort_unstable_by_key(RawHit::key);
            raw
        }
    }

    #[test]
    fn the_double_array_finds_exactly_its_phrases() {
        let phrases =
            ["left deltoid", "left", "le", "im", "intramuscular", "b12", "b12 deficiency", "(r)", "—", "zz top"];
        let trie = Trie::build(&phrases);
        // Every phrase leads to its own pattern; every proper prefix that is
        // not a phrase leads to a state without one.
        for (i, p) in phrases.iter().enumerate() {
            let s = trie.descend(p.as_bytes());
            assert_eq!(trie.slots[s as usize].pattern, i as u32, "{p}");
            for cut in 1..p.len() {
                let prefix = &p.as_bytes()[..cut];
                let s = trie.descend(prefix);
                assert_ne!(s, NONE, "{p} cut at {cut}");
                let expected = phrases.iter().position(|q| q.as_bytes() == prefix).map_or(NONE, |k| k as u32);
                assert_eq!(trie.slots[s as usize].pattern, expected, "{p} cut at {cut}");
            }
        }
        for absent in ["lef", "deltoid", "b13", "x", "left deltoids"] {
            let s = trie.descend(absent.as_bytes());
            assert!(s == NONE || trie.slots[s as usize].pattern == NONE, "{absent}");
        }
        // A walk reports every phrase starting at a position, shortest first,
        // ignoring ASCII case.
        let mut found = Vec::new();
        trie.walk(b"LEFT DELTOID.", 0, |p, end| found.push((phrases[p], end)));
        assert_eq!(found, [("le", 2), ("left", 4), ("left deltoid", 12)]);
    }

    /// Texts that stress the word and piece rules.
    const TRICKY: &[&str] = &[
        "IM60 B12 b12x Toradol60mg 60mgIM 1000mcg/mL IM. im, Im; iM",
        "résumé left deltoïd Bleft éleft lefté deltoidé ×left left×",
        "(R) (l) (L)deltoid --- — —left ×observed × observed ×",
        "cyanocobalamincyanocobalamin methylprednisolone-acetate medroxyprogesteroneacetate",
        "a1b2c3d4e5f6g7h8i9j0k1l2m3 2x 3rd 40mg/mL 1mL",
        "Pt declined. NOT GIVEN. no adverse reaction; Given by: MA, RN. Ordered per Dr. Lee",
        "B12 deficiency; Kenalog 40 IM R glute. depo-provera 150mg IM L deltoid.",
        "l r L R lt rt LT RT",
        "",
        "x",
    ];

    #[test]
    fn word_by_word_search_finds_what_walking_every_position_finds() {
        let lexicon = crate::lexicon::Lexicon::default_compiled();
        let terms = &lexicon.terms;
        let mut texts: Vec<String> = TRICKY.iter().map(|t| t.to_string()).collect();
        texts.extend(crate::testing::corpus_texts());
        assert!(texts.len() > 200, "{} texts", texts.len());
        // Each text alone, and cut at every line start (a hit at either edge).
        let lines: Vec<String> = texts.iter().flat_map(|t| t.lines().map(str::to_string)).collect();
        let mut compared = 0;
        for text in texts.iter().chain(&lines) {
            let (mut fast, mut digits) = (Vec::new(), Vec::new());
            terms.collect(text, &mut fast, &mut digits);
            assert_eq!(digits, DigitRuns::of(text).runs(), "{text:?}");
            fast.sort_unstable_by_key(RawHit::key);
            assert_eq!(fast, terms.collect_by_walking(text), "{text:?}");
            compared += fast.len();
        }
        assert!(compared > 10_000, "{compared} hits");
    }

    #[test]
    fn sorting_falls_back_when_hits_are_far_out_of_order() {
        let mut hits: Vec<RawHit> =
            (0..2_000).rev().map(|i| RawHit { start: i, end: i + 1 + i % 3, rank: (i % 5) as u32 }).collect();
        let mut expected = hits.clone();
        expected.sort_unstable_by_key(RawHit::key);
        sort_hits(&mut hits);
        assert_eq!(hits, expected);
    }
}
