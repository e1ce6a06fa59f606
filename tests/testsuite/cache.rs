//! The build cache: an unchanged archive rebuilds without parsing or writing, a changed file
//! is always re-read, only the feeds a change touches are rewritten, and losing the cache only
//! costs time.

use std::time::{Duration, SystemTime};

use crate::harness::Project;

const FIRST_BUILD: &str = "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 12 files written, 0 unchanged";
const ALL_FROM_CACHE: &str = "feedsmith: 4 articles read (4 from cache): 4 published, 0 unpublished, 0 rejected; 0 files written, 12 unchanged";

/// A copy of the `topics` fixture whose files are old enough for their stamps to count.
fn settled() -> Project {
    Project::fixture("fixtures/topics").settled()
}

#[test]
fn an_unchanged_rebuild_parses_nothing_and_rewrites_nothing() {
    let project = settled();
    project.build().status(0).summary(FIRST_BUILD);
    project.build().status(0).summary(ALL_FROM_CACHE);
}

#[test]
fn a_changed_file_is_always_reread_even_with_the_same_size_and_mtime() {
    let project = settled();
    project.build().status(0);
    let path = "articles/story-4.txt";
    let (size, modified) = (project.bytes(path).len(), project.modified(path));
    project.edit(path, |text| text.replace("Story 4", "Story X"));
    project.set_modified(path, modified);
    assert_eq!(project.bytes(path).len(), size);
    project
        .build()
        .status(0)
        .summary("feedsmith: 4 articles read (3 from cache): 4 published, 0 unpublished, 0 rejected; 6 files written, 6 unchanged")
        .file("feeds/rss.xml", |rss| {
            assert!(rss.contains("Story X") && !rss.contains("Story 4"), "{rss}");
        });
}

#[test]
fn one_changed_article_rewrites_only_the_feeds_it_is_in() {
    let project = settled();
    project.build().status(0);
    project.edit("articles/story-1.txt", |text| {
        text.replace("Excerpt number 1.", "A corrected excerpt.")
    });
    let beta_time = project.modified("feeds/topics/beta/rss.xml");
    project
        .build()
        .status(0)
        .summary("feedsmith: 4 articles read (3 from cache): 4 published, 0 unpublished, 0 rejected; 6 files written, 6 unchanged")
        .file("feeds/topics/alpha/atom.xml", |alpha| {
            assert!(alpha.contains("A corrected excerpt."), "{alpha}");
        });
    assert_eq!(project.modified("feeds/topics/beta/rss.xml"), beta_time);
}

#[test]
fn a_fresh_clone_reuses_the_cache_by_content() {
    let project = settled();
    project.build().status(0);
    // A clone gives every file new stamps but the same bytes.
    for name in project.entries("articles") {
        let path = format!("articles/{name}");
        let bytes = project.bytes(&path);
        project.remove(&path);
        project.write(&path, bytes);
    }
    project.build().status(0).summary(ALL_FROM_CACHE);
}

#[test]
fn a_deleted_cache_costs_a_full_parse_but_no_rewrite() {
    let project = settled();
    project.build().status(0);
    let before = project.bytes("feeds/atom.xml");
    std::fs::remove_dir_all(project.join(".feedsmith-cache")).unwrap();
    project.build().status(0).summary(
        "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 0 files written, 12 unchanged",
    );
    assert_eq!(project.bytes("feeds/atom.xml"), before);
}

#[test]
fn an_output_file_edited_by_hand_is_restored() {
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    let good = project.bytes("feeds/topics/beta/rss.xml");
    project.write("feeds/topics/beta/rss.xml", "tampered");
    project
        .build()
        .status(0)
        .summary("feedsmith: 4 articles read[..]: 4 published, 0 unpublished, 0 rejected; 1 files written, 11 unchanged");
    assert_eq!(project.bytes("feeds/topics/beta/rss.xml"), good);
}

#[test]
fn a_cache_folder_inside_the_output_folder_is_refused() {
    Project::fixture("fixtures/topics")
        .build_with(&["--cache-dir", "feeds/.cache"])
        .status(2)
        .stderr_line("feedsmith: error: the cache folder feeds/.cache is inside the output folder feeds, which is served to readers; choose another with --cache-dir")
        .no_file("feeds");
}

#[test]
fn no_cache_leaves_no_cache_folder() {
    Project::fixture("fixtures/topics")
        .build_with(&["--no-cache"])
        .status(0)
        .summary(FIRST_BUILD)
        .no_file(".feedsmith-cache");
}

#[test]
fn cache_dir_puts_the_cache_where_build_and_check_are_told() {
    let project = Project::fixture("fixtures/topics");
    project
        .build_with(&["--cache-dir", "elsewhere"])
        .status(0)
        .no_file(".feedsmith-cache");
    assert!(project.join("elsewhere").is_dir());
    project
        .run(["check", "--input", "articles", "--cache-dir", "elsewhere"])
        .status(0)
        .summary("feedsmith: 4 articles read[..]: 4 published, 0 unpublished, 0 rejected; 0 files written, 0 unchanged");
}

#[test]
fn warnings_of_cached_articles_are_reported_again() {
    let project = settled();
    let path = "articles/story-2.txt";
    project.edit(path, |text| {
        text.replace(
            "topics: [Alpha]",
            "topics: [Alpha]\nimages:\n  - url: ftp://x/y.jpg",
        )
    });
    // Make the edited file old too, so the second build trusts its stamp.
    project.set_modified(path, SystemTime::now() - Duration::from_secs(3600));
    let project = project.settled();
    let warning = "warning: articles/story-2.txt: images[0].url must be an http or https URL: \"ftp://x/y.jpg\"; it was left out";
    project.build().status(0).stderr_line(warning);
    project
        .build()
        .status(0)
        .stderr_line(warning)
        .summary(ALL_FROM_CACHE);
}
