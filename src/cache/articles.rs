//! The article side of the cache: what each article file gave last time, keyed by the file's
//! content, so a rebuild of an unchanged archive parses no article.
//!
//! A record is reused when the file's stamp (size, mtime, ctime, inode) is unchanged and
//! older than the previous build's start, or else when the file's content hash matches;
//! anything else is parsed afresh.
//!
//! A reused record is kept as the bytes it was read as, never encoded again; and while this
//! build's records are exactly the previous build's, nothing is written: the records file is
//! rewritten only from the first difference on (copying the unchanged records before it), so
//! a rebuild of an unchanged archive leaves the file as it was.

use std::borrow::Cow;
use std::fs;
use std::io::{BufReader, BufWriter, Read as _, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::location::{start_time, Location, Stamp, FORMAT};
use crate::atomic::{TEMP_PREFIX, TEMP_SUFFIX};
use crate::entry::{Entry, Outcome};
use crate::error::{Error, Role, CREATING};
use crate::feed::{Candidate, Facts};
use crate::hash::{hash, Hash};
use crate::problem::Problem;
use crate::source::{self, Listed};

/// True when a file whose record holds stamp `old` and that now has stamp `new` is provably
/// the file the record was made from, by a build that started at `started`.
pub(super) fn proves(old: Option<Stamp>, new: Option<Stamp>, started: i64) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => old == new && !new.racy(started),
        _ => false,
    }
}

/// What one article file gave, parsed in this run or remembered from the last.
#[derive(Debug)]
pub(crate) struct Read {
    /// A candidate for the feeds, or why there is none.
    pub outcome: Outcome<Candidate>,
    /// Its problems: warnings, or the errors that rejected it.
    pub problems: Vec<Problem>,
    /// True when the cache answered without parsing.
    pub cached: bool,
    /// The record to keep, encoded, when caching.
    memo: Option<Memo>,
}

/// The walk of the input folder, as [`source::walk_listed`] gives it.
pub(crate) type Walk = Box<dyn Iterator<Item = Result<Listed, Error>> + Send>;

/// A record to keep, encoded.
#[derive(Debug)]
struct Memo {
    bytes: Vec<u8>,
    /// Where the previous build's records file holds exactly these bytes, as an item (length
    /// and record): from, to.
    kept: Option<(u64, u64)>,
}

/// One article file's cached result. Its path and stamp come first: [`Stamps`] reads them
/// alone. Decoded, it owns its parts; the record of a file just read borrows them from what
/// the read gave, so they are not copied to be encoded.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record<'a> {
    /// The file's path as walked.
    path: Cow<'a, str>,
    /// Its stamp when it was read.
    stamp: Option<Stamp>,
    /// Its content hash.
    hash: Hash,
    /// What it gave.
    outcome: Outcome<Cow<'a, Facts>>,
    /// Its problems.
    problems: Cow<'a, [Problem]>,
}

impl Record<'_> {
    /// True when `stamp` proves the file is the one this record was made from.
    fn fresh(&self, stamp: Option<Stamp>, started: i64) -> bool {
        proves(self.stamp, stamp, started)
    }

    /// What the file at `path` gave, again, as file number `index`; `memo` is how it is
    /// kept.
    fn recall(self, index: u32, path: PathBuf, memo: Option<Memo>) -> Read {
        let Record {
            hash,
            outcome,
            problems,
            ..
        } = self;
        Read {
            outcome: outcome.map(|facts| Candidate {
                index,
                path,
                hash: Some(hash),
                facts: facts.into_owned(),
                entry: None,
            }),
            problems: problems.into_owned(),
            cached: true,
            memo,
        }
    }
}

/// A record as read, decoded no further than its path: the rest is decoded where it is
/// used, on any core ([`Lookup::read`], [`Proven::read`]), not on the thread that reads the
/// records in order.
#[derive(Debug)]
struct Undecoded(Memo);

impl Undecoded {
    /// The record's path; `None` when it cannot be decoded.
    fn path(&self) -> Option<&str> {
        postcard::take_from_bytes::<&str>(&self.0.bytes)
            .ok()
            .map(|(path, _)| path)
    }

    /// The record's stamp; `None` when it cannot be decoded.
    fn stamp(&self) -> Option<Option<Stamp>> {
        postcard::take_from_bytes::<(&str, Option<Stamp>)>(&self.0.bytes)
            .ok()
            .map(|((_, stamp), _)| stamp)
    }

    /// The whole record, with its bytes; `None` when it cannot be decoded.
    fn decode(self) -> Option<(Record<'static>, Memo)> {
        let record = postcard::from_bytes(&self.0.bytes).ok()?;
        Some((record, self.0))
    }
}

/// The next record, for a file a walk proved unchanged (see [`Articles::proven`]).
#[derive(Debug)]
pub(crate) struct Proven(Undecoded);

impl Proven {
    /// What the file gave, as file number `index`, on any thread; `None` when the record
    /// cannot be decoded ([`Articles::unreadable`] is the error).
    pub(crate) fn read(self, index: u32) -> Option<Read> {
        let (mut record, memo) = self.0.decode()?;
        let path = PathBuf::from(std::mem::take(&mut record.path).into_owned());
        Some(record.recall(index, path, Some(memo)))
    }

