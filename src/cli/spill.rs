//! Spill files: what a batch run must keep for every note until the end
//! (copy-forward fingerprints, and note texts for the diffs in human
//! output) goes to an anonymous temporary file instead of memory. The
//! operating system deletes the file when the run ends, however it ends.

use notelint::copyforward::{Fingerprint, Prints};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Records appended one after another, read back by index.
pub struct Spill {
    writer: BufWriter<File>,
    file: File,
    /// End offset of each record.
    ends: Vec<u64>,
    failed: AtomicBool,
    /// The whole file, once [`Spill::load_if_under`] read it.
    loaded: Option<Vec<u8>>,
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        let file = tempfile::tempfile()?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Spill { writer, file, ends: Vec::new(), failed: AtomicBool::new(false), loaded: None })
    }

    pub fn push(&mut self, record: &[u8]) -> io::Result<()> {
        self.writer.write_all(record)?;
        self.ends.push(self.ends.last().copied().unwrap_or(0) + record.len() as u64);
        Ok(())
    }

    /// Flush what was pushed so that it can be read.
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// Bytes pushed so far.
    pub fn len(&self) -> u64 {
        self.ends.last().copied().unwrap_or(0)
    }

    /// Read the whole file into memory if it holds at most `budget` bytes,
    /// so that records come back without a system call each. Call after
    /// [`Spill::flush`]; a failed read leaves the records on disk.
    pub fn load_if_under(&mut self, budget: u64) {
        let len = self.len();
        if len > budget || self.loaded.is_some() {
            return;
        }
        let mut all = vec![0; len as usize];
        if read_at(&self.file, &mut all, 0).is_ok() {
            self.loaded = Some(all);
        }
    }

    /// Byte range of record `i`; `None` (remembered as a failure) if
    /// there is no such record.
    fn range(&self, i: usize) -> Option<std::ops::Range<u64>> {
        let Some(&end) = self.ends.get(i) else {
            self.failed.store(true, Ordering::Relaxed);
            return None;
        };
        Some(if i == 0 { 0 } else { self.ends[i - 1] }..end)
    }

    /// Record `i`: a slice of the loaded file, or read into `buf`. A read
    /// error is remembered (see [`Spill::failed`]) and gives an empty record.
    pub fn record<'a>(&'a self, i: usize, buf: &'a mut Vec<u8>) -> &'a [u8] {
        buf.clear();
        let Some(r) = self.range(i) else { return buf };
        if let Some(all) = &self.loaded {
            return &all[r.start as usize..r.end as usize];
        }
        buf.resize((r.end - r.start) as usize, 0);
        if read_at(&self.file, buf, r.start).is_err() {
            self.failed.store(true, Ordering::Relaxed);
            buf.clear();
        }
        buf
    }

    /// Did any read fail?
    pub fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// Fingerprints in a spill file, one record each, in visit order.
pub struct SpilledPrints(pub Spill);

impl SpilledPrints {
    /// Run `f` on record `i` (a per-thread buffer holds it when it comes
    /// from the file); a record `f` rejects counts as a failed read.
    fn with_record(&self, i: usize, f: impl FnOnce(&[u8]) -> bool) {
        thread_local! {
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUF.with(|b| {
            let mut b = b.borrow_mut();
            if !f(self.0.record(i, &mut b)) {
                self.0.failed.store(true, Ordering::Relaxed);
            }
        });
    }
}

impl Prints for SpilledPrints {
    fn load(&self, i: usize, out: &mut Fingerprint) {
        self.with_record(i, |bytes| out.decode_from(bytes));
    }

    fn load_shingles(&self, i: usize, out: &mut Vec<u64>) {
        self.with_record(i, |bytes| Fingerprint::decode_shingles(bytes, out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flushed spill file holding `records`.
    fn spilled<R: AsRef<[u8]>>(records: &[R]) -> Spill {
        let mut s = Spill::new().unwrap();
        for r in records {
            s.push(r.as_ref()).unwrap();
        }
        s.flush().unwrap();
        s
    }

    #[test]
    fn records_come_back_by_index() {
        let s = spilled(&[&b"alpha"[..], b"", b"gamma delta"]);
        let mut buf = Vec::new();
        assert_eq!(s.record(2, &mut buf), b"gamma delta");
        assert!(s.record(1, &mut buf).is_empty());
        assert_eq!(s.record(0, &mut buf), b"alpha");
        assert!(!s.failed());
        assert!(s.record(3, &mut buf).is_empty());
        assert!(s.failed());
    }

    #[test]
    fn records_loaded_into_memory_are_the_same() {
        let records: Vec<Vec<u8>> = (0..50u8).map(|i| vec![i; i as usize * 3]).collect();
        let mut s = spilled(&records);
        s.load_if_under(10);
        assert!(s.loaded.is_none(), "over the budget: stays on disk");
        s.load_if_under(s.len());
        assert!(s.loaded.is_some());
        let mut buf = Vec::new();
        for (i, r) in records.iter().enumerate().rev() {
            assert_eq!(s.record(i, &mut buf), &r[..]);
        }
        assert!(!s.failed());
        assert!(s.record(50, &mut buf).is_empty());
        assert!(s.failed());
    }

    #[test]
    fn an_index_well_past_the_end_is_a_failure_too() {
        let s = spilled(&[b"one"]);
        let mut buf = Vec::new();
        assert!(s.record(2, &mut buf).is_empty());
        assert!(s.failed());
    }
}
