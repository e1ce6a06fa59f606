//! The memo of the last build: a build that finds nothing changed tells the last report again,
//! byte for byte, without reading an article; anything that could change the output (an
//! article file, a setting, the program, the clock passing a scheduled date, an output file)
//! makes it build as it would without the memo.
//!
//! Every project is settled before its first build, so the memo the first build keeps is one
//! the next build may trust; `-v` tells which builds trusted it.

use std::fs;
use std::process::Command;
use std::time::{Duration, SystemTime};

use crate::harness::{assert_same_files, Project, Run, NOW};

/// What `build -v` says when it told the last report again.
const REMEMBERED: &str = "nothing changed since the last build: its report, told again";

/// An article dated 100 seconds after the suite's clock ([`NOW`]).
const SCHEDULED: &str = "---\ntitle: \"Soon\"\nwebUrl: \"https://news.example.org/soon\"\npublishedDateTime: 2025-11-24T16:01:40Z\ntopics: [Alpha]\n---\nNot yet.\n";

/// An article with a warning: a key that is a near miss of `excerpt`.
const WARNED: &str = "---\ntitle: \"Warned\"\nexcerp: \"typo\"\nwebUrl: \"https://news.example.org/warned\"\npublishedDateTime: 2023-05-01T10:00:00Z\ntopics: [Beta]\n---\nBody.\n";

/// The `topics` fixture with a scheduled article and a warned one, at the suite's clock, built
/// once: its memo kept.
fn built() -> Project {
    let project = Project::fixture("fixtures/topics")
        .with_file("articles/soon.txt", SCHEDULED)
        .with_file("articles/warned.txt", WARNED)
        .clock(NOW)
        .settled();
    project.build().status(0);
    project
}

/// True when `run` (a `build -v`) told the last report again.
fn remembered(run: &Run) -> bool {
    run.stderr_text().contains(REMEMBERED)
}

/// `build -v` in `project`, which must not trust the memo.
#[track_caller]
fn not_remembered<'p>(project: &'p Project, extra: &[&str]) -> Run<'p> {
    let mut args = vec!["-v"];
    args.extend_from_slice(extra);
    let run = project.build_with(&args).status(0);
    assert!(
        !remembered(&run),
        "the memo was trusted:\n{}",
        run.stderr_text()
    );
    run
}

/// The memo file in the project's cache.
fn memo_file(project: &Project) -> std::path::PathBuf {
    fs::read_dir(project.user_cache())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "memo"))
        .expect("a memo in the cache")
}

#[test]
fn an_unchanged_rebuild_tells_the_last_report_again_byte_for_byte() {
    let project = built();
    for format in ["text", "json"] {
        // Without the memo: the whole warm build, which keeps a memo again.
        fs::remove_file(memo_file(&project)).unwrap();
        let full = project.build_with(&["--report", format]).status(0);
        let kept = fs::read(memo_file(&project)).unwrap();
        let remembered_run = project.build_with(&["--report", format]).status(0);
        assert_eq!(remembered_run.stderr_text(), full.stderr_text());
        assert_eq!(remembered_run.stdout_text(), full.stdout_text());
        assert_eq!(fs::read(memo_file(&project)).unwrap(), kept);
    }
    let run = project.build_with(&["-v"]).status(0);
    assert!(remembered(&run), "{}", run.stderr_text());
    run.summary("feedsmith: 6 articles read (6 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); 0 files written, 15 unchanged")
        .stderr_line("warning: `excerp` is not a key feedsmith reads, so it is ignored: did you mean `excerpt`?");
}

#[test]
fn the_first_rebuild_after_a_writing_build_trusts_the_memo() {
    let project = built();
    let run = project.build_with(&["-v"]).status(0);
    assert!(remembered(&run), "{}", run.stderr_text());
}

#[test]
fn a_touched_article_is_noticed() {
    let project = built();
    project.set_modified(
        "articles/story-1.txt",
        SystemTime::now() - Duration::from_secs(3600),
    );
    not_remembered(&project, &[]).summary("feedsmith: 6 articles read (6 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); 0 files written, 15 unchanged");
}

