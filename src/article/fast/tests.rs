//! The fast path against yaml_serde: hand-picked cases that must be taken (and agree) or be
//! left to yaml_serde, and a differential property test over article-like documents.

use super::super::model::{Article, Secured, Text};
use super::super::nesting;
use super::super::reference::reference as slow;
use super::*;

/// The fast path's answer, checked against yaml_serde's whenever it gives one: the same
/// article, and the same keys not read.
fn differential(front: &str) -> Option<Article<'_>> {
    let fast = parse(front)?;
    match slow(front) {
        Ok(reference) => assert_eq!(fast, reference, "the two parsers disagree on {front:?}"),
        Err(e) => panic!("the fast path accepts what yaml_serde rejects ({e}): {front:?}"),
    }
    assert_eq!(
        nesting::too_deep(front, nesting::MAX_DEPTH),
        None,
        "the fast path accepts what the nesting guard rejects: {front:?}"
    );
    Some(fast.article)
}

fn taken(front: &str) -> Article<'_> {
    differential(front).unwrap_or_else(|| panic!("the fast path bails on {front:?}"))
}

fn left(front: &str) {
    assert!(
        parse(front).is_none(),
        "the fast path takes {front:?}, which it should leave to yaml_serde"
    );
}

const SEED_LIKE: &str = "category: news
title: \"Microsoft Azure to spin up 'large scale' AI\"
excerpt: 'It''s “large-scale”, said Azure'
publishedDateTime: 2022-05-26T22:46:00Z
webUrl: \"https://www.theregister.com/2022/05/26/amd/?td=amp\"
type: article
quality: 102
heat: 142.5
published: true

provider:
  name: theregister
  domain: theregister.com

topics:
  - AI Hardware
  - Microsoft AI

images:
  - url: \"https://regmedia.co.uk/2020/11/16/amdmi100.jpg\"
    width: 894
    height: 534
    isCached: true

related:
  - title: \"Meta, Azure\"
    webUrl: https://www.nasdaq.com/articles/x
    provider:
      name: Nasdaq
      domain: nasdaq.com
    quality: 101
    images:
      - url: https://i.nextmedia.com.au/a.jpg
        width: 1400
";

#[test]
fn values_written_as_they_read_are_borrowed_from_the_text() {
    use std::borrow::Cow;
    let a = taken(SEED_LIKE);
    let borrowed = |t: &Option<Text>| matches!(t.as_ref().map(|t| &t.0), Some(Cow::Borrowed(_)));
    // Plain, and quoted without an escape: the text itself.
    assert!(borrowed(&a.category));
    assert!(borrowed(&a.title));
    assert!(borrowed(&a.web_url));
    assert!(a.topics.iter().all(|t| matches!(t.0, Cow::Borrowed(_))));
    assert!(borrowed(&a.related[0].title));
    // A doubled `''` changes the value, so it is a copy; so does an escape.
    assert!(!borrowed(&a.excerpt));
    let escaped = taken("title: \"a \\\"quoted\\\" word\"\n");
    assert_eq!(escaped.title.as_deref(), Some("a \"quoted\" word"));
    assert!(!borrowed(&escaped.title));
}

#[test]
fn the_seed_shape_is_taken_and_agrees() {
    let a = taken(SEED_LIKE);
    assert_eq!(a.topics, ["AI Hardware", "Microsoft AI"]);
    assert_eq!(a.related[0].images[0].width, Some(1400));
    assert_eq!(a.excerpt.as_deref(), Some("It's “large-scale”, said Azure"));
}

#[test]
fn scalars_the_fast_path_reads_agree_with_yaml_serde() {
    for value in [
        "plain words",
        "a#b",
        "a: b",
        "x # comment",
        "'single ''quoted'''",
        "\"double \\\"quoted\\\" \\\\ \\n \\t \\r \\u00e9 \\x41 \\xe9 \\U0001F600\"",
        "\"a\" # trailing",
        "'' ",
        "\"\"",
        "123",
        "1.5",
        "true",
        "TRUE",
        "no",
        "0x1F",
        "1e3",
        ".inf",
        "null",
        "Null",
        "NULL",
        "~",
        "",
        "'null'",
        "\"~\"",
        "-x",
        "a [b] {c}, d",
        "a , b",
        "é ünïcödé ✓ 😀",
        "\u{a0}nbsp",
        "a:b",
        "http://x.y/z?q=1#frag",
        "a  b   ",
        "--x",
        "a'b\"c",
        "%x",
        "@x",
        "`x",
        "a &b *c !d |e >f",
        "\"#\"",
    ] {
        // An empty item (`- ` alone) is one the fast path leaves to yaml_serde.
        let front = match value.trim() {
            "" => format!("title: {value}\nweb: {value}\n"),
            _ => format!("title: {value}\nweb: {value}\ntopics:\n  - {value}\n"),
        };
        if value.contains(": ") || value.starts_with(['%', '@', '`']) {
            left(&front);
            continue;
        }
        taken(&front);
        let front = format!("excerpt: {value}\nsecured: {value}\n");
        taken(&front);
    }
}

