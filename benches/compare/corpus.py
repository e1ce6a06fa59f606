"""Shared helpers for the Python peers of benches/compare.sh: find the article
files of a corpus and split off their YAML front matter.

Kept deliberately plain: this is the code a user would write in an afternoon.
"""

import os

import yaml

try:
    # The libyaml-backed loader; the pure-Python one is ~10x slower and would
    # make the comparison meaningless.
    Loader = yaml.CLoader
except AttributeError:  # pragma: no cover - compare.sh checks this up front
    raise SystemExit("PyYAML was built without libyaml: yaml.CLoader is missing")

EXTENSIONS = (".txt", ".md", ".markdown", ".yaml", ".yml")


def article_paths(root):
    """Every article file below `root`, in a stable (sorted) order, skipping
    hidden files and folders as feedsmith does."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(EXTENSIONS) and not name.startswith("."):
                yield os.path.join(dirpath, name)


def split(text):
    """(front matter, body) of one article, or None when the text does not
    start with a `---` line closed by another `---` line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end != -1:
        return text[4:end + 1], text[end + 5:]
    if text.endswith("\n---"):
        return text[4:-3], ""
    return None


def read_front_matter(path):
    """(front matter mapping, Markdown body) of the article at `path`, or
    None when it has no front matter or the front matter is not a mapping."""
    with open(path, encoding="utf-8") as f:
        parts = split(f.read())
    if parts is None:
        return None
    meta = yaml.load(parts[0], Loader=Loader)
    if not isinstance(meta, dict):
        return None
    return meta, parts[1]
