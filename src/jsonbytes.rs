//! Eight bytes at a time over JSON string contents: the bytes a JSON
//! string cannot hold as they are (control characters, `"` and `\`) are
//! what both the JSON Lines reader and the JSON writers look for.

/// Does any of these eight bytes (a little-endian word) need escaping in a
/// JSON string: below 0x20, `"` or `\`?
#[inline]
pub(crate) fn special(v: u64) -> bool {
    special_mask(v) != 0
}

/// The high bit of each byte of `v` (a little-endian word) that [`special`]
/// flags. Only the lowest flagged byte is exact (a borrow may flag bytes
/// above it), so `trailing_zeros() / 8` is the offset of the first special
/// byte.
#[inline]
pub(crate) fn special_mask(v: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = v.wrapping_sub(ONES * 0x20) & !v & HIGH;
    below_space | zero_in(v ^ (ONES * u64::from(b'"'))) | zero_in(v ^ (ONES * u64::from(b'\\')))
}

/// Up to eight bytes as a little-endian word, padded with spaces (which a
/// JSON string holds as they are).
#[inline]
pub(crate) fn padded_word(chunk: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(chunk) {
        Ok(word) => u64::from_le_bytes(word),
        Err(_) => chunk.iter().rev().fold(0x2020_2020_2020_2020, |w, &b| w << 8 | u64::from(b)),
    }
}

#[cfg(test)]
mod tests {
    /// Every byte value at every place in a word: flagged exactly when JSON
    /// must escape it, whatever the other bytes are.
    #[test]
    fn special_flags_exactly_the_bytes_json_escapes() {
        for b in 0..=255u8 {
            let escaped = b < 0x20 || b == b'"' || b == b'\\';
            for at in 0..8 {
                for fill in [b' ', b'a', 0x7f, 0xff, b'!', b'#'] {
                    let mut w = [fill; 8];
                    w[at] = b;
                    assert_eq!(super::special(u64::from_le_bytes(w)), escaped, "{b:#x} at {at} in {fill:#x}");
                }
            }
        }
        // The first special byte of a word, wherever it is and whatever follows.
        for at in 0..8 {
            for b in [0u8, 0x1f, b'"', b'\\', b'\n'] {
                for after in [0u8, 0x01, b'"', b'a', 0xff] {
                    let mut w = [b'a'; 8];
                    w[at] = b;
                    w[at + 1..].fill(after);
                    let first = (super::special_mask(u64::from_le_bytes(w)).trailing_zeros() / 8) as usize;
                    assert_eq!(first, at, "{w:?}");
                }
            }
        }
        assert_eq!(super::padded_word(b"ab"), u64::from_le_bytes(*b"ab      "));
        assert_eq!(super::padded_word(b""), u64::from_le_bytes(*b"        "));
        assert_eq!(super::padded_word(b"12345678"), u64::from_le_bytes(*b"12345678"));
    }
}