#[test]
fn numbers_booleans_and_nulls_are_taken_only_in_their_plainest_forms() {
    for (field, value) in [
        ("quality", "0"),
        ("quality", "12"),
        ("quality", "12.25"),
        ("quality", "0.5"),
        ("heat", "99999999999999999999"),
        ("quality", "~"),
        ("quality", "null"),
        ("quality", ""),
        ("published", "false"),
        ("published", "False"),
        ("published", "~"),
    ] {
        taken(&format!("title: T\n{field}: {value}\n"));
    }
    for value in ["0", "894", "4294967295", "~", ""] {
        taken(&format!(
            "images:\n  - width: {value}\n    height: {value}\n"
        ));
    }
    for (field, value) in [
        ("quality", "-1"),
        ("quality", "+1"),
        ("quality", "1e3"),
        ("quality", ".5"),
        ("quality", "5."),
        ("quality", "1_000"),
        ("quality", "0x10"),
        ("quality", ".inf"),
        ("quality", ".nan"),
        ("quality", "\"80\""),
        ("quality", "'80'"),
        ("quality", "high"),
        ("published", "yes"),
        ("published", "\"true\""),
        ("published", "1"),
    ] {
        left(&format!("title: T\n{field}: {value}\n"));
    }
    for value in ["-1", "+1", "01", "4294967296", "0x10", "1.0", "\"1\""] {
        left(&format!("images:\n  - width: {value}\n"));
    }
    // A related item's quality is any f64, but the fast path reads only the plain forms.
    taken("related:\n  - quality: 7.5\n");
    left("related:\n  - quality: -7.5\n");
}

#[test]
fn empty_and_null_collections() {
    let a = taken("title: T\ntopics:\nimages:\nrelated:\nprovider:\nsecured:\n");
    assert!(a.topics.is_empty() && a.provider.is_none() && a.secured.is_none());
    let a = taken("title: T\nprovider: ~\nsecured: null\n");
    assert!(a.provider.is_none() && a.secured.is_none());
    let a = taken("topics: []\nimages: [] # none\nrelated:   []\nsecured: []\nx: []\n");
    assert!(a.topics.is_empty() && a.images.is_empty() && a.related.is_empty());
    assert_eq!(a.secured, Some(Secured));
    taken("related:\n  - images: []\n");
    left("title: []\n");
    left("provider: []\n");
    left("topics: [] x\n");
    left("topics: []#x\n");
    left("topics: [ ]\n");
    left("topics:\n  - []\n");
    // yaml_serde refuses a null where a list goes.
    left("topics: ~\n");
    left("topics: null\n");
    left("images: x\n");
    left("provider: x\n");
    left("provider:\n  - a\n");
}

#[test]
fn layouts_of_blocks_are_taken() {
    taken("topics:\n- a\n- b\ntitle: T\n");
    taken("images:\n- url: u\n  width: 1\nrelated:\n- title: r\n  images:\n  - url: v\n");
    taken("provider:\n    name: n\n    domain: d\ntitle: T\n");
    taken("related:\n  -   title: r\n      type: story\n");
    taken("title: T\r\nprovider:\r\n  name: n\r\n");
    taken("# comment\ntitle: T # trailing\n\n   # indented comment\n\ntopics:\n  # in a list\n  - a\n");
    taken("title: T\nextra:\n  deep:\n    - a\n    - b: c\n      d:\n        e: f\n  more: x\n");
    taken("title: T\nshiny: 1\nshiny: 2\n");
    let a = taken("title: T\nsecured:\n  key: v\n  list:\n    - 1\n");
    assert_eq!(a.secured, Some(Secured));
    taken("title: T");
    taken("title: T\n\n\n");
}

