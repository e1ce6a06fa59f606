//! The only place the suite calls feedsmith's library API; everything else runs the binary.
//! When that API changes, this file is the one to mend.

use std::collections::BTreeMap;
#[cfg(feature = "serve")]
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use feedsmith::settings::Site;
use feedsmith::{Output, Settings, Summary};

use crate::selection::reference::{self, CuratedFeed};

use super::BASE_URL;

/// Library settings that build `dir/articles` into `dir/feeds`, without a cache.
fn settings(dir: &Path, title: &str) -> Settings {
    let site = Site {
        title: title.into(),
        base_url: BASE_URL.into(),
        site_url: "https://example.com/".into(),
        description: format!("{title} tests"),
        language: "en".into(),
        author: title.into(),
        ..Default::default()
    };
    let mut settings = Settings::new(dir.join("articles"), dir.join("feeds"), site);
    settings.cache_dir = None;
    settings
}

/// What [`build_topic_feeds`] did.
pub(crate) struct Built {
    /// The error messages, one per rejected article problem.
    pub errors: Vec<String>,
    /// Whether the build stopped before writing anything.
    pub stopped: bool,
}

/// `feedsmith::build` of `dir/articles` into `dir/feeds`, with topic feeds only.
pub(crate) fn build_topic_feeds(dir: &Path) -> Built {
    let mut settings = settings(dir, "Props");
    settings.kinds = vec![feedsmith::group::Kind::Topic];
    let report = feedsmith::build(&settings, &Output::new(&settings.output)).unwrap();
    Built {
        errors: report
            .problems
            .iter()
            .filter(|p| p.is_error())
            .map(|p| p.to_string())
            .collect(),
        stopped: report.stopped,
    }
}

/// What [`build_in_memory`] made.
pub(crate) struct InMemory {
    /// Every output file, by path below the output folder.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
    pub summary: Summary,
    /// Every problem, as printed.
    pub problems: Vec<String>,
}

/// `feedsmith::build` of `dir/articles` into memory, with the selection reference's settings
/// (`limit` entries a feed, its clock, the `curated` feeds) and the article cache in
/// `dir/cache` when `cache`.
pub(crate) fn build_in_memory(
    dir: &Path,
    limit: usize,
    curated: &[CuratedFeed],
    cache: bool,
) -> InMemory {
    let cache = cache.then(|| dir.join("cache"));
    let settings = reference::settings(&dir.join("articles"), limit, curated, cache);
    let output = Output::memory();
    let report = feedsmith::build(&settings, &output).unwrap();
    InMemory {
        files: output.files(),
        summary: report.summary,
        problems: report.problems.iter().map(|p| p.to_string()).collect(),
    }
}

#[cfg(feature = "serve")]
/// The preview server (`feedsmith::serve::Server`) on a free loopback port, serving
/// `dir/articles` built in memory and rebuilt when they change.
pub(crate) struct Preview(feedsmith::serve::Handle);

#[cfg(feature = "serve")]
impl Preview {
    pub(crate) fn start(dir: &Path) -> Preview {
        let server = feedsmith::serve::Server::bind(settings(dir, "Serve"), 0).unwrap();
        Preview(server.spawn().unwrap())
    }

    pub(crate) fn addr(&self) -> SocketAddr {
        self.0.local_addr()
    }

    /// Stops the server and waits for it.
    pub(crate) fn stop(self) {
        self.0.stop().unwrap();
    }
}
