//! The whole article path: bytes → document → article → entry → selection → RSS, Atom,
//! JSON Feed, index.html and feeds.opml.
//!
//! The input is one article file, or several separated by a line `%%%%` (so duplicates,
//! shared topics and slug collisions are reachable). Each article gets a line
//! `secured: SECRETMARKER7f3a` right after its opening `---`; that value must reach no output
//! and no problem message. Every output must parse (XML strictly, JSON), its links and
//! images must be http(s) URLs, and the HTML content must be the same in all three formats.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use feedsmith::entry::{validate, Outcome};
use feedsmith::settings::Limits;
use feedsmith_fuzz::{check_files, render_all, site, MARKER};
use libfuzzer_sys::fuzz_target;

/// Puts `secured: MARKER` after the first line, when the first line is a `---` fence.
fn with_secret(bytes: &[u8]) -> Vec<u8> {
    let start = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let Some(nl) = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i) else {
        return bytes.to_vec();
    };
    let first = &bytes[start..nl];
    let first = first.strip_suffix(b"\r").unwrap_or(first);
    if first.trim_ascii_end() != b"---" {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len() + 32);
    out.extend_from_slice(&bytes[..=nl]);
    out.extend_from_slice(format!("secured: {MARKER}\n").as_bytes());
    out.extend_from_slice(&bytes[nl + 1..]);
    out
}

fuzz_target!(|data: &[u8]| {
    let secret = (memchr::memmem::find(data, MARKER.as_bytes()).is_none()).then_some(MARKER);
    let limits = Limits::default();
    let mut entries = Vec::new();
    for (i, part) in memchr::memmem::find_iter(data, b"\n%%%%\n")
        .chain([data.len()])
        .scan(0, |start, end| {
            let part = &data[*start..end];
            *start = (end + 6).min(data.len());
            Some(part)
        })
        .take(4)
        .enumerate()
    {
        let path = format!("articles/{i}.txt");
        let (outcome, problems) = validate(Path::new(&path), with_secret(part), &limits);
        if let Some(secret) = secret {
            for p in &problems {
                let shown = p.to_string();
                assert!(
                    !shown.contains(secret),
                    "a problem shows the secret: {shown}"
                );
            }
        }
        if let Outcome::Published(entry) = outcome {
            assert!(
                feedsmith_fuzz::is_web_url(&entry.id),
                "entry id {:?}",
                entry.id
            );
            for image in &entry.images {
                assert!(
                    feedsmith_fuzz::is_web_url(&image.url),
                    "image {:?}",
                    image.url
                );
            }
            assert!(!entry.title.is_empty());
            entries.push(Arc::from(entry));
        }
    }
    if entries.is_empty() {
        return;
    }
    let site = site();
    let (_selection, files) = render_all(&entries, &site, 50);
    check_files(&files, &site, secret);
});
