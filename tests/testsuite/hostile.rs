//! Hostile input: every case is a fixture folder under `hostile/` (or files written here when
//! they are too large or too odd to commit), run through the real binary at a fixed clock,
//! with its exact outcome asserted: exit status, messages, and what the output holds.

use snapbox::str;

use crate::harness::xml::{html_decode, strict_files, texts};
use crate::harness::{Project, NOW};

/// A copy of `hostile/<case>`, built at the fixed clock.
fn hostile(case: &str) -> Project {
    Project::fixture(&format!("hostile/{case}")).clock(NOW)
}

/// An empty project at the fixed clock, for articles written by the test.
fn scratch() -> Project {
    Project::empty().clock(NOW)
}

/// Every XML output of `project`, strictly parsed.
fn outputs(project: &Project) -> Vec<(String, String)> {
    strict_files(&project.join("feeds"))
}

fn article(url: &str, extra: &str) -> String {
    format!("---\ntitle: \"T\"\nwebUrl: \"{url}\"\npublishedDateTime: 2023-01-01T00:00:00Z\n{extra}---\n")
}

#[test]
fn markup_in_text_reaches_readers_as_the_same_literal_text_escaped_once() {
    let project = hostile("markup");
    project.build().status(0);
    let title = "<script>alert(1)</script> & &amp; ]]> <![CDATA[x]]> \"q\" 's";
    let excerpt = "Tags like <b>bold</b> & entities like &lt; stay literal text. ]]> too.";
    let outputs = outputs(&project);
    assert!(!outputs.is_empty());
    for (path, xml) in outputs {
        if path.ends_with("rss.xml") {
            let titles = texts(&xml, "title");
            assert_eq!(titles[1], title, "{path}");
            // description is HTML: decoding the HTML once gives the text back.
            assert_eq!(
                html_decode(&texts(&xml, "description")[1]),
                excerpt,
                "{path}"
            );
            assert_eq!(texts(&xml, "creator"), ["AT&T <News>"], "{path}");
        } else {
            // Atom titles and summaries are type="text": XML-decoded once, nothing more.
            assert_eq!(texts(&xml, "title")[1], title, "{path}");
            assert_eq!(texts(&xml, "summary")[0], excerpt, "{path}");
        }
        let lower = xml.to_lowercase();
        // Tags may appear only escaped (as text the reader sees), never as live markup.
        for tag in ["<script", "<iframe", "<style", "<form"] {
            for (i, _) in lower.match_indices(tag) {
                let before = &lower[..i];
                assert!(
                    before.ends_with("&lt;") || before.ends_with("&#x3c;"),
                    "{path}: live {tag}"
                );
            }
        }
        for attr in ["onerror", "onclick", "javascript:", "data:text"] {
            assert!(!lower.contains(attr), "{path}: {attr}");
        }
        assert!(
            xml.contains("https://news.example.org/other/page"),
            "relative link resolved: {path}"
        );
    }
}

#[test]
fn forbidden_xml_characters_never_reach_the_output() {
    let project = hostile("control-chars");
    project.build().status(0);
    let outputs = outputs(&project);
    assert!(outputs.iter().any(|(path, _)| path == "rss.xml"));
    for (path, xml) in outputs {
        assert!(
            !xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')),
            "{path}"
        );
        if path == "rss.xml" {
            assert_eq!(texts(&xml, "title")[1], "Bell here and and and end");
            assert_eq!(texts(&xml, "category"), ["Control"]);
        }
    }
}

