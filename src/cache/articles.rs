//! The article side of the cache: what each article file gave last time, keyed by the file's
//! content, so a rebuild of an unchanged archive parses no article.
//!
//! A record is reused when the file's stamp (size, mtime, ctime, inode) is unchanged and
//! older than the previous build's start, or else when the file's content hash matches;
//! anything else is parsed afresh.

use std::fs;
use std::io::{BufReader, BufWriter, Read as _, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::location::{start_time, Location, Stamp, FORMAT};
use crate::atomic::{TEMP_PREFIX, TEMP_SUFFIX};
use crate::entry::{Entry, Outcome};
use crate::error::Error;
use crate::feed::{Candidate, Facts};
use crate::hash::{hash, Hash};
use crate::problem::Problem;
use crate::source;

/// What one article file gave, parsed in this run or remembered from the last.
#[derive(Debug)]
pub struct Read {
    /// A candidate for the feeds, or why there is none.
    pub outcome: Outcome<Candidate>,
    /// Its problems: warnings, or the errors that rejected it.
    pub problems: Vec<Problem>,
    /// True when the cache answered without parsing.
    pub cached: bool,
    /// The record to keep, encoded, when caching.
    memo: Option<Vec<u8>>,
}

/// One article file's cached result.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    /// The file's path as walked.
    path: String,
    /// Its stamp when it was read.
    stamp: Option<Stamp>,
    /// Its content hash.
    hash: Hash,
    /// What it gave.
    outcome: Outcome<Facts>,
    /// Its problems.
    problems: Vec<Problem>,
}

impl Record {
    /// True when `stamp` proves the file is the one this record was made from.
    fn fresh(&self, stamp: Option<Stamp>, started: i64) -> bool {
        match (self.stamp, stamp) {
            (Some(old), Some(new)) => old == new && !new.racy(started),
            _ => false,
        }
    }

    /// What the file gave, again, as file number `index`.
    fn recall(self, index: u32, path: &Path) -> Read {
        let memo = encode(&self);
        let Record {
            hash,
            outcome,
            problems,
            ..
        } = self;
        Read {
            outcome: outcome.map(|facts| Candidate {
                index,
                path: path.to_path_buf(),
                hash: Some(hash),
                facts,
                entry: None,
            }),
            problems,
            cached: true,
            memo,
        }
    }
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Header {
    format: u32,
    version: String,
    key: Hash,
    /// When the build that wrote this cache started, in seconds since 1970.
    started: i64,
}

/// The article side of one build's cache: the previous build's records, read in walk order
/// alongside the new walk, and this build's, written as they come.
#[derive(Debug)]
pub struct Articles {
    reader: Option<Reader>,
    writer: Option<Writer>,
}

impl Articles {
    /// A cache that never answers and never writes.
    pub fn off() -> Articles {
        Articles {
            reader: None,
            writer: None,
        }
    }

    /// The records at `location`; a missing, unreadable or outdated cache reads as empty.
    pub(super) fn open(location: &Location) -> Result<Articles, Error> {
        Ok(Articles {
            reader: Reader::open(location),
            writer: Some(Writer::create(location, start_time())?),
        })
    }

    /// What the cache knows of `path`. Paths must be asked for in walk order
    /// (component-wise sorted).
    pub fn lookup(&mut self, path: &Path) -> Lookup {
        let (record, started) = match &mut self.reader {
            Some(reader) => (reader.take(path), reader.started),
            None => (None, 0),
        };
        Lookup {
            record,
            started,
            on: self.writer.is_some(),
        }
    }

    /// Remembers what a file gave, in walk order.
    pub fn remember(&mut self, read: &Read) -> Result<(), Error> {
        match (&mut self.writer, &read.memo) {
            (Some(writer), Some(memo)) => writer.push(memo),
            _ => Ok(()),
        }
    }

