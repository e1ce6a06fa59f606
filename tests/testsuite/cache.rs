//! The build cache: an unchanged archive rebuilds without parsing or writing, a changed file
//! is always re-read, only the feeds a change touches are rewritten, and losing the cache only
//! costs time.

use std::time::{Duration, SystemTime};

use crate::harness::Project;

const FIRST_BUILD: &str = "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 15 files written, 0 unchanged";
const ALL_FROM_CACHE: &str = "feedsmith: 4 articles read (4 from cache): 4 published, 0 unpublished, 0 rejected; 0 files written, 15 unchanged";

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
        .summary("feedsmith: 4 articles read (3 from cache): 4 published, 0 unpublished, 0 rejected; 8 files written, 7 unchanged")
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
        .summary("feedsmith: 4 articles read (3 from cache): 4 published, 0 unpublished, 0 rejected; 8 files written, 7 unchanged")
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
    std::fs::remove_dir_all(project.user_cache()).unwrap();
    project.build().status(0).summary(
        "feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 0 files written, 15 unchanged",
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
        .summary("feedsmith: 4 articles read[..]: 4 published, 0 unpublished, 0 rejected; 1 file written, 14 unchanged");
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
        .summary("feedsmith: 4 articles checked (4 from cache): 4 publishable, 0 unpublished, 0 rejected");
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
    let warning = "warning: images[0].url \"ftp://x/y.jpg\" must be an http or https URL; the image was left out";
    let place = " --> articles/story-2.txt:8:10";
    project
        .build()
        .status(0)
        .stderr_line(warning)
        .stderr_line(place);
    project
        .build()
        .status(0)
        .stderr_line(warning)
        .stderr_line(place)
        .summary(ALL_FROM_CACHE);
}

/// `feedsmith build` of `site/articles` into `out/`, run from the project's `elsewhere/`.
fn build_from_elsewhere<'p>(project: &'p Project, extra: &[&str]) -> crate::harness::Run<'p> {
    let mut args = vec![
        "build",
        "--input",
        "../site/articles",
        "--output",
        "../out",
        "--base-url",
        crate::harness::BASE_URL,
    ];
    args.extend_from_slice(extra);
    project.cmd(args).in_folder("elsewhere").run()
}

#[test]
fn a_build_run_from_another_folder_creates_nothing_there() {
    let project = Project::empty();
    for name in ["story-1.txt", "story-2.txt"] {
        let text = std::fs::read(
            crate::harness::testsuite()
                .join("fixtures/topics/articles")
                .join(name),
        )
        .unwrap();
        project.write(&format!("site/articles/{name}"), text);
    }
    build_from_elsewhere(&project, &[]).status(0);
    assert_eq!(project.entries("elsewhere"), Vec::<String>::new());
    assert_eq!(project.entries("."), ["elsewhere", "out", "site"]);
    assert_eq!(project.entries("site"), ["articles"]);
    // The cache went to the user's cache folder, and is used from there: the records, the
    // outputs, the memo of the last build and what it selected, and the program's remembered
    // id.
    let mut cached: Vec<String> = std::fs::read_dir(project.user_cache())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .map(|name| name.rsplit('.').next().unwrap_or_default().to_string())
        .collect();
    cached.sort();
    assert_eq!(
        cached,
        ["memo", "outputs", "program-id", "records", "selection"]
    );
    build_from_elsewhere(&project, &[])
        .status(0)
        .summary("feedsmith: 2 articles read[..]: 2 published, 0 unpublished, 0 rejected; 0 files written, [..] unchanged");
}

#[test]
fn a_build_stopped_by_an_invalid_article_leaves_nothing_where_it_ran() {
    let project = Project::empty().with_file("site/articles/bad.txt", "---\ntitle: [\n---\n");
    build_from_elsewhere(&project, &[]).status(1);
    assert_eq!(project.entries("elsewhere"), Vec::<String>::new());
    assert!(!project.exists("out"), "nothing written");
}

#[test]
fn with_a_settings_file_the_cache_sits_beside_it() {
    let project = Project::fixture("fixtures/topics").with_file(
        "site/feedsmith.yaml",
        "base_url: https://example.com/feeds/\ninput: articles\noutput: feeds\n",
    );
    project
        .run(["build", "--config", "site/feedsmith.yaml"])
        .status(0)
        .summary(FIRST_BUILD);
    assert!(project.exists("site/.feedsmith-cache"));
    assert!(!project.user_cache().exists());
    project
        .run(["build", "--config", "site/feedsmith.yaml"])
        .status(0)
        .summary("feedsmith: 4 articles read[..]: 4 published, 0 unpublished, 0 rejected; 0 files written, 15 unchanged");
}

#[test]
fn a_settings_file_inside_the_output_folder_does_not_pull_the_cache_in() {
    let project = Project::fixture("fixtures/topics").with_file(
        "feeds/feedsmith.yaml",
        "base_url: https://example.com/feeds/\n",
    );
    project
        .run([
            "build",
            "--config",
            "feeds/feedsmith.yaml",
            "--input",
            "articles",
            "--output",
            "feeds",
        ])
        .status(0)
        .summary(FIRST_BUILD);
    assert!(!project.exists("feeds/.feedsmith-cache"));
    assert!(
        project.user_cache().exists(),
        "the user's cache folder instead"
    );
}
