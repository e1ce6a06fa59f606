//! feedsmith reads a folder of news-article documents and publishes them as feeds: RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 for all articles and for every topic, provider and category,
//! with an index page, an OPML list and a browser stylesheet.
//!
//! The modules, bottom to top; each imports only modules above it in this list:
//!
//! 1. vocabulary that knows no stage: [`problem`], [`text`], [`paths`], [`hash`], [`atomic`], the
//!    fatal [`Error`], and [`group`] (topic, provider and category names and slugs);
//! 2. [`settings`], resolved once;
//! 3. the stages, in pipeline order: [`source`] (file → [`source::Document`]), [`article`]
//!    (→ [`article::Article`]), [`entry`] (→ a validated [`entry::Entry`] or problems),
//!    [`feed`] (→ each feed's newest entries, duplicates resolved), [`render`] (→ bytes);
//! 4. [`output`] (the one write path), [`cache`] (wraps reading and rendering) and
//!    [`report`] (what happened, and the exit status);
//! 5. [`pipeline`]: the one place that runs the stages in order ([`build()`], [`check()`]);
//! 6. the front ends: the preview server (`serve`, behind the `serve` feature), WebSub
//!    publishing (`websub`, behind the `websub` feature: tells the hubs which feeds a build
//!    changed) and the binary.
//!
//! Reading and validating run on every core; the output is byte-identical whatever the
//! thread count or file order. See `ARCHITECTURE.md` for where to make a change.

pub mod article;
pub mod atomic;
pub mod cache;
pub mod entry;
mod error;
pub mod feed;
pub mod group;
pub mod hash;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod problem;
pub mod render;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;
pub mod settings;
pub mod source;
pub mod text;
#[cfg(feature = "websub")]
pub mod websub;

pub use error::{Error, Role};
pub use output::Output;
pub use pipeline::{build, build_with, check, check_with, Progress, Quiet};
pub use problem::{Problem, Severity};
pub use render::GENERATOR;
pub use report::{Report, Run, Summary};
pub use settings::{Overrides, Settings};
