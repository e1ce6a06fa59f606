"""Builds while article files are saved in place, as a slow editor or a network copy
saves them: truncated, a 2 ms pause, written. Counts how each build ended and what it
said, then checks that a build with nothing moving succeeds and equals a --no-cache one.

    python3 benches/half_saved.py FEEDSMITH ARTICLES_DIR ROUNDS [--no-cache]

FEEDSMITH is a feedsmith binary, ARTICLES_DIR a folder of articles (copied, never
changed), ROUNDS how many builds to race. Each build races 30 saves. A build that read a
file half saved should say the file changed (exit 2), never blame it for what it held
half written ("the file is empty", exit 1).
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import time

binary, source, rounds = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
no_cache = ["--no-cache"] if "--no-cache" in sys.argv[4:] else []
work = tempfile.mkdtemp(prefix="half-saved-")
shutil.copytree(source, os.path.join(work, "articles"))
names = sorted(
    os.path.join(root, name)
    for root, _, files in os.walk(os.path.join(work, "articles"))
    for name in files
)


def build(output, extra=()):
    return subprocess.Popen(
        [binary, "build", "--input", "articles", "--output", output,
         "--base-url", "https://example.com/feeds/", "-q", *extra],
        cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def said(stderr):
    line = next((l for l in stderr.splitlines() if "error" in l), "")
    for words, kind in [("the file is empty", "blamed an empty file"),
                        ("changed during the build", "said a file changed"),
                        ("disappeared", "said a file disappeared")]:
        if words in line:
            return kind
    return line[:80] or "succeeded"


assert build("feeds").wait() == 0
outcomes = collections.Counter()
for r in range(rounds):
    running = build("feeds", no_cache)
    for i in range(30):
        path = names[(r * 97 + i * 13) % len(names)]
        with open(path) as f:
            text = f.read()
        with open(path, "w") as f:
            f.flush()
            time.sleep(0.002)
            f.write(text)
    stderr = running.communicate()[1]
    outcomes[(running.returncode, said(stderr))] += 1
for (code, what), count in sorted(outcomes.items()):
    print(f"exit {code}, {what}: {count} of {rounds}")
settled = build("feeds")
settled_code = settled.wait()
reference = build("reference", ["--no-cache"])
reference_code = reference.wait()
same = subprocess.run(["diff", "-r", "-x", ".feedsmith*", "feeds", "reference"],
                      cwd=work, capture_output=True).returncode == 0
print(f"then, nothing moving: exit {settled_code}, --no-cache exit {reference_code}, "
      f"{'identical' if same else 'DIFFERENT'}")
shutil.rmtree(work)
sys.exit(0 if settled_code == 0 and reference_code == 0 and same else 1)
