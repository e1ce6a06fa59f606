//! `feedsmith serve`: a local preview server that builds the feeds into memory, serves them on
//! `127.0.0.1` (or the address given), and rebuilds whenever an article, a theme file or the
//! settings file changes.
//!
//! Nothing is written to disk: every build goes to an [`Output::memory`](crate::Output::memory)
//! and the cache is off. Each good build's files replace the served set in one swap; a file
//! whose bytes did not change keeps its `ETag` and `Last-Modified`, so feed readers and
//! browsers polling the preview get `304 Not Modified` for everything a rebuild left alone. A
//! build stopped by invalid articles leaves the previous good files in place.
//!
//! The layers, bottom to top:
//! * `files`: the served files and their validators ([`Files`], [`Served`], [`Changes`]);
//! * `listing`: the generated page for a folder without an `index.html`, from the theme's
//!   `listing.html` ([`Listing`]);
//! * `http`: the whole HTTP behaviour as a pure function, [`respond`];
//! * `preview`: one build into memory, and swapping its files in;
//! * `watch`: the file watcher and the rebuild thread;
//! * `server`: binding, serving and stopping ([`Server`], [`Handle`]); `browser` opens the
//!   page for `--open`.

mod browser;
mod files;
mod http;
mod listing;
mod preview;
mod server;
mod watch;

#[cfg(test)]
mod testing;

pub use files::{Changes, Files, Served};
pub use http::{content_type, respond, respond_with};
pub use listing::Listing;
pub use preview::Verbosity;
pub use server::{listen, url, Handle, Server};
pub use watch::DEBOUNCE;
