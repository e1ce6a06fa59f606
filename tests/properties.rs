//! Property tests: for arbitrary field values (any Unicode, any length, any URL-like string)
//! a build either rejects the article with a message naming it, or writes feeds that a strict
//! XML parser accepts and whose decoded text equals the input text.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use feedsmith::settings::Site;
use feedsmith::{Output, Settings};

fn settings(dir: &Path) -> Settings {
    let site = Site {
        title: "Props".into(),
        base_url: "https://example.com/feeds/".into(),
        site_url: "https://example.com/".into(),
        description: "Property tests".into(),
        language: "en".into(),
        author: "Props".into(),
    };
    Settings {
        kinds: vec![feedsmith::group::Kind::Topic],
        ..Settings::new(dir.join("articles"), dir.join("feeds"), site)
    }
}

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

/// Decodes the five HTML entities our escaping can produce, left to right, once.
fn html_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let mut done = false;
        for (entity, c) in [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ] {
            if let Some(r) = rest.strip_prefix(entity) {
                out.push(c);
                rest = r;
                done = true;
                break;
            }
        }
        if !done {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
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

struct Built {
    rejected: Vec<String>,
    files: Vec<(String, String)>,
}

fn build(title: &str, excerpt: &str, topic: &str, provider: &str, url: &str) -> Built {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("articles")).unwrap();
    let text = format!(
        "---\ntitle: {}\nexcerpt: {}\nwebUrl: {}\npublishedDateTime: 2023-01-01T00:00:00Z\nprovider:\n  name: {}\ntopics:\n  - {}\n---\n",
        yaml_string(title),
        yaml_string(excerpt),
        yaml_string(url),
        yaml_string(provider),
        yaml_string(topic)
    );
    fs::write(dir.path().join("articles/a.txt"), text).unwrap();
    let settings = settings(dir.path());
    let report = feedsmith::build(&settings, &Output::new(&settings.output)).unwrap();
    let rejected = report
        .problems
        .iter()
        .filter(|p| p.is_error())
        .map(|p| p.to_string())
        .collect();
    let mut files = Vec::new();
    if !report.stopped {
        for entry in walkdir::WalkDir::new(&settings.output) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "xml") {
                let bytes = fs::read(entry.path()).unwrap();
                let text = String::from_utf8(bytes).expect("UTF-8 output");
                if let Err(e) = roxmltree::Document::parse(&text) {
                    panic!("{} is not well-formed: {e}\n{text}", entry.path().display());
                }
                files.push((entry.path().display().to_string(), text));
            }
        }
    }
    Built { rejected, files }
}

fn element_texts(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
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
                prop_assert_eq!(html_decode(&titles[1]), expected_line(&title), "{}", path);
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
