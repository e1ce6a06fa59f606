#!/usr/bin/env python3
"""Compare what each client shows with the seed articles and print a Markdown report.

  report.py SEEDS_DIR RESULTS.jsonl...

RESULTS are the JSON lines the client helpers print (one object per client and feed
file). Items are matched to seeds by link: the client's item link equals the seed's
webUrl (or originalUrl) after HTML entity decoding (SimplePie hands links out
HTML-escaped). Titles are compared exactly as the client returns them. Dates are
compared as instants, within a second (a client that rounds 10:00:00.500 to 10:00:01
shows the right date; such items are listed under Notes).
"""
import datetime as dt
import html
import json
import os
import sys
from collections import OrderedDict, defaultdict
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml

FORMATS = ("rss", "atom", "json")


SEED_EXTENSIONS = (".txt", ".md", ".markdown", ".yaml", ".yml")   # as feedsmith's src/source.rs


def front_matter(text, ext):
    text = text.lstrip("\ufeff")
    if text.startswith("---"):
        lines = text.split("\n")
        for i in range(1, len(lines)):
            if lines[i].rstrip() in ("---", "..."):
                return yaml.safe_load("\n".join(lines[1:i])) or {}
        return yaml.safe_load("\n".join(lines[1:])) or {}
    if ext in (".yaml", ".yml"):
        return yaml.safe_load(text) or {}
    return None


def strip_tracking(url):
    """The URL without utm_* query parameters (some clients drop them)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(q)))


def instant(value):
    """A date as seconds since 1970, or None: a Unix time (number), an RFC 3339 /
    ISO 8601 string, or a datetime (PyYAML reads an unquoted timestamp as one). No offset
    means UTC."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("z", "Z").replace("t", "T"))
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.timestamp()
    return None


def same(a, b):
    """Two instants within a second of each other (clients that keep whole seconds round
    or truncate the fraction)."""
    return a is not None and b is not None and abs(a - b) < 1


def load_seeds(seeds_dir):
    by_url, by_loose_url = {}, {}
    for dirpath, dirnames, filenames in os.walk(seeds_dir):
        dirnames.sort()
        for name in sorted(filenames):
            ext = os.path.splitext(name)[1].lower()
            if ext not in SEED_EXTENSIONS:
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as fh:
                try:
                    meta = front_matter(fh.read(), ext)
                except yaml.YAMLError:
                    continue
            if not isinstance(meta, dict) or not meta.get("title"):
                continue
            seed = {
                "file": name,
                "title": meta.get("title"),
                "topics": [t if isinstance(t, str) else (t or {}).get("name") for t in (meta.get("topics") or [])],
                "has_images": bool(meta.get("images")),
                "published": instant(meta.get("publishedDateTime")),
            }
            # what feedsmith publishes: the update when it can be read and is not before
            # the publication (else it warns and leaves it out)
            updated = instant(meta.get("updatedDateTime"))
            ok = updated is not None and seed["published"] is not None and updated >= seed["published"]
            seed["updated"] = updated if ok else None
            for key in ("webUrl", "originalUrl"):
                if isinstance(meta.get(key), str):
                    by_url.setdefault(meta[key], seed)
                    by_loose_url.setdefault(strip_tracking(meta[key]), seed)
    return by_url, by_loose_url


