//! The build cache: what each article file gave last time, keyed by the file's content, so a
//! rebuild of an unchanged archive parses no article and rewrites no feed.
//!
//! Two files per (input, output) pair live in the cache folder: `*.records`, one record per
//! article file in walk order (read and written as a stream, so memory stays flat), and
//! `*.outputs`, the signature and file stamp of every feed file written. A record is reused
//! when the file's stamp (size, mtime, ctime, inode) is unchanged and older than the previous
//! build's start, or else when the file's content hash matches; anything else is parsed
//! afresh. Deleting the cache only costs time.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::hash::{build_id, hash, Hash};
use crate::problem::{Problem, Severity};

/// Bumped whenever the record layout or what a record means changes.
const FORMAT: u32 = 2;

/// Identifies a file version cheaply: what `stat` says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: u64,
}

impl Stamp {
    /// The stamp of `meta`, where the platform gives a change time (Unix); elsewhere every
    /// file is identified by its content hash alone.
    pub fn of(meta: &fs::Metadata) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                size: meta.size(),
                mtime: (meta.mtime(), meta.mtime_nsec()),
                ctime: (meta.ctime(), meta.ctime_nsec()),
                inode: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }

    /// True when the file may have changed within the same clock tick as a build that
    /// started at `started` (seconds since 1970), so its stamp alone proves nothing.
    fn racy(&self, started: i64) -> bool {
        self.ctime.0 >= started - 1 || self.mtime.0 >= started - 1
    }
}

/// A problem as stored: its file is the record's.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Note {
    error: bool,
    kind: String,
    message: String,
    line: Option<u64>,
    column: Option<u64>,
}

impl Note {
    /// Stores `problem`.
    pub fn of(problem: &Problem) -> Note {
        Note {
            error: problem.is_error(),
            kind: problem.kind.to_string(),
            message: problem.message.clone(),
            line: problem.line.map(|l| l as u64),
            column: problem.column.map(|c| c as u64),
        }
    }

    /// The problem again, for the file at `path`.
    pub fn problem(&self, path: &Path) -> Problem {
        Problem {
            path: path.to_path_buf(),
            line: self.line.map(|l| l as usize),
            column: self.column.map(|c| c as usize),
            severity: if self.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            kind: self.kind.clone().into(),
            message: self.message.clone(),
        }
    }
}

/// What an article file gave, in the compact form selection needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Outcome {
    /// A publishable entry: its link, date (seconds, nanoseconds, UTC offset in seconds),
    /// topics, provider and category.
    Entry {
        id: String,
        date: (i64, u32, i32),
        topics: Vec<String>,
        provider: Option<String>,
        category: Option<String>,
    },
    /// `published: false`.
    Unpublished,
    /// Invalid.
    Rejected,
}

/// One article file's cached result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    /// The file's path as walked.
    pub path: String,
    /// Its stamp when it was read.
    pub stamp: Option<Stamp>,
    /// Its content hash.
    pub hash: Hash,
    /// What it gave.
    pub outcome: Outcome,
    /// The problems it had (warnings, or the errors that rejected it).
    pub notes: Vec<Note>,
}

