//! Test helpers shared by the serve modules' tests: files to serve, and preview settings.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::files::Files;
use crate::output::Status;
use crate::render::File;
use crate::Settings;

/// `secs` after the epoch.
pub(super) fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// A build's files, all with one status.
pub(super) fn build(list: &[(&str, &str)], status: Status) -> Vec<(File, Status)> {
    list.iter()
        .map(|(p, b)| {
            let file = File {
                path: p.into(),
                bytes: b.as_bytes().to_vec(),
            };
            (file, status)
        })
        .collect()
}

/// Files all new at `secs` after the epoch.
pub(super) fn served(list: &[(&str, &str)], secs: u64) -> Files {
    Files::default()
        .update(build(list, Status::Written), at(secs))
        .0
}

/// Settings for a preview of the articles in `input`.
pub(super) fn settings(input: &Path) -> Settings {
    let site = crate::settings::Site {
        title: "Serve".into(),
        base_url: "https://example.com/feeds/".into(),
        site_url: "https://example.com/".into(),
        description: "Serve tests".into(),
        language: "en".into(),
        author: "Serve".into(),
        ..Default::default()
    };
    let mut settings = Settings::new(input, input.join("never-written"), site);
    // Asked for, yet the preview must still write nothing.
    settings.cache_dir = Some(input.join("cache"));
    settings
}
