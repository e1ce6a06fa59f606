//! Property tests: for arbitrary field values (any Unicode, any length, any URL-like string)
//! a build either rejects the article with a message naming it, or writes feeds that a strict
//! XML parser accepts and whose decoded text equals the input text.

use proptest::prelude::*;

use crate::harness::library;
use crate::harness::xml::{html_decode, strict_files, texts as element_texts};
use crate::harness::Project;

/// What XML 1.0 can carry, decided here independently of the code under test.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The text a reader should see for a one-line field: XML-forbidden and control characters
/// gone, whitespace runs collapsed.
fn expected_line(s: &str) -> String {
    let kept: String = s.chars().filter(|&c| xml_char(c)).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` as a YAML double-quoted scalar: every character that is not printable ASCII is written
/// as an escape, so any Unicode text survives the trip exactly.
fn yaml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xff => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xffff => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// What a library build of one article made.
struct Built {
    /// The error messages.
    rejected: Vec<String>,
    /// Every XML output, strictly parsed, as (path, text).
    files: Vec<(String, String)>,
}

/// Builds one article with these fields through the library, topic feeds only.
fn build(title: &str, excerpt: &str, topic: &str, provider: &str, url: &str) -> Built {
    let text = format!(
        "---\ntitle: {}\nexcerpt: {}\nwebUrl: {}\npublishedDateTime: 2023-01-01T00:00:00Z\nprovider:\n  name: {}\ntopics:\n  - {}\n---\n",
        yaml_string(title),
        yaml_string(excerpt),
        yaml_string(url),
        yaml_string(provider),
        yaml_string(topic)
    );
    let project = Project::empty().with_file("articles/a.txt", text);
    let built = library::build_topic_feeds(project.path());
    let files = if built.stopped {
        Vec::new()
    } else {
        strict_files(&project.join("feeds"))
    };
    Built {
        rejected: built.errors,
        files,
    }
}

/// Text that stresses escaping: any Unicode scalar, C0/C1 controls, U+FFFE/U+FFFF, XML and
/// HTML specials, and the sequences that break naive writers, mixed with plain words.
fn hostile_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9 ]{1,6}",
        2 => any::<char>().prop_map(String::from),
        2 => prop::char::range('\u{0}', '\u{9f}').prop_map(String::from),
        2 => prop::sample::select(vec!["<", ">", "&", "\"", "'", "]]>", "<![CDATA[", "&amp;", "&lt;", "&#x26;", "<script>", "\u{fffe}", "\u{ffff}", "\u{85}", "\r\n", "\t"]).prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|parts| parts.concat())
}

fn url_like() -> impl Strategy<Value = String> {
    prop_oneof![
        "https://[a-z]{1,10}\\.example\\.org/[ -~]{0,30}",
        "(https?|ftp|javascript|data|mailto)://?[ -~]{0,30}",
        hostile_text(),
        hostile_text().prop_map(|t| format!("https://{t}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_text_is_rejected_with_a_message_or_published_exactly(
        title in hostile_text(),
        excerpt in hostile_text(),
        topic in hostile_text(),
        provider in hostile_text(),
    ) {
        let built = build(&title, &excerpt, &topic, &provider, "https://news.example.org/a?x=1&y=2");
        if !built.rejected.is_empty() {
            prop_assert!(built.rejected.iter().all(|m| m.contains("a.txt")), "{:?}", built.rejected);
            prop_assert!(expected_line(&title).is_empty(), "a title with text was rejected: {:?}", built.rejected);
            return Ok(());
        }
        prop_assert!(!built.files.is_empty());
        for (path, xml) in &built.files {
            if path.ends_with("rss.xml") {
                let titles = element_texts(xml, "title");
                prop_assert_eq!(&titles[1], &expected_line(&title), "{}", path);
                // XML 1.0 end-of-line handling: CR LF and lone CR read as LF.
                let excerpt_text = excerpt
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .chars()
                    .filter(|&c| xml_char(c))
                    .collect::<String>();
                let descriptions = element_texts(xml, "description");
                if !excerpt_text.trim().is_empty() {
                    prop_assert_eq!(html_decode(&descriptions[1]), excerpt_text.trim(), "{}", path);
                }
                if !expected_line(&provider).is_empty() {
                    prop_assert_eq!(&element_texts(xml, "creator")[0], &expected_line(&provider));
                }
                if !expected_line(&topic).is_empty() {
                    prop_assert_eq!(&element_texts(xml, "category")[0], &expected_line(&topic));
                }
            } else {
                let titles = element_texts(xml, "title");
                // Atom titles are type="text": XML-decoded once, nothing more.
                prop_assert_eq!(&titles[1], &expected_line(&title), "{}", path);
            }
        }
    }

    #[test]
    fn any_url_is_rejected_with_a_message_or_published_as_absolute_http(url in url_like()) {
        let built = build("Title", "Excerpt", "Topic", "Provider", &url);
        if !built.rejected.is_empty() {
            prop_assert!(built.rejected.iter().all(|m| m.contains("a.txt") && m.contains("webUrl")), "{:?}", built.rejected);
            return Ok(());
        }
        for (path, xml) in &built.files {
            let links = if path.ends_with("rss.xml") { element_texts(xml, "guid") } else { element_texts(xml, "id") };
            let link = links.last().unwrap();
            let parsed = url::Url::parse(link);
            prop_assert!(parsed.is_ok(), "{}: {}", path, link);
            let parsed = parsed.unwrap();
            prop_assert!(matches!(parsed.scheme(), "http" | "https"), "{}", link);
            prop_assert!(parsed.host_str().is_some_and(|h| !h.is_empty()), "{}", link);
        }
    }
}
