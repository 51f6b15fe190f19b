//! Helpers shared by unit tests.

/// The text of every file under `corpus/` (notes, exports and gold labels
/// alike: all of it is note-like text to search).
pub(crate) fn corpus_texts() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut texts = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("corpus dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                texts.push(text);
            }
        }
    }
    texts
}

/// The corpus texts and `extra` ones.
pub(crate) fn corpus_texts_and(extra: &[&str]) -> Vec<String> {
    let mut texts = corpus_texts();
    texts.extend(extra.iter().map(|t| t.to_string()));
    texts
}
