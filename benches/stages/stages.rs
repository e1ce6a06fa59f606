//! Criterion benchmarks for each pipeline stage: parse (split and YAML), map (validate into
//! an entry, with Markdown and sanitising), render (RSS and Atom for a 50-entry feed) and
//! write (the atomic write path, changed and unchanged).
//!
//! Input: the articles in `$FEEDSMITH_BENCH_CORPUS` (for example a folder made by
//! `cargo run --release --example gen_corpus -- --count 2000 --out /tmp/bench-corpus`), or,
//! without it, the example articles in `seeds/`. Run with `cargo bench -p feedsmith-bench`:
//! a package of its own, so that the main crate's `cargo test` never builds criterion.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use feedsmith::article::Article;
use feedsmith::entry::{Entry, Outcome};
use feedsmith::feed::{Candidate, Collector, Feed};
use feedsmith::group::Kind;
use feedsmith::settings::Site;
use feedsmith::settings::{Content, Limits, Texts, DEFAULT_MAX_FEED_BYTES};
use feedsmith::source::{self, Document};
use feedsmith::{render, Output};

fn corpus() -> Vec<(PathBuf, Vec<u8>)> {
    let dir = std::env::var_os("FEEDSMITH_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds"));
    let files = source::discover(&dir)
        .expect("a readable corpus folder")
        .files;
    files
        .into_iter()
        .take(2000)
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable article");
            (p, bytes)
        })
        .collect()
}

fn site() -> Site {
    Site {
        title: "Bench".into(),
        base_url: "https://example.com/feeds/".into(),
        site_url: "https://example.com/".into(),
        description: "Benchmarks".into(),
        language: "en".into(),
        author: "Bench".into(),
        ..Default::default()
    }
}

fn entries(docs: &[(PathBuf, Vec<u8>)]) -> Vec<Entry> {
    docs.iter()
        .filter_map(|(path, bytes)| {
            let doc = Document::parse(path, bytes.clone()).ok()?;
            let article = Article::parse(&doc).ok()?.article;
            match Entry::from_article(&doc, article, &Limits::default(), &mut Vec::new()) {
                Ok(Outcome::Published(e)) => Some(*e),
                _ => None,
            }
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let docs = corpus();
    let bytes: u64 = docs.iter().map(|(_, b)| b.len() as u64).sum();
    let mut group = c.benchmark_group("stages");
    group.sample_size(10);

    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("parse", |b| {
        b.iter(|| {
            for (path, bytes) in &docs {
                if let Ok(doc) = Document::parse(path, bytes.clone()) {
                    let _ = std::hint::black_box(Article::parse(&doc));
                }
            }
        })
    });

    // An article borrows its values from its document's text.
    let documents: Vec<Document> = docs
        .iter()
        .filter_map(|(path, bytes)| Document::parse(path, bytes.clone()).ok())
        .collect();
    let parsed: Vec<(&Document, Article)> = documents
        .iter()
        .filter_map(|doc| Some((doc, Article::parse(doc).ok()?.article)))
        .collect();
    let articles: Vec<Article> = parsed.iter().map(|(_, a)| a.clone()).collect();
    group.bench_function("map", |b| {
        b.iter_batched(
            || articles.clone(),
            |articles| {
                for ((doc, _), article) in parsed.iter().zip(articles) {
                    let _ = std::hint::black_box(Entry::from_article(
                        doc,
                        article,
                        &Limits::default(),
                        &mut Vec::new(),
                    ));
                }
            },
            BatchSize::LargeInput,
        )
    });

    let all = entries(&docs);
    let mut collector = Collector::new(50, &Kind::ALL, &[]);
    for (i, e) in all.into_iter().enumerate() {
        collector.add(Candidate {
            index: i as u32,
            path: e.source.clone(),
            hash: None,
            facts: e.facts.clone(),
            entry: Some(e.into()),
        });
    }
    let (selection, _) = collector.finish(&Texts::default());
    let chosen = &selection.feeds[0];
    let feed = Feed {
        group: chosen.group.clone(),
        entries: chosen
            .entries
            .iter()
            .filter_map(|c| c.entry.clone())
            .collect(),
        updated: chosen.updated,
    };
    let site = site();
    let theme = render::Theme::shipped();
    group.throughput(Throughput::Elements(feed.entries.len() as u64));
    group.bench_function("render", |b| {
        b.iter(|| {
            std::hint::black_box(render::feed(
                &feed,
                &selection.slugs,
                &site,
                &theme,
                Content::Full,
                DEFAULT_MAX_FEED_BYTES,
            ))
        })
    });

    let rendered = render::feed(
        &feed,
        &selection.slugs,
        &site,
        &theme,
        Content::Full,
        DEFAULT_MAX_FEED_BYTES,
    )
    .expect("renders");
    let dir = tempfile::tempdir().expect("a temp folder");
    let output = Output::new(dir.path());
    group.throughput(Throughput::Bytes(rendered[0].bytes.len() as u64));
    group.bench_function("write/unchanged", |b| {
        output.write(&rendered[0]).expect("writable");
        b.iter(|| output.write(&rendered[0]).expect("writable"))
    });
    // Two versions of one file, written in turn: every write replaces the file.
    let versions = [rendered[0].clone(), {
        let mut other = rendered[0].clone();
        other.bytes.extend_from_slice(b"<!-- changed -->\n");
        other
    }];
    let mut flip = false;
    group.bench_function("write/changed", |b| {
        b.iter(|| {
            flip = !flip;
            output
                .write(&versions[usize::from(flip)])
                .expect("writable")
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
