//! The HTML page of one feed, for people: what the feed is, its address in each format with a
//! copy button, and its items as a browser shows them without any XSLT.
//!
//! A topic's page is `topics/<slug>/index.html` beside its `rss.xml`, so `topics/<slug>/`
//! opens it; the all-articles feed lives at the output root, where `index.html` already lists
//! every feed, so its page is `articles.html` there. Each page is rendered with its feed and
//! is one of the feed's files (plan, cache and manifest treat it like `rss.xml`).
//!
//! Every value from an article is escaped ([`escape`] in attributes, [`escape_text`] in text):
//! a title `<script>` is shown as those characters. The page loads nothing from elsewhere but
//! the articles' lead images; its one inline script (the copy buttons) is allowed by hash in
//! the Content-Security-Policy, and the page works without it: the addresses are plain,
//! selectable text, and the buttons stay hidden.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use super::shared::{Page, FORMATS, GENERATOR};
use crate::entry::Entry;
use crate::feed::Feed;
use crate::settings::Site;
use crate::text::{escape, escape_text};

/// The page's file name in a group feed's folder.
pub const FILE: &str = "index.html";
/// The all-articles feed's page, at the output root (where `index.html` lists the feeds).
pub const ROOT_FILE: &str = "articles.html";
/// The page that lists every feed, at the output root.
const INDEX: &str = "index.html";

/// Longest summary shown for an article without an excerpt (its body as text), in characters.
const MAX_SUMMARY: usize = 420;

/// The relative path of the page of the feed at `page`.
pub fn path(page: &Page) -> String {
    if page.dir.is_empty() {
        ROOT_FILE.to_string()
    } else {
        page.path(FILE)
    }
}

/// Renders the page of `feed`, newest item first (the order the feed holds).
pub fn render(feed: &Feed, site: &Site, page: &Page) -> Vec<u8> {
    let mut out = String::with_capacity(8192 + feed.entries.len() * 1200);
    let up = "../".repeat(page.dir.matches('/').count());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\" />\n\
         <meta name=\"referrer\" content=\"no-referrer\" />\n\
         <meta name=\"color-scheme\" content=\"light dark\" />\n\
         <title>{title}</title>\n<meta name=\"description\" content=\"{desc}\" />\n",
        lang = escape(&site.language),
        title = escape_text(&page.title),
        desc = escape(&page.description),
    );
    for f in FORMATS {
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\" />",
            f.mime,
            escape(&page.title),
            f.label,
            escape(&page.url(site, f.file))
        );
    }
    if let Some(icon) = &site.icon {
        let _ = writeln!(out, "<link rel=\"icon\" href=\"{}\" />", escape(icon));
    }
    let _ = write!(
        out,
        "<style>{STYLE}</style>\n</head>\n<body>\n<header class=\"top\">\n<div class=\"wrap\">\n\
         <p class=\"back\"><a href=\"{up}{INDEX}\">All feeds of {site_title}</a></p>\n\
         <h1>{title}</h1>\n<p class=\"lede\">{desc}</p>\n</div>\n</header>\n\
         <main class=\"wrap\">\n<section class=\"about\" aria-labelledby=\"subscribe\">\n\
         <h2 id=\"subscribe\">Subscribe to this feed</h2>\n\
         <p>A feed brings new articles to your feed reader as they are published: copy one of \
         these addresses into it. <a href=\"https://aboutfeeds.com/\">What is a feed?</a></p>\n\
         <ul class=\"formats\">\n",
        site_title = escape_text(&site.title),
        title = escape_text(&page.title),
        desc = escape_text(&page.description),
    );
    for f in FORMATS {
        let url = escape(&page.url(site, f.file));
        let _ = writeln!(
            out,
            "<li><a class=\"format\" href=\"{url}\" type=\"{mime}\">{label}</a> \
             <code class=\"url\">{url}</code> \
             <button type=\"button\" class=\"copy\" data-url=\"{url}\" \
             aria-label=\"Copy the {label} address\" hidden=\"\">Copy</button></li>",
            mime = f.mime,
            label = f.label,
        );
    }
    out.push_str("</ul>\n</section>\n<section aria-labelledby=\"items\">\n");
    let _ = writeln!(
        out,
        "<h2 id=\"items\" class=\"count\">{}<span class=\"hint\">, newest first</span></h2>",
        match feed.entries.len() {
            1 => "1 article".to_string(),
            n => format!("{n} articles"),
        }
    );
    if feed.entries.is_empty() {
        out.push_str("<p class=\"empty\">No articles yet.</p>\n");
    } else {
        out.push_str("<ol class=\"entries\">\n");
        for (i, entry) in feed.entries.iter().enumerate() {
            item(&mut out, entry, i);
        }
        out.push_str("</ol>\n");
    }
    let _ = write!(
        out,
        "</section>\n</main>\n<footer class=\"wrap foot\">\n<p><a href=\"{up}{INDEX}\">All \
         feeds</a> · Made by {}.</p>\n</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape_text(GENERATOR)
    );
    out.into_bytes()
}