#[test]
fn what_yaml_serde_must_decide_is_left_to_it() {
    for front in [
        "title: &a T\n",
        "title: *a\n",
        "title: !!str T\n",
        "topics: [a, b]\n",
        "provider: {name: n}\n",
        "excerpt: |\n  text\n",
        "excerpt: >\n  text\n",
        "title: two\n  lines\n",
        "title: \"two\n  lines\"\n",
        "title: 'open\n",
        "title:\tT\n",
        "\u{feff}title: T\n",
        "title: a\u{feff}b\n",
        "title: a\u{2028}b\n",
        "title: a\u{85}b\n",
        "title: a\u{1}b\n",
        "title: a\rb\n",
        "title: T\ntitle: U\n",
        "provider:\n  name: a\n  name: b\n",
        "title: T\n---\nother: x\n",
        "%YAML 1.1\n---\ntitle: T\n",
        "? title\n: T\n",
        "\"title\": T\n",
        "'title': T\n",
        "  title: T\n",
        "title: T\n  x: y\n",
        "title : T\n",
        "title:T\n",
        "title: \"a\\/b\"\n",
        "title: \"a\\0b\"\n",
        "title: \"a\\ud800\"\n",
        "title: \"a\"b\n",
        "title: \"a\"#b\n",
        "topics:\n  -\n    a\n",
        "topics:\n  - - a\n",
        "topics:\n  - a: b\n",
        "images:\n  - x\n",
        "provider:\n    name: n\n  domain: d\n",
        "topics:\n  - a\n - b\n",
        "topics:\n  - a\n  b: c\n",
        "title: x:\n",
        "<<: {title: T}\n",
        "",
        "# only a comment\n",
        "- a\n",
    ] {
        left(front);
    }
}

#[test]
fn deep_nesting_is_left_to_the_guard_and_yaml_serde_without_recursing_far() {
    let mut front = String::from("title: T\nx:\n");
    for depth in 1..=10_000 {
        front.push_str(&" ".repeat(depth));
        front.push_str("k:\n");
    }
    left(&front);
    let mut shallow = String::from("title: T\nx:\n");
    for depth in 1..=MAX_DEPTH - 2 {
        shallow.push_str(&" ".repeat(depth));
        shallow.push_str("k:\n");
    }
    taken(&shallow);
}

