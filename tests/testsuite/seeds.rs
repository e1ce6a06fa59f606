//! The example articles in `seeds/` and the feeds built from them in `feeds/`: the committed
//! output is current, well-formed under a strict parser, readable by an independent feed
//! parser, carries every field of the real seed, is reproducible, and leaks nothing.
//!
//! Two tests compare whole output folders, byte for byte, with snapshots: the real seed alone
//! against `tests/testsuite/seeds/real-seed/expected/`, and all of `seeds/` against the
//! committed `feeds/`. After an intended change to the output, refresh both with
//!
//!     SNAPSHOTS=overwrite cargo test --test testsuite seeds::
//!
//! and review the diff. (The variable is snapbox's; it refreshes every snapshot of the suite.)

use std::collections::BTreeMap;
use std::fs;

use snapbox::str;

use crate::harness::{assert_tree, files, repo, testsuite, xml, Project};

const SEED: &str = "000_89ee00ab69bf1abb.txt";
const SEED_URL: &str =
    "https://www.theregister.com/2022/05/26/amd_azure_microsoft/?td=amp-keepreading-btm";

/// The repository's seeds built with its settings, and the output without the build lock.
fn build_seeds() -> (Project, BTreeMap<String, Vec<u8>>) {
    let project = Project::seeds();
    project.run(["build"]).status(0);
    let built = project.tree("feeds");
    (project, built)
}

#[test]
fn committed_feeds_folder_is_up_to_date() {
    // Out of date: `cargo run --release -- build` and commit feeds/ (or SNAPSHOTS=overwrite).
    let (project, _) = build_seeds();
    assert_tree(&repo().join("feeds"), &project.join("feeds"));
}

#[test]
fn building_twice_gives_identical_bytes_and_leaves_files_untouched() {
    let (project, first) = build_seeds();
    let times: Vec<_> = first
        .keys()
        .map(|p| project.modified(&format!("feeds/{p}")))
        .collect();
    let unchanged = first.keys().filter(|p| *p != ".feedsmith-manifest").count();
    project.run(["build"]).status(0).summary(&format!(
        "feedsmith: [..]; 0 files written, {unchanged} unchanged"
    ));
    assert_eq!(project.tree("feeds"), first);
    let times_again: Vec<_> = first
        .keys()
        .map(|p| project.modified(&format!("feeds/{p}")))
        .collect();
    assert_eq!(times, times_again, "an unchanged file was rewritten");
}

#[test]
fn output_is_byte_identical_whatever_the_thread_count() {
    // Three chunks of files, with duplicates across chunk boundaries.
    let project = Project::corpus(1300);
    let mut trees = Vec::new();
    for threads in ["1", "2", "3"] {
        let output = format!("feeds-{threads}");
        project
            .build_into(&output, &["--no-cache"])
            .env("RAYON_NUM_THREADS", threads)
            .run()
            .status(0)
            .summary("feedsmith: 1300 articles read: 1287 published, 0 unpublished, 0 rejected, 13 duplicates; [..]");
        trees.push(project.tree(&output));
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

#[test]
fn every_output_is_strict_xml_and_parses_as_a_feed() {
    let (_dir, built) = build_seeds();
    assert!(built.len() >= 4);
    for (path, bytes) in built.iter().filter(|(p, _)| p.ends_with(".xml")) {
        let text = xml::strict(path, bytes);
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"),
            "{path}"
        );
        let feed =
            feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(!feed.entries.is_empty(), "{path}");
        for entry in &feed.entries {
            assert!(entry.title.is_some() && !entry.links.is_empty() && entry.published.is_some());
        }
    }
}

/// A text construct as a reader shows it: HTML-typed text is decoded.
fn shown(text: &feed_rs::model::Text) -> String {
    if text.content_type.as_ref() == "text/html" {
        xml::html_decode(&text.content)
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
            let what = format!("topics/{topic}/{format}");
            let feed = feed_rs::parser::parse(built[&what].as_slice()).unwrap();
            let entry = seed_entry(&feed);
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
            // feed-rs reads an RSS enclosure as a media object of its own, before Media
            // RSS's, and keeps Atom's as a link.
            let contents: Vec<_> = entry.media.iter().flat_map(|m| &m.content).collect();
            let enclosure = if format == "rss.xml" {
                let content = contents
                    .iter()
                    .find(|c| c.width.is_none())
                    .expect("the lead image's enclosure");
                (
                    content.url.as_ref().unwrap().to_string(),
                    content.content_type.as_ref().unwrap().to_string(),
                )
            } else {
                let link = entry
                    .links
                    .iter()
                    .find(|l| l.rel.as_deref() == Some("enclosure"))
                    .expect("the lead image's enclosure");
                (link.href.clone(), link.media_type.clone().unwrap())
            };
            assert_eq!(
                enclosure,
                (
                    "https://regmedia.co.uk/2020/11/16/amdmi100.jpg".to_string(),
                    "image/jpeg".to_string()
                ),
                "{what}"
            );
            let image = contents
                .iter()
                .find(|c| c.width.is_some())
                .expect("the Media RSS image");
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
    let project = Project::empty()
        .with_file(
            &format!("articles/{SEED}"),
            fs::read(repo().join("seeds").join(SEED)).unwrap(),
        )
        .with_file(
            "feedsmith.yaml",
            fs::read(repo().join("feedsmith.yaml")).unwrap(),
        );
    project
        .run(["build", "--input", "articles", "--output", "feeds"])
        .status(0)
        .stderr(str![[r#"
warning: `topics:` gives text to "Climate", but no published article has the topic "Climate", so it is unused: check the spelling, or remove it from `topics:`
  --> feedsmith.yaml:42:3
   |
42 |   Climate:
   |   ^

warning: `providers:` gives text to "Reuters", but no published article has the provider "Reuters", so it is unused: check the spelling, or remove it from `providers:`
  --> feedsmith.yaml:46:3
   |
46 |   Reuters:
   |   ^

feedsmith: 1 article read: 1 published, 0 unpublished, 0 rejected; 39 files written, 0 unchanged

"#]]);
    assert_tree(
        &testsuite().join("seeds/real-seed/expected"),
        &project.join("feeds"),
    );
}

/// Every seed file's name and front matter, read here independently of feedsmith.
fn seed_front_matter() -> Vec<(String, serde_yaml::Value)> {
    let seeds = repo().join("seeds");
    files(&seeds)
        .into_iter()
        .map(|name| {
            let text = fs::read_to_string(seeds.join(&name)).unwrap();
            let front = text
                .split("\n---")
                .next()
                .unwrap()
                .trim_start_matches("---\n");
            (name, serde_yaml::from_str(front).unwrap())
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
            "{path}"
        );
        for (seed, secret) in &secrets {
            // Any long piece of the blob would be a leak, not only the whole value.
            for piece in secret.as_bytes().chunks(24).filter(|c| c.len() == 24) {
                let piece = std::str::from_utf8(piece).unwrap();
                assert!(
                    !text.contains(piece),
                    "{path} leaks the secured value of {seed}"
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
            assert!(!text.contains(url.as_str()), "{path} holds {url}");
        }
    }
}
