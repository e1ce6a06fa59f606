#!/usr/bin/env python3
"""How many duplicate warnings a feedsmith build of an article folder should give, under
the exact link rule (before issue 18) and the canonical one (docs/input-format.md, "The
duplicate rule"), computed independently of feedsmith, to check its counts.

  expect.py INPUT_DIR [CLOCK]      CLOCK: Unix time of the build (default $SOURCE_DATE_EPOCH)

Only articles that would be published take part, as in feedsmith: not `published: false`,
not dated after the clock. The link is `webUrl`, else `originalUrl`, parsed as a URL
(scheme and host in lower case, default port dropped). Each set of n files with one link
gives n - 1 warnings. Reads front matter with a line scan (the generator's top-level
keys), not a YAML parser: meant for examples/gen_corpus.rs output, not arbitrary input.
Prints both counts, and the canonical-only duplicates by what tells the links apart.
"""
import datetime as dt
import os
import re
import sys
from collections import Counter, defaultdict
from urllib.parse import urlsplit, urlunsplit

TRACKING = ("fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid")


def parsed(url):
    """The URL as a WHATWG parser writes it, for the simple http(s) links used here."""
    p = urlsplit(url.strip())
    host = (p.hostname or "").lower()
    port = p.port
    if port and not ((p.scheme.lower() == "http" and port == 80) or (p.scheme.lower() == "https" and port == 443)):
        host = f"{host}:{port}"
    return urlunsplit((p.scheme.lower(), host, p.path or "/", p.query, p.fragment))


def canonical(url):
    rest = url.split(":", 1)[1]
    rest = rest.split("#", 1)[0]
    if "?" not in rest:
        return rest
    base, query = rest.split("?", 1)
    kept = [kv for kv in query.split("&")
            if kv and not (kv.split("=")[0].lower().startswith("utm_") or kv.split("=")[0].lower() in TRACKING)]
    return base + ("?" + "&".join(kept) if kept else "")


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return v


def front_matter(path):
    meta = {}
    with open(path, encoding="utf-8") as fh:
        if fh.readline().rstrip("\n") != "---":
            return meta
        for line in fh:
            line = line.rstrip("\n")
            if line == "---":
                break
            m = re.match(r"^([A-Za-z]+):\s?(.*)$", line)   # top level only
            if m:
                meta.setdefault(m.group(1), unquote(m.group(2)))
    return meta


def kind(a, b):
    """What tells two links of one story apart."""
    if a.split(":", 1)[0] != b.split(":", 1)[0]:
        return "http/https"
    for x in (a, b):
        if "#" in x:
            return "fragment"
    q = " ".join(urlsplit(x).query for x in (a, b))
    for name in ("utm_", "fbclid", "gclid", "mc_cid"):
        if name in q:
            return name.rstrip("_") + ("_*" if name == "utm_" else "")
    return "other"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    clock = int(sys.argv[2] if len(sys.argv) > 2 else os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    links = []
    for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
        for name in filenames:
            if not name.endswith((".txt", ".md", ".markdown", ".yaml", ".yml")):
                continue
            meta = front_matter(os.path.join(dirpath, name))
            link = meta.get("webUrl") or meta.get("originalUrl")
            if not link or meta.get("published") == "false":
                continue
            when = dt.datetime.fromisoformat(meta["publishedDateTime"].replace("Z", "+00:00"))
            if clock and when.timestamp() > clock:
                continue
            links.append(parsed(link))
    exact = Counter(links)
    by_canon = defaultdict(list)
    for link in links:
        by_canon[canonical(link)].append(link)
    n_exact = sum(n - 1 for n in exact.values())
    n_canon = sum(len(v) - 1 for v in by_canon.values())
    print(f"{len(links)} articles taking part")
    print(f"exact rule: {n_exact} duplicate warnings")
    print(f"canonical rule: {n_canon} duplicate warnings ({n_canon - n_exact} more)")
    # the extra ones, by what sets each extra link apart from the first distinct one
    extra = Counter()
    for group in by_canon.values():
        distinct = list(dict.fromkeys(group))
        for other in distinct[1:]:
            extra[kind(distinct[0], other)] += 1
    print("canonical-only, by the link difference: " + ", ".join(f"{k} {v}" for k, v in extra.most_common()))


if __name__ == "__main__":
    main()
