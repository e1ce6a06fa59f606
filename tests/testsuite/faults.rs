//! Faults from outside: a full disk mid-build, an output folder that cannot be written (or is
//! a file, or lies below one), a folder where a feed file goes, a missing input folder, input
//! files that vanish or change while a build reads them, an input path that is a file, and
//! symbolic link loops. Each stops the run with one sentence that names the path and the fix,
//! and exit status 2; no published file is lost or torn, no temp file is left behind, and
//! the next successful build repairs everything. Links to folders and link loops that are not
//! named as articles are only warned about.
//!
//! The full-disk test mounts a small tmpfs, which needs root (CI runs as root); elsewhere it
//! says so on stderr and returns. The read-only test uses permissions, or, as root (whom
//! permissions do not bind), a tmpfs remounted read-only.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use snapbox::str;

use crate::harness::{tree, Project, BASE_URL};

/// Every file below `dir` (the build lock aside) that is a leftover temp file.
fn temp_files(dir: &Path) -> Vec<String> {
    crate::harness::files(dir)
        .into_iter()
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p);
            name.starts_with(".feedsmith-") && name.ends_with(".tmp")
        })
        .collect()
}

/// A tmpfs mounted on a folder for as long as it lives.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `kib` KiB on `dir`, or `None` when this process may not mount.
    fn mount(dir: &Path, kib: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        }
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }

    fn remount(&self, options: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success(), "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// How much room `files` take on a tmpfs: whole 4 KiB pages.
fn pages(files: &BTreeMap<String, Vec<u8>>) -> u64 {
    files
        .values()
        .map(|b| (b.len() as u64).div_ceil(4096).max(1) * 4)
        .sum()
}

/// Asserts that every file of `now` is the old or the new version of itself, and that no
/// old file is gone.
#[track_caller]
fn old_or_new(
    now: &BTreeMap<String, Vec<u8>>,
    old: &BTreeMap<String, Vec<u8>>,
    new: &BTreeMap<String, Vec<u8>>,
) {
    for (path, bytes) in now {
        assert!(
            old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
            "{path} is neither the old nor the new version"
        );
    }
    for path in old.keys() {
        assert!(now.contains_key(path), "{path} was published and is gone");
    }
}

/// Moves the articles numbered 40 and up between `articles/` and `later/`.
fn move_newer(project: &Project, from: &str, to: &str) {
    std::fs::create_dir_all(project.join(to)).unwrap();
    for name in project.entries(from) {
        let number: usize = name.trim_end_matches(".txt").parse().unwrap();
        if number >= 40 {
            let (a, b) = (format!("{from}/{name}"), format!("{to}/{name}"));
            std::fs::rename(project.join(&a), project.join(&b)).unwrap();
        }
    }
}

#[test]
fn a_full_disk_mid_build_loses_no_published_file_and_the_next_build_repairs_it() {
    // The old build: 40 articles. The new one: 100, with more and longer feeds.
    let project = Project::corpus(100);
    move_newer(&project, "articles", "later");
    project
        .build_into(project.join("reference-old"), &[])
        .run()
        .status(0);
    let old = project.tree("reference-old");
    move_newer(&project, "later", "articles");
    project
        .build_into(project.join("reference-new"), &[])
        .run()
        .status(0);
    let new = project.tree("reference-new");
    move_newer(&project, "articles", "later");

    // Room for the old build and a third of what the new one adds.
    let room = pages(&old) + (pages(&new) - pages(&old)) / 3 + 8;
    let disk = project.join("disk");
    let Some(tmpfs) = Tmpfs::mount(&disk, room) else {
        return;
    };
    project.build_into(&disk, &[]).run().status(0);
    assert_eq!(tree(&disk), old, "the old build fits");

    move_newer(&project, "later", "articles");
    // Which file meets the full disk depends on the threads; the temp file is never named.
    project
        .build_into(&disk, &[])
        .run()
        .status(2)
        .stderr(format!(
            "feedsmith: error: the disk is full while writing {}/[..]: free some space and build \
         again; the files already published were left as they were\n",
            disk.display()
        ));
    old_or_new(&tree(&disk), &old, &new);
    // The disk fills while the new files are staged, so none is in place: as the message says.
    assert_eq!(
        tree(&disk),
        old,
        "the files already published were left as they were"
    );
    assert_eq!(temp_files(&disk), Vec::<String>::new());

    tmpfs.remount("size=64m");
    project.build_into(&disk, &[]).run().status(0);
    assert_eq!(tree(&disk), new, "the next build repairs everything");
}

#[test]
fn an_output_folder_that_is_a_file_exits_2_naming_it() {
    let project = Project::fixture("fixtures/topics").with_file("feeds", "not a folder");
    project.build().status(2).stderr(str![[r#"
feedsmith: error: the output folder feeds is a file, not a folder: remove it or pass another --output

"#]]);
    assert_eq!(project.bytes("feeds"), b"not a folder");
    // A dry run says the same.
    project.build_with(&["--check"]).status(2).stderr(str![[r#"
feedsmith: error: the output folder feeds is a file, not a folder: remove it or pass another --output

"#]]);
}

#[test]
fn an_output_folder_below_a_file_exits_2_naming_both() {
    let project = Project::fixture("fixtures/topics").with_file("not-a-folder", "x");
    project
        .build_into("not-a-folder/feeds", &[])
        .run()
        .status(2)
        .stderr(str![[r#"
feedsmith: error: the output folder not-a-folder/feeds is inside not-a-folder, which is a file, not a folder: remove it or pass another --output

"#]]);
    assert_eq!(project.bytes("not-a-folder"), b"x");
}

#[test]
fn a_folder_where_a_feed_file_goes_exits_2_naming_it_and_keeps_every_published_file() {
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    project.remove("feeds/rss.xml");
    std::fs::create_dir_all(project.join("feeds/rss.xml/mine")).unwrap();
    let published = project.tree("feeds");
    project.edit("articles/story-1.txt", |t| {
        t.replace("Story 1", "Story One")
    });
    project.build().status(2).stderr(str![[r#"
feedsmith: error: feeds/rss.xml is a folder where feedsmith writes a file: move it out of the output folder

"#]]);
    assert_eq!(project.tree("feeds"), published);
    assert_eq!(temp_files(&project.join("feeds")), Vec::<String>::new());
}

/// True when this process may not write to a folder without write permission: false for
/// root, which ignores permissions.
#[cfg(unix)]
fn permissions_bind(scratch: &Path) -> bool {
    let probe = scratch.join("permission-probe");
    std::fs::create_dir(&probe).unwrap();
    set_writable(&probe, false);
    let bound = std::fs::write(probe.join("x"), "").is_err();
    set_writable(&probe, true);
    std::fs::remove_dir_all(&probe).unwrap();
    bound
}

/// Gives `dir` and every folder below it write permission, or takes it away.
#[cfg(unix)]
fn set_writable(dir: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if writable { 0o755 } else { 0o555 };
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_dir() {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
    }
}

/// The output folder (and a cache folder beside it) cannot be written: by permissions, or,
/// where they do not bind (root), because the folder is a tmpfs remounted read-only.
#[cfg(unix)]
#[test]
fn a_read_only_output_folder_exits_2_naming_it_and_keeps_every_published_file() {
    let project = Project::fixture("fixtures/topics");
    let disk = project.join("disk");
    let tmpfs = if permissions_bind(project.path()) {
        None
    } else {
        eprintln!("permissions do not bind this process (root): using a read-only tmpfs");
        match Tmpfs::mount(&disk, 4096) {
            Some(tmpfs) => Some(tmpfs),
            None => return,
        }
    };
    project.build_into(&disk, &[]).run().status(0);
    let published = tree(&disk);
    let (output, cache) = match &tmpfs {
        Some(tmpfs) => {
            tmpfs.remount("ro");
            (
                format!(
                    "feedsmith: error: cannot write to the output folder {} (read-only file \
                     system): mount the disk read-write, or pass --output with a folder on a \
                     writable disk\n",
                    disk.display()
                ),
                format!(
                    "feedsmith: error: cannot write to the cache folder {} (read-only file \
                     system): pass --cache-dir with a folder on a writable disk, or --no-cache\n",
                    disk.join("cache").display()
                ),
            )
        }
        None => {
            set_writable(&disk, false);
            (
                // The lock is there from the first build: the first file staged, in any
                // folder, meets the permissions.
                format!(
                    "feedsmith: error: cannot write to {}[..] (permission denied): let the user \
                     running feedsmith write there, or pass another --output\n",
                    disk.display()
                ),
                format!(
                    "feedsmith: error: cannot write to the cache folder {} (permission denied): \
                     let the user running feedsmith write there, or pass --cache-dir with \
                     another folder, or --no-cache\n",
                    disk.join("cache").display()
                ),
            )
        }
    };
    project.edit("articles/story-1.txt", |t| {
        t.replace("Story 1", "Story One")
    });
    project
        .build_into(&disk, &[])
        .run()
        .status(2)
        .stderr(output);
    assert_eq!(tree(&disk), published);
    let cache_dir = disk.join("cache");
    project
        .build_into("elsewhere", &["--cache-dir", cache_dir.to_str().unwrap()])
        .run()
        .status(2)
        .stderr(cache)
        .no_file("elsewhere");
    match &tmpfs {
        Some(tmpfs) => tmpfs.remount("rw"),
        None => set_writable(&disk, true),
    }
    project.build_into(&disk, &[]).run().status(0);
    let reference = project.join("reference");
    project.build_into(&reference, &[]).run().status(0);
    assert_eq!(
        tree(&disk),
        tree(&reference),
        "the next build repairs everything"
    );
}

#[test]
fn an_input_path_that_is_a_file_exits_2_naming_it() {
    Project::fixture("fixtures/topics")
        .run([
            "build",
            "--input",
            "articles/story-1.txt",
            "--output",
            "feeds",
            "--base-url",
            BASE_URL,
        ])
        .status(2)
        .stderr_line("feedsmith: error: the input folder articles/story-1.txt is a file, not a folder: pass --input with the folder that holds your articles")
        .no_file("feeds");
}

#[test]
fn a_missing_input_folder_exits_2_naming_it_and_keeps_the_feeds() {
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    let published = project.tree("feeds");
    std::fs::rename(project.join("articles"), project.join("moved")).unwrap();
    project.build().status(2).stderr(str![[r#"
feedsmith: error: the input folder articles does not exist: create it, or pass --input with the folder that holds your articles

"#]]);
    assert_eq!(project.tree("feeds"), published);
}

#[cfg(unix)]
#[test]
fn links_to_folders_and_link_loops_in_the_input_are_skipped_with_a_warning_naming_them() {
    use std::os::unix::fs::symlink;
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    let published = project.tree("feeds");
    symlink(".", project.join("articles/self")).unwrap();
    symlink("..", project.join("articles/up")).unwrap();
    symlink("spin", project.join("articles/spin")).unwrap();
    std::fs::create_dir(project.join("articles/deeper")).unwrap();
    symlink("../deeper", project.join("articles/deeper/again")).unwrap();
    // The walk never enters a link, so none of these can make it loop or recurse.
    project.build_with(&["--no-cache"]).status(0).stderr(str![[r#"
warning: articles/deeper/again: skipped: a symbolic link to a folder, which is not followed; the articles of a folder inside the input folder are read where they are
warning: articles/self: skipped: a symbolic link to a folder, which is not followed; the articles of a folder inside the input folder are read where they are
warning: articles/spin: skipped: a symbolic link that leads back to itself; remove it
warning: articles/up: skipped: a symbolic link to a folder, which is not followed; move or copy the articles into the input folder to publish them
feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 0 files written, 15 unchanged

"#]]);
    assert_eq!(project.tree("feeds"), published);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_loop_in_the_input_exits_2_and_keeps_the_feeds() {
    let project = Project::fixture("fixtures/topics");
    project.build().status(0);
    let published = project.tree("feeds");
    std::os::unix::fs::symlink("loop-b.txt", project.join("articles/loop-a.txt")).unwrap();
    std::os::unix::fs::symlink("loop-a.txt", project.join("articles/loop-b.txt")).unwrap();
    project
        .build()
        .status(2)
        .stderr_line("feedsmith: error: reading articles/loop-a.txt: a symbolic link that leads back to itself; remove it, or point it at an article file");
    assert_eq!(project.tree("feeds"), published);
    project.remove("articles/loop-a.txt");
    project.remove("articles/loop-b.txt");
    project.build().status(0);
    assert_eq!(project.tree("feeds"), published);
}

#[test]
fn input_files_that_vanish_or_change_during_a_build_stop_it_cleanly() {
    let project = Project::corpus(1500);
    project.build().status(0);
    let mut stopped = 0;
    for round in 0..6 {
        let child = project
            .build_cmd(&["--no-cache"])
            .into_command()
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // While it reads, delete a run of files and replace another, as a checkout or an
        // editor's safe save does: the build reads the old file or the new one, never half
        // of one, so whether it stops depends only on when. (A file read half written is
        // read again before it is blamed: `select::confirm`, tested on its own.)
        for i in 0..40 {
            let victim = format!("articles/{:05}.txt", round * 200 + i * 3);
            if project.exists(&victim) {
                project.remove(&victim);
            }
            let changed = format!("articles/{:05}.txt", round * 200 + i * 3 + 1);
            if project.exists(&changed) {
                let text = project.read(&changed).replacen("Story", "Changed story", 1);
                project.write("replacement.tmp", text);
                std::fs::rename(project.join("replacement.tmp"), project.join(&changed)).unwrap();
            }
        }
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(2) => {
                stopped += 1;
                // A file gone or changed, named; or, when the copies of a link were read
                // again, the input folder.
                assert!(
                    stderr.contains("disappeared during the build: run the build again")
                        || stderr.contains("changed during the build; run the build again"),
                    "{stderr}"
                );
            }
            other => panic!("exit status {other:?}:\n{stderr}"),
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        for (path, bytes) in project.tree("feeds") {
            if path.ends_with(".xml") {
                crate::harness::xml::strict(&path, &bytes);
            }
            // Every 97th article is a copy of the one before: whatever moved, no feed
            // publishes a link twice.
            if path.ends_with("feed.json") {
                let feed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                let items = feed["items"].as_array().unwrap();
                let links: std::collections::BTreeSet<&str> =
                    items.iter().map(|i| i["url"].as_str().unwrap()).collect();
                assert_eq!(links.len(), items.len(), "{path} publishes a link twice");
            }
        }
        assert_eq!(temp_files(&project.join("feeds")), Vec::<String>::new());
    }
    eprintln!("{stopped} of 6 builds were stopped by a file that vanished or changed");
    // The next build, with nothing moving, repairs everything.
    project.build().status(0);
    let reference = project.join("reference");
    project.build_into(&reference, &[]).run().status(0);
    assert_eq!(project.tree("feeds"), tree(&reference));
}
