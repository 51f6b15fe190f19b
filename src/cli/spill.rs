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
}

impl Spill {
    pub fn new() -> io::Result<Spill> {
        let file = tempfile::tempfile()?;
        let writer = BufWriter::with_capacity(1 << 20, file.try_clone()?);
        Ok(Spill { writer, file, ends: Vec::new(), failed: AtomicBool::new(false) })
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

    /// Record `i` into `buf`. A read error is remembered (see
    /// [`Spill::failed`]) and gives an empty record.
    pub fn get(&self, i: usize, buf: &mut Vec<u8>) {
        buf.clear();
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let Some(&end) = self.ends.get(i) else {
            self.failed.store(true, Ordering::Relaxed);
            return;
        };
        buf.resize((end - start) as usize, 0);
        if read_at(&self.file, buf, start).is_err() {
            self.failed.store(true, Ordering::Relaxed);
            buf.clear();
        }
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

impl Prints for SpilledPrints {
    fn load(&self, i: usize, out: &mut Fingerprint) {
        thread_local! {
            static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUF.with(|b| {
            let mut b = b.borrow_mut();
            self.0.get(i, &mut b);
            if !out.decode_from(&b) {
                self.0.failed.store(true, Ordering::Relaxed);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_come_back_by_index() {
        let mut s = Spill::new().unwrap();
        for r in [&b"alpha"[..], b"", b"gamma delta"] {
            s.push(r).unwrap();
        }
        s.flush().unwrap();
        let mut buf = Vec::new();
        s.get(2, &mut buf);
        assert_eq!(buf, b"gamma delta");
        s.get(1, &mut buf);
        assert!(buf.is_empty());
        s.get(0, &mut buf);
        assert_eq!(buf, b"alpha");
        assert!(!s.failed());
        s.get(3, &mut buf);
        assert!(s.failed());
    }
}