/// One item: title linked to the article, date and provider, summary, lead image, related.
fn item(out: &mut String, entry: &Entry, position: usize) {
    let lead = entry.images.first();
    let _ = write!(
        out,
        "<li>\n<article class=\"entry{}\">\n<div class=\"text\">\n\
         <h3><a href=\"{}\">{}</a></h3>\n<p class=\"meta\">{}",
        if lead.is_some() { " has-img" } else { "" },
        escape(&entry.id),
        escape_text(&entry.title),
        time(&entry.published),
    );
    if let Some(provider) = &entry.provider {
        let _ = write!(
            out,
            "<span class=\"sep\" aria-hidden=\"true\"> · </span><span class=\"provider\">{}</span>",
            escape_text(&provider.name)
        );
    }
    out.push_str("</p>\n");
    let summary = match &entry.summary {
        Some(summary) => summary.clone(),
        None => shorten(&html_to_text(entry.body_html()), MAX_SUMMARY),
    };
    if !summary.is_empty() {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", escape_text(&summary));
    }
    if !entry.related.is_empty() {
        out.push_str("<p class=\"related-heading\">Related coverage</p>\n<ul class=\"related\">\n");
        for related in &entry.related {
            let _ = write!(
                out,
                "<li><a href=\"{}\">{}</a>",
                escape(&related.url),
                escape_text(&related.title)
            );
            let mut about = Vec::new();
            if let Some(provider) = &related.provider {
                about.push(escape_text(provider));
            }
            if let Some(date) = &related.published {
                about.push(format!(
                    "<time datetime=\"{}\">{}</time>",
                    date.to_rfc3339(),
                    date.format("%-d %b %Y")
                ));
            }
            if !about.is_empty() {
                let _ = write!(out, " <span class=\"meta\">— {}</span>", about.join(", "));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n");
    if let Some(image) = lead {
        let _ = write!(
            out,
            "<img src=\"{}\" alt=\"\" decoding=\"async\" referrerpolicy=\"no-referrer\"",
            escape(&image.url)
        );
        if let (Some(w), Some(h)) = (image.width, image.height) {
            let _ = write!(out, " width=\"{w}\" height=\"{h}\"");
        }
        if position >= 4 {
            out.push_str(" loading=\"lazy\"");
        }
        out.push_str(" />\n");
    }
    out.push_str("</article>\n</li>\n");
}

/// A `<time>` for a publication date, shown with the article's own offset.
fn time(date: &DateTime<FixedOffset>) -> String {
    let offset = date.offset().local_minus_utc();
    let zone = if offset == 0 {
        "UTC".to_string()
    } else {
        format!("UTC{}", date.format("%:z"))
    };
    format!(
        "<time datetime=\"{}\">{} {zone}</time>",
        date.to_rfc3339(),
        date.format("%-d %b %Y, %H:%M")
    )
}

/// Sanitised HTML (an entry's body) as plain text: tags dropped (a space where a block
/// starts or ends), the entities the sanitiser writes decoded, white space collapsed.
fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        text.push(' ');
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    let mut out = String::with_capacity(decoded.len());
    for word in decoded.split_whitespace() {
        if !out.is_empty() {
            let glued = word.starts_with(['.', ',', ';', ':', '!', '?', ')']);
            if !glued {
                out.push(' ');
            }
        }
        out.push_str(word);
    }
    out
}

/// `text` cut to at most `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max.saturating_sub(1)) {
        Some((end, _)) if text[end..].chars().nth(1).is_some() => {
            format!("{}…", text[..end].trim_end())
        }
        _ => text.to_string(),
    }
}

/// The copy buttons: shown only where the Clipboard API is (secure contexts); a click copies
/// the button's address, or selects the address text when copying is refused.
const SCRIPT: &str = "\"use strict\";\
if(navigator.clipboard){for(const b of document.querySelectorAll(\"button.copy\")){\
b.hidden=false;\
b.addEventListener(\"click\",function(){\
const done=function(text){b.textContent=text;setTimeout(function(){b.textContent=\"Copy\";},2000);};\
navigator.clipboard.writeText(b.dataset.url).then(function(){done(\"Copied\");},function(){\
const r=document.createRange();r.selectNodeContents(b.previousElementSibling);\
const s=getSelection();s.removeAllRanges();s.addRange(r);done(\"Press Ctrl+C\");});});}}";

/// The page's Content-Security-Policy: no resource but inline style, the lead images, and
/// the one script above, by its SHA-256 (checked by the browser test, which sees the buttons
/// appear only when the script ran).
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
script-src 'sha256-Xq2YoR4X9umPPsuUVKJipR6cHkc8AaiCxA13MIXXXk4='; img-src http: https: data:; base-uri 'none'; form-action 'none'";

