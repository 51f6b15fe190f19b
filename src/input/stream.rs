//! Reading an input a block at a time, so that an export of any size is
//! never held whole in memory.
//!
//! A file that fits in one block is read exactly as [`super::read`] reads
//! it. A larger JSON Lines or CSV file is cut into blocks of about
//! `block_size` bytes at record boundaries (a line break; for CSV, one
//! outside quotes), and each block is decoded and read on its own, with
//! line numbers and character offsets that count from the start of the
//! file. A CSV block is read after the file's header row. Text and
//! Markdown files are one note each and are read whole; so is a UTF-16
//! file (rare, and its records cannot be cut as bytes).

use super::{csv_export, decode, jsonl, read, Format, InputError, ReadOptions, Record, Start};
use std::io::{self, Read};

/// The default block size: big enough that a batch keeps every core busy,
/// small enough that a few blocks in flight stay well under 100 MiB.
pub const BLOCK_SIZE: usize = 4 << 20;

/// Reads an input a block at a time; each item is the records of one block,
/// in input order.
pub struct Stream<R> {
    path: String,
    format: Format,
    options: ReadOptions,
    inner: R,
    block_size: usize,
    /// Bytes read and not yet handed out.
    buf: Vec<u8>,
    eof: bool,
    done: bool,
    started: bool,
    /// Where `buf[0]` sits in the file.
    at: Start,
    warned: bool,
    /// For CSV: the header row's text, lines and characters.
    header: Option<(String, usize, usize)>,
    /// A block's buffer, kept for the next block.
    spare: Option<Vec<u8>>,
}

impl<R: Read> Stream<R> {
    pub fn new(path: &str, format: Format, inner: R, options: &ReadOptions) -> Stream<R> {
        Stream::with_block_size(path, format, inner, options, BLOCK_SIZE)
    }

    pub fn with_block_size(
        path: &str,
        format: Format,
        inner: R,
        options: &ReadOptions,
        block_size: usize,
    ) -> Stream<R> {
        Stream {
            path: path.to_string(),
            format,
            options: options.clone(),
            inner,
            block_size: block_size.max(1),
            buf: Vec::new(),
            eof: false,
            done: false,
            started: false,
            at: Start::default(),
            warned: false,
            header: None,
            spare: None,
        }
    }

