//! Helpers shared by unit tests.

/// The text of every file under `corpus/` (notes, exports and gold labels
/// alike: all of it is note-like text to search).
pub(crate) fn corpus_texts() -> Vec<String> {
    walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
        .into_iter()
        .map(|entry| entry.expect("corpus entry"))
        .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
        .collect()
}

/// The corpus texts and `extra` ones.
pub(crate) fn corpus_texts_and(extra: &[&str]) -> Vec<String> {
    let mut texts = corpus_texts();
    texts.extend(extra.iter().map(|t| t.to_string()));
    texts
}