    /// Puts this build's records in place of the previous build's.
    pub fn finish(self) -> Result<(), Error> {
        match self.writer {
            Some(writer) => writer.finish(),
            None => Ok(()),
        }
    }
}

/// What the cache knows of one file, to be answered on any thread.
#[derive(Debug)]
pub struct Lookup {
    record: Option<Record>,
    started: i64,
    on: bool,
}

impl Lookup {
    /// What the file at `path` (file number `index`) gives: remembered when its stamp or its
    /// content proves the record current, else read (at most `max_bytes`) and given to
    /// `parse`.
    pub fn read(
        self,
        index: u32,
        path: &Path,
        max_bytes: u64,
        parse: impl FnOnce(Vec<u8>) -> (Outcome<Box<Entry>>, Vec<Problem>),
    ) -> Result<Read, Error> {
        let stamp = if self.on { Stamp::of(path) } else { None };
        let record = match self.record {
            Some(record) if record.fresh(stamp, self.started) => {
                return Ok(record.recall(index, path))
            }
            other => other,
        };
        let bytes = match source::read_limited(path, max_bytes)? {
            Ok(bytes) => bytes,
            Err(problem) => {
                // Not remembered: a file over the limit is read again next time.
                return Ok(Read {
                    outcome: Outcome::Rejected,
                    problems: vec![problem],
                    cached: false,
                    memo: None,
                });
            }
        };
        let hash = self.on.then(|| hash(&bytes));
        if let Some(record) = record.filter(|r| Some(r.hash) == hash) {
            return Ok(Record { stamp, ..record }.recall(index, path));
        }
        let (outcome, problems) = parse(bytes);
        let outcome = outcome.map(|entry| Candidate {
            index,
            path: path.to_path_buf(),
            hash,
            facts: Facts::of(&entry),
            entry: Some(Arc::from(entry)),
        });
        let memo = if let Some(hash) = hash {
            encode(&Record {
                path: path.to_string_lossy().into_owned(),
                stamp,
                hash,
                outcome: match &outcome {
                    Outcome::Published(c) => Outcome::Published(c.facts.clone()),
                    Outcome::Unpublished => Outcome::Unpublished,
                    Outcome::Rejected => Outcome::Rejected,
                },
                problems: problems.clone(),
            })
        } else {
            None
        };
        Ok(Read {
            outcome,
            problems,
            cached: false,
            memo,
        })
    }
}

/// A record in the cache's encoding; `None` if it cannot be encoded (then it is not kept).
fn encode(record: &Record) -> Option<Vec<u8>> {
    postcard::to_stdvec(record).ok()
}

/// Reads the previous build's records in walk order.
#[derive(Debug)]
struct Reader {
    input: Option<BufReader<fs::File>>,
    next: Option<Record>,
    started: i64,
}

impl Reader {
    fn open(location: &Location) -> Option<Reader> {
        let file = fs::File::open(&location.records).ok()?;
        let mut input = BufReader::with_capacity(1 << 16, file);
        let header = read_item::<Header>(&mut input)?;
        let expected = header.format == FORMAT
            && header.version == env!("CARGO_PKG_VERSION")
            && header.key == location.key;
        if !expected {
            return None;
        }
        let mut reader = Reader {
            started: header.started,
            input: Some(input),
            next: None,
        };
        reader.advance();
        Some(reader)
    }

    fn advance(&mut self) {
        self.next = self.input.as_mut().and_then(read_item::<Record>);
        if self.next.is_none() {
            self.input = None;
        }
    }

    /// The record for `path`, if the previous build had one; records for files that are
    /// gone are skipped.
    fn take(&mut self, path: &Path) -> Option<Record> {
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

fn write_item(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(bytes)
}

/// Writes this build's records, in walk order, to a temp file that replaces the old records
/// only when complete.
#[derive(Debug)]
struct Writer {
    temp: BufWriter<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Writer {
    fn create(location: &Location, started: i64) -> Result<Writer, Error> {
        let dir = location.records.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, "creating cache folder", e))?;
        let temp = tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .suffix(TEMP_SUFFIX)
            .tempfile_in(dir)
            .map_err(|e| Error::io(dir, "creating a temp file in", e))?;
        let mut writer = Writer {
            temp: BufWriter::with_capacity(1 << 16, temp),
            target: location.records.clone(),
        };
        let header = Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            key: location.key,
            started,
        };
        let header = postcard::to_stdvec(&header)
            .map_err(|e| Error::io(&writer.target, "encoding", std::io::Error::other(e)))?;
        writer.push(&header)?;
        Ok(writer)
    }

    fn push(&mut self, bytes: &[u8]) -> Result<(), Error> {
        write_item(&mut self.temp, bytes).map_err(|e| Error::io(&self.target, "writing", e))
    }

    fn finish(self) -> Result<(), Error> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Limits;

    const ARTICLE: &str =
        "---\ntitle: T\nwebUrl: https://e.com/a\npublishedDateTime: 2022-05-26T22:46:00Z\ntopics: [A]\n---\nbody\n";

    fn location(dir: &Path) -> Location {
        Location::new(&dir.join("cache"), &dir.join("in"), &dir.join("out"), 7).unwrap()
    }

