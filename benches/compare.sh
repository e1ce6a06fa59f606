#!/usr/bin/env bash
# Benchmark feedsmith against what users would otherwise pick, on the same
# generated corpus: wall time and peak memory side by side, with ratios.
#
#   benches/compare.sh [--repeat N] [--clean] [SIZE...]      (default sizes: 10000 100000)
#
# Tools timed, each on the same corpus of SIZE articles (examples/gen_corpus.rs):
#   feedsmith build     target/release/feedsmith build, cold (an emptied cache folder, which
#                       it fills): everything it writes (RSS, Atom, JSON Feed and a page per
#                       feed, the index, OPML)
#   feedsmith check     parse and validate only, nothing written
#   Hugo                Debian's hugo, `topics` as a taxonomy, one RSS feed per topic term only
#                       (site skeleton in benches/compare/hugo/)
#   feedgen             benches/compare/feedgen_build.py: PyYAML C loader + python-feedgen,
#                       RSS + Atom per topic and for all articles
#   PyYAML parse only   benches/compare/yaml_parse_only.py: read + parse every front matter
#
# Not part of CI. It installs its peers itself (needs root on Debian): the `time`
# and `hugo` packages with apt-get, and feedgen + PyYAML with pip.
#
# Options:
#   --repeat N   run every tool N times and report the median (default 1)
#   --clean      delete $BENCH_DIR (corpora, Hugo sites, logs, discarded outputs) at the end
# Environment:
#   BENCH_DIR    work folder (default /tmp/feedsmith-compare); corpora are generated once
#                per size there and reused by later runs
#   SEED, TOPICS corpus generator settings (default 42 and 300)
#   PYTHON       Python interpreter (default python3)
#   IDLE_MAX     before each timed run, wait until the CPUs are at most this % busy with
#                other work (default 15) ...
#   IDLE_WAIT    ... for at most this many seconds (default 120). A run during which other
#                processes used more than IDLE_MAX % of the CPUs is flagged in the table;
#                its CPU time (user + system) is still a fair figure, its wall time is not.
#
# Every tool sees a warm page cache: before a size is timed, the corpus is read once
# (untimed). Output folders are emptied, and the file system's dirty data written out
# (`sync`), untimed, before each run.
#
# Nothing is deleted while a run may follow: what the script would delete (outputs, the
# cache folder, a Hugo site) is moved into $BENCH_DIR/trash, which only --clean empties.
# On ext4 without a journal (as on the machine docs/performance.md was measured on),
# creating a file scans past every inode of its group deleted in the last minute, or six
# while the inode table is unwritten (the kernel's `recently_deleted`): a tool that wrote
# just after the previous run's 1,500 files were deleted paid about a second of system
# time for that deletion, not for its own work.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE="$REPO/benches/compare"
BENCH_DIR=${BENCH_DIR:-/tmp/feedsmith-compare}
SEED=${SEED:-42}
TOPICS=${TOPICS:-300}
PYTHON=${PYTHON:-python3}
IDLE_MAX=${IDLE_MAX:-15}
IDLE_WAIT=${IDLE_WAIT:-120}
BASE_URL="https://example.com/feeds/"
TIME=/usr/bin/time
REPEAT=1
CLEAN=0
SIZES=()

FEEDSMITH="$REPO/target/release/feedsmith"
GEN_CORPUS=""          # set by build_feedsmith
CHECK_NOCACHE=()       # ("--no-cache") when `feedsmith check` supports it
FEEDSMITH_NOTE=""      # set when the binary could not be rebuilt

discard() {
    # discard PATH...: move each existing PATH into the trash (see the header), never delete.
    local p
    mkdir -p "$BENCH_DIR/trash"
    for p in "$@"; do
        [[ -e $p ]] || continue
        mv "$p" "$(mktemp -d "$BENCH_DIR/trash/XXXXXX")/"
    done
}

log() { printf '\033[2m[compare] %s\033[0m\n' "$*" >&2; }
die() { printf '[compare] error: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,/^$/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit "${1:-0}"
}