def short(s, n=70):
    s = repr(s) if not isinstance(s, str) else s
    return s if len(s) <= n else s[: n - 1] + "…"


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def updated_cell(st):
    """The updated-date column: of the U matched items whose seed has an update, how many
    the client shows it for, and what it shows instead."""
    want = st["upd_want"]
    if want == 0:
        return "– (no seed with an update)"
    extra = ""
    if st["upd_extra"]:
        shown, f = st["upd_extra"][0]
        extra = f"; {len(st['upd_extra'])} items without an update show one, e.g. `{shown}` ({f})"
    if not st["upd_api"]:
        n = st["date_is_upd"]
        if n:
            return (f"no API; its one date is the update for {n}/{want} "
                    f"(shown as the item's date, the publication is lost)")
        return "no API (its one date is the publication)"
    ok = st["upd_ok"]
    cell = f"{'yes' if ok == want else 'partly' if ok else 'no'} {ok}/{want}"
    instead = []
    if st["upd_none"]:
        instead.append(f"none for {st['upd_none']}")
    if st["upd_pub"]:
        instead.append(f"the publication for {st['upd_pub']}")
    if st["upd_other"]:
        shown, f = st["upd_other"][0]
        instead.append(f"another date for {len(st['upd_other'])}, e.g. `{shown}` ({f})")
    if instead:
        cell += ": shows " + ", ".join(instead)
    return cell + extra


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seeds, loose_seeds = load_seeds(sys.argv[1])
    rows = OrderedDict()
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                r = json.loads(line)
                key = (r["client"], r["format"])
                st = rows.setdefault(key, {
                    "files": 0, "errors": [], "altered": [], "na": None, "items": 0, "matched": 0, "unmatched": [],
                    "title_ok": 0, "title_bad": defaultdict(int), "author": 0, "author_ex": None,
                    "img_want": 0, "img_got": 0, "topic_want": 0, "topic_ok": 0, "cats_api": True,
                    "topic_ex_ok": None, "topic_ex_bad": None,
                    "upd_api": False, "upd_want": 0, "upd_ok": 0, "upd_none": 0, "upd_pub": 0,
                    "upd_other": [], "upd_extra": [], "date_is_upd": 0, "upd_rounded": []})
                st["files"] += 1
                err = r.get("error")
                if err and err.startswith("n/a"):
                    st["na"] = err
                    continue
                if err:
                    st["errors"].append(f"{r['file']}: {err}")
                for it in r.get("items") or []:
                    st["items"] += 1
                    link = html.unescape(it.get("link") or "")
                    seed = seeds.get(link) or seeds.get((it.get("link") or ""))
                    if not seed:
                        seed = loose_seeds.get(strip_tracking(link))
                        if seed:
                            st["altered"].append(f"{r['file']}: {short(it.get('link'), 100)}")
                    if not seed:
                        st["unmatched"].append(f"{r['file']}: {short(it.get('link'))}")
                        continue
                    st["matched"] += 1
                    title = it.get("title")
                    if title == seed["title"]:
                        st["title_ok"] += 1
                    else:
                        st["title_bad"][(title, seed["title"])] += 1
                    if it.get("authors"):
                        st["author"] += 1
                        st["author_ex"] = st["author_ex"] or it["authors"][0]
                    if seed["has_images"]:
                        st["img_want"] += 1
                        if it.get("images"):
                            st["img_got"] += 1
                    # the updated date: the seed's update, where it has one; elsewhere none or
                    # the publication (Atom's <updated> is the publication then)
                    want, pub = seed["updated"], seed["published"]
                    has_api = "updated" in it
                    st["upd_api"] |= has_api
                    shown = instant(it.get("updated"))
                    if want is not None:
                        st["upd_want"] += 1
                        if not has_api:
                            st["date_is_upd"] += same(instant(it.get("published")), want)
                        elif same(shown, want):
                            st["upd_ok"] += 1
                            if shown != want:
                                st["upd_rounded"].append(f"{r['file']}: `{it.get('updated')}` for {seed['file']}")
                        elif shown is None:
                            st["upd_none"] += 1
                        elif same(shown, pub):
                            st["upd_pub"] += 1
                        else:
                            st["upd_other"].append((it.get("updated"), seed["file"]))
                    elif has_api and shown is not None and not same(shown, pub):
                        st["upd_extra"].append((it.get("updated"), seed["file"]))
                    cats = it.get("categories")
                    if cats is None:
                        st["cats_api"] = False
                    if seed["topics"]:
                        st["topic_want"] += 1
                        shown = set(cats or [])
                        if set(seed["topics"]) <= shown:
                            st["topic_ok"] += 1
                            st["topic_ex_ok"] = st["topic_ex_ok"] or (cats, seed["topics"])
                        elif st["topic_ex_bad"] is None:
                            st["topic_ex_bad"] = (cats, seed["topics"])

    clients = list(OrderedDict.fromkeys(c for c, _ in rows))
    print("| client | format | titles exact (N/M) | author (yes/no, N/M) | image (N/M) | topic names (yes/no, example) | updated date (yes/no, N/U) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    notes = []
    for client in clients:
        for fmt in FORMATS:
            st = rows.get((client, fmt))
            if not st:
                continue
            if st["na"] and st["items"] == 0:
                reason = st["na"][len("n/a"):].lstrip(": ")
                print(f"| {md(client)} | {fmt} | n/a ({md(reason)}) | n/a | n/a | n/a | n/a |")
                continue
            M = st["matched"]
            if st["errors"]:
                notes.append(f"- **{client} / {fmt}**: {len(st['errors'])} of {st['files']} files failed, e.g. `{short(st['errors'][0], 160)}`")
            if st["unmatched"]:
                notes.append(f"- **{client} / {fmt}**: {len(st['unmatched'])} of {st['items']} items had a link matching no seed (not counted), e.g. `{st['unmatched'][0]}`")
            if st["altered"]:
                notes.append(f"- **{client} / {fmt}**: {len(st['altered'])} item links differ from the article's URL "
                             f"(matched once utm_* parameters were dropped), e.g. `{st['altered'][0]}`")
            if st["upd_rounded"]:
                notes.append(f"- **{client} / {fmt}**: {len(st['upd_rounded'])} updated dates are right to the second "
                             f"but not to the fraction (counted right), e.g. {st['upd_rounded'][0]}")
            if M == 0:
                print(f"| {md(client)} | {fmt} | 0/0 (no items matched a seed) | – | – | – | – |")
                continue
            bad = sorted(st["title_bad"].items(), key=lambda kv: -kv[1])
            t = f"{st['title_ok']}/{M}"
            if bad:
                exs = []
                for (shown, want), n in bad[:2]:
                    tag = ""
                    if isinstance(shown, str) and html.unescape(shown) == want:
                        tag = " (HTML-escaped)"
                    elif isinstance(shown, str) and shown.strip() == (want or "").strip():
                        tag = " (whitespace)"
                    exs.append(f"`{short(shown)}` for `{short(want)}`{tag}")
                t += f"; {len(bad)} distinct wrong, e.g. " + "; ".join(exs)
            a = st["author"]
            author = (f"yes {a}/{M}" if a else f"no 0/{M}") + (f" (`{short(st['author_ex'], 30)}`)" if a else "")
            image = f"{st['img_got']}/{st['img_want']}"
            if not st["cats_api"]:
                topics = "no (its item API has no categories)"
            elif st["topic_want"] == 0:
                topics = "– (no seed with topics)"
            else:
                ok, want = st["topic_ok"], st["topic_want"]
                yes = "yes" if ok == want else ("partly" if ok else "no")
                ex = st["topic_ex_bad"] or st["topic_ex_ok"]
                shown = ", ".join(ex[0] or []) or "(none)"
                topics = f"{yes} {ok}/{want}, e.g. shows `{short(shown, 60)}` for `{short(', '.join(ex[1]), 60)}`"
            print(f"| {md(client)} | {fmt} | {md(t)} | {md(author)} | {image} | {md(topics)} | {md(updated_cell(st))} |")
    if notes:
        print()
        print("Notes:")
        print("\n".join(notes))


if __name__ == "__main__":
    main()