    /// Read until `buf` holds at least `want` bytes or the input ends.
    ///
    /// `read_to_end` reads into the buffer's spare capacity: no block-sized
    /// zeroing per call, which for one note on standard input cost more
    /// than linting it (4 MiB written, a thousand page faults, each time).
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.eof || self.buf.len() >= want {
            return Ok(());
        }
        let need = want - self.buf.len();
        self.buf.reserve(need);
        let n = (&mut self.inner).take(need as u64).read_to_end(&mut self.buf)?;
        if n < need {
            self.eof = true;
        }
        Ok(())
    }

    /// The end of the last whole record in `buf`, if any.
    fn split_point(&self) -> Option<usize> {
        match self.format {
            Format::Csv => {
                // A line break outside quotes ends a record; quotes inside a
                // field come doubled, so parity tells inside from outside.
                let mut inside = false;
                let mut last = None;
                for i in memchr::memchr2_iter(b'"', b'\n', &self.buf) {
                    if self.buf[i] == b'"' {
                        inside = !inside;
                    } else if !inside {
                        last = Some(i + 1);
                    }
                }
                last
            }
            _ => memchr::memrchr(b'\n', &self.buf).map(|i| i + 1),
        }
    }

    fn error(&self, line: Option<usize>, message: String) -> Record {
        Record::Skipped(InputError { path: self.path.clone(), line, message })
    }

    /// Read the whole input as one block.
    fn whole(&mut self) -> Vec<Record> {
        self.done = true;
        if let Err(e) = self.inner.read_to_end(&mut self.buf) {
            return vec![self.error(None, format!("cannot read: {e}"))];
        }
        read(&self.path, self.format, &std::mem::take(&mut self.buf), &self.options)
    }

    fn next_block(&mut self) -> Vec<Record> {
        if !self.started {
            self.started = true;
            if let Err(e) = self.fill(self.block_size + 1) {
                self.done = true;
                return vec![self.error(None, format!("cannot read: {e}"))];
            }
            let utf16 = self.buf.starts_with(&[0xFF, 0xFE]) || self.buf.starts_with(&[0xFE, 0xFF]);
            if self.eof || utf16 || !matches!(self.format, Format::Jsonl | Format::Csv) {
                return self.whole();
            }
        }
        let mut want = self.block_size;
        let end = loop {
            if let Err(e) = self.fill(want) {
                self.done = true;
                return vec![self.error(Some(self.at.line), format!("cannot read: {e}"))];
            }
            if self.eof {
                break self.buf.len();
            }
            if let Some(end) = self.split_point() {
                break end;
            }
            // One record longer than a block: read on until it ends.
            want = self.buf.len() + self.block_size;
        };
        if self.eof && end == self.buf.len() {
            self.done = true;
        }
        // The block keeps the read buffer; what follows it moves to the
        // buffer the previous block's text left behind.
        let mut next = self.spare.take().unwrap_or_default();
        next.clear();
        next.extend_from_slice(&self.buf[end..]);
        self.buf.truncate(end);
        let block = std::mem::replace(&mut self.buf, next);
        if block.is_empty() {
            self.done = true;
            return Vec::new();
        }
        let lines = memchr::memchr_iter(b'\n', &block).count();
        let decoded = match decode::decode_owned(block) {
            Ok(d) => d,
            Err(message) => {
                self.done = true;
                return vec![self.error(Some(self.at.line), message)];
            }
        };
        let mut out = Vec::new();
        if let Some(w) = decoded.warning.filter(|_| !self.warned) {
            self.warned = true;
            out.push(Record::Warning(InputError { path: self.path.clone(), line: None, message: w }));
        }
        let text = decoded.text;
        let start = self.at;
        self.at.line += lines;
        self.at.char += crate::note::char_count(&text);
        match self.format {
            Format::Csv => match &self.header {
                None => {
                    let (records, ok) = csv_export::read_at(&self.path, &text, &self.options.columns, start);
                    out.extend(records);
                    match csv_export::header_len(&text).filter(|_| ok) {
                        Some(len) => {
                            let h = text[..len].to_string();
                            let lines = h.matches('\n').count();
                            let chars = crate::note::char_count(&h);
                            self.header = Some((h, lines, chars));
                        }
                        None => self.done = true,
                    }
                }
                Some((header, lines, chars)) => {
                    let joined = format!("{header}{text}");
                    let from = Start { line: start.line - lines, char: start.char - chars };
                    out.extend(csv_export::read_at(&self.path, &joined, &self.options.columns, from).0);
                }
            },
            _ => jsonl::read_at(&self.path, &text, &self.options.columns, start, &mut out),
        }
        self.spare = Some(text.into_bytes());
        out
    }
}

impl<R: Read> Iterator for Stream<R> {
    type Item = Vec<Record>;

    fn next(&mut self) -> Option<Vec<Record>> {
        while !self.done {
            let records = self.next_block();
            if !records.is_empty() {
                return Some(records);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::Note;

    fn streamed(name: &str, format: Format, bytes: &[u8], block: usize) -> Vec<Record> {
        Stream::with_block_size(name, format, bytes, &ReadOptions::default(), block).flatten().collect()
    }

    fn same(a: &[Record], b: &[Record], block: usize) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "block {block}, record {i}");
        }
        assert_eq!(a.len(), b.len(), "block {block}");
    }