    /// The path of the file it is the record of; `None` when it cannot be decoded.
    pub(crate) fn path(&self) -> Option<PathBuf> {
        self.0.path().map(PathBuf::from)
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

impl Header {
    /// True for the header of records this program wrote for `location`.
    fn expected(&self, location: &Location) -> bool {
        self.format == FORMAT
            && self.version == env!("CARGO_PKG_VERSION")
            && self.key == location.key
    }
}

/// The previous build's records read for their paths and stamps alone, in walk order: what
/// the memo compares a new walk with, without decoding what each file gave.
pub(super) struct Stamps {
    input: BufReader<fs::File>,
    buf: Vec<u8>,
    /// Where the next record starts in the file.
    pub(super) offset: u64,
    /// When the build that wrote the records started, in seconds since 1970.
    pub(super) started: i64,
    /// The stamp of the records file read.
    pub(super) file: Stamp,
}

/// What a walk proved of the records it compared with [`Stamps`], and where it stopped: the
/// first `files` records of the records file stamped `records` (up to offset `end`) are of
/// the first files of the walk, in order, and those files are provably unchanged but for
/// `changed` (by file number, in order): the build then need neither walk nor stat them
/// again. `rest` is the walk on from the first file it did not match, with the warnings of
/// the entries it skipped before.
pub(crate) struct Proof {
    pub(super) records: Stamp,
    pub(super) files: usize,
    pub(super) end: u64,
    pub(super) changed: Vec<Walked>,
    pub(super) rest: Option<(Walk, Vec<Problem>)>,
}

/// A file as a walk found it, matched with its record.
#[derive(Debug)]
pub(crate) struct Walked {
    /// Its file number.
    pub(crate) index: usize,
    pub(crate) path: PathBuf,
    /// Its folder entry, when the walk gave one.
    pub(crate) entry: Option<fs::DirEntry>,
    /// Where its record is in the records file: from, to.
    pub(crate) record: (u64, u64),
}

impl std::fmt::Debug for Proof {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proof")
            .field("records", &self.records)
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

/// The read of a build after a walk's [`Proof`]: its first `proven` files are the first
/// records' ([`Articles::proven`]), unchanged but for `changed` ([`Articles::proven_lookup`]),
/// then come the files of `walk`; `skipped` are the warnings of the entries the walk skipped
/// before.
pub(crate) struct Rest {
    pub(crate) proven: usize,
    /// Where the proven files' records end in the records file.
    pub(crate) end: u64,
    pub(crate) changed: Vec<Walked>,
    pub(crate) walk: Walk,
    pub(crate) skipped: Vec<Problem>,
}

impl Stamps {
    /// The records at `location`, when they are this program's for it.
    pub(super) fn open(location: &Location) -> Option<Stamps> {
        let file = fs::File::open(&location.records).ok()?;
        let stamp = Stamp::from_metadata(&file.metadata().ok()?)?;
        let mut input = BufReader::with_capacity(1 << 16, file);
        let (header, bytes) = read_item::<Header>(&mut input)?;
        header.expected(location).then_some(Stamps {
            input,
            buf: Vec::new(),
            offset: item_len(&bytes),
            started: header.started,
            file: stamp,
        })
    }

    /// The next record's path and stamp, and where it is in the file (from, to); `None` at
    /// the end of the records (or where they cannot be read).
    pub(super) fn next_stamp(&mut self) -> Option<(&str, Option<Stamp>, (u64, u64))> {
        read_frame(&mut self.input, &mut self.buf)?;
        let from = self.offset;
        self.offset += item_len(&self.buf);
        // A record starts with its path and its stamp; the rest is left undecoded.
        postcard::take_from_bytes::<(&str, Option<Stamp>)>(&self.buf)
            .ok()
            .map(|((path, stamp), _)| (path, stamp, (from, self.offset)))
    }
}

/// The article side of one build's cache: the previous build's records, read in walk order
/// alongside the new walk, and this build's, written as they come.
#[derive(Debug)]
pub(crate) struct Articles {
    reader: Option<Reader>,
    writer: Option<Writer>,
}

impl Articles {
    /// A cache that never answers and never writes.
    pub(crate) fn off() -> Articles {
        Articles {
            reader: None,
            writer: None,
        }
    }

    /// The records at `location`; a missing, unreadable or outdated cache reads as empty.
    pub(super) fn open(location: &Location) -> Result<Articles, Error> {
        Articles::open_at(location, start_time())
    }

    /// [`Articles::open`] for a build that started at `started` (seconds since 1970).
    fn open_at(location: &Location, started: i64) -> Result<Articles, Error> {
        let reader = Reader::open(location);
        let previous = reader.as_ref().and_then(Reader::copy);
        Ok(Articles {
            writer: Some(Writer::create(location, started, previous)?),
            reader,
        })
    }

    /// Takes what a walk proved: when the records are the very file it compared with, none
    /// read yet, the read goes on from where the walk stopped ([`Rest`]); else it walks
    /// afresh.
    pub(crate) fn trust(&mut self, proof: Proof) -> Option<Rest> {
        let reader = self.reader.as_ref()?;
        let same = reader.file.metadata().ok();
        let (walk, skipped) = proof.rest?;
        (reader.count == 1 && same.as_ref().and_then(Stamp::from_metadata) == Some(proof.records))
            .then_some(Rest {
                proven: proof.files,
                end: proof.end,
                changed: proof.changed,
                walk,
                skipped,
            })
    }

    /// The next record, for the next of the files a walk proved unchanged
    /// ([`Articles::trust`]), which are the first records, in order; [`Proven::read`] tells
    /// what the file gave.
    pub(crate) fn proven(&mut self) -> Result<Proven, Error> {
        let next = self.reader.as_mut().and_then(|reader| {
            let next = reader.next.take();
            reader.advance();
            next
        });
        // The walk read these records' paths from the same file.
        next.map(Proven).ok_or_else(|| self.unreadable())
    }

    /// Where the records start in the records file.
    pub(crate) fn records_start(&self) -> Option<u64> {
        self.reader.as_ref().map(|reader| reader.header_end)
    }

    /// What the cache knows of a file that a walk matched with the record at `record` (from,
    /// to, in the records file; [`Walked::record`]) but could not prove unchanged, as
    /// [`Articles::lookup`] tells it.
    pub(crate) fn lookup_at(&self, record: (u64, u64)) -> Result<Lookup, Error> {
        match self.reader.as_ref().and_then(|reader| reader.at(record)) {
            Some(record) => Ok(self.lookup_of(Some(record))),
            None => Err(self.unreadable()),
        }
    }

    /// Keeps the records from `from` to `to` in the records file as they are, without
    /// reading them: files a walk proved unchanged. Only after [`Articles::skip_proven`].
    pub(crate) fn keep_run(&mut self, from: u64, to: u64) -> Result<(), Error> {
        match &mut self.writer {
            Some(writer) if from < to => writer.push(&Memo {
                bytes: Vec::new(),
                kept: Some((from, to)),
            }),
            _ => Ok(()),
        }
    }

    /// Goes on past the first `files` records, which end at `end`, without reading them:
    /// their files are to be kept a run at a time ([`Articles::keep_run`]) or looked up where
    /// they are ([`Articles::lookup_at`]). False where the records cannot be copied without
    /// being read (on Unix they can), after which these articles are spent.
    pub(crate) fn skip_proven(&mut self, files: usize, end: u64) -> bool {
        let copies = self
            .writer
            .as_ref()
            .is_some_and(|writer| writer.previous.is_some());
        copies
            && self
                .reader
                .as_mut()
                .is_some_and(|reader| reader.skip_to(files, end))
    }

    /// What the cache knows of the next file a walk matched with the next record but could
    /// not prove unchanged ([`Rest::changed`]), as [`Articles::lookup`] tells it.
    pub(crate) fn proven_lookup(&mut self) -> Result<Lookup, Error> {
        let Proven(record) = self.proven()?;
        Ok(self.lookup_of(Some(record)))
    }

    /// Keeps a record as it is: see [`Lookup::check`].
    pub(crate) fn keep(&mut self, same: &Same) -> Result<(), Error> {
        match &mut self.writer {
            Some(writer) => writer.push(&same.0),
            None => Ok(()),
        }
    }

    /// From now on, keeps the records that [`Articles::lookup`] goes past, whose files are
    /// gone, for [`Articles::gone`].
    pub(crate) fn watch_gone(&mut self) {
        if let Some(reader) = &mut self.reader {
            reader.gone.get_or_insert_with(Vec::new);
        }
    }

    /// The records of the files found gone since last asked (see [`Articles::watch_gone`]),
    /// in order, each with its number among the records; with `rest` (once the walk is
    /// over), every record not asked for as well.
    pub(crate) fn gone(&mut self, rest: bool) -> Vec<(u32, Proven)> {
        let Some(reader) = &mut self.reader else {
            return Vec::new();
        };
        if rest {
            while reader.next.is_some() {
                reader.skip();
            }
        }
        let gone = reader.gone.as_mut().map(std::mem::take).unwrap_or_default();
        gone.into_iter()
            .map(|(index, record)| (index, Proven(record)))
            .collect()
    }

    /// The error for records that the walk read but that cannot be read now.
    pub(crate) fn unreadable(&self) -> Error {
        Error::io(
            self.writer.as_ref().map_or(Path::new("."), |w| &w.target),
            "reading",
            std::io::ErrorKind::InvalidData.into(),
        )
    }

    /// What the cache knows of `path`. Paths must be asked for in walk order
    /// (component-wise sorted).
    pub(crate) fn lookup(&mut self, path: &Path) -> Lookup {
        let record = self.reader.as_mut().and_then(|reader| reader.take(path));
        self.lookup_of(record)
    }

    /// What the cache knows of a file whose previous record is `record`.
    fn lookup_of(&self, record: Option<Undecoded>) -> Lookup {
        Lookup {
            record,
            started: self.reader.as_ref().map_or(0, |r| r.started),
            on: self.writer.is_some(),
        }
    }

    /// Remembers what a file gave, in walk order.
    pub(crate) fn remember(&mut self, read: &Read) -> Result<(), Error> {
        match (&mut self.writer, &read.memo) {
            (Some(writer), Some(memo)) => writer.push(memo),
            _ => Ok(()),
        }
    }

    /// Puts this build's records in place of the previous build's (unless they are the
    /// same).
    pub(crate) fn finish(self) -> Result<(), Error> {
        match self.writer {
            Some(writer) => writer.finish(),
            None => Ok(()),
        }
    }
}

/// What the cache knows of one file, to be answered on any thread.
#[derive(Debug)]
pub(crate) struct Lookup {
    record: Option<Undecoded>,
    started: i64,
    on: bool,
}

impl Lookup {
    /// What the file at `path` (file number `index`) gives: remembered when its stamp or its
    /// content proves the record current, else read (at most `max_bytes`) and given to
    /// `parse`. `entry`, the file's folder entry when the walk gave one, stamps it cheaper.
    pub(crate) fn read(
        mut self,
        index: u32,
        path: &Path,
        entry: Option<&fs::DirEntry>,
        max_bytes: u64,
        parse: impl FnOnce(Vec<u8>) -> (Outcome<Box<Entry>>, Vec<Problem>),
    ) -> Result<Read, Error> {
        let stamp = self.stamp(path, entry);
        let record = match self.record.take().and_then(Undecoded::decode) {
            Some((record, memo)) if record.fresh(stamp, self.started) => {
                return Ok(record.recall(index, path.to_path_buf(), Some(memo)))
            }
            other => other.map(|(record, _)| record),
        };
        self.read_file(record, stamp, index, path, max_bytes, parse)
    }

    /// The file's stamp, when the cache is on: see [`Lookup::read`].
    fn stamp(&self, path: &Path, entry: Option<&fs::DirEntry>) -> Option<Stamp> {
        if self.on {
            Stamp::of_walked(path, entry)
        } else {
            None
        }
    }

    /// [`Lookup::read`] of a file its `stamp` did not prove to be the one of its `record`:
    /// the record reused when the content hash matches, else the file parsed.
    fn read_file(
        &self,
        record: Option<Record<'static>>,
        stamp: Option<Stamp>,
        index: u32,
        path: &Path,
        max_bytes: u64,
        parse: impl FnOnce(Vec<u8>) -> (Outcome<Box<Entry>>, Vec<Problem>),
    ) -> Result<Read, Error> {
        let bytes = match source::read_limited(path, max_bytes, stamp.map(|s| s.size()))? {
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
            let record = Record { stamp, ..record };
            let memo = encode(&record);
            return Ok(record.recall(index, path.to_path_buf(), memo));
        }
        let (outcome, problems) = parse(bytes);
        let outcome = outcome.map(|entry| Candidate {
            index,
            path: path.to_path_buf(),
            hash,
            facts: entry.facts.clone(),
            entry: Some(Arc::from(entry)),
        });
        let memo = if let Some(hash) = hash {
            encode(&Record {
                path: path.to_string_lossy(),
                stamp,
                hash,
                outcome: match &outcome {
                    Outcome::Published(c) => Outcome::Published(Cow::Borrowed(&c.facts)),
                    Outcome::Unpublished => Outcome::Unpublished,
                    Outcome::Rejected => Outcome::Rejected,
                },
                problems: Cow::Borrowed(&problems),
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

/// What [`Lookup::check`] found of a file.
#[derive(Debug)]
pub(crate) enum Checked {
    /// Provably the file its record was made from: the record, to keep as it is.
    Same(Same),
    /// Changed, or new: what its record gave (none for a new file), and what it gives now.
    Changed(Box<(Option<Read>, Read)>),
}

/// A record kept as it is ([`Articles::keep`]).
#[derive(Debug)]
pub(crate) struct Same(Memo);

impl Lookup {
    /// Whether the file at `path` (file number `index`) is provably the one its record was
    /// made from, by its stamp alone, without decoding the record; if not, what the record
    /// gave and what [`Lookup::read`] gives now.
    pub(crate) fn check(
        mut self,
        index: u32,
        path: &Path,
        entry: Option<&fs::DirEntry>,
        max_bytes: u64,
        parse: impl FnOnce(Vec<u8>) -> (Outcome<Box<Entry>>, Vec<Problem>),
    ) -> Result<Checked, Error> {
        // Statted once, and the record decoded once, whatever the answer.
        let stamp = self.stamp(path, entry);
        let fresh = self
            .record
            .as_ref()
            .and_then(Undecoded::stamp)
            .is_some_and(|old| proves(old, stamp, self.started));
        let record = match self.record.take() {
            Some(Undecoded(memo)) if fresh => return Ok(Checked::Same(Same(memo))),
            record => record.and_then(Undecoded::decode).map(|(record, _)| record),
        };
        let old = record
            .clone()
            .map(|old| old.recall(index, path.to_path_buf(), None));
        let new = self.read_file(record, stamp, index, path, max_bytes, parse)?;
        Ok(Checked::Changed(Box::new((old, new))))
    }
}

/// A record in the cache's encoding; `None` if it cannot be encoded (then it is not kept).
fn encode(record: &Record) -> Option<Memo> {
    postcard::to_stdvec(record)
        .ok()
        .map(|bytes| Memo { bytes, kept: None })
}

/// Reads the previous build's records in walk order.
#[derive(Debug)]
struct Reader {
    input: Option<BufReader<fs::File>>,
    next: Option<Undecoded>,
    started: i64,
    /// How far into the file `input` has read.
    offset: u64,
    /// The file again, and the offset of its first record, for a writer to copy from.
    file: fs::File,
    header_end: u64,
    /// How many records were read so far.
    count: usize,
    /// The records [`Reader::take`] skipped, whose files are gone, with their numbers, when
    /// they are watched for ([`Articles::watch_gone`]).
    gone: Option<Vec<(u32, Undecoded)>>,
}

impl Reader {
    fn open(location: &Location) -> Option<Reader> {
        let file = fs::File::open(&location.records).ok()?;
        let mut input = BufReader::with_capacity(1 << 16, file.try_clone().ok()?);
        let (header, bytes) = read_item::<Header>(&mut input)?;
        if !header.expected(location) {
            return None;
        }
        let header_end = item_len(&bytes);
        let mut reader = Reader {
            started: header.started,
            input: Some(input),
            next: None,
            offset: header_end,
            file,
            header_end,
            count: 0,
            gone: None,
        };
        reader.advance();
        Some(reader)
    }

    fn advance(&mut self) {
        let from = self.offset;
        self.count += 1;
        self.next = self.input.as_mut().and_then(|input| {
            let mut bytes = Vec::new();
            read_frame(input, &mut bytes)?;
            let to = from + item_len(&bytes);
            let record = Undecoded(Memo {
                bytes,
                kept: Some((from, to)),
            });
            // A record whose path cannot be read ends the records, as one that cannot be
            // read at all does.
            record.path()?;
            Some(record)
        });
        match &self.next {
            Some(record) => self.offset = record.0.kept.map_or(self.offset, |(_, to)| to),
            None => self.input = None,
        }
    }

    /// The record at `range` of the file (from, to, as [`Stamps`] gives it), read where it
    /// is; `None` where it cannot be.
    fn at(&self, (from, to): (u64, u64)) -> Option<Undecoded> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            let len = to.checked_sub(from)?.checked_sub(4)?;
            let mut bytes = vec![0; usize::try_from(len).ok()?];
            self.file.read_exact_at(&mut bytes, from + 4).ok()?;
            let record = Undecoded(Memo {
                bytes,
                kept: Some((from, to)),
            });
            record.path()?;
            Some(record)
        }
        #[cfg(not(unix))]
        {
            let _ = (from, to);
            None
        }
    }

    /// Goes on at the record numbered `count`, which starts at `offset`, without reading the
    /// ones before it. False when the records cannot be read from there.
    fn skip_to(&mut self, count: usize, offset: u64) -> bool {
        let Some(input) = &mut self.input else {
            return false;
        };
        if input.seek(std::io::SeekFrom::Start(offset)).is_err() {
            self.input = None;
            self.next = None;
            return false;
        }
        self.offset = offset;
        self.count = count;
        self.advance();
        true
    }

    /// The previous records file, for the writer to copy unchanged records from: where it
    /// can read it without disturbing this reader (positional reads, on Unix).
    fn copy(&self) -> Option<Previous> {
        if !cfg!(unix) {
            return None;
        }
        Some(Previous {
            file: self.file.try_clone().ok()?,
            header_end: self.header_end,
            len: self.file.metadata().ok()?.len(),
        })
    }

    /// Goes past the next record, whose file is gone.
    fn skip(&mut self) {
        let index = (self.count - 1) as u32;
        if let (Some(gone), Some(record)) = (&mut self.gone, self.next.take()) {
            gone.push((index, record));
        }
        self.advance();
    }

    /// The record for `path`, if the previous build had one; records for files that are
    /// gone are skipped.
    fn take(&mut self, path: &Path) -> Option<Undecoded> {
        while let Some(record) = &self.next {
            let recorded = record.path().unwrap_or_default();
            // Most records are for the very path asked for: equal bytes settle it without
            // the component-wise comparison.
            let order = if recorded.as_bytes() == path.as_os_str().as_encoded_bytes() {
                std::cmp::Ordering::Equal
            } else {
                Path::new(recorded).cmp(path)
            };
            match order {
                std::cmp::Ordering::Less => self.skip(),
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

/// The next item, decoded, with its bytes.
fn read_item<T: for<'de> Deserialize<'de>>(
    input: &mut BufReader<fs::File>,
) -> Option<(T, Vec<u8>)> {
    let mut buf = Vec::new();
    read_frame(input, &mut buf)?;
    let item = postcard::from_bytes(&buf).ok()?;
    Some((item, buf))
}

/// Reads the next item's bytes (after their length, as [`write_item`] writes it) into `buf`;
/// `None` at the end of the file or where it cannot be read.
fn read_frame(input: &mut BufReader<fs::File>, buf: &mut Vec<u8>) -> Option<()> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len).ok()?;
    buf.resize(u32::from_le_bytes(len) as usize, 0);
    input.read_exact(buf).ok()
}

/// How many bytes of the file the item holding `bytes` takes.
fn item_len(bytes: &[u8]) -> u64 {
    4 + bytes.len() as u64
}

fn write_item(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u32).to_le_bytes())?;
    out.write_all(bytes)
}

/// The previous build's records file, to copy the records this build keeps from.
#[derive(Debug)]
struct Previous {
    file: fs::File,
    /// The offset of its first record.
    header_end: u64,
    len: u64,
}

/// Writes this build's records, in walk order, to a temp file that replaces the old records
/// only when complete. A record kept as it was is not written but noted, as the range of
/// the previous file it is in: a run of them is copied at once, when a record that is not
/// next in the previous file comes, or at the end. While they are the previous build's
/// records from the first on, nothing is written at all.
#[derive(Debug)]
struct Writer {
    temp: Option<BufWriter<tempfile::NamedTempFile>>,
    previous: Option<Previous>,
    /// The run of the previous file's records kept and not yet copied: from, to.
    run: (u64, u64),
    target: PathBuf,
    header: Vec<u8>,
}

impl Writer {
    fn create(
        location: &Location,
        started: i64,
        previous: Option<Previous>,
    ) -> Result<Writer, Error> {
        let target = location.records.clone();
        let header = Header {
            format: FORMAT,
            version: env!("CARGO_PKG_VERSION").to_string(),
            key: location.key,
            started,
        };
        let header = postcard::to_stdvec(&header)
            .map_err(|e| Error::io(&target, "encoding", std::io::Error::other(e)))?;
        let start = previous.as_ref().map_or(0, |p| p.header_end);
        let mut writer = Writer {
            temp: None,
            previous,
            run: (start, start),
            target,
            header,
        };
        if writer.previous.is_none() {
            writer.start()?;
        }
        Ok(writer)
    }

    /// Starts the temp file with the header.
    fn start(&mut self) -> Result<&mut BufWriter<tempfile::NamedTempFile>, Error> {
        if self.temp.is_none() {
            let dir = self.target.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(dir).map_err(|e| Error::at(Role::Cache, dir, CREATING, e))?;
            let temp = tempfile::Builder::new()
                .prefix(TEMP_PREFIX)
                .suffix(TEMP_SUFFIX)
                .tempfile_in(dir)
                .map_err(|e| self.failed("writing", e))?;
            let mut temp = BufWriter::with_capacity(1 << 16, temp);
            write_item(&mut temp, &self.header).map_err(|e| self.failed("writing", e))?;
            self.temp = Some(temp);
        }
        Ok(self.temp.as_mut().expect("started"))
    }

    /// Copies the run of kept records into the started temp file.
    fn copy_run(&mut self) -> Result<(), Error> {
        let (from, to) = self.run;
        if let (Some(previous), Some(temp)) = (&self.previous, &mut self.temp) {
            if from < to {
                copy_range(&previous.file, from, to, temp)
                    .map_err(|e| self.failed("writing", e))?;
            }
        }
        self.run = (to, to);
        Ok(())
    }

    fn push(&mut self, memo: &Memo) -> Result<(), Error> {
        // Where the previous file can be copied from, a kept record is a range of it.
        let kept = memo.kept.filter(|_| self.previous.is_some());
        if let Some((from, to)) = kept {
            if from == self.run.1 {
                self.run.1 = to;
                return Ok(());
            }
        }
        self.start()?;
        self.copy_run()?;
        match kept {
            Some(range) => {
                self.run = range;
                Ok(())
            }
            None => {
                let temp = self.temp.as_mut().expect("started");
                write_item(temp, &memo.bytes).map_err(|e| self.failed("writing", e))
            }
        }
    }

    /// The error of `action` on the records: it names the cache folder, which the user may
    /// know, rather than the records file, which is feedsmith's own.
    fn failed(&self, action: &'static str, e: std::io::Error) -> Error {
        let dir = self.target.parent().unwrap_or(Path::new("."));
        Error::at(Role::Cache, dir, action, e)
    }

    fn finish(mut self) -> Result<(), Error> {
        if let (None, Some(previous)) = (&self.temp, &self.previous) {
            if self.run == (previous.header_end, previous.len) {
                // Every record as it was: the previous file stays.
                return Ok(());
            }
        }
        self.start()?;
        self.copy_run()?;
        let temp = self.temp.take().expect("started");
        let temp = temp
            .into_inner()
            .map_err(|e| self.failed("writing", e.into_error()))?;
        // The build's flush comes after rendering: the records can be on the disk by then.
        crate::atomic::start_writeback(temp.as_file());
        temp.persist(&self.target)
            .map_err(|e| self.failed("writing", e.error))?;
        Ok(())
    }
}

/// Copies the bytes of `file` from `from` to `to` to the end of `out`: on Linux inside the
/// kernel, from one file's pages to the other's; else (or where the kernel cannot) by
/// positional reads.
#[cfg(unix)]
fn copy_range(
    file: &fs::File,
    from: u64,
    to: u64,
    out: &mut BufWriter<tempfile::NamedTempFile>,
) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    let mut at = from;
    #[cfg(target_os = "linux")]
    {
        out.flush()?;
        while at < to {
            let want = usize::try_from(to - at).unwrap_or(usize::MAX);
            match rustix::fs::copy_file_range(file, Some(&mut at), out.get_ref(), None, want) {
                Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                Ok(_) => {}
                // Another kind of filesystem, say: the bytes are copied through here.
                Err(_) => break,
            }
        }
    }
    let mut buf = vec![0u8; (1 << 16).min(to - at) as usize];
    while at < to {
        let want = buf.len().min((to - at) as usize);
        let n = file.read_at(&mut buf[..want], at)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        out.write_all(&buf[..n])?;
        at += n as u64;
    }
    Ok(())
}

/// Never called: elsewhere a writer does not copy (see [`Reader::copy`]).
#[cfg(not(unix))]
fn copy_range(
    _: &fs::File,
    _: u64,
    _: u64,
    _: &mut BufWriter<tempfile::NamedTempFile>,
) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "copying records needs positional reads",
    ))
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
                    .read(i as u32, path, None, 1 << 20, |bytes| {
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

    /// A first build's read of `paths`, its records kept: what each file gave, and how many
    /// were parsed.
    fn first_build(dir: &Path, paths: &[PathBuf]) -> (Vec<Read>, usize) {
        let mut first = Articles::open(&location(dir)).unwrap();
        let read = read_all(&mut first, paths);
        first.finish().unwrap();
        read
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
        let (before, parsed) = first_build(dir.path(), &paths);
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

    /// The cache of a build that starts well after the test's files were written, so that
    /// their stamps count.
    fn open_later(dir: &Path) -> Articles {
        Articles::open_at(&location(dir), start_time() + 10).unwrap()
    }

    #[cfg(unix)]
    fn records_inode(dir: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(location(dir).records).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_rebuild_leaves_the_records_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 3);
        let mut first = open_later(dir.path());
        read_all(&mut first, &paths);
        first.finish().unwrap();
        let (inode, bytes) = (
            records_inode(dir.path()),
            fs::read(location(dir.path()).records).unwrap(),
        );
        let mut second = open_later(dir.path());
        let (reads, parsed) = read_all(&mut second, &paths);
        second.finish().unwrap();
        assert_eq!(parsed, 0);
        assert!(reads.iter().all(|r| r.cached));
        assert_eq!(records_inode(dir.path()), inode, "not rewritten");
        assert_eq!(fs::read(location(dir.path()).records).unwrap(), bytes);
    }

    #[test]
    fn a_file_changed_in_the_middle_rewrites_the_records_and_keeps_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 3);
        let mut first = open_later(dir.path());
        read_all(&mut first, &paths);
        first.finish().unwrap();
        fs::write(&paths[1], ARTICLE.replace("title: T", "title: Changed")).unwrap();
        let mut second = open_later(dir.path());
        let (changed, parsed) = read_all(&mut second, &paths);
        second.finish().unwrap();
        assert_eq!(parsed, 1);
        let mut third = Articles::open(&location(dir.path())).unwrap();
        let (again, parsed) = read_all(&mut third, &paths);
        assert_eq!(parsed, 0, "every record kept, the changed one as it now is");
        for (c, a) in changed.iter().zip(&again) {
            let (Outcome::Published(c), Outcome::Published(a)) = (&c.outcome, &a.outcome) else {
                panic!("both published");
            };
            assert_eq!((c.hash, &c.facts), (a.hash, &a.facts));
        }
    }

    /// After a memo's walk, the records of the files it proved unchanged are kept a run at a
    /// time, never read, and the changed ones looked up where they are: the records file is
    /// the one a read of every file one by one writes.
    #[cfg(unix)]
    #[test]
    fn records_kept_a_run_at_a_time_are_the_records_read_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 7);
        let location = location(dir.path());
        let started = start_time() + 10;
        let mut first = Articles::open_at(&location, started).unwrap();
        read_all(&mut first, &paths);
        first.finish().unwrap();
        fs::write(&paths[3], ARTICLE.replace("title: T", "title: Changed")).unwrap();
        let records = fs::read(&location.records).unwrap();
        let parse = |path: &Path, bytes| crate::entry::validate(path, bytes, &Limits::default());
        // One by one.
        let mut plain = Articles::open_at(&location, started).unwrap();
        assert_eq!(read_all(&mut plain, &paths).1, 1);
        plain.finish().unwrap();
        let expected = fs::read(&location.records).unwrap();
        assert_ne!(expected, records);
        // Where each record is, as the memo's walk finds it.
        fs::write(&location.records, &records).unwrap();
        let mut stamps = Stamps::open(&location).unwrap();
        let at: Vec<(u64, u64)> = (0..7).map(|_| stamps.next_stamp().unwrap().2).collect();
        // The first five proven, the fourth of them changed; then the walk goes on.
        let mut runs = Articles::open_at(&location, started).unwrap();
        let start = runs.records_start().unwrap();
        assert!(runs.skip_proven(5, at[4].1));
        runs.keep_run(start, at[3].0).unwrap();
        let lookup = runs.lookup_at(at[3]).unwrap();
        let read = lookup
            .read(3, &paths[3], None, 1 << 20, |b| parse(&paths[3], b))
            .unwrap();
        assert!(!read.cached);
        runs.remember(&read).unwrap();
        runs.keep_run(at[3].1, at[4].1).unwrap();
        for (i, path) in paths.iter().enumerate().skip(5) {
            let read = runs
                .lookup(path)
                .read(i as u32, path, None, 1 << 20, |b| parse(path, b))
                .unwrap();
            assert!(read.cached, "file {i} from its record");
            runs.remember(&read).unwrap();
        }
        assert!(runs.gone(true).is_empty());
        runs.finish().unwrap();
        assert_eq!(fs::read(&location.records).unwrap(), expected);
        let mut third = Articles::open_at(&location, started).unwrap();
        assert_eq!(read_all(&mut third, &paths).1, 0, "every record readable");
    }