impl Record {
    /// True when `stamp` proves the file is the one this record was made from.
    pub fn fresh(&self, stamp: Option<Stamp>, started: i64) -> bool {
        match (self.stamp, stamp) {
            (Some(old), Some(new)) => old == new && !new.racy(started),
            _ => false,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    format: u32,
    version: String,
    settings: Hash,
    /// When the build that wrote this cache started, in seconds since 1970.
    started: i64,
}

/// Where a cache lives and what it is keyed by.
#[derive(Debug, Clone)]
pub struct Location {
    records: PathBuf,
    outputs: PathBuf,
    settings: Hash,
}

impl Location {
    /// The cache for building `input` into `output` under `dir`. `settings` hashes every
    /// setting that changes what a file parses to; a different value ignores old records.
    pub fn new(dir: &Path, input: &Path, output: &Path, settings: Hash) -> Result<Location, Error> {
        if let (Ok(d), Ok(o)) = (absolute(dir), absolute(output)) {
            if d.starts_with(&o) {
                return Err(Error::config(
                    None,
                    format!(
                        "the cache folder {} is inside the output folder {}, which is served to readers; choose another with --cache-dir",
                        dir.display(),
                        output.display()
                    ),
                ));
            }
        }
        let key = hash(format!("{}\n{}", input.display(), output.display()).as_bytes());
        let settings = hash(&[settings.to_le_bytes(), build_id().to_le_bytes()].concat());
        let stem = format!("{:016x}", key as u64);
        Ok(Location {
            records: dir.join(format!("{stem}.records")),
            outputs: dir.join(format!("{stem}.outputs")),
            settings,
        })
    }
}

fn absolute(path: &Path) -> std::io::Result<PathBuf> {
    let abs = std::path::absolute(path)?;
    // Resolve what exists, so `a/../b` and links compare as the paths they are.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return Ok(out);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// Reads the previous build's records in walk order, alongside the new walk.
pub struct Reader {
    input: Option<BufReader<fs::File>>,
    next: Option<Record>,
    started: i64,
}

impl Reader {
    /// Opens the records at `location`; a missing, unreadable or outdated cache reads as empty.
    pub fn open(location: &Location) -> Reader {
        let empty = Reader {
            input: None,
            next: None,
            started: 0,
        };
        let Ok(file) = fs::File::open(&location.records) else {
            return empty;
        };
        let mut input = BufReader::with_capacity(1 << 16, file);
        let expected = |h: &Header| {
            h.format == FORMAT
                && h.version == env!("CARGO_PKG_VERSION")
                && h.settings == location.settings
        };
        match read_item::<Header>(&mut input) {
            Some(header) if expected(&header) => {
                let mut reader = Reader {
                    started: header.started,
                    input: Some(input),
                    next: None,
                };
                reader.advance();
                reader
            }
            _ => empty,
        }
    }

    /// When the build that wrote these records started (seconds since 1970).
    pub fn started(&self) -> i64 {
        self.started
    }

    fn advance(&mut self) {
        self.next = self.input.as_mut().and_then(read_item::<Record>);
        if self.next.is_none() {
            self.input = None;
        }
    }

    /// The record for `path`, if the previous build had one. Paths must be asked for in walk
    /// order (component-wise sorted); records for files that are gone are skipped.
    pub fn take(&mut self, path: &Path) -> Option<Record> {
        while let Some(record) = &self.next {
            match Path::new(&record.path).cmp(path) {
                std::cmp::Ordering::Less => self.advance(),
                std::cmp::Ordering::Equal => {
                    let record = self.next.take();
                    self.advance();
                    return record;
                }
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }
}

fn read_item<T: for<'de> Deserialize<'de>>(input: &mut BufReader<fs::File>) -> Option<T> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len).ok()?;
    let mut buf = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut buf).ok()?;
    postcard::from_bytes(&buf).ok()
}

fn write_item<T: Serialize>(out: &mut impl Write, item: &T) -> std::io::Result<()> {
    let bytes = postcard::to_stdvec(item).map_err(std::io::Error::other)?;
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(&bytes)
}

/// Writes this build's records, in walk order, to a temp file that replaces the old records
/// only when complete.
pub struct Writer {
    temp: BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Writer {
    /// Starts the records at `location`, stamped with this build's start time.
    pub fn create(location: &Location, started: i64) -> Result<Writer, Error> {
        let dir = location.records.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "creating cache folder", e))?;
        let temp = tempfile::Builder::new()
            .prefix(".feedsmith-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, "creating a temp file in", e))?;
        let mut writer = Writer {
            temp: BufWriter::with_capacity(1 << 16, temp),
            target: location.records.clone(),
        };
        let header = Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            settings: location.settings,
            started,
        };
        write_item(&mut writer.temp, &header)
            .map_err(|e| Error::io(&writer.target, "writing", e))?;
        Ok(writer)
    }

    /// Appends one record.
    pub fn push(&mut self, record: &Record) -> Result<(), Error> {
        write_item(&mut self.temp, record).map_err(|e| Error::io(&self.target, "writing", e))
    }

    /// Puts the complete records in place.
    pub fn finish(self) -> Result<(), Error> {
        let target = self.target;
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| Error::io(&target, "writing", e.into_error()))?;
        temp.persist(&target)
            .map_err(|e| Error::io(&target, "replacing", e.error))?;
        Ok(())
    }
}

/// The time to stamp a new cache with: now, in seconds since 1970.
pub fn start_time() -> i64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// What was written for each feed file: the signature of what it holds and the file's stamp
/// right after, so an untouched, up-to-date file need not even be rendered.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Outputs {
    files: BTreeMap<PathBuf, (Hash, Option<Stamp>)>,
}

impl Outputs {
    /// Reads the outputs index at `location` (empty when missing or outdated).
    pub fn load(location: &Location) -> Outputs {
        let Ok(bytes) = fs::read(&location.outputs) else {
            return Outputs::default();
        };
        match postcard::from_bytes::<(u32, String, Hash, Outputs)>(&bytes) {
            Ok((FORMAT, version, settings, outputs))
                if version == env!("CARGO_PKG_VERSION") && settings == location.settings =>
            {
                outputs
            }
            _ => Outputs::default(),
        }
    }

    /// True when `path` (below `root`) was written with `signature` and is untouched since.
    pub fn current(&self, root: &Path, path: &Path, signature: Hash) -> bool {
        let Some((sig, Some(stamp))) = self.files.get(path) else {
            return false;
        };
        *sig == signature
            && fs::metadata(root.join(path))
                .ok()
                .and_then(|m| Stamp::of(&m))
                .is_some_and(|now| now == *stamp)
    }

    /// Records that `path` (below `root`) now holds the feed with `signature`.
    pub fn set(&mut self, root: &Path, path: &Path, signature: Hash) {
        let stamp = fs::metadata(root.join(path))
            .ok()
            .and_then(|m| Stamp::of(&m));
        self.files.insert(path.to_path_buf(), (signature, stamp));
    }

    /// Keeps only the paths in `keep`.
    pub fn retain(&mut self, keep: &std::collections::BTreeSet<PathBuf>) {
        self.files.retain(|p, _| keep.contains(p));
    }

    /// Saves the index at `location`, atomically.
    pub fn save(&self, location: &Location) -> Result<(), Error> {
        let bytes = postcard::to_stdvec(&(
            FORMAT,
            env!("CARGO_PKG_VERSION").to_string(),
            location.settings,
            self,
        ))
        .map_err(|e| Error::io(&location.outputs, "encoding", std::io::Error::other(e)))?;
        let dir = location.outputs.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "creating cache folder", e))?;
        crate::atomic::write_atomically(dir, &location.outputs, &bytes)
    }
}