    fn ids(records: &[Record]) -> Vec<(String, usize, usize, usize)> {
        records
            .iter()
            .filter_map(|r| match r {
                Record::Note(Note { id, origin, .. }) => {
                    Some((id.clone(), origin.line, origin.char_offset, origin.char_len))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn jsonl_in_small_blocks_reads_as_a_whole_file_does() {
        let mut text = String::new();
        for i in 0..300 {
            if i % 50 == 7 {
                text.push_str("{not json\n\n");
            }
            text.push_str(&format!("{{\"note_id\":\"n{i}\",\"text\":\"B12 1000 mcg IM given — é {i}\"}}\r\n"));
        }
        let whole = read("x.jsonl", Format::Jsonl, text.as_bytes(), &ReadOptions::default());
        for block in [1, 7, 64, 1000, 1 << 20] {
            let s = streamed("x.jsonl", Format::Jsonl, text.as_bytes(), block);
            same(&s, &whole, block);
        }
        assert_eq!(ids(&whole).len(), 300);
    }

    /// A reader that hands out at most `chunk` bytes a call, as a pipe does.
    struct Trickle<'a> {
        bytes: &'a [u8],
        chunk: usize,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.chunk.min(out.len()).min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn short_reads_from_a_pipe_make_the_same_records() {
        let mut text = String::new();
        for i in 0..120 {
            text.push_str(&format!("{{\"note_id\":\"n{i}\",\"text\":\"Toradol 60 mg IM — é {i}\"}}\n"));
        }
        let whole = read("-", Format::Jsonl, text.as_bytes(), &ReadOptions::default());
        for (block, chunk) in [(1, 1), (64, 3), (1000, 7), (1 << 20, 4096), (1 << 20, 1)] {
            let pipe = Trickle { bytes: text.as_bytes(), chunk };
            let s: Vec<Record> =
                Stream::with_block_size("-", Format::Jsonl, pipe, &ReadOptions::default(), block).flatten().collect();
            same(&s, &whole, block);
        }
        assert_eq!(ids(&whole).len(), 120);
    }

    #[test]
    fn csv_in_small_blocks_keeps_quoted_line_breaks_and_error_lines() {
        let mut text = String::from("note_id,patient_id,text\r\n");
        for i in 0..200 {
            if i % 40 == 3 {
                text.push_str("bad,row\r\n");
            }
            text.push_str(&format!("n{i},p{},\"line one \"\"quoted\"\"\nline two é {i}\"\r\n", i % 7));
        }
        let whole = read("x.csv", Format::Csv, text.as_bytes(), &ReadOptions::default());
        for block in [1, 13, 256, 1 << 20] {
            let s = streamed("x.csv", Format::Csv, text.as_bytes(), block);
            same(&s, &whole, block);
        }
        let skipped: Vec<_> =
            whole.iter().filter_map(|r| if let Record::Skipped(e) = r { e.line } else { None }).collect();
        assert_eq!(skipped.len(), 5);
        assert_eq!(ids(&whole).len(), 200);
    }

    #[test]
    fn a_bad_csv_header_is_reported_once() {
        let mut text = String::from("id,body\n");
        for i in 0..100 {
            text.push_str(&format!("n{i},x\n"));
        }
        let s = streamed("x.csv", Format::Csv, text.as_bytes(), 16);
        assert_eq!(s.len(), 1);
        assert!(matches!(&s[0], Record::Skipped(e) if e.line == Some(1)));
    }

    #[test]
    fn binary_data_stops_the_file_with_its_line() {
        let mut bytes = b"{\"note_id\":\"a\",\"text\":\"x\"}\n".repeat(10);
        bytes.extend_from_slice(b"\x00\x01\x02\n");
        bytes.extend(b"{\"note_id\":\"b\",\"text\":\"x\"}\n".repeat(10));
        let s = streamed("x.jsonl", Format::Jsonl, &bytes, 64);
        assert!(s.iter().any(|r| matches!(r, Record::Skipped(e) if e.message.contains("binary"))));
    }
}