    #[test]
    fn the_records_of_deleted_files_are_dropped_even_when_nothing_else_changed() {
        for gone in [0, 2] {
            let dir = tempfile::tempdir().unwrap();
            let paths = articles(dir.path(), 3);
            let mut first = open_later(dir.path());
            read_all(&mut first, &paths);
            first.finish().unwrap();
            let before = fs::metadata(location(dir.path()).records).unwrap().len();
            fs::remove_file(&paths[gone]).unwrap();
            let left: Vec<PathBuf> = (0..3)
                .filter(|i| *i != gone)
                .map(|i| paths[i].clone())
                .collect();
            let mut second = open_later(dir.path());
            assert_eq!(read_all(&mut second, &left).1, 0);
            second.finish().unwrap();
            let after = fs::metadata(location(dir.path()).records).unwrap().len();
            assert!(after < before, "file {gone}'s record dropped");
            let mut third = open_later(dir.path());
            assert_eq!(read_all(&mut third, &left).1, 0, "the others kept");
        }
    }

    #[test]
    fn the_paths_and_stamps_read_alone_are_those_of_the_files_in_walk_order() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 3);
        first_build(dir.path(), &paths);
        let mut stamps = Stamps::open(&location(dir.path())).unwrap();
        for path in &paths {
            let (recorded, stamp, _) = stamps.next_stamp().unwrap();
            assert_eq!(recorded, path.to_str().unwrap());
            assert_eq!(stamp, Stamp::of(path));
        }
        assert!(stamps.next_stamp().is_none());
        let other = Location::new(
            &dir.path().join("cache"),
            &dir.path().join("in"),
            &dir.path().join("out"),
            8,
        )
        .unwrap();
        assert!(Stamps::open(&other).is_none(), "another key");
    }

    #[test]
    fn a_changed_file_is_parsed_again() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 2);
        first_build(dir.path(), &paths);
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
    fn a_record_that_cannot_be_decoded_past_its_path_is_read_again_and_the_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let paths = articles(dir.path(), 3);
        first_build(dir.path(), &paths);
        // Spoil the middle record after its path: its frame keeps its length, so the records
        // after it still read.
        let records = location(dir.path()).records;
        let mut bytes = fs::read(&records).unwrap();
        let mut at = 0;
        for frame in 0..3 {
            let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
            if frame == 2 {
                let body = &mut bytes[at + 4..at + 4 + len];
                let (path, rest) = postcard::take_from_bytes::<&str>(body).unwrap();
                assert!(path.ends_with("1.txt"), "{path}");
                let start = len - rest.len();
                body[start..].fill(0xFF);
            }
            at += 4 + len;
        }
        fs::write(&records, bytes).unwrap();
        let mut second = open_later(dir.path());
        let (after, parsed) = read_all(&mut second, &paths);
        assert_eq!(parsed, 1, "only the spoilt record's file is parsed again");
        assert!(after[0].cached && !after[1].cached && after[2].cached);
        assert!(matches!(after[1].outcome, Outcome::Published(_)));
    }

    #[test]
    fn problems_are_remembered_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("in")).unwrap();
        let path = dir.path().join("in/bad.txt");
        fs::write(&path, "---\ntitle: [unclosed\n---\n").unwrap();
        let paths = [path];
        let (before, _) = first_build(dir.path(), &paths);
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
        first_build(dir.path(), &paths);
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
            .read(0, &gone, None, 1 << 20, |_| {
                unreachable!("nothing to parse")
            })
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "{} disappeared during the build: run the build again",
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
