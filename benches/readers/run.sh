#!/usr/bin/env bash
# Parse every feed file in FEEDS_DIR with each installed feed reader library and print,
# as Markdown, what a reader built on it would show: exact titles, authors, images, topic
# names and updated dates, checked against the seed articles (see README.md in this folder).
#
#   benches/readers/run.sh FEEDS_DIR [SEEDS_DIR]      (default SEEDS_DIR: the repo's seeds/)
#
# Run install.sh first. Environment:
#   READERS_DIR   where install.sh put the readers (default /tmp/feedsmith-readers)
#   CLIENTS       space-separated subset of: simplepie ttrss gofeed sfeed feedparser reader
#                 atoma rss-parser rowanmanning feed-extractor   (default: all)
#   RESULTS_DIR   keep each client's raw JSON lines there (default: a temp dir, deleted)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
READERS_DIR=${READERS_DIR:-/tmp/feedsmith-readers}
[ $# -ge 1 ] || { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
FEEDS_DIR=$(cd "$1" && pwd)
SEEDS_DIR=$(cd "${2:-$HERE/../../seeds}" && pwd)
PY=$READERS_DIR/venv/bin/python
[ -x "$PY" ] || { echo "run.sh: $PY missing: run benches/readers/install.sh first" >&2; exit 2; }
CLIENTS=${CLIENTS:-simplepie ttrss gofeed sfeed feedparser reader atoma rss-parser rowanmanning feed-extractor}

if [ -n "${RESULTS_DIR:-}" ]; then
  mkdir -p "$RESULTS_DIR"; WORK=$(cd "$RESULTS_DIR" && pwd)
else
  WORK=$(mktemp -d /tmp/feedsmith-readers-run.XXXXXX); trap 'rm -rf "$WORK"' EXIT
fi
LIST=$WORK/feeds.tsv
"$PY" "$HERE/readers.py" list "$FEEDS_DIR" > "$LIST"
n_files=$(wc -l < "$LIST")
[ "$n_files" -gt 0 ] || { echo "run.sh: no RSS/Atom/JSON Feed files under $FEEDS_DIR" >&2; exit 1; }
export READERS_NODE_DIR=$READERS_DIR/node
export GOFEED_VERSION=$(dpkg-query -W -f='${Version}' golang-github-mmcdole-gofeed-dev 2>/dev/null || true)

for c in $CLIENTS; do
  case $c in simplepie|ttrss|gofeed|sfeed|feedparser|reader|atoma|rss-parser|rowanmanning|feed-extractor) ;;
    *) echo "run.sh: unknown client $c" >&2; exit 2 ;; esac
done
failed=()
for c in $CLIENTS; do
  case $c in
    simplepie)      cmd=(php "$HERE/simplepie.php" "$LIST") ;;
    ttrss)          cmd=(php "$HERE/ttrss.php" "$LIST") ;;
    gofeed)         cmd=("$READERS_DIR/bin/gofeed_dump" "$LIST") ;;
    sfeed|feedparser|reader|atoma) cmd=("$PY" "$HERE/readers.py" "$c" "$LIST") ;;
    rss-parser)     cmd=(node "$HERE/readers_node.js" rss-parser "$LIST") ;;
    rowanmanning)   cmd=(node "$HERE/readers_node.js" @rowanmanning/feed-parser "$LIST") ;;
    feed-extractor) cmd=(node "$HERE/readers_node.js" @extractus/feed-extractor "$LIST") ;;
    *) echo "run.sh: unknown client $c" >&2; exit 2 ;;
  esac
  start=$(date +%s%N)
  if "${cmd[@]}" > "$WORK/$c.jsonl" 2> "$WORK/$c.log"; then
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    printf 'run.sh: %-15s %3d files in %d.%03ds\n' "$c" "$n_files" $((ms / 1000)) $((ms % 1000)) >&2
  else
    failed+=("$c: exit $? — $(tail -n 3 "$WORK/$c.log" | tr '\n' ' ' | cut -c1-300)")
    echo "run.sh: $c FAILED: $(tail -n 3 "$WORK/$c.log")" >&2
  fi
done

echo "## What feed readers show: $FEEDS_DIR"
echo
echo "$n_files feed files ($(cut -f1 "$LIST" | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')), seeds from $SEEDS_DIR, $(date -u +%Y-%m-%dT%H:%MZ)."
echo "M = items (over all files of that format) whose link matched a seed article; images are counted over those whose article has images, topics over those whose article has topics, updated dates over the U whose article has an updatedDateTime that feedsmith publishes (RSS 2.0 has no element for it; feedsmith writes Atom <updated> and JSON Feed date_modified)."
echo
results=()
for c in $CLIENTS; do
  if [ -s "$WORK/$c.jsonl" ]; then results+=("$WORK/$c.jsonl"); fi
done
if [ "${#results[@]}" -gt 0 ]; then
  "$PY" "$HERE/report.py" "$SEEDS_DIR" "${results[@]}"
else
  echo "(no client produced any result)"
fi
if [ "${#failed[@]}" -gt 0 ]; then
  echo
  echo "Clients that failed to run:"
  for f in "${failed[@]}"; do echo "- $f"; done
fi