#[test]
fn only_absolute_http_urls_are_published_and_the_rest_reported() {
    let project = hostile("urls");
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
warning: provider domain "evil.example.com/path?x=<1>" is not a host name, such as example.com; it was left out
 --> articles/good.txt:5:41
  |
5 | provider: {name: "Evil Domain", domain: "evil.example.com/path?x=<1>"}
  |                                         ^

warning: images[0].url "ftp://img.example.org/a.jpg" must be an http or https URL; the image was left out
 --> articles/good.txt:7:11
  |
7 |   - {url: "ftp://img.example.org/a.jpg"}
  |           ^

warning: images[1].url "data:image/png;base64,AAAA" must be an http or https URL; the image was left out
 --> articles/good.txt:8:11
  |
8 |   - {url: "data:image/png;base64,AAAA"}
  |           ^

warning: images[2].url "//img.example.org/proto-relative.jpg" has no scheme: add https: in front of it; the image was left out
 --> articles/good.txt:9:11
  |
9 |   - {url: "//img.example.org/proto-relative.jpg"}
  |           ^

warning: related[0].webUrl "javascript:alert(1)" must be an http or https URL; the item was left out
  --> articles/good.txt:12:27
   |
12 |   - {title: "JS", webUrl: "javascript:alert(1)"}
   |                           ^

warning: related[1].webUrl "vbscript:x" must be an http or https URL; the item was left out
  --> articles/good.txt:13:27
   |
13 |   - {title: "Vb", webUrl: "vbscript:x"}
   |                           ^

error: `webUrl` "javascript:alert(1)" must be an http or https URL
 --> articles/js-link.txt:3:9
  |
3 | webUrl: "javascript:alert(1)"
  |         ^

error: `webUrl` "mailto:desk@example.org" must be an http or https URL
 --> articles/mailto-link.txt:3:9
  |
3 | webUrl: "mailto:desk@example.org"
  |         ^

error: `webUrl` "/news/relative" is not an absolute URL: write it whole, starting with https://
 --> articles/relative-link.txt:3:9
  |
3 | webUrl: "/news/relative"
  |         ^

feedsmith: 4 articles read: 1 published, 0 unpublished, 3 rejected; 11 files written, 0 unchanged

"#]]);
    let outputs = outputs(&project);
    assert!(!outputs.is_empty());
    for (path, xml) in outputs {
        let doc = roxmltree::Document::parse(&xml).unwrap();
        for node in doc.descendants() {
            for attr in node.attributes() {
                if matches!(attr.name(), "href" | "url" | "src" | "uri") {
                    assert!(
                        attr.value().starts_with("https://"),
                        "{path}: {}",
                        attr.value()
                    );
                }
            }
            if matches!(node.tag_name().name(), "link" | "guid" | "uri") {
                if let Some(t) = node.text().filter(|t| !t.trim().is_empty()) {
                    assert!(t.starts_with("https://"), "{path}: {t}");
                }
            }
        }
        assert!(!xml.contains("evil.example.com"), "{path}");
    }
}

