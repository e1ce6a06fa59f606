//! The settings file: bytes written to `feedsmith.yaml`, then `Settings::resolve`.
//!
//! Resolving never panics; an error names the settings file and says something past it; a
//! success gives a usable site (http(s) base URL ending in `/`, a language tag, a non-empty
//! title), and feeds rendered for that site from fixed articles pass every output check.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use feedsmith::entry::{validate, Entry, Outcome};
use feedsmith::settings::Limits;
use feedsmith::{Overrides, Settings};
use feedsmith_fuzz::{check_files, is_web_url, render_all};
use libfuzzer_sys::fuzz_target;

const ARTICLES: [&str; 2] = [
    include_str!("../../tests/testsuite/hostile/markup/articles/a.txt"),
    include_str!("../../seeds/000_89ee00ab69bf1abb.txt"),
];

fn dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let dir = if base.is_dir() {
            tempfile::tempdir_in(base)
        } else {
            tempfile::tempdir()
        };
        dir.expect("a temporary folder")
    })
    .path()
}

fn entries() -> &'static [Arc<Entry>] {
    static ENTRIES: OnceLock<Vec<Arc<Entry>>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        ARTICLES
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let path = PathBuf::from(format!("articles/{i}.txt"));
                match validate(&path, text.as_bytes().to_vec(), &Limits::default()).0 {
                    Outcome::Published(e) => Arc::from(e),
                    _ => panic!("fixture {i} is publishable"),
                }
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let path = dir().join("feedsmith.yaml");
    std::fs::write(&path, data).expect("writing the settings file");
    let resolved = Settings::resolve(Overrides {
        config: Some(path.clone()),
        ..Overrides::default()
    });
    match resolved {
        Err(e) => {
            let shown = e.to_string();
            let name = path.display().to_string();
            let at = shown
                .find(&name)
                .unwrap_or_else(|| panic!("the error does not name the file: {shown}"));
            assert!(
                shown[at + name.len()..]
                    .trim_start_matches([':', ' '])
                    .len()
                    > 2,
                "the error says nothing past the file name: {shown}"
            );
        }
        Ok(settings) => {
            let site = &settings.site;
            assert!(is_web_url(&site.base_url), "{:?}", site.base_url);
            assert!(site.base_url.ends_with('/'), "{:?}", site.base_url);
            assert!(!site.base_url.contains(['?', '#']), "{:?}", site.base_url);
            assert!(is_web_url(&site.site_url), "{:?}", site.site_url);
            assert!(!site.title.is_empty());
            assert!(settings.limit >= 1);
            // The file-size limit, where the build uses it: a fixture is read whole or
            // refused, never cut short.
            let fixture = dir().join("article.txt");
            if !fixture.exists() {
                std::fs::write(&fixture, ARTICLES[1]).expect("writing the fixture");
            }
            let len = ARTICLES[1].len() as u64;
            match feedsmith::source::read_limited(&fixture, settings.max_file_bytes, None) {
                Ok(Ok(bytes)) => {
                    assert!(
                        len <= settings.max_file_bytes,
                        "a file over the limit was read"
                    );
                    assert_eq!(bytes, ARTICLES[1].as_bytes(), "the file was not read whole");
                }
                Ok(Err(problem)) => {
                    assert!(
                        len > settings.max_file_bytes,
                        "refused under the limit: {problem}"
                    );
                }
                Err(e) => panic!("reading the fixture: {e}"),
            }
            let (_, files) = render_all(entries(), site, settings.limit.min(50));
            check_files(&files, site, None);
        }
    }
});
