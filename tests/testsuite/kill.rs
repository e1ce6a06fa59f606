//! A build killed at any moment leaves every feed file either the old complete version or the
//! new complete version, and the next run clears any temp file the killed one left.

use std::time::Instant;

use crate::harness::{files, xml, Project};

const KILLS: usize = 50;

/// Checks every file in the output folder; returns how many temp files were lying around.
fn check_output(project: &Project) -> usize {
    let mut temps = 0;
    for path in files(&project.join("feeds")) {
        let name = path.rsplit('/').next().unwrap();
        if name.starts_with(".feedsmith-") && name.ends_with(".tmp") {
            temps += 1;
            continue;
        }
        let bytes = project.bytes(&format!("feeds/{path}"));
        if name.ends_with(".xml") {
            xml::strict(&path, &bytes);
        } else if name == ".feedsmith-manifest" {
            assert!(bytes.ends_with(b"\n"), "manifest cut short");
        }
    }
    temps
}

#[test]
fn a_build_killed_at_random_moments_never_leaves_a_broken_file() {
    let project = Project::corpus(600);
    let start = |limit: &str| project.build_cmd(&["--limit", limit]).spawn();
    // A full build first, timed, so the kills land across a whole run.
    let started = Instant::now();
    assert!(start("20").wait().unwrap().success());
    let full = started.elapsed();
    assert_eq!(
        check_output(&project),
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
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            mid_run += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        temps_seen += check_output(&project);
    }
    assert!(
        mid_run >= KILLS / 3,
        "only {mid_run} of {KILLS} kills landed during a build (a full build took {full:?})"
    );
    // The next complete run tidies up and writes everything.
    assert!(start("20").wait().unwrap().success());
    assert_eq!(
        check_output(&project),
        0,
        "temp files left after a complete run"
    );
    eprintln!("{KILLS} kills, {mid_run} during a build, {temps_seen} leftover temp files seen and cleared; full build {full:?}");
}