parse_args() {
    while (($#)); do
        case $1 in
            --repeat) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--repeat needs a positive number"
                      REPEAT=$2; shift ;;
            --repeat=*) REPEAT=${1#*=}; [[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "bad --repeat" ;;
            --clean) CLEAN=1 ;;
            -h|--help) usage 0 ;;
            -*) printf 'unknown option: %s\n\n' "$1" >&2; usage 2 ;;
            *) [[ $1 =~ ^[1-9][0-9]*$ ]] || die "size must be a positive number: $1"
               SIZES+=("$1") ;;
        esac
        shift
    done
    ((${#SIZES[@]})) || SIZES=(10000 100000)
}

# --- peers -----------------------------------------------------------------------

apt_install() {
    # apt_install PACKAGE...: install with apt-get, refreshing the index only if needed.
    export DEBIAN_FRONTEND=noninteractive
    log "apt-get install $*"
    apt-get install -y -q "$@" >/dev/null 2>&1 || {
        apt-get update -q >/dev/null
        apt-get install -y -q "$@" >/dev/null
    }
}

install_peers() {
    [[ -x $TIME ]] || apt_install time
    command -v hugo >/dev/null || apt_install hugo
    command -v xmllint >/dev/null || apt_install libxml2-utils

    if ! "$PYTHON" -c 'import feedgen, yaml' 2>/dev/null; then
        log "pip install feedgen pyyaml"
        "$PYTHON" -m pip install -q feedgen pyyaml
    fi
    # Time the interpreter itself, not a wrapper such as a pyenv shim.
    PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')
    if ! "$PYTHON" -c 'import yaml; yaml.CLoader' 2>/dev/null; then
        # The PyYAML wheel normally bundles libyaml; rebuild it from source if not.
        log "PyYAML has no CLoader: installing libyaml-dev and rebuilding PyYAML"
        apt_install libyaml-dev
        "$PYTHON" -m pip install -q --force-reinstall --no-cache-dir --no-binary pyyaml pyyaml
        "$PYTHON" -c 'import yaml; yaml.CLoader' || die "PyYAML still has no CLoader"
    fi
}

# --- feedsmith -------------------------------------------------------------------

build_feedsmith() {
    log "cargo build --release"
    if ! (cd "$REPO" && cargo build --release --quiet --bin feedsmith) >&2; then
        # Others may be editing src/ right now; a previous binary is still a useful
        # data point, but say so loudly in the report.
        [[ -x $FEEDSMITH ]] || die "cargo build --release failed and there is no previous binary"
        FEEDSMITH_NOTE="cargo build failed; timed the previous binary built $(date -r "$FEEDSMITH" '+%F %T')"
        log "WARNING: $FEEDSMITH_NOTE"
    fi

    # The generator is std-only: if the crate does not compile, build it standalone.
    if (cd "$REPO" && cargo build --release --quiet --example gen_corpus) >&2; then
        GEN_CORPUS="$REPO/target/release/examples/gen_corpus"
    else
        log "cargo could not build the gen_corpus example; compiling it with rustc alone"
        mkdir -p "$BENCH_DIR"
        rustc --edition 2021 -O "$REPO/examples/gen_corpus.rs" -o "$BENCH_DIR/gen_corpus"
        GEN_CORPUS="$BENCH_DIR/gen_corpus"
    fi

    # --no-cache is new: pass it only to a binary that knows it.
    if "$FEEDSMITH" check --help 2>/dev/null | grep -q -- '--no-cache'; then CHECK_NOCACHE=(--no-cache); fi
    log "feedsmith check: ${CHECK_NOCACHE[*]:-no --no-cache}"
}

# --- corpus and Hugo site --------------------------------------------------------

corpus_dir() { echo "$BENCH_DIR/corpus-$1"; }

make_corpus() {
    # make_corpus N: generate the N-article corpus unless an identical one exists.
    local n=$1 dir stamp
    dir=$(corpus_dir "$n")
    # The stamp names everything the corpus depends on, generator source included.
    stamp="count=$n seed=$SEED topics=$TOPICS gen=$(sha256sum "$REPO/examples/gen_corpus.rs" | cut -c1-16)"
    if [[ -f $dir.stamp && $(<"$dir.stamp") == "$stamp" ]]; then
        log "reusing corpus $dir"
        return
    fi
    log "generating $n articles into $dir"
    discard "$dir" "$(hugo_site "$n")"
    rm -f "$dir.stamp"
    "$GEN_CORPUS" --count "$n" --out "$dir" --seed "$SEED" --topics "$TOPICS" >&2
    echo "$stamp" >"$dir.stamp"
}

hugo_site() { echo "$BENCH_DIR/hugo-site-$1"; }

make_hugo_site() {
    # make_hugo_site N: a throwaway Hugo site whose content/posts/ holds the corpus
    # as .md files. They are hard links to the corpus files (same bytes, same page
    # cache), or copies where linking is not possible. Done before any timing.
    local n=$1 site
    site=$(hugo_site "$n")
    discard "$site"
    mkdir -p "$site"
    cp -r "$HERE/hugo/." "$site/"
    "$PYTHON" - "$(corpus_dir "$n")" "$site/content/posts" <<'EOF'
import os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
for dirpath, _, files in os.walk(src):
    out = os.path.join(dst, os.path.relpath(dirpath, src))
    os.makedirs(out, exist_ok=True)
    for name in files:
        if name.endswith(".txt"):
            a, b = os.path.join(dirpath, name), os.path.join(out, name[:-4] + ".md")
            try:
                os.link(a, b)
            except OSError:
                shutil.copyfile(a, b)
EOF
}

warm_cache() {
    # One untimed read of every corpus file, so that no tool pays for cold I/O.
    find "$1" -type f -print0 | xargs -0 cat >/dev/null
}

# --- running and measuring -------------------------------------------------------

# The commands of the five tools: cmd_X INPUT OUTPUT sets CMD to the argument vector,
# which /usr/bin/time runs directly (no shell in between). INPUT is the corpus, except
# for Hugo where it is the Hugo site.
CMD=()
cmd_feedsmith_build() {
    # A cold build as users run it, with the build cache on: an empty cache folder, which
    # the build fills (hashing every file and writing its records) as it goes.
    discard "$BENCH_DIR/feedsmith-cache"
    CMD=("$FEEDSMITH" build --config "$HERE/feedsmith.yaml" --input "$1" --output "$2"
         --base-url "$BASE_URL" --cache-dir "$BENCH_DIR/feedsmith-cache")
}
cmd_feedsmith_check() {
    CMD=("$FEEDSMITH" check --config "$HERE/feedsmith.yaml" --input "$1"
         ${CHECK_NOCACHE[@]+"${CHECK_NOCACHE[@]}"})
}
cmd_hugo() { CMD=(hugo --source "$1" --destination "$2" --cacheDir "$BENCH_DIR/hugo-cache" --quiet); }
cmd_feedgen() { CMD=("$PYTHON" "$HERE/feedgen_build.py" "$1" "$2" "$BASE_URL"); }
cmd_yaml_parse() { CMD=("$PYTHON" "$HERE/yaml_parse_only.py" "$1"); }

# run_untimed cmd_X INPUT OUTPUT: run a tool without measuring it (self-test).
run_untimed() { "$1" "$2" "$3"; "${CMD[@]}"; }

count_output() {
    # count_output DIR: "<files> files, <RSS items + Atom entries> items" written below DIR.
    local files items
    files=$(find "$1" -type f | wc -l)
    items=$(find "$1" -name '*.xml' -print0 | xargs -0 -r cat | grep -o '<item>\|<entry>' | wc -l)
    echo "$files files, $items items"
}

cpu_busy_pct() {
    # Percentage of all CPUs' time spent not idle over the next second, from /proc/stat.
    local _c u1 n1 s1 i1 w1 q1 sq1 st1 u2 n2 s2 i2 w2 q2 sq2 st2 _r total idle
    read -r _c u1 n1 s1 i1 w1 q1 sq1 st1 _r </proc/stat
    sleep 1
    read -r _c u2 n2 s2 i2 w2 q2 sq2 st2 _r </proc/stat
    total=$(((u2 + n2 + s2 + i2 + w2 + q2 + sq2 + st2) - (u1 + n1 + s1 + i1 + w1 + q1 + sq1 + st1)))
    idle=$(((i2 + w2) - (i1 + w1)))
    echo $((total > 0 ? 100 * (total - idle) / total : 0))
}

wait_for_idle() {
    # Others may be compiling on this machine: wait (up to IDLE_WAIT s) until the CPUs
    # are quiet, so that the run is not slowed down by them.
    local busy waited=0
    while busy=$(cpu_busy_pct); ((busy > IDLE_MAX)); do
        if ((waited >= IDLE_WAIT)); then
            log "    WARNING: CPUs still ${busy}% busy after ${IDLE_WAIT} s; timing anyway"
            return
        fi
        ((waited % 30 == 0)) && log "    CPUs ${busy}% busy with other work; waiting for them to settle"
        sleep 4
        waited=$((waited + 5))
    done
}

# median: the median of the numbers on stdin, one a line (blank lines ignored).
median() { sort -g | awk 'NF {v[++n] = $1} END {print (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2}'; }

busy_cpu_seconds() {
    # Non-idle CPU time of the whole machine since boot, in seconds (from /proc/stat).
    awk -v hz="$(getconf CLK_TCK)" '/^cpu / {printf "%.2f\n", ($2 + $3 + $4 + $7 + $8 + $9) / hz; exit}' /proc/stat
}

# measure LABEL CMD_FN INPUT OUTPUT: time the command CMD_FN INPUT OUTPUT builds, $REPEAT
# times, and append "LABEL<TAB>wall s<TAB>CPU s<TAB>peak KB<TAB>output summary" (medians)
# to $RESULTS. A run during which other processes used more than IDLE_MAX % of the
# CPUs is flagged in the summary: its wall time is not to be trusted.
measure() {
    local label=$1 fn=$2 input=$3 out=$4 i t m u sy b0 b1 others logf
    local times="" cpus="" mems="" worst=0
    logf="$BENCH_DIR/logs/$(basename "$input")-$fn.log"
    for ((i = 1; i <= REPEAT; i++)); do
        discard "$out" && mkdir -p "$out"
        log "  $label (run $i/$REPEAT)"
        "$fn" "$input" "$out"
        # What earlier steps left unwritten (a Hugo site of 100,000 links, the last run's
        # output) is written now, untimed: a tool that makes its output durable (feedsmith's
        # syncfs) would otherwise wait for the whole file system's backlog, and one that
        # does not (Hugo) would not.
        sync
        wait_for_idle
        b0=$(busy_cpu_seconds)
        if ! $TIME -f '%e %M %U %S' -o "$BENCH_DIR/time.out" "${CMD[@]}" >"$logf" 2>&1; then
            log "  $label FAILED, last lines of $logf:"
            tail -n 5 "$logf" >&2
            printf '%s\tFAIL\tFAIL\tFAIL\t-\n' "$label" >>"$RESULTS"
            return
        fi
        b1=$(busy_cpu_seconds)
        read -r t m u sy <"$BENCH_DIR/time.out"
        # CPU the rest of the machine used during the run, as % of all CPUs' time.
        others=$(awk -v b="$b1" -v a="$b0" -v u="$u" -v s="$sy" -v t="$t" -v n="$(nproc)" \
            'BEGIN {o = (b - a - u - s) / ((t > 0.01 ? t : 0.01) * n) * 100; printf "%d", (o > 0 ? o : 0)}')
        ((others > worst)) && worst=$others
        log "    ${t} s wall, $(awk -v u="$u" -v s="$sy" 'BEGIN {print u + s}') s CPU, ${m} KB; others used ${others}% of the CPUs"
        times+="$t"$'\n' cpus+="$(awk -v u="$u" -v s="$sy" 'BEGIN {print u + s}')"$'\n' mems+="$m"$'\n'
    done
    local summary="-"
    [[ -n $(find "$out" -name '*.xml' -print -quit) ]] && summary=$(count_output "$out")
    ((worst <= IDLE_MAX)) || summary="$summary ⚠ other processes used ${worst}% of the CPUs"
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(median <<<"$times")" "$(median <<<"$cpus")" \
        "$(median <<<"$mems")" "$summary" >>"$RESULTS"
    discard "$out"
}

print_table() {
    # print_table N: the Markdown table of $RESULTS; ratios are against feedsmith build.
    local n=$1
    echo
    echo "### $n articles ($(du -sh --apparent-size "$(corpus_dir "$n")" | cut -f1) corpus)"
    echo
    echo "| tool | wall s | CPU s | peak MB | feedsmith speed-up | output |"
    echo "|---|---:|---:|---:|---:|---|"
    awk -F'\t' '
        NR == 1 { base = ($2 == "FAIL") ? 0 : $2; if (base < 0.01) base = 0.01 }
        $2 == "FAIL" { printf "| %s | failed | | | | |\n", $1; next }
        {
            t = $2; if (t < 0.01) t = 0.01
            ratio = base ? sprintf("%.2f×", t / base) : "n/a"
            printf "| %s | %.2f | %.2f | %.0f | %s | %s |\n", $1, $2, $3, $4 / 1024, ratio, $5
        }' "$RESULTS"
}

# --- self-test -------------------------------------------------------------------

selftest() {
    # On a 200-article corpus, run every tool untimed and check that each writes
    # well-formed feeds, and that Hugo and the feedgen peer write as many per-topic
    # RSS feeds, with as many items, as feedsmith.
    local c=$BENCH_DIR/corpus-200 out=$BENCH_DIR/selftest
    log "self-test on 200 articles"
    make_corpus 200
    make_hugo_site 200
    discard "$out" && mkdir -p "$out"
    run_untimed cmd_feedsmith_build "$c" "$out/feedsmith" >/dev/null 2>&1 || die "self-test: feedsmith build failed"
    run_untimed cmd_feedsmith_check "$c" "" >/dev/null 2>&1 || die "self-test: feedsmith check failed"
    run_untimed cmd_hugo "$(hugo_site 200)" "$out/hugo" >"$out/hugo.log" 2>&1 ||
        { cat "$out/hugo.log" >&2; die "self-test: hugo failed"; }
    run_untimed cmd_feedgen "$c" "$out/feedgen" 2>/dev/null || die "self-test: feedgen_build.py failed"
    run_untimed cmd_yaml_parse "$c" "" 2>/dev/null || die "self-test: yaml_parse_only.py failed"
    find "$out" -name '*.xml' -print0 | xargs -0 xmllint --noout || die "self-test: malformed XML"

    # Compare what all three write: the per-topic RSS feeds (Hugo: topics/<term>/index.xml).
    local fs_feeds fs_items hu_feeds hu_items fg_feeds fg_items
    topic_rss() { find "$1/topics" -mindepth 2 -maxdepth 2 -name "$2" -print0; }
    count_items() { xargs -0 -r cat | grep -o '<item>' | wc -l; }
    fs_feeds=$(topic_rss "$out/feedsmith" rss.xml | tr -cd '\0' | wc -c)
    hu_feeds=$(topic_rss "$out/hugo" index.xml | tr -cd '\0' | wc -c)
    fg_feeds=$(topic_rss "$out/feedgen" rss.xml | tr -cd '\0' | wc -c)
    fs_items=$(topic_rss "$out/feedsmith" rss.xml | count_items)
    hu_items=$(topic_rss "$out/hugo" index.xml | count_items)
    fg_items=$(topic_rss "$out/feedgen" rss.xml | count_items)
    log "  feedsmith: $(count_output "$out/feedsmith"); $fs_feeds topic RSS feeds, $fs_items items"
    log "  Hugo:      $(count_output "$out/hugo"); $hu_feeds topic RSS feeds, $hu_items items"
    log "  feedgen:   $(count_output "$out/feedgen"); $fg_feeds topic RSS feeds, $fg_items items"
    ((fs_feeds > 0 && fs_items > 0)) || die "self-test: feedsmith wrote no per-topic RSS items"
    ((hu_feeds > 0 && hu_items > 0)) || die "self-test: Hugo wrote no per-topic RSS items"
    ((fg_feeds > 0 && fg_items > 0)) || die "self-test: feedgen wrote no per-topic RSS items"
    for peer in "Hugo $hu_feeds $hu_items" "feedgen $fg_feeds $fg_items"; do
        set -- $peer
        [[ $2 == "$fs_feeds" && $3 == "$fs_items" ]] ||
            log "  WARNING: $1 wrote $2 topic feeds / $3 items, feedsmith $fs_feeds / $fs_items"
    done
    discard "$out"
}

# --- report ----------------------------------------------------------------------

print_machine() {
    local cpu mem
    cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
    echo "## feedsmith vs. peers"
    echo
    echo "- machine: $(nproc) CPUs, ${cpu:-unknown CPU}, $mem RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "- feedsmith: $("$FEEDSMITH" --version) ($(cd "$REPO" && git describe --always --dirty 2>/dev/null || echo '?'))" \
         "build: cold, with the build cache (emptied before each run); check: ${CHECK_NOCACHE[*]:-(no --no-cache support)}"
    [[ -z $FEEDSMITH_NOTE ]] || echo "- **note: $FEEDSMITH_NOTE**"
    echo "- Hugo: $(hugo version | awk '{print $2}') (per-topic RSS only)"
    echo "- Python $("$PYTHON" -c 'import sys; print(sys.version.split()[0])'), $("$PYTHON" -c '
import yaml, importlib.metadata as m
print("feedgen", m.version("feedgen") + ", PyYAML", yaml.__version__, "with libyaml", yaml.__with_libyaml__)')"
    echo "- corpus: examples/gen_corpus.rs --seed $SEED --topics $TOPICS; warm page cache;" \
         "median of $REPEAT run(s), each started once the CPUs were idle (≤ ${IDLE_MAX}% busy); speed-up = tool wall time / feedsmith build wall time; CPU s = user + system"
}

main() {
    parse_args "$@"
    mkdir -p "$BENCH_DIR/logs"
    install_peers
    build_feedsmith
    selftest

    local report="$BENCH_DIR/results.md"
    print_machine | tee "$report"
    for n in "${SIZES[@]}"; do
        local c out=$BENCH_DIR/out
        c=$(corpus_dir "$n")
        make_corpus "$n"
        log "preparing the Hugo site for $n articles"
        make_hugo_site "$n"
        warm_cache "$c"
        RESULTS="$BENCH_DIR/results-$n.tsv"
        : >"$RESULTS"
        log "timing $n articles"
        measure "feedsmith build" cmd_feedsmith_build "$c" "$out"
        measure "feedsmith check" cmd_feedsmith_check "$c" "$out"
        measure "Hugo (topic RSS only)" cmd_hugo "$(hugo_site "$n")" "$out"
        measure "feedgen + PyYAML" cmd_feedgen "$c" "$out"
        measure "PyYAML parse only" cmd_yaml_parse "$c" "$out"
        print_table "$n" | tee -a "$report"
        discard "$(hugo_site "$n")"
    done
    log "report written to $report"
    if ((CLEAN)); then
        rm -rf "$BENCH_DIR"
    elif [[ -d $BENCH_DIR/trash ]]; then
        log "discarded outputs kept in $BENCH_DIR/trash ($(du -sh "$BENCH_DIR/trash" | cut -f1)); --clean removes them"
    fi
}

main "$@"
