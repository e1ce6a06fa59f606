//! Helpers shared by the integration tests: run the real binary in a temp folder, copy
//! fixture folders, list and read output files.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BASE_URL: &str = "https://example.com/feeds/";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch folder holding a copy of `tests/fixtures/<name>` as `articles/`.
pub fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &root().join("tests/fixtures").join(name),
        &dir.path().join("articles"),
    );
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `feedsmith ARGS` in `dir`.
pub fn feedsmith(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedsmith"))
        .current_dir(dir)
        .args(args)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap()
}

/// The command `feedsmith build --input articles --output feeds --base-url BASE_URL ARGS`
/// in `dir`, ready to run or spawn.
pub fn build_command(dir: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_feedsmith"));
    command
        .current_dir(dir)
        .args([
            "build",
            "--input",
            "articles",
            "--output",
            "feeds",
            "--base-url",
            BASE_URL,
        ])
        .args(extra)
        .env_remove("GITHUB_ACTIONS");
    command
}

/// Runs `feedsmith build --input articles --output feeds --base-url BASE_URL ARGS` in `dir`.
pub fn build(dir: &Path, extra: &[&str]) -> Output {
    build_command(dir, extra).output().unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file below `dir`, as sorted paths relative to it.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.exists() {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                out.push(entry.path().strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out
}

/// Parses `bytes` with a strict XML parser, panicking with the file name on any error.
pub fn strict_xml(name: &Path, bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes)
        .unwrap_or_else(|e| panic!("{} is not UTF-8: {e}", name.display()));
    roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{} is not well-formed XML: {e}", name.display()));
    text.to_string()
}

/// A generated corpus in `dir/articles`: `n` articles over 60 topics and 9 providers, with
/// markup-like text, Markdown bodies, and every 97th article a newer copy of the one before
/// (the same webUrl), so duplicates fall across chunk boundaries.
pub fn corpus(dir: &Path, n: usize) {
    let a = dir.join("articles");
    fs::create_dir_all(&a).unwrap();
    for i in 0..n {
        let topics: Vec<String> = (0..3)
            .map(|k| format!("\"Topic {}\"", (i * 7 + k * 13) % 60))
            .collect();
        let text = format!(
            "---\ntitle: \"Story {i} about <things> & more\"\nexcerpt: \"Excerpt {i}: {}\"\nwebUrl: \"https://news.example.org/{}\"\npublishedDateTime: 2023-{:02}-{:02}T{:02}:{:02}:00Z\nprovider: {{name: \"Provider {}\", domain: \"p{}.example.org\"}}\ntopics: [{}]\nimages:\n  - {{url: \"https://img.example.org/{i}.jpg\", width: 800, height: 600}}\n---\n{}\n",
            "lorem ipsum ".repeat(20),
            if i % 97 == 96 { i - 1 } else { i },
            i % 12 + 1,
            i % 28 + 1,
            i % 24,
            i % 60,
            i % 9,
            i % 9,
            topics.join(", "),
            "Some **Markdown** body text with a [link](https://example.org/x). ".repeat(10)
        );
        fs::write(a.join(format!("{i:05}.txt")), text).unwrap();
    }
}
