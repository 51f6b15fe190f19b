//! Bytes to text: byte-order marks, UTF-16, Windows-1252, binary data.
//!
//! Exports from Windows EHRs arrive as UTF-16 with a byte-order mark or as
//! Windows-1252. Decode what can be decoded and say how; refuse data that
//! is not text at all.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Decoded text and, when it was not plain UTF-8, how it was decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<String>,
}

/// [`decode`] for bytes the caller gives up: valid UTF-8 becomes the text
/// without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, String> {
    if Encoding::for_bom(&bytes).is_some() || memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some() {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text, warning: None }),
        Err(e) => decode(e.as_bytes()),
    }
}

/// Decode `bytes` as text. Errors only for binary data.
pub fn decode(bytes: &[u8]) -> Result<Decoded, String> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        let warning = if enc == UTF_16LE || enc == UTF_16BE {
            Some(format!(
                "decoded as {} (byte-order mark){}",
                enc.name(),
                if had_errors { "; invalid sequences replaced" } else { "" }
            ))
        } else if had_errors {
            Some("invalid UTF-8 sequences replaced".to_string())
        } else {
            None
        };
        return Ok(Decoded { text: text.into_owned(), warning });
    }
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Err("binary data (contains NUL bytes), not a text note".to_string());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Decoded { text: s.to_string(), warning: None }),
        Err(_) => {
            let lossy = String::from_utf8_lossy(bytes);
            let replaced = lossy.matches('\u{FFFD}').count();
            let multibyte = lossy.chars().any(|c| c as u32 > 0x7F && c != '\u{FFFD}');
            if multibyte {
                Ok(Decoded {
                    text: lossy.into_owned(),
                    warning: Some(format!("not valid UTF-8: {replaced} invalid byte sequence(s) replaced")),
                })
            } else {
                let (text, _, _) = WINDOWS_1252.decode(bytes);
                Ok(Decoded {
                    text: text.into_owned(),
                    warning: Some("not valid UTF-8; decoded as Windows-1252".to_string()),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_and_bom_is_stripped() {
        assert_eq!(decode("B12 1000 mcg".as_bytes()).unwrap(), Decoded { text: "B12 1000 mcg".into(), warning: None });
        assert_eq!(decode(b"\xEF\xBB\xBFhi").unwrap().text, "hi");
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Toradol 60 mg IM".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "Toradol 60 mg IM");
        assert!(d.warning.unwrap().contains("UTF-16LE"));
    }

    #[test]
    fn windows_1252_and_binary() {
        let d = decode(b"Pt tolerated \x93well\x94, 1000 \xb5g").unwrap();
        assert_eq!(d.text, "Pt tolerated \u{201c}well\u{201d}, 1000 \u{b5}g");
        assert!(d.warning.unwrap().contains("Windows-1252"));
        assert!(decode(b"\x7fELF\x02\x01\x01\x00\x00").is_err());
    }
}
