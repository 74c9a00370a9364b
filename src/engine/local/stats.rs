//! What a run of the embedded engine read, for its footer: files read and skipped (by date, or
//! because they could not be read), bytes, records, corrupt lines and where the first ones were.
//! Shared by the reader threads; it must not decide anything.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::human_bytes;
use crate::engine::local::text::FileCounts;

/// How many unreadable files the footer names one by one.
const NAMED_UNREADABLE: usize = 5;

#[derive(Debug, Default)]
pub struct Stats {
    pub files_read: AtomicU64,
    pub files_skipped: AtomicU64,
    pub bytes_read: AtomicU64,
    pub records: AtomicU64,
    pub corrupt_lines: AtomicU64,
    first_corrupt: Mutex<Option<String>>,
    /// Files that could not be read: `path: why`.
    unreadable: Mutex<Vec<String>>,
    /// Files already counted: a query that scans the table twice (a CTE used twice) reads them twice.
    seen: Mutex<HashSet<PathBuf>>,
    /// Files a partition predicate ruled out, each counted once however often the table is scanned.
    pruned: Mutex<HashSet<PathBuf>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Stats {
    /// A file read whole.
    pub fn file_read(&self, path: &Path, size: u64, counts: &FileCounts) {
        if !lock(&self.seen).insert(path.to_path_buf()) {
            return;
        }
        self.files_read.fetch_add(1, Ordering::Relaxed);
        self.bytes_read.fetch_add(size, Ordering::Relaxed);
        self.records.fetch_add(counts.records, Ordering::Relaxed);
        if counts.corrupt_lines > 0 {
            self.corrupt_lines.fetch_add(counts.corrupt_lines, Ordering::Relaxed);
            if let Some((line, why)) = &counts.first_corrupt {
                lock(&self.first_corrupt).get_or_insert_with(|| format!("{}:{line}: {why}", path.display()));
            }
        }
    }

    /// A file skipped because it could not be read.
    pub fn unreadable(&self, path: &Path, why: &str) {
        if !lock(&self.seen).insert(path.to_path_buf()) {
            return;
        }
        let entry = format!("{}: {why}", path.display());
        let mut list = lock(&self.unreadable);
        if !list.contains(&entry) {
            list.push(entry);
        }
    }

    /// Forgets what earlier statements read (not what the source holds, nor the files that could
    /// not be read), so the next statement's footer counts its own scan.
    pub fn begin_scan(&self) {
        for n in [&self.files_read, &self.bytes_read, &self.records, &self.corrupt_lines] {
            n.store(0, Ordering::Relaxed);
        }
        *lock(&self.first_corrupt) = None;
        lock(&self.seen).clear();
        lock(&self.pruned).clear();
    }

    /// A file a partition predicate ruled out before it was opened.
    pub fn pruned(&self, path: &Path) {
        lock(&self.pruned).insert(path.to_path_buf());
    }

    pub fn unreadable_count(&self) -> usize {
        lock(&self.unreadable).len()
    }

    pub fn footer(&self, elapsed: std::time::Duration) -> String {
        self.footer_with(elapsed, None)
    }

    /// The footer; `fetched`, the bytes S3 sent, when the files are S3 objects (Parquet's are
    /// read in part: the footers and the column chunks a query needs).
    pub fn footer_with(&self, elapsed: std::time::Duration, fetched: Option<u64>) -> String {
        let fetched =
            fetched.map(|n| format!("; {} fetched from S3", human_bytes(n as i64))).unwrap_or_default();
        let records = format!(" · {} records", self.records.load(Ordering::Relaxed));
        let pruned = match lock(&self.pruned).len() {
            0 => String::new(),
            n => format!(", {n} pruned by partition"),
        };
        let unreadable = lock(&self.unreadable);
        let skipped_bad = match unreadable.len() {
            0 => String::new(),
            n => format!(", {n} unreadable"),
        };
        let mut s = format!(
            "local · {} file(s) read ({}{fetched}), {} skipped by date{pruned}{skipped_bad}{records} · {:.2} s",
            self.files_read.load(Ordering::Relaxed),
            human_bytes(self.bytes_read.load(Ordering::Relaxed) as i64),
            self.files_skipped.load(Ordering::Relaxed),
            elapsed.as_secs_f64()
        );
        let corrupt = self.corrupt_lines.load(Ordering::Relaxed);
        if corrupt > 0 {
            let first = lock(&self.first_corrupt).clone().unwrap_or_default();
            s.push_str(&format!(
                "\nwarning: {corrupt} corrupt line(s) skipped and not counted; first: {first}"
            ));
        }
        for u in unreadable.iter().take(NAMED_UNREADABLE) {
            s.push_str(&format!("\nwarning: skipped unreadable file {u}"));
        }
        if unreadable.len() > NAMED_UNREADABLE {
            s.push_str(&format!(
                "\nwarning: … and {} more unreadable file(s)",
                unreadable.len() - NAMED_UNREADABLE
            ));
        }
        if !unreadable.is_empty() {
            s.push_str("\nhint: --strict makes an unreadable file an error");
        }
        s
    }
}
