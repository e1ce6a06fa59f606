#!/usr/bin/env python3
"""Python-side clients for benches/readers: feedparser, reader, atoma and sfeed.

  readers.py list FEEDS_DIR                 -> LIST.tsv lines: FORMAT<TAB>PATH<TAB>RELPATH
  readers.py feedparser|reader|atoma|sfeed LIST.tsv   -> one JSON object per feed file

Each JSON object: {"client", "file", "format", "error", "items": [{"title", "link",
"authors": [..], "images": [..], "categories": [..], "published", "updated",
"updated_raw"}]} -- the values exactly as the library's API hands them to an application
(nothing unescaped or cleaned here). Dates: "published" is the item's date (the one a
reader lists it under), "updated" the library's last-modified date; each a Unix time (a
number) or an RFC 3339 string, null when the library gives none. No "updated" key at all
means the library's API has no such date for that format.
"""
import calendar
import json
import os
import re
import subprocess
import sys
import tempfile
from importlib import metadata

IMG_EXT = re.compile(r"\.(jpe?g|png|gif|webp|avif)(\?|$)", re.I)


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def read_list(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line:
                fmt, p, rel = line.split("\t")
                yield fmt, p, rel


def sniff(path):
    with open(path, "rb") as fh:
        head = fh.read(4096)
    s = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if s.startswith(b"{"):
        return "json"
    if re.search(rb"<rss[\s>]", head):
        return "rss"
    if re.search(rb"<(\w+:)?feed[\s>]", head):
        return "atom"
    if re.search(rb"<(\w+:)?RDF[\s>]", head):
        return "rdf"
    return None


def cmd_list(root):
    root = os.path.abspath(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not (name.endswith(".xml") or name.endswith(".json")):
                continue
            p = os.path.join(dirpath, name)
            fmt = sniff(p)
            if fmt:
                print(f"{fmt}\t{p}\t{os.path.relpath(p, root)}")


def is_image(url, mime=None, medium=None):
    return bool(url) and ((mime or "").startswith("image/") or medium == "image" or bool(IMG_EXT.search(url)))


def unix(struct_time):
    """feedparser's *_parsed (a UTC time.struct_time) as a Unix time, or None."""
    return calendar.timegm(struct_time) if struct_time else None


def iso(dt):
    """A datetime as RFC 3339 (in the offset the library gives), or None."""
    return dt.isoformat() if dt else None


def version(dist):
    try:
        return metadata.version(dist)
    except Exception:
        return "?"


# ---------------------------------------------------------------- feedparser
def run_feedparser(lst):
    import warnings

    import feedparser

    # feedparser 6 warns each time `updated` falls back to `published` (RSS): what it
    # returns is what is recorded, the warning is noise here
    warnings.simplefilter("ignore", DeprecationWarning)
    name = f"feedparser {feedparser.__version__}"
    for fmt, path, rel in lst:
        out = {"client": name, "file": rel, "format": fmt, "error": None, "items": []}
        if fmt == "json":
            out["error"] = "n/a: feedparser 6 does not read JSON Feed"
            emit(out)
            continue
        d = feedparser.parse(path)
        if d.bozo and not d.entries:
            out["error"] = f"{type(d.bozo_exception).__name__}: {d.bozo_exception}"
        for e in d.entries:
            authors = [a.get("name") or a.get("email") for a in e.get("authors", []) if a.get("name") or a.get("email")]
            if not authors and e.get("author"):
                authors = [e.get("author")]
            images = []
            for enc in e.get("enclosures", []):
                if is_image(enc.get("href"), enc.get("type")):
                    images.append(enc.get("href"))
            for mc in e.get("media_content", []):
                if is_image(mc.get("url"), mc.get("type"), mc.get("medium")):
                    images.append(mc.get("url"))
            for mt in e.get("media_thumbnail", []):
                if mt.get("url"):
                    images.append(mt.get("url"))
            if e.get("image", {}).get("href"):
                images.append(e["image"]["href"])
            # tags: label when the feed gives one (Atom's label=), else term (RSS text, Atom term=)
            cats = [t.get("label") or t.get("term") for t in e.get("tags", []) if t.get("term") or t.get("label")]
            # updated / updated_parsed: Atom <updated>; where a feed has none (RSS), feedparser 6
            # still answers them with the publication (a "temporary" fallback, issue 310)
            out["items"].append({"title": e.get("title"), "link": e.get("link"), "authors": authors,
                                 "images": images, "categories": cats,
                                 "published": unix(e.get("published_parsed")),
                                 "updated": unix(e.get("updated_parsed")), "updated_raw": e.get("updated")})
        emit(out)


# ---------------------------------------------------------------- reader
def run_reader(lst):
    from reader import make_reader

    lst = list(lst)
    name = f"reader {version('reader')}"
    with tempfile.TemporaryDirectory(prefix="feedsmith-reader-") as tmp:
        # reader reads local files as file:RELATIVE/PATH under its feed_root
        root = os.path.commonpath([os.path.dirname(p) for _, p, _ in lst]) if lst else "/"
        r = make_reader(os.path.join(tmp, "db.sqlite"), feed_root=root)

        def url_of(path):
            return "file:" + os.path.relpath(path, root)

        for fmt, path, rel in lst:
            r.add_feed(url_of(path), exist_ok=True)
        for res in r.update_feeds_iter():
            pass
        for fmt, path, rel in lst:
            url = url_of(path)
            out = {"client": name, "file": rel, "format": fmt, "error": None, "items": []}
            feed = r.get_feed(url)
            if feed.last_exception:
                out["error"] = f"{feed.last_exception.type_name}: {feed.last_exception.value_str}"
            # reader returns newest first; the order does not matter for the report
            for e in r.get_entries(feed=url):
                authors = [a.name or a.email for a in (e.authors or ()) if (a.name or a.email)]
                images = [x.href for x in e.enclosures if is_image(x.href, x.type)]
                # reader's Entry has no field for the feed's categories (its tags are the user's own)
                out["items"].append({"title": e.title, "link": e.link, "authors": authors,
                                     "images": images, "categories": None,
                                     "published": iso(e.published), "updated": iso(e.updated)})
            emit(out)
        r.close()


# ---------------------------------------------------------------- atoma
def run_atoma(lst):
    import atoma

    name = f"atoma {version('atoma')}"
    for fmt, path, rel in lst:
        out = {"client": name, "file": rel, "format": fmt, "error": None, "items": []}
        try:
            with open(path, "rb") as fh:
                data = fh.read()
            if fmt == "rss":
                feed = atoma.parse_rss_bytes(data)
                for it in feed.items:
                    out["items"].append({
                        "title": it.title, "link": it.link,
                        "authors": [it.author] if it.author else [],
                        "images": [x.url for x in it.enclosures if is_image(x.url, x.type)],
                        "categories": list(it.categories),
                        "published": iso(it.pub_date)})   # RSSItem has no updated date
            elif fmt == "atom":
                feed = atoma.parse_atom_bytes(data)
                for it in feed.entries:
                    link = next((l.href for l in it.links if (l.rel or "alternate") == "alternate"), None)
                    out["items"].append({
                        "title": it.title.value if it.title else None, "link": link,
                        "authors": [a.name for a in it.authors if a.name],
                        "images": [l.href for l in it.links if l.rel == "enclosure" and is_image(l.href, l.type_)],
                        "categories": [c.label or c.term for c in it.categories],
                        "published": iso(it.published), "updated": iso(it.updated)})
            elif fmt == "json":
                feed = atoma.parse_json_feed_bytes(data)
                for it in feed.items:
                    images = ([it.image] if it.image else []) + \
                        [a.url for a in it.attachments if is_image(a.url, a.mime_type)]
                    out["items"].append({
                        "title": it.title, "link": it.url,
                        "authors": [it.author.name] if it.author and it.author.name else [],
                        "images": images, "categories": list(it.tags),
                        "published": iso(it.date_published), "updated": iso(it.date_modified)})
            else:
                out["error"] = f"n/a: format {fmt}"
        except Exception as exc:  # a parse failure is a result, not a crash
            out["error"] = f"{type(exc).__name__}: {exc}"
        emit(out)


# ---------------------------------------------------------------- sfeed
def run_sfeed(lst):
    ver = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "sfeed"], capture_output=True, text=True).stdout.strip()
    name = f"sfeed {ver}".strip()
    for fmt, path, rel in lst:
        out = {"client": name, "file": rel, "format": fmt, "error": None, "items": []}
        if fmt == "json":
            out["error"] = "n/a: sfeed reads RSS/Atom only (sfeed_json writes JSON Feed, nothing reads it)"
            emit(out)
            continue
        with open(path, "rb") as fh:
            p = subprocess.run(["sfeed"], stdin=fh, capture_output=True)
        if p.returncode != 0:
            out["error"] = f"sfeed exit {p.returncode}: {p.stderr.decode(errors='replace')[:200]}"
        for line in p.stdout.decode("utf-8", errors="replace").split("\n"):
            if not line:
                continue
            f = line.split("\t")
            f += [""] * (9 - len(f))
            # fields: timestamp title link content content-type id author enclosure category
            # (one timestamp per item: no updated date)
            out["items"].append({
                "title": f[1], "link": f[2],
                "authors": [f[6]] if f[6] else [],
                "images": [f[7]] if is_image(f[7]) else [],   # only the first enclosure, no type given
                "categories": [c for c in f[8].split("|") if c],
                "published": int(f[0]) if f[0].strip().isdigit() else None})
        emit(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cmd, arg = sys.argv[1], sys.argv[2]
    if cmd == "list":
        return cmd_list(arg)
    fn = {"feedparser": run_feedparser, "reader": run_reader, "atoma": run_atoma, "sfeed": run_sfeed}[cmd]
    fn(read_list(arg))


if __name__ == "__main__":
    main()
