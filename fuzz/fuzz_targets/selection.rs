//! Selection against its plain reference (`tests/testsuite/selection/reference.rs`, the same
//! file the suite's property test uses): the input becomes a small corpus, eight bytes an
//! article (which link, date, spelling of the date, published flag, topics, provider and
//! category, heat, quality), with the feed limit and the curated feeds' limits in front. It
//! is built through the library into memory, cold and then from the article cache, and every
//! feed must hold exactly what the reference says, and the counts must agree.
#![no_main]

#[path = "../../tests/testsuite/selection/reference.rs"]
mod reference;

use feedsmith::Output;
use libfuzzer_sys::fuzz_target;
use reference::{
    built_feeds, curated_feeds, reference, settings, Art, CATEGORIES, DATES, PROVIDERS, TOPICS,
};

/// One article from eight bytes.
fn article(b: &[u8]) -> Art {
    let pick = |byte: u8, n: usize| usize::from(byte) % n;
    let some = |byte: u8, n: usize| (byte != 0).then(|| pick(byte - 1, n));
    Art {
        name: b[0],
        link: b[1] % 6,
        variant: (b[1] >> 3) % 5,
        date: pick(b[2], DATES.len()),
        spelling: usize::from(b[2] & 0x80 != 0),
        published: match b[3] % 4 {
            0 => Some(true),
            1 => Some(false),
            _ => None,
        },
        topics: (0..TOPICS.len()).filter(|i| b[4] & (1 << i) != 0).collect(),
        provider: some(b[5] & 0x0f, PROVIDERS.len()),
        category: some(b[5] >> 4, CATEGORIES.len()),
        heat: (b[6] % 5 != 0).then(|| b[6] % 5 - 1),
        quality: (b[7] % 5 != 0).then(|| b[7] % 5 - 1),
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 + 8 {
        return;
    }
    let limit = 1 + usize::from(data[0] % 4);
    let limits = [1, 2, 3].map(|i| 1 + usize::from(data[i] % 3));
    let arts: Vec<Art> = data[4..].chunks_exact(8).take(24).map(article).collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("articles");
    std::fs::create_dir(&input).unwrap();
    for (i, a) in arts.iter().enumerate() {
        let name = a.file_name(i);
        std::fs::write(input.join(&name), a.text(&name)).unwrap();
    }
    let curated = curated_feeds(limits);
    let (expected, published, duplicates) = reference(&arts, limit, &curated);
    for run in ["cold", "cached"] {
        let settings = settings(&input, limit, &curated, Some(dir.path().join("cache")));
        let output = Output::memory();
        let report = feedsmith::build(&settings, &output).unwrap();
        let s = report.summary;
        assert_eq!(
            (s.read, s.published, s.duplicates, s.rejected),
            (arts.len(), published, duplicates, 0),
            "{run} run"
        );
        assert_eq!(built_feeds(&output.files()), expected, "{run} run");
    }
});
