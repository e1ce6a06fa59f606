#!/usr/bin/env python3
"""Peer 3 of benches/compare.sh: read every article of a corpus and parse its
YAML front matter with PyYAML's C loader (libyaml), nothing else.

This is a floor for any Python tool built on PyYAML: reading and parsing the
input, no validation, no feed writing.

usage: yaml_parse_only.py CORPUS_DIR
"""

import sys

from corpus import article_paths, read_front_matter


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-1])
    parsed = skipped = 0
    for path in article_paths(sys.argv[1]):
        if read_front_matter(path) is None:
            skipped += 1
        else:
            parsed += 1
    print(f"yaml_parse_only: {parsed} front matters parsed, {skipped} skipped", file=sys.stderr)
    if parsed == 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
