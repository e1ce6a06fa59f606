//! Every published article appears exactly once, wherever it belongs (issue 16).
//!
//! A property test writes small corpora built to hit the edges of selection: ties in date
//! (the same instant written with different offsets), duplicate links with equal and unequal
//! dates (one story's link written with `http`, tracking parameters or a fragment, and a
//! different story under the same path with a meaningful `?id=`), unpublished and scheduled articles, names that differ only in letter case, and
//! curated feeds ranked by heat, quality and date with and without a window. Each corpus is
//! built through the library, cold and then from the article cache, and every feed's entries
//! are compared with a plain in-memory reference (`reference.rs`).

pub(crate) mod reference;

use proptest::prelude::*;

use crate::harness::library::build_in_memory;
use crate::harness::Project;
use reference::{built_feeds, curated_feeds, reference, Art, CATEGORIES, DATES, PROVIDERS, TOPICS};

fn art() -> impl Strategy<Value = Art> {
    (
        (any::<u8>(), (0u8..6, 0u8..5), 0..DATES.len(), 0usize..2),
        prop_oneof![6 => Just(None), 2 => Just(Some(true)), 1 => Just(Some(false))],
        prop::collection::vec(0..TOPICS.len(), 0..3),
        (
            prop::option::of(0..PROVIDERS.len()),
            prop::option::of(0..CATEGORIES.len()),
        ),
        (prop::option::of(0u8..4), prop::option::of(0u8..4)),
    )
        .prop_map(
            |(
                (name, (link, variant), date, spelling),
                published,
                topics,
                (provider, category),
                (heat, quality),
            )| Art {
                name,
                link,
                variant,
                date,
                spelling,
                published,
                topics,
                provider,
                category,
                heat,
                quality,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_feed_holds_what_the_reference_selection_holds(
        arts in prop::collection::vec(art(), 1..24),
        limit in 1usize..5,
        curated_limits in [1usize..4, 1usize..4, 1usize..4],
    ) {
        let mut project = Project::empty();
        for (i, a) in arts.iter().enumerate() {
            let name = a.file_name(i);
            project = project.with_file(&format!("articles/{name}"), a.text(&name));
        }
        let curated = curated_feeds(curated_limits);
        let (expected, published, duplicates) = reference(&arts, limit, &curated);
        let unpublished = arts.iter().filter(|a| a.published == Some(false)).count();
        // Cold, then answered from the article cache: both must give the reference.
        for run in ["cold", "cached"] {
            let built = build_in_memory(project.path(), limit, &curated, true);
            if run == "cached" {
                prop_assert_eq!(built.summary.cached, arts.len());
            }
            let s = built.summary;
            prop_assert_eq!(
                (s.read, s.published, s.duplicates, s.unpublished, s.rejected),
                (arts.len(), published, duplicates, unpublished, 0),
                "{} run: {:?}", run, built.problems
            );
            prop_assert_eq!(&built_feeds(&built.files), &expected, "{} run", run);
        }
    }
}

/// The command from issue 16: a file and its copy (same link, same date) publish the
/// article once, in every feed it belongs in.
#[test]
fn a_file_and_its_copy_publish_the_article_once() {
    let text = "---\ntitle: One\npublishedDateTime: 2024-03-01T09:00:00Z\nwebUrl: https://x.example/a\ntopics: [AI]\n---\n";
    let project = Project::empty()
        .with_file("articles/a.md", text)
        .with_file("articles/copy.md", text);
    for cache in [false, true] {
        let built = build_in_memory(project.path(), 50, &[], cache);
        let feeds = built_feeds(&built.files);
        assert_eq!(feeds["feed.json"], ["One"], "cache {cache}");
        assert_eq!(feeds["topics/ai/feed.json"], ["One"], "cache {cache}");
        assert_eq!((built.summary.published, built.summary.duplicates), (1, 1));
        let rss = String::from_utf8(built.files[std::path::Path::new("rss.xml")].clone()).unwrap();
        assert_eq!(rss.matches("<item>").count(), 1);
    }
}
