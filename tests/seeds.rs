//! The example articles in `seeds/` and the feeds built from them in `feeds/`: the committed
//! output is current, well-formed under a strict parser, readable by an independent feed
//! parser, carries every field of the real seed, is reproducible, and leaks nothing.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::*;

const SEED: &str = "000_89ee00ab69bf1abb.txt";
const SEED_URL: &str =
    "https://www.theregister.com/2022/05/26/amd_azure_microsoft/?td=amp-keepreading-btm";

/// Builds `seeds/` with the repository's settings into a fresh folder.
fn build_seeds() -> (tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("feeds");
    let cache = out.path().join("cache");
    let result = feedsmith(
        &root(),
        &[
            "build",
            "--output",
            target.to_str().unwrap(),
            "--cache-dir",
            cache.to_str().unwrap(),
        ],
    );
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let contents = read_tree(&target);
    (out, contents)
}

/// Every file below `dir` but the build lock (an empty file that only `flock` uses).
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|p| p.as_os_str() != ".feedsmith.lock")
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn committed_feeds_folder_is_up_to_date() {
    let (_dir, built) = build_seeds();
    let committed = read_tree(&root().join("feeds"));
    let stale: std::collections::BTreeSet<String> = built
        .keys()
        .chain(committed.keys())
        .filter(|p| built.get(*p) != committed.get(*p))
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        stale.is_empty(),
        "feeds/ is stale ({}); run `cargo run --release -- build` and commit feeds/",
        stale.into_iter().collect::<Vec<_>>().join(", ")
    );
}

#[test]
fn building_twice_gives_identical_bytes_and_leaves_files_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("feeds");
    let cache = dir.path().join("cache");
    let args = [
        "build",
        "--output",
        target.to_str().unwrap(),
        "--cache-dir",
        cache.to_str().unwrap(),
    ];
    assert_eq!(feedsmith(&root(), &args).status.code(), Some(0));
    let first = read_tree(&target);
    let times: Vec<_> = first
        .keys()
        .map(|p| fs::metadata(target.join(p)).unwrap().modified().unwrap())
        .collect();
    let again = feedsmith(&root(), &args);
    assert!(
        stderr(&again).contains(&format!(
            "0 files written, {} unchanged",
            first
                .keys()
                .filter(|p| p.as_os_str() != ".feedsmith-manifest")
                .count()
        )),
        "{}",
        stderr(&again)
    );
    assert_eq!(read_tree(&target), first);
    let times_again: Vec<_> = first
        .keys()
        .map(|p| fs::metadata(target.join(p)).unwrap().modified().unwrap())
        .collect();
    assert_eq!(times, times_again, "an unchanged file was rewritten");
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    // Three chunks of files, with duplicates across chunk boundaries.
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path(), 1300);
    let mut trees = Vec::new();
    for threads in ["1", "2", "3"] {
        let output = format!("feeds-{threads}");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_feedsmith"))
            .current_dir(dir.path())
            .args([
                "build",
                "--no-cache",
                "--input",
                "articles",
                "--output",
                &output,
            ])
            .args(["--base-url", BASE_URL])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stderr(&out).contains("13 duplicates"), "{}", stderr(&out));
        trees.push(read_tree(&dir.path().join(output)));
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

#[test]
fn every_output_is_strict_xml_and_parses_as_a_feed() {
    let (_dir, built) = build_seeds();
    assert!(built.len() >= 4);
    for (path, bytes) in built
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "xml"))
    {
        let text = strict_xml(path, bytes);
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
            "{}",
            path.display()
        );
        let feed = feed_rs::parser::parse(bytes.as_slice())
            .unwrap_or_with(|e| panic!("{}: {e}", path.display()));
        assert!(!feed.entries.is_empty(), "{}", path.display());
        for entry in &feed.entries {
            assert!(entry.title.is_some() && !entry.links.is_empty() && entry.published.is_some());
        }
    }
}

trait UnwrapOrWith<T> {
    fn unwrap_or_with(self, f: impl FnOnce(String) -> T) -> T;
}

impl<T, E: std::fmt::Display> UnwrapOrWith<T> for Result<T, E> {
    fn unwrap_or_with(self, f: impl FnOnce(String) -> T) -> T {
        self.unwrap_or_else(|e| f(e.to_string()))
    }
}

/// A text construct as a reader shows it: HTML-typed text is decoded.
fn shown(text: &feed_rs::model::Text) -> String {
    if text.content_type.as_ref() == "text/html" {
        text.content
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    } else {
        text.content.clone()
    }
}

/// Finds the seed's entry in a parsed feed.
fn seed_entry(feed: &feed_rs::model::Feed) -> &feed_rs::model::Entry {
    feed.entries
        .iter()
        .find(|e| e.links.iter().any(|l| l.href == SEED_URL))
        .expect("the seed's entry")
}

