//! feedsmith's integration tests: one crate, compiled once, with a module per feature and one
//! harness (`harness`) that runs the real binary on a copy of a fixture folder and asserts the
//! exit status, the messages and the files.
//!
//! Fixture folders sit beside the module that uses them (`hostile/<case>/`, `browser/`,
//! `seeds/real-seed/expected/`); the ones several features share are in `fixtures/<name>/`.
//! Each holds a project as a user has it: `articles/`, sometimes a `feedsmith.yaml`.
//!
//! `SNAPSHOTS=overwrite cargo test --test testsuite` rewrites every snapshot (whole-stderr
//! `str![[..]]` data in these sources, and the output folders `assert_tree` compares) from
//! what the program now does; review the diff before committing it.
//!
//! The browser test needs Chromium and xsltproc and is ignored by default:
//! `cargo test --test testsuite -- --ignored browser::` runs it.

mod harness;

mod browser;
mod build;
mod cache;
mod commands;
mod curated;
#[cfg(feature = "deploy")]
mod deploy;
mod desks;
mod fast_yaml;
mod faults;
mod guide;
mod hostile;
mod kill;
mod memo;
mod output;
mod pages;
mod properties;
mod publishing;
mod readers;
mod seeds;
mod selection;
mod serve;
mod themes;
mod trust;
#[cfg(feature = "websub")]
mod websub;
