//! The one harness of the suite, in the manner of mdBook's `BookTest` and ripgrep's `rgtest!`:
//! a project folder in a temp dir (a copy of a fixture folder, the repository's seeds, or
//! files a test writes), the real `feedsmith` binary run in it, and chained assertions on
//! what happened: the exit status, the messages, the files.
//!
//! ```ignore
//! Project::fixture("fixtures/duplicates")
//!     .build()
//!     .status(0)
//!     .stderr_line("warning: articles/a-older.txt: same webUrl (…) as articles/b-newer.txt, …")
//!     .file("feeds/topics/updates/rss.xml", |rss| assert_eq!(rss.matches("<item>").count(), 2));
//! ```
//!
//! A fixture folder under `tests/testsuite/` is a project as a user has it: `articles/`, and
//! sometimes a `feedsmith.yaml` or the output it is expected to give (`expected/`).
//!
//! Whole messages are compared with [`Run::stderr`] (snapbox data: `[..]` matches any run of
//! characters within a line, `...` alone on a line any lines) or [`Run::stderr_line`]; whole
//! folders with [`assert_tree`].
//! `SNAPSHOTS=overwrite cargo test` rewrites both kinds of snapshot from what the program
//! now does (inline `str![[..]]` data in the test sources too).

pub(crate) mod library;
pub(crate) mod xml;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, SystemTime};

use snapbox::assert::{Action, DEFAULT_ACTION_ENV};
use snapbox::IntoData;

/// The base URL that [`Project::build`] passes.
pub(crate) const BASE_URL: &str = "https://example.com/feeds/";

