//! The front-matter fast path (`feedsmith::article::fast`) against yaml_serde on real
//! documents: the seeds, every article fixture of this suite, and a corpus from
//! `examples/gen_corpus.rs`. Wherever the fast path answers, yaml_serde must give the same
//! article; and it must answer for nearly all of the seeds and the generated corpus, or it
//! would speed nothing up.
//!
//! The switch `FEEDSMITH_YAML=slow` turns the fast path off; a build gives the same bytes
//! either way.
//!
//! `FEEDSMITH_FAST_YAML_CORPUS=DIR` checks a corpus of your own as well (the 100,000-article
//! one, say: `gen_corpus --count 100000 --out DIR --seed 42 --topics 300`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use feedsmith::article::fast;
use feedsmith::source::Document;

use crate::harness::{repo, testsuite, Project, BASE_URL};

/// How many documents of a set the fast path answered for.
struct Tally {
    documents: usize,
    taken: usize,
}

impl Tally {
    fn share(&self) -> f64 {
        self.taken as f64 / self.documents.max(1) as f64
    }
}

/// Every file under `dir` (recursively) whose name ends in one of `extensions`.
fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    out.sort();
    out
}

/// Both parsers on each file's front matter; panics where the fast path answers and
/// yaml_serde disagrees.
fn compare(paths: &[PathBuf]) -> Tally {
    let mut tally = Tally {
        documents: 0,
        taken: 0,
    };
    for path in paths {
        let Ok(doc) = Document::parse(path, fs::read(path).unwrap()) else {
            continue; // not an article document at all: nothing for YAML to read
        };
        tally.documents += 1;
        let front = doc.front_matter();
        let Some(article) = fast::parse(front) else {
            continue;
        };
        tally.taken += 1;
        // The same article, and the same keys not read.
        match feedsmith::article::reference(front) {
            Ok(reference) => assert_eq!(article, reference, "{}", path.display()),
            Err(e) => panic!(
                "{}: the fast path accepts what yaml_serde rejects: {e}",
                path.display()
            ),
        }
    }
    tally
}

#[test]
fn fast_path_agrees_with_yaml_serde_on_every_seed_and_takes_nearly_all() {
    let tally = compare(&files(&repo().join("seeds"), &["txt", "md", "markdown"]));
    assert!(tally.documents >= 20, "only {} seeds", tally.documents);
    assert!(
        tally.share() >= 0.95,
        "the fast path took {} of {} seeds",
        tally.taken,
        tally.documents
    );
}

#[test]
fn fast_path_agrees_with_yaml_serde_on_every_article_fixture() {
    let paths = files(&testsuite(), &["txt", "md", "markdown", "html", "json"]);
    let paths: Vec<PathBuf> = paths
        .into_iter()
        .filter(|p| p.components().any(|c| c.as_os_str() == "articles"))
        .collect();
    let tally = compare(&paths);
    // The fixtures are mostly hostile on purpose; agreement is what counts here.
    assert!(tally.documents >= 40, "only {} fixtures", tally.documents);
    assert!(tally.taken > 0, "the fast path took no fixture at all");
}

/// Builds `examples/gen_corpus.rs` (standard library only) with `rustc` and writes
/// `count` articles with the benchmark's seed and topic count into `out`.
fn gen_corpus(count: usize, out: &Path) {
    fs::create_dir_all(out).unwrap();
    let bin = out.join("gen_corpus");
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let status = Command::new(rustc)
        .args(["--edition", "2021", "-O", "-o"])
        .arg(&bin)
        .arg(repo().join("examples/gen_corpus.rs"))
        .status()
        .unwrap();
    assert!(status.success(), "rustc could not build gen_corpus");
    let status = Command::new(&bin)
        .args([
            "--count",
            &count.to_string(),
            "--seed",
            "42",
            "--topics",
            "300",
        ])
        .arg("--out")
        .arg(out.join("articles"))
        .status()
        .unwrap();
    assert!(status.success(), "gen_corpus failed");
}

#[test]
fn fast_path_agrees_with_yaml_serde_on_a_generated_corpus_and_takes_nearly_all() {
    let dir = tempfile::tempdir().unwrap();
    gen_corpus(3000, dir.path());
    let tally = compare(&files(&dir.path().join("articles"), &["txt"]));
    assert_eq!(tally.documents, 3000);
    assert!(
        tally.share() >= 0.95,
        "the fast path took {} of {} generated articles",
        tally.taken,
        tally.documents
    );
    if let Some(corpus) = std::env::var_os("FEEDSMITH_FAST_YAML_CORPUS") {
        let tally = compare(&files(Path::new(&corpus), &["txt", "md", "markdown"]));
        eprintln!(
            "{}: the fast path took {} of {} documents ({:.2} %)",
            Path::new(&corpus).display(),
            tally.taken,
            tally.documents,
            tally.share() * 100.0
        );
    }
}

#[test]
fn a_build_gives_the_same_bytes_with_the_fast_path_on_and_off() {
    let project = Project::seeds();
    gen_corpus(400, &project.join("generated"));
    for input in ["seeds", "generated/articles"] {
        let mut trees = Vec::new();
        for (output, yaml) in [("feeds-fast", "fast"), ("feeds-slow", "slow")] {
            project
                .cmd([
                    "build",
                    "--no-cache",
                    "--input",
                    input,
                    "--output",
                    output,
                    "--base-url",
                    BASE_URL,
                ])
                .env("FEEDSMITH_YAML", yaml)
                .env("SOURCE_DATE_EPOCH", "1700000000")
                .run()
                .status(0);
            trees.push(project.tree(output));
        }
        assert!(trees[0].len() > 10, "{input}: too few files to compare");
        assert!(
            trees[0] == trees[1],
            "{input}: the output differs with FEEDSMITH_YAML=slow"
        );
    }
}
