//! The front-matter fast path against yaml_serde: the input's text is front matter (what sits
//! between the `---` lines).
//!
//! Whenever `feedsmith::article::fast::parse` answers, yaml_serde must accept the same text
//! and give the very same `Article`, and ignore the very same keys. When the fast path says "don't know" there is nothing to
//! check: yaml_serde decides, as it does without the fast path.
#![no_main]

use feedsmith::article::{fast, reference};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(front) = std::str::from_utf8(data) else {
        return;
    };
    let Some(article) = fast::parse(front) else {
        return;
    };
    match reference(front) {
        Ok(reference) => assert_eq!(article, reference, "the parsers disagree on {front:?}"),
        Err(e) => panic!("the fast path accepts what yaml_serde rejects ({e}): {front:?}"),
    }
});