#[test]
fn every_field_of_the_real_seed_comes_through_in_rss_and_atom() {
    let (_dir, built) = build_seeds();
    for format in ["rss.xml", "atom.xml"] {
        for topic in ["ai-hardware", "ai", "microsoft-ai"] {
            let path = PathBuf::from(format!("topics/{topic}/{format}"));
            let bytes = &built[&path];
            let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
            let entry = seed_entry(&feed);
            let what = path.display();
            assert_eq!(
                shown(entry.title.as_ref().unwrap()),
                "Microsoft Azure to spin up AMD MI200 GPU clusters for 'large scale' AI training",
                "{what}"
            );
            assert_eq!(
                entry.published.unwrap().to_rfc3339(),
                "2022-05-26T22:46:00+00:00",
                "{what}"
            );
            assert!(entry
                .summary
                .as_ref()
                .unwrap()
                .content
                .contains("MI200 Instinct GPUs"));
            assert_eq!(entry.authors[0].name, "theregister", "{what}");
            let topics: Vec<&str> = entry
                .categories
                .iter()
                .map(|c| c.label.as_deref().unwrap_or(&c.term))
                .collect();
            assert_eq!(topics, ["AI Hardware", "AI", "Microsoft AI"], "{what}");
            let media = &entry.media[0];
            let image = &media.content[0];
            assert_eq!(
                image.url.as_ref().unwrap().as_str(),
                "https://regmedia.co.uk/2020/11/16/amdmi100.jpg"
            );
            assert_eq!(
                (image.width, image.height),
                (Some(894), Some(534)),
                "{what}"
            );
            let content = entry.content.as_ref().unwrap().body.as_ref().unwrap();
            assert!(content.contains("<img src=\"https://regmedia.co.uk/2020/11/16/amdmi100.jpg\""));
            assert!(content.contains("Related coverage"));
            for related in [
                "https://www.nasdaq.com/articles/microsoft-msft-azure-selected-by-meta-to-boost-ai-innovation",
                "https://www.crn.com.au/news/microsofts-new-execs-helping-win-at-azure-ai-devices-580620",
                "https://www.techzine.eu/news/collaboration/79896/microsoft-and-meta-expand-their-ai-partnership/",
                "https://www.crn.com/slide-shows/cloud/microsoft-s-new-executives-helping-win-at-cloud-ai-devices",
            ] {
                assert!(content.contains(related), "{what}: {related}");
            }
            if format == "atom.xml" {
                let related: Vec<&str> = entry
                    .links
                    .iter()
                    .filter(|l| l.rel.as_deref() == Some("related"))
                    .map(|l| l.title.as_deref().unwrap())
                    .collect();
                assert_eq!(related.len(), 4, "{what}");
                assert!(related.contains(&"Microsoft and Meta expand their AI partnership"));
                assert_eq!(entry.id, SEED_URL);
            }
        }
    }
}

#[test]
fn the_real_seed_alone_matches_its_snapshot() {
    // Refresh with FEEDSMITH_UPDATE_SNAPSHOTS=1 after an intended output change.
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("articles")).unwrap();
    fs::copy(
        root().join("seeds").join(SEED),
        dir.path().join("articles").join(SEED),
    )
    .unwrap();
    fs::copy(
        root().join("feedsmith.yaml"),
        dir.path().join("feedsmith.yaml"),
    )
    .unwrap();
    let out = feedsmith(
        dir.path(),
        &["build", "--input", "articles", "--output", "feeds"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let built = read_tree(&dir.path().join("feeds"));
    let snapshots = root().join("tests/snapshots/seed");
    if std::env::var_os("FEEDSMITH_UPDATE_SNAPSHOTS").is_some() {
        let _ = fs::remove_dir_all(&snapshots);
        for (path, bytes) in &built {
            let target = snapshots.join(path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
    }
    let expected = read_tree(&snapshots);
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &built {
        assert!(
            &expected[path] == bytes,
            "{} differs from tests/snapshots/seed; if the change is intended, rerun with FEEDSMITH_UPDATE_SNAPSHOTS=1",
            path.display()
        );
    }
}

/// Every seed file's name and front matter, read here independently of feedsmith.
fn seed_front_matter() -> Vec<(String, serde_yaml::Value)> {
    files(&root().join("seeds"))
        .into_iter()
        .map(|name| {
            let text = fs::read_to_string(root().join("seeds").join(&name)).unwrap();
            let front = text
                .split("\n---")
                .next()
                .unwrap()
                .trim_start_matches("---\n");
            (
                name.display().to_string(),
                serde_yaml::from_str(front).unwrap(),
            )
        })
        .collect()
}

/// The string values of `key` in every seed file's front matter.
fn seed_values(key: &str) -> Vec<(String, String)> {
    seed_front_matter()
        .into_iter()
        .filter_map(|(name, value)| Some((name, value.get(key)?.as_str()?.to_string())))
        .collect()
}

#[test]
fn secured_values_appear_in_no_output() {
    let (_dir, built) = build_seeds();
    let secrets = seed_values("secured");
    assert!(secrets.len() >= 20, "the seeds should carry secured blobs");
    for (path, bytes) in &built {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("<secured") && !text.contains("secured="),
            "{}",
            path.display()
        );
        for (seed, secret) in &secrets {
            // Any long piece of the blob would be a leak, not only the whole value.
            for piece in secret.as_bytes().chunks(24).filter(|c| c.len() == 24) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(
                    !text.contains(piece),
                    "{} leaks the secured value of {seed}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn unpublished_articles_appear_in_no_output() {
    let (_dir, built) = build_seeds();
    let unpublished: Vec<String> = seed_front_matter()
        .into_iter()
        .filter(|(_, value)| value.get("published").and_then(|p| p.as_bool()) == Some(false))
        .map(|(_, value)| value["webUrl"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        unpublished.len(),
        1,
        "the seeds hold one unpublished article"
    );
    for (path, bytes) in &built {
        let text = String::from_utf8_lossy(bytes);
        for url in unpublished.iter() {
            assert!(
                !text.contains(url.as_str()),
                "{} holds {url}",
                path.display()
            );
        }
    }
}
