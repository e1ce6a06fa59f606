//! How much of a corpus the front-matter fast path takes, and how fast each parser reads it.
//!
//! Reads every article file under a folder into memory, then parses all front matter with the
//! fast path alone, with yaml_serde alone, and as `Article::parse` does (fast path, then
//! yaml_serde where it says "don't know"), single-threaded, and prints the share and the
//! throughput in MB/s of front matter. It also counts documents where both answer and differ
//! (there must be none).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --count 100000 --out /tmp/corpus --seed 42 --topics 300
//! cargo run --release --example yaml_fast_share -- /tmp/corpus
//! ```

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use feedsmith::article::{fast, reference, Parsed};
use feedsmith::source::Document;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: yaml_fast_share DIR");
        return ExitCode::from(2);
    };
    let mut docs = Vec::new();
    for entry in walkdir::WalkDir::new(Path::new(&dir)) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                eprintln!("yaml_fast_share: {e}");
                return ExitCode::FAILURE;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        if let Ok(doc) = Document::parse(entry.path(), bytes) {
            docs.push(doc);
        }
    }
    let fronts: Vec<&str> = docs.iter().map(Document::front_matter).collect();
    let bytes: usize = fronts.iter().map(|f| f.len()).sum();
    let mb = bytes as f64 / 1e6;

    let start = Instant::now();
    let fast: Vec<Option<Parsed>> = fronts.iter().map(|f| fast::parse(f)).collect();
    let fast_time = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let slow: Vec<Option<Parsed>> = fronts.iter().map(|f| reference(f).ok()).collect();
    let slow_time = start.elapsed().as_secs_f64();

    let start = Instant::now();
    let mut both = 0usize;
    for f in &fronts {
        let article = fast::parse(f).or_else(|| reference(f).ok());
        both += usize::from(article.is_some());
    }
    let both_time = start.elapsed().as_secs_f64();

    let taken = fast.iter().filter(|a| a.is_some()).count();
    let differ = fast
        .iter()
        .zip(&slow)
        .filter(|(f, s)| f.is_some() && f != s)
        .count();
    println!("documents:           {}", fronts.len());
    println!("front matter:        {mb:.1} MB");
    println!("fast path accepted:  {taken}");
    println!(
        "share:               {:.2} %",
        100.0 * taken as f64 / fronts.len().max(1) as f64
    );
    println!(
        "fast path alone:     {:.1} MB/s ({fast_time:.2} s)",
        mb / fast_time
    );
    println!(
        "yaml_serde alone:    {:.1} MB/s ({slow_time:.2} s)",
        mb / slow_time
    );
    println!(
        "fast, else yaml:     {:.1} MB/s ({both_time:.2} s, {both} parsed)",
        mb / both_time
    );
    println!("speed-up:            {:.1} x", slow_time / both_time);
    println!("mismatches:          {differ}");
    if differ == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