/// A fixed clock (2025-11-24T16:00:00Z) for [`Project::clock`], so the scheduling rule gives
/// the same answer on every run.
pub(crate) const NOW: &str = "1764000000";

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/testsuite/`, where fixture folders live.
pub(crate) fn testsuite() -> PathBuf {
    repo().join("tests/testsuite")
}

/// A scratch project folder, removed when dropped, and the environment its runs get.
///
/// Each project also has a home folder of its own, outside the project (`HOME` and
/// `XDG_CACHE_HOME` point into it), so a run never touches the real user's cache and a test
/// can see what lands in the user's cache folder ([`Project::user_cache`]).
pub(crate) struct Project {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Project {
    /// An empty folder.
    pub(crate) fn empty() -> Project {
        Project {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
            env: Vec::new(),
        }
    }

    /// The user's cache folder of this project's runs: where the build cache goes when no
    /// settings file or flag places it.
    pub(crate) fn user_cache(&self) -> PathBuf {
        self.home.path().join("cache/feedsmith")
    }

    /// A copy of the fixture folder `tests/testsuite/<name>`.
    pub(crate) fn fixture(name: &str) -> Project {
        let project = Project::empty();
        copy_dir(&testsuite().join(name), project.path());
        project
    }

    /// The repository's own `seeds/` and `feedsmith.yaml`: `feedsmith build` in it builds the
    /// example feeds into `feeds/`, as in the repository.
    pub(crate) fn seeds() -> Project {
        let project = Project::empty();
        copy_dir(&repo().join("seeds"), &project.join("seeds"));
        fs::copy(
            repo().join("feedsmith.yaml"),
            project.join("feedsmith.yaml"),
        )
        .unwrap();
        project
    }

    /// A generated corpus in `articles/`: `n` articles over 60 topics and 9 providers, with
    /// markup-like text, Markdown bodies, and every 97th article a newer copy of the one
    /// before (the same webUrl), so duplicates fall across chunk boundaries.
    pub(crate) fn corpus(n: usize) -> Project {
        let project = Project::empty();
        for i in 0..n {
            let topics: Vec<String> = (0..3)
                .map(|k| format!("\"Topic {}\"", (i * 7 + k * 13) % 60))
                .collect();
            let text = format!(
                "---\ntitle: \"Story {i} about <things> & more\"\nexcerpt: \"Excerpt {i}: {}\"\nwebUrl: \"https://news.example.org/{}\"\npublishedDateTime: 2023-{:02}-{:02}T{:02}:{:02}:00Z\nprovider: {{name: \"Provider {}\", domain: \"p{}.example.org\"}}\ntopics: [{}]\nimages:\n  - {{url: \"https://img.example.org/{i}.jpg\", width: 800, height: 600}}\n---\n{}\n",
                "lorem ipsum ".repeat(20),
                if i % 97 == 96 { i - 1 } else { i },
                i % 12 + 1,
                i % 28 + 1,
                i % 24,
                i % 60,
                i % 9,
                i % 9,
                topics.join(", "),
                "Some **Markdown** body text with a [link](https://example.org/x). ".repeat(10)
            );
            project.write(&format!("articles/{i:05}.txt"), text);
        }
        project
    }

    /// Writes `contents` to `path` (relative to the project), creating folders.
    pub(crate) fn with_file(self, path: &str, contents: impl AsRef<[u8]>) -> Project {
        self.write(path, contents);
        self
    }

    /// Writes `yaml` as the project's `feedsmith.yaml`.
    pub(crate) fn config(self, yaml: &str) -> Project {
        self.with_file("feedsmith.yaml", yaml)
    }

    /// Sets an environment variable for every run in this project.
    pub(crate) fn env(mut self, name: &str, value: &str) -> Project {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Runs every build at the fixed time `epoch` (seconds), through `SOURCE_DATE_EPOCH`.
    pub(crate) fn clock(self, epoch: &str) -> Project {
        self.env("SOURCE_DATE_EPOCH", epoch)
    }

    /// Waits until the files written so far are old enough for the cache to trust their
    /// stamps: a file changed within a second of a build is always hashed.
    ///
    /// Setting the files' times cannot do it: the cache looks at the change time too (ctime),
    /// which any write, and setting the mtime itself, sets to now. So this waits, polling the
    /// clock, until the whole second after that of the newest change time or mtime in the
    /// project has passed; a build started then finds every stamp trustworthy.
    pub(crate) fn settled(self) -> Project {
        let newest = files(self.path())
            .iter()
            .filter_map(|path| changed_second(&self.path().join(path)))
            .max();
        if let Some(newest) = newest {
            let now = || {
                SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64)
            };
            while now() < newest + 2 {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        self
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn join(&self, path: &str) -> PathBuf {
        self.path().join(path)
    }

    pub(crate) fn exists(&self, path: &str) -> bool {
        self.join(path).exists()
    }

    #[track_caller]
    pub(crate) fn read(&self, path: &str) -> String {
        fs::read_to_string(self.join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    #[track_caller]
    pub(crate) fn bytes(&self, path: &str) -> Vec<u8> {
        fs::read(self.join(path)).unwrap_or_else(|e| panic!("reading {path}: {e}"))
    }

    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let target = self.join(path);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::write(target, contents).unwrap();
    }

    /// Rewrites the text file `path` through `change`.
    #[track_caller]
    pub(crate) fn edit(&self, path: &str, change: impl FnOnce(&str) -> String) {
        let text = self.read(path);
        self.write(path, change(&text));
    }

    pub(crate) fn remove(&self, path: &str) {
        fs::remove_file(self.join(path)).unwrap_or_else(|e| panic!("removing {path}: {e}"));
    }

    /// Copies the fixture folder `tests/testsuite/<name>` over the project again.
    pub(crate) fn restore(&self, name: &str) {
        copy_dir(&testsuite().join(name), self.path());
    }

    /// Sets the modification time of `path`.
    pub(crate) fn set_modified(&self, path: &str, time: SystemTime) {
        fs::File::options()
            .write(true)
            .open(self.join(path))
            .unwrap()
            .set_modified(time)
            .unwrap();
    }

    pub(crate) fn modified(&self, path: &str) -> SystemTime {
        fs::metadata(self.join(path)).unwrap().modified().unwrap()
    }

    /// Every file below `folder`, as sorted `/`-separated paths relative to it.
    pub(crate) fn files(&self, folder: &str) -> Vec<String> {
        files(&self.join(folder))
    }

    /// The names in `folder`, sorted.
    pub(crate) fn entries(&self, folder: &str) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.join(folder))
            .unwrap_or_else(|e| panic!("listing {folder}: {e}"))
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Every file below `folder` but the build lock, with its bytes.
    pub(crate) fn tree(&self, folder: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.join(folder))
    }

    /// `feedsmith ARGS` in this project, ready to adjust, run or spawn.
    pub(crate) fn cmd<I, S>(&self, args: I) -> Cmd<'_>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(env!("CARGO_BIN_EXE_feedsmith"));
        command
            .current_dir(self.path())
            .env_remove("GITHUB_ACTIONS")
            .env("HOME", self.home.path())
            .env("XDG_CACHE_HOME", self.home.path().join("cache"))
            .args(args);
        for (name, value) in &self.env {
            command.env(name, value);
        }
        Cmd {
            project: self,
            command,
        }
    }

    /// Runs `feedsmith ARGS` in this project.
    pub(crate) fn run<I, S>(&self, args: I) -> Run<'_>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.cmd(args).run()
    }

    /// `feedsmith build --input articles --output feeds --base-url BASE_URL EXTRA`.
    pub(crate) fn build_cmd(&self, extra: &[&str]) -> Cmd<'_> {
        self.build_into("feeds", extra)
    }

    /// `feedsmith build --input articles --output OUTPUT --base-url BASE_URL EXTRA`.
    pub(crate) fn build_into(&self, output: impl AsRef<OsStr>, extra: &[&str]) -> Cmd<'_> {
        let mut cmd = self.cmd(["build", "--input", "articles", "--output"]);
        cmd.command
            .arg(output)
            .args(["--base-url", BASE_URL])
            .args(extra);
        cmd
    }

    /// Runs `feedsmith build --input articles --output feeds --base-url BASE_URL`.
    pub(crate) fn build(&self) -> Run<'_> {
        self.build_cmd(&[]).run()
    }

    /// [`Project::build`] with more arguments.
    pub(crate) fn build_with(&self, extra: &[&str]) -> Run<'_> {
        self.build_cmd(extra).run()
    }
}

/// A `feedsmith` command in a project, not yet run.
pub(crate) struct Cmd<'p> {
    project: &'p Project,
    command: Command,
}

impl<'p> Cmd<'p> {
    pub(crate) fn env(mut self, name: &str, value: &str) -> Cmd<'p> {
        self.command.env(name, value);
        self
    }

    /// Runs in the project's folder `folder` instead of its root (created if missing).
    pub(crate) fn in_folder(mut self, folder: &str) -> Cmd<'p> {
        let dir = self.project.join(folder);
        fs::create_dir_all(&dir).unwrap();
        self.command.current_dir(dir);
        self
    }

    /// Runs the command to its end.
    pub(crate) fn run(mut self) -> Run<'p> {
        let line = describe(&self.command);
        let output = self
            .command
            .output()
            .unwrap_or_else(|e| panic!("cannot run {line}: {e}"));
        Run {
            project: self.project,
            line,
            output,
        }
    }

    /// Starts the command, with its output thrown away.
    pub(crate) fn spawn(mut self) -> Child {
        self.command
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    }

    /// The command itself, for a runner of its own.
    pub(crate) fn into_command(self) -> Command {
        self.command
    }
}

/// What one run did, with assertions that chain. Each failure shows the command and its
/// whole stderr.
pub(crate) struct Run<'p> {
    project: &'p Project,
    line: String,
    output: Output,
}

impl Run<'_> {
    pub(crate) fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    pub(crate) fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    /// Stdout, parsed as JSON.
    #[track_caller]
    pub(crate) fn stdout_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.output.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: stdout is not JSON ({e}):\n{}",
                self.line,
                self.stdout_text()
            )
        })
    }

    #[track_caller]
    fn fail(&self, what: impl std::fmt::Display) -> ! {
        panic!(
            "{}\n  command: {}\n  status: {}\n  stderr:\n{}",
            what,
            self.line,
            self.output.status,
            self.stderr_text()
        )
    }

    /// The exit status is `code`.
    #[track_caller]
    pub(crate) fn status(self, code: i32) -> Self {
        if self.output.status.code() != Some(code) {
            self.fail(format_args!("expected exit status {code}"));
        }
        self
    }

    /// The whole of stderr is `expected` (snapbox data: `[..]` matches any run of characters
    /// within a line, `...` alone on a line any lines).
    #[track_caller]
    pub(crate) fn stderr(self, expected: impl IntoData) -> Self {
        checked().eq(self.stderr_text(), expected);
        self
    }

    /// The whole of stderr is `expected`, as [`Run::stderr`] but with every `\\` kept: for
    /// messages that quote an author's backslashes, which snapbox would otherwise take for
    /// Windows path separators and compare (and write into the snapshot) as `/`.
    #[track_caller]
    pub(crate) fn stderr_verbatim(self, expected: impl IntoData) -> Self {
        checked()
            .normalize_paths(false)
            .eq(self.stderr_text(), expected);
        self
    }

    /// The whole of stdout is `expected`, as [`Run::stderr`].
    #[track_caller]
    pub(crate) fn stdout(self, expected: impl IntoData) -> Self {
        checked().eq(self.stdout_text(), expected);
        self
    }

    /// Stderr has `line` as one whole line.
    #[track_caller]
    pub(crate) fn stderr_line(self, line: &str) -> Self {
        if !self.stderr_text().lines().any(|l| l == line) {
            self.fail(format_args!("no stderr line\n{line}"));
        }
        self
    }

    /// Stderr nowhere has `fragment`.
    #[track_caller]
    pub(crate) fn stderr_lacks(self, fragment: &str) -> Self {
        if self.stderr_text().contains(fragment) {
            self.fail(format_args!("stderr mentions {fragment:?}"));
        }
        self
    }

    /// The `feedsmith: … articles read …` (or, for `check`, `… checked …`) line is
    /// `expected` (`[..]` matches any run of characters, as in [`Run::stderr`]).
    #[track_caller]
    pub(crate) fn summary(self, expected: &str) -> Self {
        let text = self.stderr_text();
        let Some(summary) = text.lines().find(|l| {
            l.starts_with("feedsmith: ")
                && [" read", " checked"].iter().any(|verb| {
                    l.contains(&format!(" article{verb}"))
                        || l.contains(&format!(" articles{verb}"))
                })
        }) else {
            self.fail(format_args!("no summary line; expected\n{expected}"));
        };
        checked().eq(summary, expected);
        self
    }

    /// The project file `path` exists and passes `check`, given its text.
    #[track_caller]
    pub(crate) fn file(self, path: &str, check: impl FnOnce(&str)) -> Self {
        match fs::read_to_string(self.project.join(path)) {
            Ok(text) => check(&text),
            Err(e) => self.fail(format_args!("cannot read {path}: {e}")),
        }
        self
    }

    /// The project has nothing at `path`.
    #[track_caller]
    pub(crate) fn no_file(self, path: &str) -> Self {
        if self.project.exists(path) {
            self.fail(format_args!("{path} exists"));
        }
        self
    }
}

/// The command line, for messages.
fn describe(command: &Command) -> String {
    let mut line = String::from("feedsmith");
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// A snapbox assertion that `SNAPSHOTS=overwrite` turns into a rewrite.
fn checked() -> snapbox::Assert {
    snapbox::Assert::new().action_env(DEFAULT_ACTION_ENV)
}

/// Compares the folder `actual` with the snapshot folder `snapshot`: the same files, with the
/// same bytes (the build lock, an empty file only `flock` uses, is left out of both). With
/// `SNAPSHOTS=overwrite`, makes `snapshot` a copy of `actual` instead.
#[track_caller]
pub(crate) fn assert_tree(snapshot: &Path, actual: &Path) {
    let built = tree(actual);
    if Action::with_env_var(DEFAULT_ACTION_ENV) == Some(Action::Overwrite) {
        for stale in files(snapshot) {
            if !built.contains_key(&stale) && stale != LOCK {
                fs::remove_file(snapshot.join(stale)).unwrap();
            }
        }
        for (path, bytes) in &built {
            let target = snapshot.join(path);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            fs::write(target, bytes).unwrap();
        }
        return;
    }
    let hint = format!(
        "{} differs from the output in {}; if the change is intended, rerun with {DEFAULT_ACTION_ENV}=overwrite",
        snapshot.display(),
        actual.display()
    );
    let expected = tree(snapshot);
    let listing = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>().join("\n");
    if listing(&built) != listing(&expected) {
        eprintln!("{hint}: the files differ");
        checked().eq(listing(&built), listing(&expected));
    }
    // Text diffs of the files that differ (snapbox folds CRLF into LF, so the bytes are
    // compared as well).
    checked().subset_eq(snapshot, actual);
    for (path, bytes) in &built {
        assert!(&expected[path] == bytes, "{hint}: {path} differs");
    }
}

/// The build lock in an output folder.
const LOCK: &str = ".feedsmith.lock";

/// Asserts that two [`tree`]s hold the same files with the same bytes, naming the first file
/// whose bytes are not the same: "PATH `differs`".
#[track_caller]
pub(crate) fn assert_same_files(
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
    differs: &str,
) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in a {
        assert!(bytes == &b[path], "{path} {differs}");
    }
}

/// Every file below `dir` but the build lock, with its bytes.
pub(crate) fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|p| p != LOCK)
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// Every file below `dir`, as sorted `/`-separated paths relative to it.
pub(crate) fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    if dir.exists() {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let path = entry.path().strip_prefix(dir).unwrap();
                out.push(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// The second (since 1970) of the later of the file's change time and mtime, where the
/// platform has a change time (the cache trusts stamps only there).
fn changed_second(path: &Path) -> Option<i64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path).ok()?;
        Some(meta.ctime().max(meta.mtime()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
