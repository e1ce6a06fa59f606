//! The output folder is feedsmith's only as far as its manifest says: feeds of removed topics
//! go, files it did not write are kept and never overwritten, and one build writes at a time.

use crate::harness::Project;

#[test]
fn feeds_of_removed_topics_are_deleted_but_foreign_files_kept() {
    let project = Project::fixture("fixtures/collisions");
    project.build().status(0);
    project.write("feeds/about.html", "mine");
    project.write("feeds/topics/c/notes.txt", "mine too");
    project.write("feeds/topics/handmade/rss.xml", "<rss/>");
    assert!(project.exists("feeds/topics/c-0dae8bb0/rss.xml"));
    // The C++ article goes: its topic's feeds must go with it.
    project.remove("articles/cpp.txt");
    project
        .build()
        .status(0)
        .summary("feedsmith: 2 articles read[..]: 2 published, 0 unpublished, 0 rejected; [..], 4 removed")
        .no_file("feeds/topics/c-0dae8bb0")
        .file("feeds/about.html", |text| assert_eq!(text, "mine"))
        .file("feeds/topics/c/notes.txt", |text| assert_eq!(text, "mine too"))
        .file("feeds/topics/handmade/rss.xml", |text| assert_eq!(text, "<rss/>"));
}

#[test]
fn a_file_feedsmith_did_not_write_is_never_overwritten() {
    Project::fixture("fixtures/collisions")
        .with_file("feeds/index.html", "my own page")
        .build()
        .status(2)
        .stderr_line("feedsmith: error: feeds/index.html exists but feedsmith did not write it (it is not in .feedsmith-manifest); move it out of the output folder, or delete it if an older feedsmith wrote it")
        .file("feeds/index.html", |text| assert_eq!(text, "my own page"));
}

#[test]
fn a_second_concurrent_build_is_refused_clearly() {
    let project = Project::fixture("fixtures/collisions").with_file("feeds/.feedsmith.lock", "");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(project.join("feeds/.feedsmith.lock"))
        .unwrap();
    lock.lock().unwrap();
    project
        .build()
        .status(2)
        .stderr_line("feedsmith: error: another feedsmith build is writing to this output folder (lock feeds/.feedsmith.lock is held); wait for it to finish, or remove the lock file if no build is running")
        .no_file("feeds/rss.xml");
    drop(lock);
    project.build().status(0);
}
