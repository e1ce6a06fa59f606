#!/usr/bin/env bash
# Install the feed readers that benches/readers/run.sh drives. Idempotent; needs root
# (apt-get) on Debian 12. Nothing goes into the repository: Python packages go to a
# venv and npm packages to a folder under $READERS_DIR, the gofeed helper is built there.
#
#   benches/readers/install.sh
#
# Environment:
#   READERS_DIR   where the venv, node_modules and the Go binary go (default /tmp/feedsmith-readers)
#   SKIP_APT=1    do not run apt-get (the Debian packages are already there)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
READERS_DIR=${READERS_DIR:-/tmp/feedsmith-readers}
mkdir -p "$READERS_DIR"

# Debian: SimplePie (inside wordpress), Tiny Tiny RSS, sfeed, gofeed + Go, PHP
APT_PKGS=(php-cli php-xml php-mbstring php-intl sfeed golang-go golang-github-mmcdole-gofeed-dev
          wordpress dbconfig-no-thanks tt-rss)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && [ "${SKIP_APT:-0}" != 1 ]; then
  echo "== apt-get install ${missing[*]}" >&2
  # wordpress pulls in apache2 and tt-rss a database config: keep services from starting
  # (only while we install, and only if the machine has no policy-rc.d of its own)
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
  fi
  trap '[ "$made_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -q >&2
  # dbconfig-no-thanks: install tt-rss's code without setting up a database for it
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${APT_PKGS[@]}" >&2
fi

# PyPI: feedparser, reader (its vendored feedparser needs sgmllib3k), atoma; PyYAML for the report
if [ ! -x "$READERS_DIR/venv/bin/python" ]; then
  echo "== python3 -m venv $READERS_DIR/venv" >&2
  python3 -m venv "$READERS_DIR/venv"
fi
"$READERS_DIR/venv/bin/pip" install -q --disable-pip-version-check \
  feedparser==6.0.14 reader==3.26 atoma==0.0.17 PyYAML==6.0.4 sgmllib3k==1.0.0 >&2

# npm: rss-parser, @rowanmanning/feed-parser, @extractus/feed-extractor
mkdir -p "$READERS_DIR/node"
cat > "$READERS_DIR/node/package.json" <<'JSON'
{
  "name": "feedsmith-readers",
  "private": true,
  "dependencies": {
    "rss-parser": "3.13.0",
    "@rowanmanning/feed-parser": "2.1.5",
    "@extractus/feed-extractor": "8.0.3"
  }
}
JSON
(cd "$READERS_DIR/node" && npm install --no-audit --no-fund --loglevel=error >&2)

# Go: gofeed from Debian's source package, GOPATH mode, no module proxy
mkdir -p "$READERS_DIR/bin"
if [ ! -x "$READERS_DIR/bin/gofeed_dump" ] || [ "$HERE/gofeed_dump.go" -nt "$READERS_DIR/bin/gofeed_dump" ]; then
  echo "== go build gofeed_dump (GO111MODULE=off GOPATH=/usr/share/gocode)" >&2
  (cd "$HERE" && GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS= GOPROXY=off \
     GOCACHE="$READERS_DIR/gocache" go build -o "$READERS_DIR/bin/gofeed_dump" gofeed_dump.go)
fi
echo "readers installed in $READERS_DIR" >&2