#[test]
fn no_topic_name_can_write_outside_the_output_folder() {
    let project = hostile("topic-names");
    project
        .build()
        .status(0)
        .stderr(str![[r#"
warning: articles/a.txt: topic names share the slug "c": "c" gets c, "c++" gets c-0dae8bb0; see "Topic slugs" in docs/output.md
warning: 2 empty topic names were ignored
  --> articles/a.txt:11:5
   |
11 |   - ""
   |     ^

feedsmith: 1 article read: 1 published, 0 unpublished, 0 rejected; 55 files written, 0 unchanged

"#]]);
    let x60 = "x".repeat(60);
    let mut expected = vec![
        "a-b",
        "abs",
        "c",
        "c-0dae8bb0",
        "con-topic",
        "etc",
        "fire-fire",
        "hidden",
        "nul-txt",
        "ri-ben",
        "topic-b4a03f2d",
        &x60,
    ];
    expected.sort();
    assert_eq!(project.entries("feeds/topics"), expected);
    // Nothing escaped: the project holds only the input and the output (the cache is in
    // the user's cache folder).
    assert_eq!(project.entries("."), ["articles", "feeds"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_to_a_file_outside_the_input_is_not_followed() {
    use std::os::unix::fs::symlink;

    let outside = scratch().with_file(
        "outside.txt",
        "---\ntitle: \"Outside secret\"\nwebUrl: https://e.com/outside\npublishedDateTime: 2023-01-01T00:00:00Z\n---\n",
    );
    let project = Project::fixture("fixtures/collisions").clock(NOW);
    symlink(
        outside.join("outside.txt"),
        project.join("articles/link.txt"),
    )
    .unwrap();
    symlink(outside.path(), project.join("articles/linked-dir.txt")).unwrap();
    // A link to a file inside the folder is fine.
    symlink("c.txt", project.join("articles/inside-link.txt")).unwrap();
    project
        .build()
        .status(0)
        .stderr(str![[r#"
warning: articles/c.txt: topic names share the slug "c": "c" gets c, "c#" gets c-b54a8023, "c++" gets c-0dae8bb0; see "Topic slugs" in docs/output.md
warning: articles/inside-link.txt: same webUrl (https://news.example.org/c) as articles/c.txt, which has the same date and sorts first by path, and is published instead
warning: articles/link.txt: skipped: a symbolic link to a file outside the input folder, which is not followed; copy the file into the input folder to publish it
warning: articles/linked-dir.txt: skipped: a symbolic link to a folder, which is not followed; move or copy the articles into the input folder to publish them
feedsmith: 4 articles read: 3 published, 0 unpublished, 0 rejected, 1 duplicate; 19 files written, 0 unchanged

"#]]);
    for (path, xml) in outputs(&project) {
        assert!(!xml.contains("Outside secret"), "{path}");
    }
}

#[test]
fn timestamps_follow_the_documented_rules() {
    let project = hostile("timestamps");
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: `publishedDateTime` "2023-03-01" is a date alone: add a time and an offset, e.g. 2023-03-01T00:00:00Z (UTC) or 2023-03-01T00:00:00+01:00
 --> articles/date-only.txt:4:20
  |
4 | publishedDateTime: 2023-03-01
  |                    ^

warning: articles/far-future.txt: dated in the future (2999-01-01T00:00:00+00:00); held back until a build after that time
error: `publishedDateTime` "2022-02-30T10:00:00Z" is not a day of the calendar: February 2022 has 28 days
 --> articles/impossible.txt:4:20
  |
4 | publishedDateTime: 2022-02-30T10:00:00Z
  |                    ^

error: `publishedDateTime` "2023-03-01T12:00:00" has no offset: add Z for UTC (2023-03-01T12:00:00Z) or the offset of its time zone, such as 2023-03-01T12:00:00+01:00
 --> articles/no-zone.txt:4:20
  |
4 | publishedDateTime: 2023-03-01T12:00:00
  |                    ^

error: `publishedDateTime` "0000-01-01T00:00:00Z" is out of range: dates must fall in the years 1970 to 9999
 --> articles/year-0.txt:4:20
  |
4 | publishedDateTime: 0000-01-01T00:00:00Z
  |                    ^

error: `publishedDateTime` "10000-01-01T00:00:00Z" is not a date-time: write RFC 3339 with a time and an offset, e.g. 2022-05-26T22:46:00Z or 2022-05-26T22:46:00+05:30
 --> articles/year-10000.txt:4:20
  |
4 | publishedDateTime: 10000-01-01T00:00:00Z
  |                    ^

error: `publishedDateTime` "1969-12-31T23:59:59Z" is out of range: dates must fall in the years 1970 to 9999
 --> articles/year-1969.txt:4:20
  |
4 | publishedDateTime: 1969-12-31T23:59:59Z
  |                    ^

warning: articles/year-9999.txt: dated in the future (9999-12-31T23:59:59+00:00); held back until a build after that time
feedsmith: 11 articles read: 3 published, 0 unpublished, 6 rejected, 2 scheduled (the next for 2999-01-01T00:00:00+00:00); 7 files written, 0 unchanged

"#]])
        .file("feeds/rss.xml", |rss| {
            assert_eq!(
                texts(rss, "pubDate"),
                [
                    "Wed, 1 Mar 2023 12:00:00 +0000",
                    "Wed, 1 Mar 2023 12:00:00 +0000",
                    "Wed, 1 Mar 2023 12:00:00 +0530"
                ]
            );
        })
        .file("feeds/atom.xml", |atom| {
            let published = texts(atom, "published");
            for date in ["2023-03-01T12:00:00.123456+00:00", "2023-03-01T12:00:00+05:30"] {
                assert!(published.iter().any(|p| p == date), "{date}: {published:?}");
            }
        });
    // The scheduled article is published by a build after its date.
    project
        .cmd(["check", "--input", "articles"])
        .env("SOURCE_DATE_EPOCH", "32503680000") // year 3000
        .run()
        .status(1)
        .summary("feedsmith: 11 articles checked[..]: 4 publishable, 0 unpublished, 6 rejected, 1 scheduled (the next for 9999-12-31T23:59:59+00:00)");
}

#[test]
fn encodings_and_odd_files_get_clear_messages() {
    let project = hostile("encoding");
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r##"
error: the file is not valid UTF-8; save it as UTF-8
 --> articles/binary.txt:2:118
  |
2 | ��������������������� !"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[/]^_`abcdefghijklmnopqrstuvwxyz{|}~�����������������...
  |                                                                                                                      ^

error: articles/empty.txt: the file is empty; an article starts with a `---` line, then YAML front matter, then `---`
error: the file is not valid UTF-8; save it as UTF-8
 --> articles/invalid-utf8.txt:2:12
  |
2 | title: "caf�"
  |            ^

error: this line holds a control character (U+0000), which YAML does not allow: delete it
 --> articles/nul-inside.txt:2:10
  |
2 | title: "A�B"
  |          ^

feedsmith: 6 articles read: 2 published, 0 unpublished, 4 rejected; 7 files written, 0 unchanged

"##]])
        .file("feeds/rss.xml", |rss| {
            assert!(rss.contains("<title>With BOM</title>"), "{rss}");
            assert!(rss.contains("<title>With CRLF</title>"), "{rss}");
            assert!(
                !rss.contains('\r'),
                "CRLF bodies are normalised by the XML writer or Markdown"
            );
        });
}

#[test]
fn wrong_types_name_the_field_line_and_column() {
    hostile("wrong-types")
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: `title` appears a second time: a key may appear only once; keep one of the two
 --> articles/duplicate-key.txt:5:1
  |
5 | title: "Second title"
  | ^

error: invalid front matter: invalid type: sequence, expected a mapping of `key: value` lines
 --> articles/not-a-mapping.txt:2:1
  |
2 | - a list
  | ^

error: invalid front matter: published: invalid type: string "false", expected a boolean
 --> articles/published-string.txt:5:12
  |
5 | published: "false"
  |            ^

error: invalid front matter: quality: invalid type: string "high", expected a score: a finite number, zero or more
 --> articles/quality-string.txt:5:10
  |
5 | quality: "high"
  |          ^

error: invalid front matter: topics: invalid type: string "AI", expected a sequence
 --> articles/topics-string.txt:5:9
  |
5 | topics: AI
  |         ^

error: invalid front matter: images[0].width: invalid type: string "wide", expected a whole number (0 to 4294967295)
 --> articles/width-text.txt:7:12
  |
7 |     width: wide
  |            ^

feedsmith: 7 articles read: 1 published, 0 unpublished, 6 rejected; 7 files written, 0 unchanged

"#]])
        // A number where text is expected is read as its text (documented coercion).
        .file("feeds/rss.xml", |rss| {
            assert!(rss.contains("<title>2024</title>"), "{rss}");
        });
}

#[test]
fn yaml_quote_faults_are_explained_at_the_quote_where_they_start() {
    hostile("yaml-quotes")
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr_verbatim(str![[r#"
error: this quote ends the value, but more text follows it: put the whole value inside the quotes, and write an apostrophe inside it as ''
 --> articles/apostrophe.txt:2:11
  |
2 | title: 'It's here'
  |           ^

error: this value holds `: `, which YAML reads as the start of a key: put the whole value in double quotes
 --> articles/colon-in-value.txt:2:8
  |
2 | title: Breaking: a colon
  |        ^

error: the quote that opens this value is never closed: the \" at the end of the line is an escaped quote, not the end; write a backslash as \\, or use single quotes
 --> articles/escaped-quote.txt:2:8
  |
2 | title: "Files in C:\\files\"
  |        ^

error: the quote that opens this value is never closed: end it with " on the same line, or use single quotes
 --> articles/unclosed-double.txt:2:8
  |
2 | title: "Broken quoting
  |        ^

error: the quote that opens this value is never closed: end it with ' on the same line, or use double quotes
 --> articles/unclosed-single.txt:2:8
  |
2 | title: 'Broken quoting
  |        ^

error: `\d` is not an escape YAML knows: write a backslash as \\, or use single quotes, in which \ is plain
 --> articles/unknown-escape.txt:2:11
  |
2 | title: "A \d escape"
  |           ^

feedsmith: 6 articles read: 0 published, 0 unpublished, 6 rejected; 7 files written, 0 unchanged

"#]]);
}

#[test]
fn yaml_indentation_faults_and_tabs_are_explained_at_the_line_that_is_out_of_place() {
    hostile("yaml-indentation")
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: a list's `- ` entries go on their own lines below `topics:`, indented, not on its line; if the value is text, put it in quotes
 --> articles/entry-on-key-line.txt:5:9
  |
5 | topics: - AI
  |         ^

error: this `- ` entry is indented by 1 space, the entries above it by 2 spaces: line it up with them
 --> articles/entry-out-of-line.txt:7:2
  |
7 |  - Chips
  |  ^

error: this line stands among the `- ` entries of `topics` but is not one: start it with `- ` to add an entry, or indent it like `topics` to end the list
 --> articles/key-among-entries.txt:6:3
  |
6 |   publishedDateTime: 2023-04-02T10:00:00Z
  |   ^

error: this line is indented by 2 spaces, which lines up with no key above it: indent it like `name` (4 spaces) or like `provider` (no spaces)
 --> articles/key-indented-less.txt:7:3
  |
7 |   domain: example.org
  |   ^

error: `webUrl` is indented more than `title` above it, so YAML reads it as part of the value of `title`: indent it like `title` (no spaces)
 --> articles/key-indented-more.txt:3:3
  |
3 |   webUrl: https://news.example.org/indent/over
  |   ^

error: a tab indents this line: YAML indents with spaces only; replace the tab with spaces
 --> articles/tab-indent.txt:3:1
  |
3 | →webUrl: https://news.example.org/indent/tab
  | ^

error: a tab indents this line: YAML indents with spaces only; replace the tab with spaces
 --> articles/tab-nested.txt:6:1
  |
6 | →name: Example News
  | ^

feedsmith: 7 articles read: 0 published, 0 unpublished, 7 rejected; 7 files written, 0 unchanged

"#]]);
}

#[test]
fn yaml_structure_faults_are_explained_at_the_key_or_bracket_at_fault() {
    hostile("yaml-structure")
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: `name` appears a second time in `provider`: a key may appear only once; keep one of the two
 --> articles/duplicate-key.txt:8:3
  |
8 |   name: Other News
  |   ^

error: this line is not a `key: value` pair: add the `:` after its key, or indent it to continue the value above
 --> articles/no-colon.txt:5:1
  |
5 | excerpt
  | ^

error: a line that starts with `---` or `...` ends the YAML here, but more follows: the front matter ends only at a line that is exactly `---`; remove this line or change how it starts
 --> articles/second-document.txt:4:1
  |
4 | --- draft
  | ^

error: `*` at the start of a value marks a reference to an anchor in YAML: if the value is text, put it in quotes
 --> articles/star-value.txt:5:10
  |
5 | excerpt: *bold* claims
  |          ^

error: this `]` closes no `[`: remove it
 --> articles/stray-bracket.txt:5:13
  |
5 | topics: [AI]]
  |             ^

error: the `[` that opens this list is never closed: end the list with `]`
 --> articles/unclosed-list.txt:4:9
  |
4 | topics: [AI, Chips
  |         ^

error: the `{` that opens this mapping is never closed: end the mapping with `}`
 --> articles/unclosed-mapping.txt:4:11
  |
4 | provider: {name: Example News, domain: example.org
  |           ^

feedsmith: 7 articles read: 0 published, 0 unpublished, 7 rejected; 7 files written, 0 unchanged

"#]]);
}

#[test]
fn resource_limits_reject_or_trim_with_clear_messages() {
    let project = scratch();
    // Over the 1 MiB default.
    let mut big = article("https://e.com/big", "");
    big.push_str(&"word ".repeat(220_000));
    project.write("articles/big.txt", big);
    // 10,000 topics: published with the first 100.
    let topics: String = (0..10_000).map(|i| format!("  - topic {i}\n")).collect();
    project.write(
        "articles/topics.txt",
        article("https://e.com/topics", &format!("topics:\n{topics}")),
    );
    // 500 related items: published, trimmed to 20.
    let related: String = (0..500)
        .map(|i| format!("  - {{title: \"R{i}\", webUrl: \"https://r.example.org/{i}\"}}\n"))
        .collect();
    project.write(
        "articles/related.txt",
        article("https://e.com/related", &format!("related:\n{related}")),
    );
    // Deep nesting.
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    project.write(
        "articles/deep.txt",
        article("https://e.com/deep", &format!("related: {deep}\n")),
    );
    // An alias bomb (billion laughs) in a field that is read.
    let mut bomb = String::from(
        "x0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        bomb.push_str(&format!("x{i}: &a{i} [{}]\n", [p.as_str(); 9].join(",")));
    }
    bomb.push_str("topics: *a9\n");
    project.write("articles/bomb.txt", article("https://e.com/bomb", &bomb));
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: articles/big.txt: the file is larger than the limit of 1048576 bytes; shorten it or raise max_file_bytes in feedsmith.yaml
error: invalid front matter: topics[0]: invalid type: sequence, expected a string
  --> articles/bomb.txt:13:5
   |
13 | x8: &a8 [*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7,*a7]
   |     ^

error: the front matter nests more than 64 levels deep here; an article needs a few at most: look for unclosed or repeated `[`, `{` or `- `
 --> articles/deep.txt:5:73
  |
5 | related: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[...
  |                                                                         ^

warning: 500 related items; only the first 20 are published
  --> articles/related.txt:26:5
   |
26 |   - {title: "R20", webUrl: "https://r.example.org/20"}
   |     ^

warning: 10000 topics; only the first 100 are published
   --> articles/topics.txt:106:5
    |
106 |   - topic 100
    |     ^

feedsmith: 5 articles read: 2 published, 0 unpublished, 3 rejected; 407 files written, 0 unchanged

"#]])
        .file("feeds/atom.xml", |atom| {
            assert_eq!(atom.matches("rel=\"related\"").count(), 20);
        })
        .file("feeds/topics/topic-0/rss.xml", |rss| {
            assert!(rss.contains("https://e.com/topics"), "{rss}");
        })
        .file("feeds/topics/topic-99/rss.xml", |rss| {
            assert!(rss.contains("https://e.com/topics"), "{rss}");
        })
        .no_file("feeds/topics/topic-100");
}

#[test]
fn secured_values_of_any_shape_appear_nowhere() {
    let project = scratch()
        .with_file(
            "articles/a.txt",
            article(
                "https://e.com/a",
                "topics: [X]\nsecured:\n  key: LEAK-MAPPING-VALUE\n  list: [LEAK-LIST-VALUE]\n",
            ),
        )
        .with_file(
            "articles/b.txt",
            article(
                "https://e.com/b",
                "topics: [X]\nsecured: LEAK-SCALAR-VALUE\n",
            ),
        );
    project.build().status(0);
    let outputs = project.tree("feeds");
    assert!(
        outputs.contains_key("topics/x/rss.xml"),
        "{:?}",
        outputs.keys()
    );
    for (path, bytes) in outputs {
        assert!(!String::from_utf8_lossy(&bytes).contains("LEAK-"), "{path}");
    }
}

/// A crafted article of about 1 MiB (under the default `max_file_bytes`): the header, then
/// `field` with `nest` repeated until the file is full.
fn crafted(url: &str, field: &str, nest: &str) -> String {
    let head = article(url, "");
    let head = head.trim_end_matches("---\n");
    let room = 1024 * 1024 - head.len() - field.len() - 16;
    format!("{head}{field}{}\n---\n", nest.repeat(room / nest.len()))
}

#[test]
fn crafted_nesting_of_every_kind_is_rejected_before_the_yaml_parser() {
    let project = scratch().with_file(
        "articles/good.txt",
        article("https://e.com/good", "topics: [Kept]\n"),
    );
    // (file, field text, what repeats, the place the 65th level starts: line, column).
    // The article's header takes lines 1 to 4; the top-level mapping is the first level.
    let cases = [
        ("flow-seq-topics", "topics: ", "[", 5, 8 + 64),
        ("flow-map-topics", "topics: ", "{", 5, 8 + 64),
        ("flow-mixed-excerpt", "excerpt: ", "[{", 5, 9 + 64),
        ("flow-seq-image", "images:\n  - url: ", "[", 6, 9 + 62),
        ("flow-map-unknown", "extra: ", "{", 5, 7 + 64),
        ("block-seq-topics", "topics:\n", "- ", 6, 2 * 63 + 1),
        ("block-seq-related", "related:\n", "- ", 6, 2 * 63 + 1),
    ];
    for (name, field, nest, _, _) in cases {
        project.write(
            &format!("articles/{name}.txt"),
            crafted(&format!("https://e.com/{name}"), field, nest),
        );
    }
    // Nested block mappings, one level per line: `a:` indented one more space each time.
    let mut mappings = article("https://e.com/mappings", "")
        .trim_end_matches("---\n")
        .to_string();
    mappings.push_str("extra:\n");
    for depth in 1.. {
        let line = format!("{}a:\n", " ".repeat(depth));
        if mappings.len() + line.len() > 1024 * 1024 - 8 {
            break;
        }
        mappings.push_str(&line);
    }
    mappings.push_str("---\n");
    project.write("articles/block-map-unknown.txt", mappings);
    const MESSAGE: &str = "the front matter nests more than 64 levels deep here; an article needs a few at most: look for unclosed or repeated `[`, `{` or `- `";
    let mut expected: Vec<(String, usize, usize)> = cases
        .iter()
        .map(|(name, _, _, line, column)| (format!("articles/{name}.txt"), *line, *column))
        .collect();
    // `extra:` is line 5 and level 1; the 64th `a:` (line 69, column 65) is level 65.
    expected.push(("articles/block-map-unknown.txt".to_string(), 69, 65));
    expected.sort();
    let run = project
        .build_with(&["--skip-invalid", "--report", "json"])
        .status(0);
    let report = run.stdout_json();
    let found: Vec<(String, usize, usize)> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["message"], MESSAGE);
            assert_eq!(p["severity"], "error");
            let at = |k: &str| p[k].as_u64().unwrap() as usize;
            (
                p["file"].as_str().unwrap().to_string(),
                at("line"),
                at("column"),
            )
        })
        .collect();
    assert_eq!(found, expected);
    assert_eq!(report["summary"]["published"], 1);
    assert_eq!(report["summary"]["rejected"], 8);
    // The text report names each place as rustc does, under the message.
    let stderr = run.stderr_text();
    assert_eq!(stderr.matches(&format!("error: {MESSAGE}\n")).count(), 8);
    for (file, line, column) in &expected {
        assert!(
            stderr.contains(&format!("--> {file}:{line}:{column}\n")),
            "{file}:{line}:{column} in\n{stderr}"
        );
    }
    run.file("feeds/topics/kept/rss.xml", |rss| {
        assert!(
            rss.contains("https://e.com/good"),
            "the good article is still published"
        );
    });
}

#[test]
fn a_long_alias_chain_is_parsed_in_linear_time_and_judged_by_its_value() {
    // 30,000 anchors, each a list holding the previous one: well-formed YAML whose expansion
    // is deep but whose text is not nested. In an unknown field it is read past; as topics it
    // is the wrong type.
    let mut chain = String::from("extra:\n  x0: &a0 [x]\n");
    for i in 1..30_000 {
        chain.push_str(&format!("  x{i}: &a{i} [*a{}]\n", i - 1));
    }
    let project = scratch()
        .with_file(
            "articles/unknown.txt",
            article("https://e.com/unknown", &chain),
        )
        .with_file(
            "articles/topics.txt",
            article("https://e.com/topics", &format!("{chain}topics: *a29999\n")),
        );
    project
        .build_with(&["--skip-invalid"])
        .status(0)
        .stderr(str![[r#"
error: invalid front matter: topics[0]: invalid type: sequence, expected a string
     --> articles/topics.txt:30004:11
      |
30004 |   x29998: &a29998 [*a29997]
      |           ^

feedsmith: 2 articles read: 1 published, 0 unpublished, 1 rejected; 7 files written, 0 unchanged

"#]]);
}