    /// Reads every path once through `articles`, counting how many were parsed.
    fn read_all(articles: &mut Articles, paths: &[PathBuf]) -> (Vec<Read>, usize) {
        let mut parsed = 0;
        let reads = paths
            .iter()
            .enumerate()
            .map(|(i, path)| {
                let read = articles
                    .lookup(path)
                    .read(i as u32, path, 1 << 20, |bytes| {
                        parsed += 1;
                        crate::entry::validate(path, bytes, &Limits::default())
                    })
                    .unwrap();
                articles.remember(&read).unwrap();
                read
            })
            .collect();
        (reads, parsed)
    }

    fn articles(dir: &Path, n: usize) -> Vec<PathBuf> {
        fs::create_dir_all(dir.join("in")).unwrap();
        (0..n)
            .map(|i| {
                let path = dir.join("in").join(format!("{i}.txt"));
                fs::write(&path, ARTICLE.replace("/a", &format!("/{i}"))).unwrap();
                path
            })
            .collect()
    }

    #[test]
    fn an_unchanged_file_is_answered_from_the_cache_with_the_same_facts() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 3);
        let mut first = Articles::open(&location(dir.path())).unwrap();
        let (before, parsed) = read_all(&mut first, &paths);
        first.finish().unwrap();
        assert_eq!(parsed, 3);
        let mut second = Articles::open(&location(dir.path())).unwrap();
        let (after, parsed) = read_all(&mut second, &paths);
        assert_eq!(parsed, 0, "every file answered by its record");
        for (b, a) in before.iter().zip(&after) {
            assert!(a.cached && !b.cached);
            let (Outcome::Published(b), Outcome::Published(a)) = (&b.outcome, &a.outcome) else {
                panic!("both published");
            };
            assert_eq!(b.facts, a.facts);
            assert_eq!(b.hash, a.hash);
            assert!(a.entry.is_none(), "a remembered file is not parsed");
        }
    }

    #[test]
    fn a_changed_file_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 2);
        let mut first = Articles::open(&location(dir.path())).unwrap();
        read_all(&mut first, &paths);
        first.finish().unwrap();
        fs::write(&paths[1], ARTICLE.replace("title: T", "title: Changed")).unwrap();
        let mut second = Articles::open(&location(dir.path())).unwrap();
        let (reads, parsed) = read_all(&mut second, &paths);
        assert_eq!(parsed, 1);
        let Outcome::Published(c) = &reads[1].outcome else {
            panic!()
        };
        assert_eq!(c.entry.as_ref().unwrap().title, "Changed");
    }

    #[test]
    fn problems_are_remembered_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("in")).unwrap();
        let path = dir.path().join("in/bad.txt");
        fs::write(&path, "---\ntitle: [unclosed\n---\n").unwrap();
        let paths = [path];
        let mut first = Articles::open(&location(dir.path())).unwrap();
        let (before, _) = read_all(&mut first, &paths);
        first.finish().unwrap();
        let mut second = Articles::open(&location(dir.path())).unwrap();
        let (after, parsed) = read_all(&mut second, &paths);
        assert_eq!(parsed, 0);
        assert!(matches!(after[0].outcome, Outcome::Rejected));
        assert_eq!(after[0].problems, before[0].problems);
        assert!(after[0].problems[0].line.is_some());
    }

    #[test]
    fn a_cache_written_with_other_parse_settings_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 2);
        let mut first = Articles::open(&location(dir.path())).unwrap();
        read_all(&mut first, &paths);
        first.finish().unwrap();
        let other = Location::new(
            &dir.path().join("cache"),
            &dir.path().join("in"),
            &dir.path().join("out"),
            8,
        )
        .unwrap();
        let mut second = Articles::open(&other).unwrap();
        assert_eq!(read_all(&mut second, &paths).1, 2);
    }

    #[test]
    fn a_file_that_vanished_after_the_walk_stops_the_run_with_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.txt");
        let error = Articles::off()
            .lookup(&gone)
            .read(0, &gone, 1 << 20, |_| unreachable!("nothing to parse"))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "reading {}: the file disappeared during the build; run the build again",
                gone.display()
            )
        );
    }

    #[test]
    fn a_cache_that_is_off_parses_everything_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 2);
        let mut off = Articles::off();
        assert_eq!(read_all(&mut off, &paths).1, 2);
        off.finish().unwrap();
        let mut again = Articles::off();
        assert_eq!(read_all(&mut again, &paths).1, 2);
        assert!(!dir.path().join("cache").exists());
    }
}
