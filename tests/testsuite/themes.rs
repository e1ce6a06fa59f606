//! Theme folders (`templates:` in the settings, `docs/themes.md`): the example theme in
//! `examples/theme/` changes the HTML pages and nothing else, a template edit renders the
//! pages again and leaves the feeds alone, a hostile theme cannot print an article's text as
//! markup without `|safe`, and a broken template stops the build naming its file, line and
//! column.

use std::fs;
use std::path::Path;

use snapbox::str;

use crate::harness::{repo, Project};

/// Copies the folder `from` (one level, files only) into `to`.
fn copy_files(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        fs::copy(item.path(), to.join(item.file_name())).unwrap();
    }
}

/// The repository's seeds built into `feeds/`, with `theme` as the theme folder when given.
fn seeds(theme: Option<&Path>) -> Project {
    let project = Project::seeds();
    if let Some(theme) = theme {
        copy_files(theme, &project.join("theme"));
        project.edit("feedsmith.yaml", |yaml| format!("{yaml}templates: theme\n"));
    }
    project.run(["build"]).status(0);
    project
}

#[test]
fn the_example_theme_restyles_every_page_and_changes_nothing_else() {
    let plain = seeds(None).tree("feeds");
    let themed = seeds(Some(&repo().join("examples/theme"))).tree("feeds");
    assert_eq!(
        plain.keys().collect::<Vec<_>>(),
        themed.keys().collect::<Vec<_>>()
    );
    let mut pages = 0;
    for (path, bytes) in &plain {
        let theirs = &themed[path];
        if path.ends_with(".html") {
            pages += 1;
            let (before, after) = (
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(theirs),
            );
            for needle in [
                "<a class=\"desk-name\" href=\"https://example.com/\">The Harbour Desk</a>",
                "--desk:#005f73",
                "Made by feedsmith",
            ] {
                assert!(after.contains(needle), "{path}: no {needle}");
            }
            assert!(!before.contains("Harbour"), "{path}");
            // The policy follows the theme's stylesheet.
            let csp = |page: &str| {
                let at = page.find("style-src 'sha256-").expect("a style hash");
                page[at..at + 64].to_string()
            };
            assert_ne!(csp(&before), csp(&after), "{path}");
            crate::pages::check_policy(path, &after);
        } else if path != ".feedsmith-manifest" {
            assert!(bytes == theirs, "{path} changed with the theme");
        }
    }
    assert!(pages > 20, "only {pages} pages");
}

#[test]
fn a_template_edit_renders_the_pages_again_and_leaves_the_feeds_alone() {
    let page = fs::read_to_string(repo().join("assets/templates/page.html")).unwrap();
    let project = Project::fixture("fixtures/topics")
        .config("templates: theme\n")
        .with_file("theme/page.html", &page)
        .settled();
    project.build().status(0);
    let before = project.tree("feeds");
    let times: Vec<_> = before
        .keys()
        .map(|p| project.modified(&format!("feeds/{p}")))
        .collect();
    project.edit("theme/page.html", |text| {
        text.replace("Subscribe to this feed", "Follow this feed")
    });
    let pages = before
        .keys()
        .filter(|p| p.ends_with(".html") && *p != "index.html")
        .count();
    project.build().status(0).summary(&format!(
        "feedsmith: [..]; {pages} files written, {} unchanged",
        before.len() - 1 - pages
    ));
    let after = project.tree("feeds");
    for ((path, bytes), time) in before.iter().zip(times) {
        let page = path.ends_with(".html") && path != "index.html";
        if page {
            let text = String::from_utf8_lossy(&after[path]);
            assert!(text.contains("Follow this feed"), "{path}: {text}");
        } else if path != ".feedsmith-manifest" {
            assert!(after[path] == *bytes, "{path} changed");
            assert_eq!(
                project.modified(&format!("feeds/{path}")),
                time,
                "{path} was written again"
            );
        }
    }
}

#[test]
fn a_hostile_theme_prints_an_articles_text_as_markup_only_with_safe() {
    let page = "{% extends \"base.html\" %}{% block body %}{% for e in feed.entries %}\
                {% autoescape false %}<h3 title=\"{{ e.title }}\">{{ e.title }}</h3>{% endautoescape %}\
                {% filter safe %}<p>{{ e.summary }}</p>{% endfilter %}\
                <i>{{ e.title|safe }}</i>{% endfor %}{% endblock %}";
    let project = Project::empty()
        .with_file(
            "articles/a.txt",
            "---\ntitle: \"<b>bold</b> & <script>alert(1)</script>\"\nexcerpt: \"<img src=x onerror=alert(2)>\"\n\
             webUrl: \"https://news.example.org/a\"\npublishedDateTime: 2025-01-01T00:00:00Z\n\
             topics: [News]\n---\nBody.\n",
        )
        .config("templates: theme\n")
        .with_file("theme/page.html", page);
    project.build().status(0);
    let html = project.read("feeds/topics/news/index.html");
    assert!(
        html.contains("<h3 title=\"&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;\">&lt;b&gt;bold"),
        "{html}"
    );
    assert!(
        html.contains("<p>&lt;img src=x onerror=alert(2)&gt;</p>"),
        "{html}"
    );
    // Only where the theme asked for it with `|safe`.
    assert_eq!(
        html.matches("<script>alert(1)</script>").count(),
        1,
        "{html}"
    );
    assert!(
        html.contains("<i><b>bold</b> & <script>alert(1)</script></i>"),
        "{html}"
    );
}

#[test]
fn a_broken_template_stops_the_build_naming_the_file_line_and_column() {
    let project = Project::fixture("fixtures/topics")
        .config("templates: theme\n")
        .with_file("theme/page.html", "<h1>\n  {{ feed.title }\n</h1>\n");
    project.build().status(2).stderr(str![[r#"
feedsmith: error: theme/page.html:2:17: syntax error: unexpected `}`, expected end of variable block; fix the template, or remove it from the theme folder to use the shipped one (see docs/themes.md)

"#]]);
    assert!(!project.exists("feeds"), "nothing is written");

    // A name the templates do not get fails as the page is rendered, at its place.
    project.write(
        "theme/page.html",
        "<h1>{{ feed.title }}</h1>\n<p>{{ feed.titel }}</p>\n",
    );
    project.build().status(2).stderr(str![[r#"
feedsmith: error: theme/page.html:2:7: undefined value: `feed.titel`; fix the template, or remove it from the theme folder to use the shipped one (see docs/themes.md)

"#]]);
}

#[test]
fn a_theme_file_that_is_neither_template_nor_asset_is_refused() {
    let project = Project::fixture("fixtures/topics")
        .config("templates: theme\n")
        .with_file("theme/styles.css", "body{}")
        .with_file("theme/README.md", "notes")
        .with_file("theme/.page.html.swp", "{{")
        .with_file("theme/.git/config", "x");
    project.build().status(2).stderr(str![[r#"
feedsmith: error: theme/styles.css: a theme file is a template (`.html`, `.opml`) or one of the assets it replaces (style.css, copy.js, feed.xsl); rename it, or move it out of the theme folder

"#]]);
}

#[test]
fn a_missing_theme_folder_is_named_with_the_fix() {
    let project = Project::fixture("fixtures/topics").config("templates: them\n");
    project.build().status(2).stderr(str![[r#"
feedsmith: error: them: the theme folder does not exist or is not a folder: create it, or fix `templates:` in the settings file

"#]]);
}