#[test]
fn an_article_changed_with_the_same_size_and_mtime_is_noticed() {
    let project = built();
    let path = "articles/story-4.txt";
    let (size, modified) = (project.bytes(path).len(), project.modified(path));
    project.edit(path, |text| text.replace("Story 4", "Story X"));
    project.set_modified(path, modified);
    assert_eq!(project.bytes(path).len(), size);
    not_remembered(&project, &[]).file("feeds/rss.xml", |rss| {
        assert!(rss.contains("Story X") && !rss.contains("Story 4"), "{rss}");
    });
}

/// A changed article after unchanged ones: the build goes on from where the memo's walk
/// stopped, with the entries the walk skipped before it, and reads the rest as ever.
#[cfg(unix)]
#[test]
fn a_build_after_a_change_goes_on_from_where_the_memo_walk_stopped() {
    use std::os::unix::fs::symlink;
    let project = built();
    symlink(".", project.join("articles/a-self")).unwrap();
    symlink("..", project.join("articles/z-up")).unwrap();
    // The links are in the memo's report now: the next build is told it again.
    project.build().status(0);
    assert!(remembered(&project.build_with(&["-v"]).status(0)));
    project.edit("articles/story-3.txt", |text| {
        text.replace("Story 3", "Story Z")
    });
    let self_link = "warning: articles/a-self: skipped: a symbolic link to a folder, which is not followed; the articles of a folder inside the input folder are read where they are";
    let up_link = "warning: articles/z-up: skipped: a symbolic link to a folder, which is not followed; move or copy the articles into the input folder to publish them";
    not_remembered(&project, &[])
        .stderr_line(self_link)
        .stderr_line(up_link)
        .summary("feedsmith: 6 articles read (5 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); [..] written, [..] unchanged")
        .file("feeds/rss.xml", |rss| {
            assert!(rss.contains("Story Z") && rss.contains("Story 4"), "{rss}");
        });
    // The article was changed within a second of that build: the next build cannot trust
    // its stamp, and reads it again, to the same report.
    project
        .build()
        .status(0)
        .stderr_line(self_link)
        .stderr_line(up_link)
        .summary("feedsmith: 6 articles read (6 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); 0 files written, 15 unchanged");
}

#[test]
fn a_new_article_is_noticed() {
    let project = built();
    project.write(
        "articles/story-5.txt",
        project
            .read("articles/story-1.txt")
            .replace("story-1", "story-5")
            .replace("Story 1", "Story 5"),
    );
    not_remembered(&project, &[])
        .summary("feedsmith: 7 articles read (6 from cache): 6 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); [..] written, [..] unchanged")
        .file("feeds/rss.xml", |rss| assert!(rss.contains("Story 5"), "{rss}"));
}

#[test]
fn a_removed_article_is_noticed() {
    let project = built();
    project.remove("articles/story-2.txt");
    not_remembered(&project, &[])
        .summary("feedsmith: 5 articles read (5 from cache): 4 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); [..] written, [..] unchanged")
        .file("feeds/rss.xml", |rss| assert!(!rss.contains("Story 2"), "{rss}"));
}

#[test]
fn a_changed_setting_is_noticed() {
    let project = built();
    not_remembered(&project, &["--limit", "1"]).file("feeds/rss.xml", |rss| {
        assert_eq!(rss.matches("<item>").count(), 1, "{rss}");
    });
    // And the memo of that build is not trusted by a build with the old setting.
    not_remembered(&project, &[]).file("feeds/rss.xml", |rss| {
        assert_eq!(rss.matches("<item>").count(), 5, "{rss}");
    });
}

#[test]
fn another_program_is_noticed() {
    let project = built();
    // The same program with a byte more at its end: it runs the same, with another id.
    let exe = project.join("feedsmith-copy");
    let mut bytes = fs::read(env!("CARGO_BIN_EXE_feedsmith")).unwrap();
    bytes.push(0);
    fs::write(&exe, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&exe, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let template = project.build_cmd(&["-v"]).into_command();
    let mut command = Command::new(&exe);
    command.args(template.get_args());
    if let Some(dir) = template.get_current_dir() {
        command.current_dir(dir);
    }
    for (name, value) in template.get_envs() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains(REMEMBERED), "{stderr}");
    // Another program's cache is not trusted at all: every article is read again.
    assert!(stderr.contains("feedsmith: 6 articles read: "), "{stderr}");
}

