//! The build cache: an unchanged archive rebuilds without parsing or writing, a changed file
//! is always re-read, only the feeds a change touches are rewritten, and losing the cache only
//! costs time.

mod common;

use std::fs;
use std::time::{Duration, SystemTime};

use common::*;

/// A copy of the `topics` fixture whose files are old enough for their stamps to count:
/// files changed within a second of a build are always hashed.
fn settled() -> tempfile::TempDir {
    let dir = fixture("topics");
    std::thread::sleep(Duration::from_millis(2100));
    dir
}

fn summary(out: &std::process::Output) -> String {
    stderr(out)
        .lines()
        .find(|l| l.starts_with("feedsmith: "))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_unchanged_rebuild_parses_nothing_and_rewrites_nothing() {
    let dir = settled();
    let first = build(dir.path(), &[]);
    assert_eq!(
        summary(&first),
        "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 12 files written, 0 unchanged"
    );
    let again = build(dir.path(), &[]);
    assert_eq!(
        summary(&again),
        "feedsmith: 4 articles read (4 from cache): 4 published, 0 unpublished, 0 rejected; 0 files written, 12 unchanged"
    );
}

#[test]
fn a_changed_file_is_always_reread_even_with_the_same_size_and_mtime() {
    let dir = settled();
    build(dir.path(), &[]);
    let path = dir.path().join("articles/story-4.txt");
    let before = fs::metadata(&path).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    let changed = text.replace("Story 4", "Story X");
    assert_eq!(changed.len(), text.len());
    fs::write(&path, changed).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    assert_eq!(fs::metadata(&path).unwrap().len(), before.len());
    let out = build(dir.path(), &[]);
    assert!(
        summary(&out).contains("(3 from cache)"),
        "{}",
        summary(&out)
    );
    let rss = fs::read_to_string(dir.path().join("feeds/rss.xml")).unwrap();
    assert!(rss.contains("Story X") && !rss.contains("Story 4"));
}

#[test]
fn one_changed_article_rewrites_only_the_feeds_it_is_in() {
    let dir = settled();
    build(dir.path(), &[]);
    let path = dir.path().join("articles/story-1.txt");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace("Excerpt number 1.", "A corrected excerpt."),
    )
    .unwrap();
    let beta = dir.path().join("feeds/topics/beta/rss.xml");
    let beta_time = fs::metadata(&beta).unwrap().modified().unwrap();
    let out = build(dir.path(), &[]);
    assert_eq!(
        summary(&out),
        "feedsmith: 4 articles read (3 from cache): 4 published, 0 unpublished, 0 rejected; 6 files written, 6 unchanged"
    );
    assert_eq!(fs::metadata(&beta).unwrap().modified().unwrap(), beta_time);
    let alpha = fs::read_to_string(dir.path().join("feeds/topics/alpha/atom.xml")).unwrap();
    assert!(alpha.contains("A corrected excerpt."));
}

#[test]
fn a_fresh_clone_reuses_the_cache_by_content() {
    let dir = settled();
    build(dir.path(), &[]);
    // A clone gives every file new stamps but the same bytes.
    for entry in fs::read_dir(dir.path().join("articles")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        fs::write(&path, bytes).unwrap();
    }
    let out = build(dir.path(), &[]);
    assert_eq!(
        summary(&out),
        "feedsmith: 4 articles read (4 from cache): 4 published, 0 unpublished, 0 rejected; 0 files written, 12 unchanged"
    );
}

#[test]
fn deleting_the_cache_only_costs_time() {
    let dir = settled();
    build(dir.path(), &[]);
    let before = fs::read(dir.path().join("feeds/atom.xml")).unwrap();
    fs::remove_dir_all(dir.path().join(".feedsmith-cache")).unwrap();
    let out = build(dir.path(), &[]);
    assert_eq!(
        summary(&out),
        "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 0 files written, 12 unchanged"
    );
    assert_eq!(fs::read(dir.path().join("feeds/atom.xml")).unwrap(), before);
}

#[test]
fn an_output_file_edited_by_hand_is_restored() {
    let dir = fixture("topics");
    build(dir.path(), &[]);
    let rss = dir.path().join("feeds/topics/beta/rss.xml");
    let good = fs::read(&rss).unwrap();
    fs::write(&rss, "tampered").unwrap();
    let out = build(dir.path(), &[]);
    assert!(
        summary(&out).ends_with("1 files written, 11 unchanged"),
        "{}",
        summary(&out)
    );
    assert_eq!(fs::read(&rss).unwrap(), good);
}

#[test]
fn the_cache_never_lives_inside_the_output_folder() {
    let dir = fixture("topics");
    let out = build(dir.path(), &["--cache-dir", "feeds/.cache"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside the output folder"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("feeds").exists());
}

#[test]
fn no_cache_reads_and_writes_no_cache() {
    let dir = fixture("topics");
    let out = build(dir.path(), &["--no-cache"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(!dir.path().join(".feedsmith-cache").exists());
    let out = build(dir.path(), &["--cache-dir", "elsewhere"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join("elsewhere").is_dir());
    let check = feedsmith(
        dir.path(),
        &["check", "--input", "articles", "--cache-dir", "elsewhere"],
    );
    assert_eq!(check.status.code(), Some(0));
}

#[test]
fn cached_problems_are_reported_again() {
    let dir = settled();
    let path = dir.path().join("articles/story-2.txt");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        text.replace(
            "topics: [Alpha]",
            "topics: [Alpha]\nimages:\n  - url: ftp://x/y.jpg",
        ),
    )
    .unwrap();
    // Make the edited file old too, so the second build trusts its stamp.
    let old = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    let first = build(dir.path(), &[]);
    let again = build(dir.path(), &[]);
    assert!(
        summary(&again).contains("(4 from cache)"),
        "{}",
        summary(&again)
    );
    let warning = "warning: articles/story-2.txt: images[0].url must be an http or https URL: \"ftp://x/y.jpg\"; it was left out";
    assert!(stderr(&first).contains(warning));
    assert!(stderr(&again).contains(warning), "{}", stderr(&again));
}