const STYLE: &str = "\n\
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1b1d21;--muted:#4d5562;--line:#d9dde3;\
--link:#0b57b0;--visited:#6a3fa0;--accent:#b4410f;--about:#fff7e6;--about-line:#e8b04a;--code:#eef1f5}\n\
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--card:#1f2228;--text:#eceef2;--muted:#b3bac5;\
--line:#353a43;--link:#8ab8ff;--visited:#c9a6ff;--accent:#ff9f66;--about:#2a2417;--about-line:#a77b22;--code:#2b2f37}}\n\
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n\
body{margin:0;background:var(--bg);color:var(--text);\
font:1.0625rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif}\n\
.wrap{max-width:46rem;margin:0 auto;padding:0 1.25rem}\n\
a{color:var(--link);text-underline-offset:.15em}a:visited{color:var(--visited)}\
a:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:2px;border-radius:2px}\n\
.top{background:var(--card);border-bottom:1px solid var(--line);padding:1.25rem 0 1.5rem}\n\
.back{margin:0 0 .75rem;font-size:.9375rem}\n\
h1{font-size:clamp(1.6rem,4.5vw,2.2rem);line-height:1.2;margin:0 0 .5rem;overflow-wrap:anywhere}\n\
.lede{margin:0;color:var(--muted);font-size:1.125rem}\n\
.about{margin:1.5rem 0;padding:1rem 1.25rem;background:var(--about);border:1px solid var(--about-line);\
border-left-width:5px;border-radius:6px}\n\
.about h2{font-size:1.125rem;margin:0 0 .35rem}.about p{margin:.35rem 0}\n\
.formats{list-style:none;margin:.75rem 0 0;padding:0}\n\
.formats li{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .6rem;margin:.45rem 0}\n\
.format{font-weight:700;min-width:6.5rem}\n\
.url{font:.9375rem/1.4 ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"DejaVu Sans Mono\",monospace;\
background:var(--code);border:1px solid var(--line);border-radius:4px;padding:.15rem .45rem;\
overflow-wrap:anywhere;user-select:all;-webkit-user-select:all;flex:1 1 18rem}\n\
.copy{font:inherit;font-size:.875rem;padding:.2rem .8rem;border:1px solid var(--line);border-radius:4px;\
background:var(--card);color:var(--text);cursor:pointer}\n\
.copy[hidden]{display:none}\n\
.count{font-size:.9375rem;font-weight:700;color:var(--muted);margin:2rem 0 .75rem}.hint{font-weight:400}\n\
.entries{list-style:none;margin:0;padding:0}.entries>li{margin:0 0 .9rem}\n\
.entry{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem 1.15rem;\
display:grid;gap:.75rem 1.15rem;grid-template-columns:minmax(0,1fr)}\n\
.entry.has-img{grid-template-columns:minmax(0,1fr) 9.5rem}\n\
.entry h3{font-size:1.1875rem;line-height:1.3;margin:0 0 .3rem;overflow-wrap:anywhere}\n\
.entry h3 a{text-decoration:none}.entry h3 a:hover,.entry h3 a:focus-visible{text-decoration:underline}\n\
.meta{margin:0 0 .4rem;font-size:.875rem;color:var(--muted)}.provider{font-weight:600}.sep{color:var(--muted)}\n\
.summary{margin:0;overflow-wrap:anywhere}\n\
.related-heading{margin:.6rem 0 .1rem;font-size:.875rem;font-weight:700;color:var(--muted)}\n\
.related{margin:0;padding-left:1.1rem;font-size:.9375rem}.related li{margin:.1rem 0}\n\
.entry img{display:block;width:100%;height:auto;aspect-ratio:4/3;object-fit:cover;border-radius:6px;background:var(--code)}\n\
.empty{color:var(--muted)}\n\
.foot{color:var(--muted);font-size:.875rem;padding-top:.5rem;padding-bottom:2rem}\n\
@media (max-width:34rem){.wrap{padding:0 1rem}.entry.has-img{grid-template-columns:minmax(0,1fr)}\
.entry.has-img img{grid-row:1;aspect-ratio:16/9}.hint{display:none}}\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_text_drops_tags_and_decodes_entities_once() {
        assert_eq!(
            html_to_text("<p>A &amp;lt; b &amp; <em>c</em>.</p>\n<p>Next</p>"),
            "A &lt; b & c. Next"
        );
    }

    #[test]
    fn long_summaries_are_cut_on_a_character_with_an_ellipsis() {
        assert_eq!(shorten("abcdef", 6), "abcdef");
        assert_eq!(shorten("abcdefg", 6), "abcde…");
        assert_eq!(shorten("ééééééé", 3), "éé…");
    }

    #[test]
    fn the_script_and_style_are_well_formed_text_in_xml() {
        for text in [SCRIPT, STYLE] {
            assert!(!text.contains('<') && !text.contains('&'), "{text}");
        }
    }
}