/// The differential property test: article-like documents, written in every way the fast
/// path may meet them, and mutated in ways it must notice.
mod differential {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};

    use super::differential;

    /// A node of a document, before it is written out.
    #[derive(Debug, Clone)]
    enum Node {
        Empty,
        Scalar(String, Style),
        Map(Vec<(String, Node)>),
        Seq(Vec<Node>),
    }

    #[derive(Debug, Clone, Copy)]
    enum Style {
        Plain,
        Single,
        /// Double-quoted; when `true`, `é` and `A` are written as `\u00e9` and `\x41`.
        Double(bool),
    }

    /// How a document is written out.
    #[derive(Debug, Clone)]
    struct Layout {
        /// Spaces per level.
        step: usize,
        /// Whether a list sits at its key's column or one step in.
        seq_in: bool,
        crlf: bool,
        bom: bool,
        /// A stream of choices: where comments, blank lines and trailing spaces go.
        noise: Vec<u8>,
    }

    const CLEAN: &[&str] = &[
        "word",
        "Zürich",
        "naïve",
        "“quoted”",
        "😀",
        "a#b",
        "AT&T",
        "x < y",
        "it's",
        "say \"hi\"",
        "back\\slash",
        "123",
        "1.5",
        "true",
        "null",
        "~",
        "https://e.com/a?b=c#d",
        "A",
        "é",
        "-",
        "[x]",
        "{y}",
        ",",
        "a:b",
        " ",
        "ünï",
        "日本語",
    ];

    const HOSTILE: &[&str] = &[
        " #x", ": ", ":", "'", "\"", "\\", "\n", "\t", "\r", "-1", "false", "", "&a", "*b", "!t",
        "|", ">", "%", "@", "`", "? ", "0x1F", "1e3", ".inf", "- ", "#", "\u{feff}", "\u{2028}",
        "\u{85}", "\u{1}", "---", "...", "{a: 1}", "[1, 2]", "\\u00e9", "\\x41", "''",
    ];

    /// Text for a scalar. Clean text never starts with a character YAML gives a meaning to
    /// at the start of a plain scalar (`-`, `[`, `{`, `,`, a space). Hostile text is clean
    /// most of the time, so that a document holds a few mutations, not dozens.
    fn text(hostile: bool) -> BoxedStrategy<String> {
        let first: Vec<&'static str> = CLEAN
            .iter()
            .copied()
            .filter(|f| !f.starts_with(['-', '[', '{', ',', ' ']))
            .collect();
        let clean = (
            prop::sample::select(first),
            prop::collection::vec(prop::sample::select(CLEAN), 0..3),
        )
            .prop_map(|(first, rest)| first.to_owned() + &rest.join(""));
        if !hostile {
            return clean.boxed();
        }
        let pool: Vec<&'static str> = CLEAN.iter().chain(HOSTILE).copied().collect();
        let wild = prop::collection::vec(prop::sample::select(pool), 1..4)
            .prop_map(|parts| parts.join(""));
        prop_oneof![24 => clean, 1 => wild].boxed()
    }

    fn style() -> impl Strategy<Value = Style> {
        prop_oneof![
            Just(Style::Plain),
            Just(Style::Single),
            any::<bool>().prop_map(Style::Double)
        ]
    }

    /// A value for a string field.
    fn string(hostile: bool) -> BoxedStrategy<Node> {
        let s = (text(hostile), style()).prop_map(|(t, s)| Node::Scalar(t, s));
        if hostile {
            prop_oneof![40 => s, 1 => Just(Node::Empty), 1 => nulls()].boxed()
        } else {
            s.boxed()
        }
    }

    fn nulls() -> impl Strategy<Value = Node> {
        prop::sample::select(vec!["null", "~", "Null", "NULL", ""])
            .prop_map(|n| Node::Scalar(n.into(), Style::Plain))
    }

    /// A value for a number, bool or count field: plain as it should be, or otherwise.
    fn word(
        good: &'static [&'static str],
        bad: &'static [&'static str],
        hostile: bool,
    ) -> BoxedStrategy<Node> {
        let good = prop::sample::select(good).prop_map(|w| Node::Scalar(w.into(), Style::Plain));
        if !hostile {
            return good.boxed();
        }
        let bad = (prop::sample::select(bad), style()).prop_map(|(w, s)| Node::Scalar(w.into(), s));
        prop_oneof![30 => good, 2 => bad, 1 => nulls(), 1 => Just(Node::Empty)].boxed()
    }

    const SCORES: &[&str] = &["0", "7", "102", "12.5", "0.25", "1000000"];
    const BAD_SCORES: &[&str] = &[
        "-1", "+1", "1e3", ".5", "5.", "1_000", "0x10", ".inf", ".nan", "80", "high", "012", "-0",
    ];
    const BOOLS: &[&str] = &["true", "false", "True", "FALSE"];
    const BAD_BOOLS: &[&str] = &["yes", "no", "on", "1", "0", "true", "tRUE"];
    const COUNTS: &[&str] = &["0", "1", "894", "4294967295"];
    const BAD_COUNTS: &[&str] = &["-1", "+1", "01", "4294967296", "0x10", "1.0", "0o7", "12"];

    /// A mapping of these keys, each present four times in five, in some order.
    fn map(entries: Vec<(&'static str, BoxedStrategy<Node>)>) -> BoxedStrategy<Node> {
        map_with(entries.into_iter().map(|(k, s)| (k, 0.8, s)).collect())
    }

    /// A mapping of these keys, each present with its own probability, in some order.
    fn map_with(entries: Vec<(&'static str, f64, BoxedStrategy<Node>)>) -> BoxedStrategy<Node> {
        let strategies: Vec<_> = entries
            .into_iter()
            .map(|(k, p, s)| (Just(k.to_owned()), prop::option::weighted(p, s)))
            .collect();
        (strategies, any::<u64>())
            .prop_map(|(entries, order)| {
                let mut entries: Vec<(String, Node)> = entries
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v)))
                    .collect();
                shuffle(&mut entries, order);
                Node::Map(entries)
            })
            .boxed()
    }

    /// Some key orders: the written one, reversed, or rotated.
    fn shuffle<T>(items: &mut [T], order: u64) {
        match order % 4 {
            0 | 1 => {}
            2 => items.reverse(),
            _ if !items.is_empty() => {
                let n = (order as usize / 4) % items.len();
                items.rotate_left(n);
            }
            _ => {}
        }
    }

    fn provider(h: bool) -> BoxedStrategy<Node> {
        map(vec![("name", string(h)), ("domain", string(h))])
    }

    fn image(h: bool) -> BoxedStrategy<Node> {
        map(vec![
            ("url", string(h)),
            ("width", word(COUNTS, BAD_COUNTS, h)),
            ("height", word(COUNTS, BAD_COUNTS, h)),
            ("isCached", word(BOOLS, BAD_BOOLS, h)),
        ])
    }

    fn list(item: BoxedStrategy<Node>, n: usize) -> BoxedStrategy<Node> {
        prop::collection::vec(item, 0..n)
            .prop_map(Node::Seq)
            .boxed()
    }

    /// An unknown field's value: any small tree.
    fn unknown() -> BoxedStrategy<Node> {
        let leaf = prop_oneof![
            6 => (text(true), style()).prop_map(|(t, s)| Node::Scalar(t, s)),
            1 => Just(Node::Empty)
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(("[a-z][a-zA-Z]{0,5}", inner.clone()), 1..4)
                    .prop_map(Node::Map),
                prop::collection::vec(inner, 1..3).prop_map(Node::Seq),
            ]
        })
        .boxed()
    }

    fn related(h: bool) -> BoxedStrategy<Node> {
        map(vec![
            ("title", string(h)),
            ("excerpt", string(h)),
            ("publishedDateTime", string(h)),
            ("webUrl", string(h)),
            ("ampWebUrl", string(h)),
            ("cdnAmpWebUrl", string(h)),
            ("type", string(h)),
            ("provider", provider(h)),
            ("quality", word(SCORES, BAD_SCORES, h)),
            ("images", list(image(h), 3)),
        ])
    }

    fn article(h: bool) -> BoxedStrategy<Node> {
        let mut fields = vec![
            ("category", string(h)),
            ("title", string(h)),
            ("excerpt", string(h)),
            ("publishedDateTime", string(h)),
            ("originalUrl", string(h)),
            ("webUrl", string(h)),
            ("ampWebUrl", string(h)),
            ("cdnAmpWebUrl", string(h)),
            ("type", string(h)),
            ("quality", word(SCORES, BAD_SCORES, h)),
            ("heat", word(SCORES, BAD_SCORES, h)),
            ("published", word(BOOLS, BAD_BOOLS, h)),
            ("provider", provider(h)),
            ("topics", list(string(h), 5)),
            ("images", list(image(h), 3)),
            ("related", list(related(h), 3)),
        ];
        if h {
            fields.push(("secured", unknown()));
            fields.push(("extra", unknown()));
            fields.push(("x-note", unknown()));
        }
        let mut fields: Vec<_> = fields.into_iter().map(|(k, s)| (k, 0.8, s)).collect();
        if h {
            // Now and then a second `title`, which yaml_serde calls a duplicate field.
            fields.push(("title", 0.05, string(h)));
        }
        map_with(fields)
    }

    fn layout(hostile: bool) -> impl Strategy<Value = Layout> {
        let noise = if hostile {
            prop::collection::vec(any::<u8>(), 64).boxed()
        } else {
            Just(Vec::new()).boxed()
        };
        (
            prop::sample::select(vec![2usize, 4, 3, 1]),
            any::<bool>(),
            prop::bool::weighted(if hostile { 0.2 } else { 0.0 }),
            prop::bool::weighted(if hostile { 0.05 } else { 0.0 }),
            noise,
        )
            .prop_map(|(step, seq_in, crlf, bom, noise)| Layout {
                step,
                seq_in,
                crlf,
                bom,
                noise,
            })
    }

    fn scalar(text: &str, style: Style) -> String {
        match style {
            Style::Plain => text.to_owned(),
            Style::Single => format!("'{}'", text.replace('\'', "''")),
            Style::Double(more) => {
                let mut out = String::from("\"");
                for c in text.chars() {
                    match c {
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        '\n' => out.push_str("\\n"),
                        '\t' => out.push_str("\\t"),
                        'é' if more => out.push_str("\\u00e9"),
                        'A' if more => out.push_str("\\x41"),
                        c => out.push(c),
                    }
                }
                out.push('"');
                out
            }
        }
    }

    struct Writer<'a> {
        out: String,
        layout: &'a Layout,
        at: usize,
    }

    impl Writer<'_> {
        fn noise(&mut self) -> u8 {
            let n = self
                .layout
                .noise
                .get(self.at % self.layout.noise.len().max(1));
            self.at += 1;
            n.copied().unwrap_or(255)
        }

        /// Ends a line, perhaps with trailing spaces, a comment, or a blank or comment line.
        fn end_line(&mut self) {
            match self.noise() {
                0..=9 => self.out.push_str("   "),
                10..=19 => self.out.push_str(" # note: x"),
                20..=24 => self.out.push_str("# glued"),
                _ => {}
            }
            self.out
                .push_str(if self.layout.crlf { "\r\n" } else { "\n" });
            match self.noise() {
                0..=9 => self
                    .out
                    .push_str(if self.layout.crlf { "\r\n" } else { "\n" }),
                10..=14 => self.out.push_str("# a comment line\n"),
                15..=17 => self.out.push_str("   # indented comment\n"),
                18 => self.out.push_str(" \n"),
                _ => {}
            }
        }

        /// Writes `value` after a key (or `-`) already on the line at `indent`.
        fn value(&mut self, value: &Node, indent: usize) {
            match value {
                Node::Empty => self.end_line(),
                Node::Scalar(t, s) => {
                    self.out.push(' ');
                    self.out.push_str(&scalar(t, *s));
                    self.end_line();
                }
                Node::Map(entries) if entries.is_empty() => self.end_line(),
                Node::Seq(items) if items.is_empty() => {
                    if self.layout.seq_in {
                        self.out.push_str(" []");
                    }
                    self.end_line();
                }
                Node::Map(entries) => {
                    self.end_line();
                    self.map(entries, indent + self.layout.step, None);
                }
                Node::Seq(items) => {
                    self.end_line();
                    let at = if self.layout.seq_in {
                        indent + self.layout.step
                    } else {
                        indent
                    };
                    self.seq(items, at);
                }
            }
        }

        /// Writes a mapping's entries at `indent`; with `first`, the first key follows `- `.
        fn map(&mut self, entries: &[(String, Node)], indent: usize, mut first: Option<()>) {
            for (key, value) in entries {
                if first.take().is_none() {
                    self.out.push_str(&" ".repeat(indent));
                }
                self.out.push_str(key);
                self.out.push(':');
                self.value(value, indent);
            }
        }

        fn seq(&mut self, items: &[Node], indent: usize) {
            for item in items {
                self.out.push_str(&" ".repeat(indent));
                self.out.push('-');
                match item {
                    Node::Map(entries) if !entries.is_empty() => {
                        self.out.push(' ');
                        self.map(entries, indent + 2, Some(()));
                    }
                    Node::Seq(_) => {
                        self.out.push(' ');
                        self.out.push_str("- x");
                        self.end_line();
                    }
                    other => self.value(other, indent),
                }
            }
        }
    }

    fn write(doc: &Node, layout: &Layout) -> String {
        let mut w = Writer {
            out: String::new(),
            layout,
            at: 0,
        };
        if layout.bom {
            w.out.push('\u{feff}');
        }
        if let Node::Map(entries) = doc {
            w.map(entries, 0, None);
        }
        w.out
    }

    /// Runs `cases` documents through both parsers; the share the fast path took.
    fn run(hostile: bool, cases: u32) -> f64 {
        let taken = AtomicUsize::new(0);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&(article(hostile), layout(hostile)), |(doc, layout)| {
                let text = write(&doc, &layout);
                if differential(&text).is_some() {
                    taken.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            })
            .unwrap();
        taken.into_inner() as f64 / f64::from(cases)
    }

    #[test]
    fn the_fast_path_takes_nearly_every_clean_article_and_agrees_on_each() {
        let share = run(false, 1000);
        eprintln!(
            "clean documents taken by the fast path: {:.1} %",
            share * 100.0
        );
        assert!(
            share >= 0.95,
            "the fast path took only {:.1} %",
            share * 100.0
        );
    }

    #[test]
    fn whatever_the_fast_path_takes_of_mutated_articles_yaml_serde_reads_the_same() {
        let share = run(true, 3000);
        eprintln!(
            "mutated documents taken by the fast path: {:.1} %",
            share * 100.0
        );
        // Mutations hit most documents somewhere; still, a share must get through, or
        // this test would check little.
        assert!(
            share >= 0.05,
            "the fast path took only {:.1} %",
            share * 100.0
        );
    }
}
