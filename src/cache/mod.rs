//! The build cache: it wraps two stages without threading through them.
//!
//! - [`Articles`] answers "what did this article file give": the facts selection needs,
//!   from the record of the previous build when the file is provably the same, or else by
//!   parsing it and remembering the result.
//! - [`Feeds`] answers "is this feed's file current": true when the file on disk was written
//!   from the same inputs (its signature, see [`Signer`]) and is untouched since.
//!
//! A build without a cache runs the same code with [`Cache::off`], whose two sides never
//! answer and never write. Two files per (input, output) pair live in the cache folder:
//! `*.records`, one record per article file in walk order (read and written as a stream, so
//! memory stays flat), and `*.outputs`, the signature and stamp of every feed file written.
//! A third, `*.memo` ([`Memo`]), remembers the last whole build, so that a build that finds
//! nothing changed tells that build's report again without reading an article; beside it,
//! `*.selection` keeps what that build's selection pass left, for a build in which only a few
//! article files changed. All are keyed by the running executable ([`crate::hash::build_id`]), so a cache made by
//! another build of feedsmith is never trusted; a third file, `program-id`, remembers that
//! hash by the executable's stamp, so it is computed once per executable rather than once per
//! build. Deleting the cache only costs time.

mod articles;
mod feeds;
mod location;
mod memo;

use crate::error::Error;
use crate::hash::hash;
use crate::settings::Settings;

pub(crate) use articles::{Articles, Checked, Lookup, Proven, Read, Rest, Same, Walked};
pub(crate) use feeds::{Feeds, Signer};
pub(crate) use location::Location;
pub(crate) use memo::{Memo, Recalled};

/// Both sides of the cache of one build.
#[derive(Debug)]
pub(crate) struct Cache {
    /// What each article file gave.
    pub articles: Articles,
    /// Which feed files are current.
    pub feeds: Feeds,
    /// The memo of the last whole build, when there is a cache.
    pub memo: Option<Memo>,
}

impl Cache {
    /// The cache `settings` ask for: the one in `settings.cache_dir`, or none.
    pub(crate) fn open(settings: &Settings) -> Result<Cache, Error> {
        let Some(dir) = &settings.cache_dir else {
            return Ok(Cache::off());
        };
        // Every setting that changes what a file parses to: other values ignore old records.
        let parsing = format!("{}|{:?}", settings.max_file_bytes, settings.limits);
        let location = Location::new(
            dir,
            &settings.input,
            &settings.output,
            hash(parsing.as_bytes()),
        )?;
        Ok(Cache {
            articles: Articles::open(&location)?,
            feeds: Feeds::open(&location),
            memo: Some(Memo::new(&location)),
        })
    }

    /// A cache that never answers and never writes.
    pub(crate) fn off() -> Cache {
        Cache {
            articles: Articles::off(),
            feeds: Feeds::off(),
            memo: None,
        }
    }
}