#[test]
fn a_scheduled_date_passing_is_noticed() {
    let project = built();
    // Before the scheduled date, the memo holds.
    let run = project
        .build_cmd(&["-v"])
        .env("SOURCE_DATE_EPOCH", "1764000050")
        .run()
        .status(0);
    assert!(remembered(&run), "{}", run.stderr_text());
    // At the scheduled date, the article is published.
    let run = project
        .build_cmd(&["-v"])
        .env("SOURCE_DATE_EPOCH", "1764000100")
        .run()
        .status(0)
        .summary("feedsmith: 6 articles read (6 from cache): 6 published, 0 unpublished, 0 rejected; [..] written, [..] unchanged")
        .file("feeds/rss.xml", |rss| assert!(rss.contains("Soon"), "{rss}"));
    assert!(!remembered(&run), "{}", run.stderr_text());
}

#[test]
fn a_clock_set_back_is_noticed() {
    let project = built();
    // Story 4 (2023-06-04) was published; at a clock before its date it is held back.
    let run = project
        .build_cmd(&["-v"])
        .env("SOURCE_DATE_EPOCH", "1685000000")
        .run()
        .status(0)
        .file("feeds/rss.xml", |rss| {
            assert!(!rss.contains("Story 4"), "{rss}")
        });
    assert!(!remembered(&run), "{}", run.stderr_text());
}

#[test]
fn a_deleted_output_file_is_written_again() {
    let project = built();
    for path in ["feeds/topics/alpha/rss.xml", "feeds/index.html"] {
        let good = project.bytes(path);
        project.remove(path);
        not_remembered(&project, &[]).summary("feedsmith: 6 articles read (6 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); 1 file written, 14 unchanged");
        assert_eq!(project.bytes(path), good);
    }
}

#[test]
fn an_edited_output_file_is_written_again() {
    let project = built();
    let path = "feeds/topics/beta/atom.xml";
    let good = project.bytes(path);
    project.write(path, "tampered");
    not_remembered(&project, &[]).summary("feedsmith: 6 articles read (6 from cache): 5 published, 0 unpublished, 0 rejected, 1 scheduled (the next for 2025-11-24T16:01:40+00:00); 1 file written, 14 unchanged");
    assert_eq!(project.bytes(path), good);
}

#[test]
fn a_check_that_saw_a_changed_article_leaves_the_next_build_to_notice_it() {
    let project = built();
    project.edit("articles/story-1.txt", |text| {
        text.replace("Excerpt number 1.", "A corrected excerpt.")
    });
    // `check` brings the article records up to date, which the memo was made against.
    project.run(["check", "--input", "articles"]).status(0);
    not_remembered(&project, &[]).file("feeds/topics/alpha/atom.xml", |alpha| {
        assert!(alpha.contains("A corrected excerpt."), "{alpha}");
    });
}

#[test]
fn a_dry_run_neither_trusts_nor_removes_the_memo() {
    let project = built();
    let kept = fs::read(memo_file(&project)).unwrap();
    project
        .build_with(&["--check", "-v"])
        .status(0)
        .stderr_lacks(REMEMBERED);
    assert_eq!(fs::read(memo_file(&project)).unwrap(), kept);
    let run = project.build_with(&["-v"]).status(0);
    assert!(remembered(&run), "{}", run.stderr_text());
}

#[test]
fn a_stopped_build_leaves_no_memo() {
    let project = built();
    project.write("articles/bad.txt", "---\ntitle: [\n---\n");
    project.build().status(1);
    assert!(
        !fs::read_dir(project.user_cache()).unwrap().any(|e| e
            .unwrap()
            .path()
            .extension()
            .is_some_and(|e| e == "memo")),
        "the memo was removed"
    );
    project.remove("articles/bad.txt");
    not_remembered(&project, &[]);
}

