//! A build killed at any moment leaves every file of the output folder (feeds in all three
//! formats, `index.html`, `feeds.opml`, `_headers`, the stylesheet and the manifest) exactly
//! the old version or exactly the new one, byte for byte, and the next run clears any temp
//! file the killed one left.

use std::collections::BTreeMap;
use std::process::Child;
use std::time::{Duration, Instant};

use crate::harness::{files, tree, Project};

const KILLS: usize = 50;

/// The output of a complete build with each of the two limits the kills alternate between.
struct Versions {
    twenty: BTreeMap<String, Vec<u8>>,
    twenty_one: BTreeMap<String, Vec<u8>>,
}

/// Checks every file in the output folder against both versions; returns how many temp files
/// were lying around.
fn check_output(project: &Project, versions: &Versions) -> usize {
    let mut temps = 0;
    let now = project.tree("feeds");
    for path in files(&project.join("feeds")) {
        let name = path.rsplit('/').next().unwrap();
        if name.starts_with(".feedsmith-") && name.ends_with(".tmp") {
            temps += 1;
            continue;
        }
        if name == ".feedsmith.lock" {
            continue;
        }
        let bytes = &now[&path];
        assert!(
            versions.twenty.get(&path) == Some(bytes)
                || versions.twenty_one.get(&path) == Some(bytes),
            "{path} is neither the old nor the new version, byte for byte"
        );
    }
    for path in versions.twenty.keys() {
        assert!(now.contains_key(path), "{path} is gone");
    }
    temps
}

/// Waits for `child` to end, but no later than `deadline`; true when it ended.
fn ended_by(child: &mut Child, deadline: Instant) -> bool {
    loop {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
    }
}

#[test]
fn a_build_killed_at_random_moments_leaves_every_file_old_or_new() {
    let project = Project::corpus(600).config("headers: true\n");
    let start = |limit: &str| project.build_cmd(&["--limit", limit]).spawn();
    let reference = |limit: &str| {
        let out = format!("reference-{limit}");
        let status = project
            .build_into(&out, &["--limit", limit, "--no-cache"])
            .spawn()
            .wait()
            .unwrap();
        assert!(status.success());
        tree(&project.join(&out))
    };
    let versions = Versions {
        twenty: reference("20"),
        twenty_one: reference("21"),
    };
    for file in [
        "index.html",
        "feeds.opml",
        "_headers",
        "feed.xsl",
        "feed.json",
        "atom.xml",
        "rss.xml",
        ".feedsmith-manifest",
    ] {
        assert!(
            versions.twenty.contains_key(file),
            "{file} is among the files checked"
        );
    }
    // A full build first; then two that rewrite every feed, as the killed runs do (from the
    // cache, with folders in place), timed, so the kills land across a whole run.
    assert!(start("20").wait().unwrap().success());
    let started = Instant::now();
    assert!(start("21").wait().unwrap().success());
    assert!(start("20").wait().unwrap().success());
    let mut full = started.elapsed() / 2;
    assert_eq!(
        check_output(&project, &versions),
        0,
        "temp files left after a complete run"
    );

    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut mid_run = 0;
    let mut temps_seen = 0;
    for round in 0..KILLS {
        // Alternate limits so every run rewrites every feed.
        let limit = if round % 2 == 0 { "21" } else { "20" };
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let fraction = (state >> 33) as f64 / (1u64 << 31) as f64;
        let delay = full.mul_f64(fraction * 1.1);
        let mut child = start(limit);
        let spawned = Instant::now();
        if ended_by(&mut child, spawned + delay) {
            // Done before its kill moment: a whole run, timed under the load of now, so the
            // next kills are spread over it (a machine whose load dropped since the timed
            // runs would otherwise see most kills land after the build).
            full = spawned.elapsed();
        } else {
            mid_run += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        temps_seen += check_output(&project, &versions);
    }
    assert!(
        mid_run >= KILLS / 3,
        "only {mid_run} of {KILLS} kills landed during a build (a full build took {full:?})"
    );
    // The next complete run tidies up and writes everything.
    assert!(start("20").wait().unwrap().success());
    assert_eq!(project.tree("feeds"), versions.twenty);
    assert_eq!(
        check_output(&project, &versions),
        0,
        "temp files left after a complete run"
    );
    eprintln!("{KILLS} kills, {mid_run} during a build, {temps_seen} leftover temp files seen and cleared; full build {full:?}");
}
