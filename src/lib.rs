//! feedsmith reads a folder of news-article documents and publishes them as feeds: RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 for all articles, curated selections and every topic, provider
//! and category, with a page per feed, an index page and an OPML list.
//!
//! The library's interface is one entry with settings in and a report out: [`build`] (or
//! [`check`], which validates without writing), given [`Settings`] and an [`Output`]: a
//! folder, a dry run, or memory. The [`Report`] says what happened: the counts
//! ([`Summary`]), every [`Problem`] located by file, line and column, the files changed, and
//! the exit status a front end should give.
//!
//! ```
//! use feedsmith::settings::Site;
//! use feedsmith::{Output, Settings};
//!
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(
//!     dir.path().join("first.md"),
//!     "---\ntitle: First story\nwebUrl: https://news.example.org/1\n\
//!      publishedDateTime: 2024-03-01T09:00:00Z\ntopics: [Climate]\n---\nThe *body*.\n",
//! )
//! .unwrap();
//! let site = Site {
//!     title: "Example News".into(),
//!     base_url: "https://news.example.org/feeds/".into(),
//!     site_url: "https://news.example.org/".into(),
//!     ..Site::default()
//! };
//! let settings = Settings::new(dir.path(), "feeds", site);
//! let output = Output::memory();
//! let report = feedsmith::build(&settings, &output).unwrap();
//! assert_eq!(report.summary.published, 1);
//! assert_eq!(report.exit_code(), 0);
//! let files = output.files();
//! let rss = String::from_utf8(files[std::path::Path::new("topics/climate/rss.xml")].clone()).unwrap();
//! assert!(rss.contains("<title>First story</title>"));
//! ```
//!
//! Inside, the crate is a one-way pipeline of modules, bottom to top; each imports only the
//! modules below it (`ARCHITECTURE.md` has the table, and where to make a change):
//!
//! 1. vocabulary that knows no stage: [`problem`], text, paths, hashes, the atomic write,
//!    the fatal [`Error`], and groups (topic, provider and category names and slugs);
//! 2. [`settings`], resolved once;
//! 3. the stages, in pipeline order: source (file → document), article (→ the front matter
//!    as written), entry (→ a validated entry or problems), feed (→ each feed's entries,
//!    duplicates resolved), render (→ bytes, the pages from templates);
//! 4. output (the one write path), the cache (wraps reading and rendering) and [`report`]
//!    (what happened, and the exit status);
//! 5. the pipeline: the one place that runs the stages in order ([`build()`], [`check()`]);
//! 6. the front ends: the preview server (`serve`, behind the `serve` feature), WebSub
//!    publishing (`websub`, behind the `websub` feature: tells the hubs which feeds a build
//!    changed), deploying to an object store (`deploy`, behind the `deploy` feature: uploads
//!    what changed to S3, R2, GCS, Azure or a folder) and the binary.
//!
//! Reading and validating run on every core; the output is byte-identical whatever the
//! thread count or file order.

// The stages themselves are public only for feedsmith's own fuzz targets, benchmarks, tests
// and binary: hidden from the docs, not part of the interface, free to change in any release.
#[doc(hidden)]
pub mod article;
#[doc(hidden)]
pub mod atomic;
mod cache;
#[cfg(feature = "deploy")]
pub mod deploy;
#[doc(hidden)]
pub mod entry;
mod error;
#[doc(hidden)]
pub mod feed;
mod fields;
#[doc(hidden)]
pub mod group;
mod hash;
#[doc(hidden)]
pub mod output;
mod paths;
mod pipeline;
pub mod problem;
#[doc(hidden)]
pub mod render;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod settings;
#[doc(hidden)]
pub mod source;
mod text;
#[cfg(feature = "websub")]
pub mod websub;

pub use error::{Error, Role};
pub use output::Output;
pub use pipeline::{build, build_with, check, check_with, Progress, Quiet};
pub use problem::{Problem, ProblemKind, Severity};
pub use render::GENERATOR;
pub use report::{Report, Run, Summary};
pub use settings::{Overrides, Settings};