/// The memo's walk stats one chunk of files while it walks the next: a change in the first
/// chunk, with the second already walked, a new file in the second and one that is gone
/// give the same feeds as a build without any cache.
#[test]
fn a_change_with_the_next_chunk_walked_ahead_gives_the_feeds_of_a_build_without_a_cache() {
    let project = Project::corpus(4500).clock(NOW).settled();
    project.build().status(0);
    assert!(remembered(&project.build_with(&["-v"]).status(0)));
    let fresh = |project: &Project| {
        let _ = fs::remove_dir_all(project.join("fresh"));
        project.build_into("fresh", &["--no-cache"]).run().status(0);
        assert_same_files(
            &project.tree("feeds"),
            &project.tree("fresh"),
            "differs from a build without a cache",
        );
    };
    // In the first chunk of 2,048 files.
    project.edit("articles/00010.txt", |text| {
        text.replace("Story 10 about", "Story ten about")
    });
    not_remembered(&project, &[]).summary("feedsmith: 4500 articles read (4499 from cache): [..]");
    fresh(&project);
    // A new file in the second chunk, and one gone from the third.
    let new = project
        .read("articles/02500.txt")
        .replace("/2500\"", "/2500-b\"");
    project.write("articles/02500-b.txt", new);
    project.remove("articles/04200.txt");
    not_remembered(&project, &[]).summary("feedsmith: 4500 articles read ([..] from cache): [..]");
    fresh(&project);
}

/// What `build -v` says when it read only the article files that changed.
const CARRIED: &str =
    "only the article files changed since the last build were read, and offered to what it chose";

/// `build -v` in `project`, which must (`carried`) or must not read only the changed article
/// files, and must give what a build without a cache gives: the same files, the same problems,
/// the same counts.
#[track_caller]
fn rebuilt(project: &Project, carried: bool) {
    let run = project.build_with(&["-v"]).status(0);
    let text = run.stderr_text();
    assert_eq!(text.contains(CARRIED), carried, "{text}");
    let _ = fs::remove_dir_all(project.join("fresh"));
    let fresh = project.build_into("fresh", &["--no-cache"]).run().status(0);
    assert_same_files(
        &project.tree("feeds"),
        &project.tree("fresh"),
        "differs from a build without a cache",
    );
    let problems = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| l.starts_with("warning:") || l.starts_with("error:"))
            .map(String::from)
            .collect()
    };
    assert_eq!(problems(&text), problems(&fresh.stderr_text()));
    // The counts after the one of files from the cache, up to the files written.
    let counts = |text: &str| -> String {
        let line = text.lines().find(|l| l.starts_with("feedsmith: ")).unwrap();
        let after = line.split_once(" read").unwrap().1;
        let after = after.split_once(": ").unwrap().1;
        after.split_once(';').unwrap().0.to_string()
    };
    assert_eq!(counts(&text), counts(&fresh.stderr_text()));
}

/// A build where a few article files changed offers just those to the last build's selection,
/// kept in the cache, where that is exact; where it is not (an article a full feed held is
/// taken out, a curated feed dropped one it selected), it reads every file. A file new or
/// gone is offered or taken out as a changed one is, the file numbers after it moved. Either way it gives what a build without a cache gives.
#[test]
fn a_changed_article_is_offered_to_the_last_builds_selection_where_that_is_exact() {
    // Ninety articles (no duplicated link), 3 entries a feed, a curated feed of one topic.
    let project = Project::corpus(90)
        .config("limit: 3\ncurated:\n  - name: Topic 7 picks\n    topics: [\"Topic 7\"]\n    limit: 2\n")
        .clock(NOW)
        .settled();
    project.build().status(0);
    assert!(remembered(&project.build_with(&["-v"]).status(0)));
    // A new title for one of the newest articles (2023-12-28), in full feeds: what selection
    // knows of it is the same, so it takes its old place.
    project.edit("articles/00083.txt", |text| {
        text.replace("Story 83 about", "Story eighty-three about")
    });
    rebuilt(&project, true);
    // A warning on another.
    project.edit("articles/00005.txt", |text| {
        text.replace("excerpt:", "excerp:")
    });
    rebuilt(&project, true);
    // The oldest article (2023-01-01) in no full feed's newest, to other topics.
    project.edit("articles/00000.txt", |text| {
        text.replace("topics: [", "topics: [\"Topic 50\", \"Topic 51\", ")
    });
    rebuilt(&project, true);
    // An old one (2023-01-13), in no full feed's newest, made the newest of all: into every
    // feed of its groups.
    project.edit("articles/00012.txt", |text| {
        text.replace("2023-01-13T12:12", "2024-01-01T12:12")
    });
    rebuilt(&project, true);
    // One the curated feed selects (Topic 7), after it dropped others, newer now.
    project.edit("articles/00001.txt", |text| {
        text.replace("2023-02-02T01:01", "2024-01-02T01:01")
    });
    rebuilt(&project, false);
    // The newest of all, unpublished: the full all-articles feed held it.
    project.edit("articles/00012.txt", |text| {
        text.replace("---\ntitle:", "---\npublished: false\ntitle:")
    });
    rebuilt(&project, false);
    // A new file, between two others: the file numbers after it move up.
    let new = project
        .read("articles/00040.txt")
        .replace("/40\"", "/40-b\"");
    project.write("articles/00040-b.txt", new);
    rebuilt(&project, true);
    // The oldest article, renamed to the end of the walk: one file gone, one new.
    let oldest = project.read("articles/00000.txt");
    project.remove("articles/00000.txt");
    project.write("articles/zz-00000.txt", &oldest);
    rebuilt(&project, true);
    // Gone: the feeds of the topics it alone had go with it.
    project.remove("articles/zz-00000.txt");
    rebuilt(&project, true);
    // Two new files and one gone in one build, one of them the newest of all.
    project.write(
        "articles/00000.txt",
        oldest.replace("2023-01-01T00:00", "2024-02-01T00:00"),
    );
    project.write(
        "articles/00061-b.txt",
        project
            .read("articles/00061.txt")
            .replace("/61\"", "/61-b\""),
    );
    // The oldest left (2023-01-01T12:24): in no full feed.
    project.remove("articles/00084.txt");
    rebuilt(&project, true);
    // The last build's newest of all gone: the full all-articles feed held it.
    project.remove("articles/00000.txt");
    rebuilt(&project, false);
    // And after a build that read every file, the next change is carried again.
    project.edit("articles/00070.txt", |text| {
        text.replace("Story 70 about", "Story seventy about")
    });
    rebuilt(&project, true);
}

