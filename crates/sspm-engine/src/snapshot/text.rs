//! A snapshot file's text, memory-mapped rather than copied into the heap.
//!
//! Snapshots of large tenants are hundreds of megabytes. Mapping the file reads it
//! straight from the page cache: no copy, and no fresh heap pages to fault in and zero,
//! which on a virtual machine costs about as much as parsing.

use std::fs::File;
use std::ops::Deref;
use std::path::Path;

use super::SnapshotError;

/// The UTF-8 text of a snapshot file.
pub struct SnapshotText {
    inner: Inner,
}

enum Inner {
    /// A regular file, mapped read-only and checked to be UTF-8 when opened.
    Mapped(memmap2::Mmap),
    /// Anything that cannot be mapped (an empty file, a pipe, a special file).
    Read(String),
}

impl SnapshotText {
    /// Opens `path` and checks that its content is UTF-8.
    pub fn open(path: &Path) -> Result<Self, SnapshotError> {
        let read_error = |source: std::io::Error| SnapshotError::Read {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(read_error)?;
        let metadata = file.metadata().map_err(read_error)?;
        if !metadata.is_file() || metadata.len() == 0 {
            let text = std::io::read_to_string(file).map_err(read_error)?;
            return Ok(Self {
                inner: Inner::Read(text),
            });
        }
        // SAFETY: the map is read-only and private to this process. Like every program
        // that maps files (ripgrep, git), sspm relies on the file not being truncated or
        // rewritten while it is being read; snapshots are written once (to a new file)
        // and only read afterwards.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(read_error)?;
        if let Err(e) = std::str::from_utf8(&map) {
            return Err(read_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {}); snapshots are JSON written as UTF-8",
                    e.valid_up_to()
                ),
            )));
        }
        Ok(Self {
            inner: Inner::Mapped(map),
        })
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.inner {
            // SAFETY: `open` checked that the mapped bytes are UTF-8, and the map is
            // read-only (see the note in `open` about the file changing underneath).
            Inner::Mapped(map) => unsafe { std::str::from_utf8_unchecked(map) },
            Inner::Read(text) => text,
        }
    }
}

impl Deref for SnapshotText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_a_file_and_reads_an_empty_one() {
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("s.json");
        std::fs::write(&full, "{\"format\":\"x\"}").unwrap();
        assert_eq!(&*SnapshotText::open(&full).unwrap(), "{\"format\":\"x\"}");
        let empty = dir.path().join("empty.json");
        std::fs::write(&empty, "").unwrap();
        assert_eq!(&*SnapshotText::open(&empty).unwrap(), "");
    }

    #[test]
    fn rejects_text_that_is_not_utf8_with_the_offset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("latin1.json");
        std::fs::write(&path, b"{\"name\":\"caf\xe9\"}").unwrap();
        let Err(err) = SnapshotText::open(&path) else {
            panic!("expected an error")
        };
        let message = err.to_string();
        assert!(message.contains("latin1.json"), "{message}");
        assert!(message.contains("offset 12"), "{message}");
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let Err(err) = SnapshotText::open(Path::new("/nonexistent/s.json")) else {
            panic!("expected an error")
        };
        assert!(err.to_string().contains("/nonexistent/s.json"), "{err}");
    }
}
