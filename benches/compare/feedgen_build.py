#!/usr/bin/env python3
"""Peer 2 of benches/compare.sh: the feeds `feedsmith build` writes, made the
way a Python user would make them, with PyYAML (C loader) and feedgen.

Walks the corpus, splits and parses each article's front matter, skips
articles with `published: false` or without title / webUrl / date, groups
them by topic (case-insensitively, like feedsmith), and writes with feedgen

    OUT/rss.xml, OUT/atom.xml                    newest 50 of all articles
    OUT/topics/<slug>/rss.xml, .../atom.xml      newest 50 of each topic

Each entry gets title, link/id (webUrl), published/updated date, the excerpt
as summary, the Markdown body as (unrendered) content, the provider as
author (Atom) and dc:creator (RSS), one category per topic and Media RSS
content for the images. What it does NOT do, unlike feedsmith: render or
sanitise Markdown, validate URLs and field types, merge duplicate webUrls,
write atomically, or use more than one CPU core.

usage: feedgen_build.py CORPUS_DIR OUT_DIR [BASE_URL]
"""

import datetime
import hashlib
import os
import re
import sys
import unicodedata

from feedgen.feed import FeedGenerator

from corpus import article_paths, read_front_matter

LIMIT = 50
SITE_URL = "https://example.com/"
SITE_TITLE = "feedsmith example news"


def slugify(name, taken):
    """ASCII slug of a topic name, unique within `taken`."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    if not slug or slug in taken:
        digest = hashlib.sha1(name.lower().encode()).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else f"topic-{digest}"
    taken.add(slug)
    return slug


def as_datetime(value):
    """A timezone-aware datetime from a YAML timestamp, or None."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime.datetime):
        return None
    if value.tzinfo is None:  # PyYAML returns naive datetimes for "Z" on old versions
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def load_articles(root):
    """The publishable articles below `root`, as dicts with the fields used."""
    articles, rejected = [], 0
    for path in article_paths(root):
        parsed = read_front_matter(path)
        if parsed is None:
            rejected += 1
            continue
        meta, body = parsed
        if meta.get("published") is False:
            continue
        title = meta.get("title")
        link = meta.get("webUrl") or meta.get("originalUrl")
        date = as_datetime(meta.get("publishedDateTime"))
        if not isinstance(title, str) or not isinstance(link, str) or date is None:
            rejected += 1
            continue
        topics = meta.get("topics") or []
        articles.append({
            "title": " ".join(title.split()),
            "link": link,
            "date": date,
            "excerpt": meta.get("excerpt") if isinstance(meta.get("excerpt"), str) else None,
            "body": body.strip(),
            "provider": meta.get("provider") if isinstance(meta.get("provider"), dict) else {},
            "topics": [t for t in topics if isinstance(t, str)],
            "images": [i for i in meta.get("images") or [] if isinstance(i, dict) and i.get("url")],
        })
    return articles, rejected


def newest(articles):
    """The newest LIMIT articles, newest first, ties broken by link."""
    return sorted(articles, key=lambda a: (-a["date"].timestamp(), a["link"]))[:LIMIT]


def write_feed(articles, out_dir, self_url, title):
    """rss.xml and atom.xml of `articles` into `out_dir`."""
    fg = FeedGenerator()
    fg.load_extension("dc")
    fg.load_extension("media")
    fg.id(self_url + "atom.xml")
    fg.title(title)
    fg.link(href=SITE_URL, rel="alternate")
    fg.link(href=self_url + "atom.xml", rel="self")
    fg.description(f"The newest articles: {title}")
    fg.language("en")
    entries = newest(articles)
    if entries:
        fg.updated(entries[0]["date"])
        fg.lastBuildDate(entries[0]["date"])
    for a in entries:
        fe = fg.add_entry(order="append")
        fe.id(a["link"])
        fe.guid(a["link"], permalink=True)
        fe.title(a["title"])
        fe.link(href=a["link"])
        fe.published(a["date"])
        fe.updated(a["date"])
        fe.description(a["excerpt"] or a["title"], isSummary=True)
        if a["body"]:
            fe.content(a["body"], type="text")
        name = a["provider"].get("name")
        if isinstance(name, str):
            domain = a["provider"].get("domain")
            fe.author(name=name, uri=f"https://{domain}/" if domain else None)
            fe.dc.dc_creator(name)
        for t in a["topics"]:
            fe.category(term=t, label=t)
        for img in a["images"]:
            fe.media.content(url=img["url"], medium="image",
                             width=str(img.get("width", "")) or None,
                             height=str(img.get("height", "")) or None)
    os.makedirs(out_dir, exist_ok=True)
    fg.rss_file(os.path.join(out_dir, "rss.xml"), pretty=False)
    fg.atom_file(os.path.join(out_dir, "atom.xml"), pretty=False)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1])
    root, out = sys.argv[1], sys.argv[2]
    base = sys.argv[3] if len(sys.argv) == 4 else "https://example.com/feeds/"
    if not base.endswith("/"):
        base += "/"

    articles, rejected = load_articles(root)
    by_topic = {}  # lowercased name -> (display name, articles)
    for a in articles:
        for t in dict.fromkeys(t.lower() for t in a["topics"]):
            by_topic.setdefault(t, []).append(a)
    # Display name: the spelling that sorts first, as feedsmith does.
    names = {}
    for a in articles:
        for t in a["topics"]:
            key = t.lower()
            if key not in names or t < names[key]:
                names[key] = t

    write_feed(articles, out, base, SITE_TITLE)
    taken = set()
    for key in sorted(by_topic, key=lambda k: names[k]):
        slug = slugify(names[key], taken)
        write_feed(by_topic[key], os.path.join(out, "topics", slug),
                   f"{base}topics/{slug}/", f"{SITE_TITLE}: {names[key]}")
    print(f"feedgen_build: {len(articles)} articles published, {rejected} rejected, "
          f"{len(by_topic)} topics, {2 * (len(by_topic) + 1)} files written", file=sys.stderr)
    if not articles:
        sys.exit(1)


if __name__ == "__main__":
    main()