/// An article dated after the clock is held back as scheduled: a build that carries the last
/// selection over counts it and warns about it, and names the next one, as a pass over every
/// file does, and never offers it.
#[test]
fn a_scheduled_article_is_held_back_by_a_carried_build_as_by_a_full_one() {
    let project = Project::corpus(90)
        .config("limit: 3\n")
        .clock(NOW)
        .settled();
    project.build().status(0);
    let copy = |from: usize, to: &str, date: &str| {
        let text = project.read(&format!("articles/{from:05}.txt"));
        let text: Vec<String> = text
            .replace(&format!("/{from}\""), &format!("/{from}-s\""))
            .lines()
            .map(|line| match line.starts_with("publishedDateTime:") {
                true => format!("publishedDateTime: {date}"),
                false => line.to_string(),
            })
            .collect();
        project.write(&format!("articles/{to}"), text.join("\n") + "\n");
    };
    // A new one, then a later one written with another offset.
    copy(40, "00040-s.txt", "2026-03-01T00:00:00Z");
    rebuilt(&project, true);
    copy(41, "00041-s.txt", "2026-04-01T00:00:00+02:00");
    rebuilt(&project, true);
    // The next one edited: still the next.
    project.edit("articles/00040-s.txt", |text| {
        text.replace("Story 40 about", "Story forty about")
    });
    rebuilt(&project, true);
    // The next one gone: the other is the next.
    project.remove("articles/00040-s.txt");
    rebuilt(&project, true);
    // The oldest article, in no full feed, moved after the clock: out of its feeds, held back.
    project.edit("articles/00000.txt", |text| {
        text.replace("2023-01-01T00:00:00Z", "2026-01-01T00:00:00-05:00")
    });
    rebuilt(&project, true);
    // And back.
    project.edit("articles/00000.txt", |text| {
        text.replace("2026-01-01T00:00:00-05:00", "2023-01-01T00:00:00Z")
    });
    rebuilt(&project, true);
    // The last one gone: nothing is held back.
    project.remove("articles/00041-s.txt");
    rebuilt(&project, true);
}

/// The corpus has a duplicated link every 97 articles: the duplicate rule reads files again,
/// so such a build keeps no selection, and the next reads every file.
#[test]
fn a_build_with_duplicated_links_reads_every_file_after_a_change() {
    let project = Project::corpus(200).clock(NOW).settled();
    project.build().status(0);
    project.edit("articles/00010.txt", |text| {
        text.replace("Story 10 about", "Story ten about")
    });
    rebuilt(&project, false);
}
