//! Durable writes: a 4 KiB `pwrite` followed by `fdatasync`, one after another into a file
//! that grows, as a write-ahead log appends; the time of each, p50 and p99. Measured on the
//! filesystem of the directory given (the book's storage chapters write theirs there too);
//! the file is removed afterwards.

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::time::Instant;

use bookproto::card::Entry;

use crate::Budget;
use crate::stats::percentiles;

/// Bytes of one durable write.
pub const BLOCK: usize = 4096;

/// Microseconds of each of `writes` appends of [`BLOCK`] bytes, each made durable with
/// `fdatasync` before the next, in a new file in `dir` that is removed afterwards.
///
/// # Errors
/// When the file cannot be created, written, synced or removed.
pub fn append_times(dir: &Path, writes: u32) -> io::Result<Vec<f64>> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("card-fdatasync-{}.tmp", std::process::id()));
    let result = (|| -> io::Result<Vec<f64>> {
        let f = OpenOptions::new()
            .create_new(true)
            .write(true)
            .open(&path)?;
        let block = [0x5au8; BLOCK];
        let mut times = Vec::with_capacity(writes as usize);
        for i in 0..u64::from(writes) {
            let t = Instant::now();
            f.write_all_at(&block, i * BLOCK as u64)?;
            f.sync_data()?;
            times.push(t.elapsed().as_nanos() as f64 / 1e3);
        }
        Ok(times)
    })();
    let removed = std::fs::remove_file(&path);
    let times = result?;
    removed?;
    Ok(times)
}

/// The card's two entries, p50 and p99 of [`append_times`].
///
/// # Errors
/// As [`append_times`].
pub fn fdatasync(b: &Budget, dir: &Path) -> io::Result<Vec<Entry>> {
    let times = append_times(dir, b.durable_writes)?;
    Ok(percentiles("durable/append4k", "4 KiB append + fdatasync", "µs", &times).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_appends_are_timed_and_the_file_is_gone_afterwards() {
        let dir = std::env::temp_dir().join(format!("card-test-{}", std::process::id()));
        let t = append_times(&dir, 5).unwrap();
        assert_eq!(t.len(), 5);
        assert!(t.iter().all(|&x| x > 0.0));
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
        std::fs::remove_dir(&dir).unwrap();
    }
}
