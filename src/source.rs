//! Finding article files in the input folder and splitting each into front matter and body.

use std::fs;
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::error::{Error, Role, READING};
use crate::problem::{Problem, ProblemKind};

/// File name endings that mark an article.
pub const EXTENSIONS: &[&str] = &["txt", "md", "markdown", "yaml", "yml"];

/// What walking the input folder finds, in a stable order.
#[derive(Debug)]
pub enum Found {
    /// An article file.
    File(PathBuf),
    /// An entry that was skipped, with the warning saying why (a symbolic link that is not
    /// followed).
    Skipped(Problem),
}

/// Walks `input` for article files, sorted by path (component by component), skipping
/// hidden entries, as a stream: memory does not grow with the number of files.
///
/// Symbolic links are never walked into: a link is followed only when it leads to a regular
/// file inside `input`, so no link, not even one that loops, can make the walk recurse. A
/// link to a file not named as an article is passed over, as such a file is; every other
/// link is skipped with a warning naming it, but one named as an article that loops, which
/// is an error.
pub fn walk(input: &Path) -> Result<impl Iterator<Item = Result<Found, Error>>, Error> {
    Ok(walk_listed(input)?.map(|item| item.map(|(found, _)| found)))
}

/// What [`walk_listed`] finds: what [`walk`] does, and for an article file that is not a
/// link, its folder entry.
pub type Listed = (Found, Option<fs::DirEntry>);

/// [`walk`], giving with each article file that is not a link its folder entry, whose
/// metadata is read relative to the open folder: cheaper than by the file's whole path.
pub fn walk_listed(input: &Path) -> Result<impl Iterator<Item = Result<Listed, Error>>, Error> {
    let root = fs::canonicalize(input).map_err(|e| Error::at(Role::Input, input, READING, e))?;
    if !root.is_dir() {
        let file = io::Error::from(io::ErrorKind::NotADirectory);
        return Err(Error::at(Role::Input, input, READING, file));
    }
    let walker = Walker {
        root: Some(input.to_path_buf()),
        open: Vec::new(),
    };
    let input = input.to_path_buf();
    Ok(walker.filter_map(move |item| {
        let (path, file_type, entry) = match item {
            Ok(item) => item,
            Err((path, source)) => {
                let role = if path == input {
                    Role::Input
                } else {
                    Role::InInput
                };
                return Some(Err(Error::at(role, path, READING, source)));
            }
        };
        if file_type.is_symlink() {
            link(&root, path).map(|found| found.map(|found| (found, None)))
        } else if file_type.is_file() && has_article_extension(&path) {
            Some(Ok((Found::File(path), Some(entry))))
        } else {
            None
        }
    }))
}

/// What the symbolic link at `path`, in the input folder whose canonical path is `root`,
/// gives: an article file when it leads to a file inside the folder; nothing when it leads
/// to a file not named as an article (as such a file would); else a warning naming the link.
/// A link named as an article that leads back to itself is an error, as an article file that
/// cannot be read is.
fn link(root: &Path, path: PathBuf) -> Option<Result<Found, Error>> {
    let article = has_article_extension(&path);
    let skipped = |why: String| {
        let problem = Problem::warning(&path, ProblemKind::Symlink, format!("skipped: {why}"));
        Some(Ok(Found::Skipped(problem)))
    };
    match fs::canonicalize(&path) {
        Ok(target) if target.is_dir() && target.starts_with(root) => skipped(
            "a symbolic link to a folder, which is not followed; the articles of a folder \
             inside the input folder are read where they are"
                .to_string(),
        ),
        Ok(target) if target.is_dir() => skipped(
            "a symbolic link to a folder, which is not followed; move or copy the articles \
             into the input folder to publish them"
                .to_string(),
        ),
        Ok(_) if !article => None,
        Ok(target) if target.starts_with(root) && target.is_file() => Some(Ok(Found::File(path))),
        Ok(target) if !target.starts_with(root) => skipped(
            "a symbolic link to a file outside the input folder, which is not followed; copy \
             the file into the input folder to publish it"
                .to_string(),
        ),
        Ok(_) => skipped("a symbolic link to something that is not a file".to_string()),
        Err(_) if loops(&path) && article => {
            let why = "a symbolic link that leads back to itself; remove it, or point it at an \
                       article file";
            Some(Err(Error::at(
                Role::InInput,
                &path,
                READING,
                io::Error::other(why),
            )))
        }
        Err(_) if loops(&path) => {
            skipped("a symbolic link that leads back to itself; remove it".to_string())
        }
        Err(e) => match fs::read_link(&path) {
            Ok(target) if e.kind() == io::ErrorKind::NotFound => skipped(format!(
                "a symbolic link to {}, which does not exist; remove it, or point it at an \
                 article file",
                target.display()
            )),
            _ => skipped(format!("a symbolic link that cannot be followed ({e})")),
        },
    }
}

/// Walks a folder depth first, never following links, each folder's entries in name order,
/// skipping hidden ones below the root; it yields everything but folders, with the type the
/// folder listing gave. Each name is taken once per entry, so sorting a large folder costs
/// only the comparisons.
struct Walker {
    /// The folder to start from, until it is read.
    root: Option<PathBuf>,
    /// The entries not yet visited of each folder being walked, in reverse name order.
    open: Vec<Vec<(PathBuf, fs::FileType, fs::DirEntry)>>,
}

/// What [`Walker`] yields: an entry, or the path that could not be read and why.
type Walked = Result<(PathBuf, fs::FileType, fs::DirEntry), (PathBuf, std::io::Error)>;

impl Walker {
    /// Opens folder `dir`: its visible entries, last name first.
    fn open(&mut self, dir: PathBuf) -> Result<(), (PathBuf, std::io::Error)> {
        let mut entries = Vec::new();
        let listing = fs::read_dir(&dir).map_err(|e| (dir.clone(), e))?;
        for entry in listing {
            let entry = entry.map_err(|e| (dir.clone(), e))?;
            let name = entry.file_name();
            if is_hidden(&name) {
                continue;
            }
            let file_type = entry.file_type().map_err(|e| (entry.path(), e))?;
            entries.push((name, entry.path(), file_type, entry));
        }
        entries.sort_unstable_by(|a, b| b.0.cmp(&a.0));
        self.open.push(
            entries
                .into_iter()
                .map(|(_, path, t, entry)| (path, t, entry))
                .collect(),
        );
        Ok(())
    }
}

impl Iterator for Walker {
    type Item = Walked;

    fn next(&mut self) -> Option<Walked> {
        if let Some(root) = self.root.take() {
            if let Err(e) = self.open(root) {
                return Some(Err(e));
            }
        }
        loop {
            let entries = self.open.last_mut()?;
            let Some((path, file_type, entry)) = entries.pop() else {
                self.open.pop();
                continue;
            };
            if !file_type.is_dir() {
                return Some(Ok((path, file_type, entry)));
            }
            if let Err(e) = self.open(path) {
                return Some(Err(e));
            }
        }
    }
}

/// The endings of the first few kinds of file below `input` that are not articles (`.html`,
/// `.markdn`, or `no ending`), for the message that says an input folder holds no article.
pub fn other_endings(input: &Path) -> Vec<String> {
    let mut endings: Vec<String> = Vec::new();
    let walker = Walker {
        root: Some(input.to_path_buf()),
        open: Vec::new(),
    };
    for (path, ..) in walker.flatten().take(10_000) {
        let ending = match path.extension() {
            Some(e) => format!(".{}", e.to_string_lossy()),
            None => "no ending".to_string(),
        };
        if !endings.contains(&ending) {
            endings.push(ending);
            if endings.len() == 5 {
                break;
            }
        }
    }
    endings.sort();
    endings
}

/// The article files of an input folder, in walk order, and what was skipped on the way.
#[derive(Debug, Default)]
pub struct Sources {
    /// Article files, sorted by path.
    pub files: Vec<PathBuf>,
    /// Warnings about entries that were skipped (links leading out of the folder).
    pub skipped: Vec<Problem>,
}

/// Lists every article file below `input` at once (see [`walk`], which streams them).
pub fn discover(input: &Path) -> Result<Sources, Error> {
    let mut sources = Sources::default();
    for found in walk(input)? {
        match found? {
            Found::File(path) => sources.files.push(path),
            Found::Skipped(problem) => sources.skipped.push(problem),
        }
    }
    Ok(sources)
}

/// True when the symbolic link at `link` leads, link by link, back to where it has been.
fn loops(link: &Path) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut current = link.to_path_buf();
    // The kernel gives up after 40 links; so do we.
    for _ in 0..40 {
        if !seen.insert(current.clone()) {
            return true;
        }
        match fs::read_link(&current) {
            Ok(target) => current = current.parent().unwrap_or(Path::new("")).join(target),
            Err(_) => return false,
        }
    }
    true
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn has_article_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

/// One article file, read and split: YAML front matter and Markdown body.
#[derive(Debug)]
pub struct Document {
    /// The file it came from.
    pub path: PathBuf,
    text: String,
    front: Range<usize>,
    body: Range<usize>,
    /// The 1-based line of the file where the front matter's first line sits.
    pub front_line: usize,
}

impl Document {
    /// The YAML between the two `---` lines.
    pub fn front_matter(&self) -> &str {
        &self.text[self.front.clone()]
    }

    /// The Markdown after the closing `---` line (may be empty).
    pub fn body(&self) -> &str {
        &self.text[self.body.clone()]
    }

    /// Splits the bytes of an article file. `path` only names the file in problems.
    pub fn parse(path: &Path, bytes: Vec<u8>) -> Result<Document, Problem> {
        let text = String::from_utf8(bytes).map_err(|e| {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let (line, column) = line_column(good);
            Problem::error(
                path,
                ProblemKind::Encoding,
                "the file is not valid UTF-8; save it as UTF-8",
            )
            .at(line, column)
        })?;
        split(path.to_path_buf(), text)
    }
}

/// Reads the bytes of `path`, refusing files over `max_bytes` without reading them whole.
///
/// A file over the limit is the article's problem (`Ok(Err(..))`): the article is rejected.
/// A file that cannot be read at all, because it vanished since the walk found it or the
/// system said no, is an [`Error`] that stops the run: nothing is published from a folder
/// that could not be read whole.
///
/// `size` is the file's length when the caller has just statted it; else it is asked here.
pub fn read_limited(
    path: &Path,
    max_bytes: u64,
    size: Option<u64>,
) -> Result<Result<Vec<u8>, Problem>, Error> {
    let failed = |e| Error::at(Role::InInput, path, READING, e);
    let file = fs::File::open(path).map_err(failed)?;
    // The buffer is sized from the file's length, so the read is one call and one more that
    // finds the end: from an empty buffer the reader grows it by doubling, one call per size
    // (ten calls for a 6 KB article). The limit still holds if the file grew since.
    let size = size.unwrap_or_else(|| file.metadata().map_or(0, |m| m.len()));
    let mut bytes = Vec::with_capacity(size.min(max_bytes).saturating_add(1) as usize);
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(Err(Problem::error(
            path,
            ProblemKind::TooLarge,
            format!(
                "the file is larger than the limit of {max_bytes} bytes; \
                 shorten it or raise max_file_bytes in feedsmith.yaml"
            ),
        )));
    }
    Ok(Ok(bytes))
}

/// 1-based line and column just past `before` (column counts characters).
fn line_column(before: &[u8]) -> (usize, usize) {
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

fn split(path: PathBuf, text: String) -> Result<Document, Problem> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if text[start..].trim().is_empty() {
        return Err(Problem::error(
            &path,
            ProblemKind::Empty,
            "the file is empty; an article starts with a `---` line, then YAML front matter, then `---`",
        ));
    }
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    if !is_fence(&text[start..first_end]) {
        return Err(Problem::error(
            &path,
            ProblemKind::FrontMatter,
            "the file does not start with a `---` line; an article is `---`, YAML front matter, `---`, then an optional Markdown body",
        )
        .at(1, 1));
    }
    let front_start = (first_end + 1).min(text.len());
    // Only a line that starts with `---` can be the closing fence: found with one vector
    // search per such line, not one per line.
    let bytes = text.as_bytes();
    let mut pos = front_start;
    while pos < text.len() {
        let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(text.len(), |i| pos + i);
        if is_fence(&text[pos..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Document {
                path,
                front: front_start..pos,
                body: body_start..text.len(),
                text,
                front_line: 2,
            });
        }
        match memchr::memmem::find(&bytes[end..], b"\n---") {
            Some(i) => pos = end + i + 1,
            None => break,
        }
    }
    // Not closed: the line after the last, as a line-by-line search counted them.
    let lines = text[front_start..].split_inclusive('\n').count();
    let line_no = 2 + lines;
    Err(Problem::error(
        &path,
        ProblemKind::FrontMatter,
        "the front matter is not closed: add a `---` line after the YAML",
    )
    .at(line_no.saturating_sub(1).max(1), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closing fence found line by line, as `split` once did: the front matter's and
    /// the body's ranges, or the line an unclosed front matter is reported at.
    fn split_line_by_line(text: &str) -> Result<(Range<usize>, Range<usize>), usize> {
        let first_end = text.find('\n').unwrap_or(text.len());
        let front_start = (first_end + 1).min(text.len());
        let (mut pos, mut line_no) = (front_start, 2usize);
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
            if is_fence(&text[pos..end]) {
                return Ok((front_start..pos, (end + 1).min(text.len())..text.len()));
            }
            pos = end + 1;
            line_no += 1;
        }
        Err(line_no.saturating_sub(1).max(1))
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]

        /// `split` finds the closing fence (or reports the missing one) where a search line
        /// by line does.
        #[test]
        fn the_closing_fence_is_the_first_fence_line(
            lines in proptest::collection::vec(
                "---|--- \\t|---\r|----|---x|-- -|a: ---|a: 1|\r|",
                0..8,
            ),
            end in "|\n|\r\n",
        ) {
            let text = format!("---\n{}{end}", lines.join("\n"));
            let got = split(PathBuf::from("a.md"), text.clone())
                .map(|d| (d.front, d.body))
                .map_err(|p| p.line.unwrap());
            proptest::prop_assert_eq!(got, split_line_by_line(&text));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_loop_is_told_from_a_dangling_link() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
        std::os::unix::fs::symlink("b.txt", &a).unwrap();
        std::os::unix::fs::symlink("a.txt", &b).unwrap();
        assert!(loops(&a));
        let dangling = dir.path().join("c.txt");
        std::os::unix::fs::symlink("missing.txt", &dangling).unwrap();
        assert!(!loops(&dangling));
        assert!(!loops(&dir.path().join("not-a-link.txt")));
    }

    #[cfg(unix)]
    #[test]
    fn every_link_but_one_to_an_article_inside_is_skipped_with_a_warning_naming_it() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("out.txt"), "x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in");
        fs::create_dir_all(input.join("sub")).unwrap();
        fs::write(input.join("a.txt"), "x").unwrap();
        fs::write(input.join("notes.pdf"), "x").unwrap();
        for (link, target) in [
            ("self", Path::new(".")),
            ("sub/up", Path::new("..")),
            ("sub/root.txt", Path::new("../..")),
            ("outside", outside.path()),
            ("outside.txt", &outside.path().join("out.txt")),
            ("loop", Path::new("loop")),
            ("dangling.md", Path::new("missing.md")),
            ("inside.txt", Path::new("a.txt")),
            ("pdf", Path::new("notes.pdf")),
        ] {
            symlink(target, input.join(link)).unwrap();
        }
        let found = discover(&input).unwrap();
        let name = |p: &Path| p.strip_prefix(&input).unwrap().display().to_string();
        let files: Vec<String> = found.files.iter().map(|p| name(p)).collect();
        assert_eq!(files, ["a.txt", "inside.txt"]);
        let skipped: Vec<String> = found
            .skipped
            .iter()
            .map(|p| format!("{}: {}", name(&p.path), p.message))
            .collect();
        let inside = "skipped: a symbolic link to a folder, which is not followed; the articles \
                      of a folder inside the input folder are read where they are";
        let elsewhere = "skipped: a symbolic link to a folder, which is not followed; move or \
                         copy the articles into the input folder to publish them";
        assert_eq!(
            skipped,
            [
                "dangling.md: skipped: a symbolic link to missing.md, which does not exist; \
                 remove it, or point it at an article file"
                    .to_string(),
                "loop: skipped: a symbolic link that leads back to itself; remove it".to_string(),
                format!("outside: {elsewhere}"),
                "outside.txt: skipped: a symbolic link to a file outside the input folder, which \
                 is not followed; copy the file into the input folder to publish it"
                    .to_string(),
                format!("self: {inside}"),
                format!("sub/root.txt: {elsewhere}"),
                format!("sub/up: {inside}"),
            ]
        );
        assert!(found.skipped.iter().all(|p| p.kind == "symlink"));
    }

    fn doc(text: &str) -> Result<Document, Problem> {
        Document::parse(Path::new("a.txt"), text.as_bytes().to_vec())
    }

    #[test]
    fn the_walk_is_sorted_component_by_component_and_skips_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            "b.txt",
            "a/z.md",
            "a/b/c.txt",
            "a-b.txt",
            "a.txt",
            ".hidden/x.txt",
            "a/.x.txt",
            "notes.pdf",
            "folder.txt/inside.txt",
        ] {
            let full = dir.path().join(path);
            fs::create_dir_all(full.parent().unwrap()).unwrap();
            fs::write(full, "x").unwrap();
        }
        let found: Vec<String> = discover(dir.path())
            .unwrap()
            .files
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        // Component-wise: "a/..." sorts before "a-b.txt" and "a.txt", though '/' > '-' and '.'.
        assert_eq!(
            found,
            [
                "a/b/c.txt",
                "a/z.md",
                "a-b.txt",
                "a.txt",
                "b.txt",
                "folder.txt/inside.txt"
            ]
        );
    }

    #[test]
    fn splits_front_matter_from_body() {
        let d = doc("---\ntitle: x\n---\nHello *world*\n").unwrap();
        assert_eq!(d.front_matter(), "title: x\n");
        assert_eq!(d.body(), "Hello *world*\n");
    }

    #[test]
    fn body_may_be_missing_and_last_fence_may_lack_newline() {
        let d = doc("---\ntitle: x\n---").unwrap();
        assert_eq!(d.front_matter(), "title: x\n");
        assert_eq!(d.body(), "");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let d = doc("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(d.front_matter(), "title: x\r\n");
        assert_eq!(d.body(), "body\r\n");
    }

    #[test]
    fn a_fence_inside_the_body_stays_in_the_body() {
        let d = doc("---\na: 1\n---\nx\n---\ny\n").unwrap();
        assert_eq!(d.front_matter(), "a: 1\n");
        assert_eq!(d.body(), "x\n---\ny\n");
    }

    #[test]
    fn rejects_missing_opening_fence() {
        let p = doc("title: x\n").unwrap_err();
        assert_eq!(p.kind, "front-matter");
        assert_eq!(p.line, Some(1));
    }

    #[test]
    fn rejects_unclosed_front_matter() {
        let p = doc("---\ntitle: x\n").unwrap_err();
        assert!(p.message.contains("not closed"), "{}", p.message);
    }

    #[test]
    fn rejects_empty_file() {
        assert_eq!(doc("").unwrap_err().kind, "empty");
        assert_eq!(doc(" \n\n").unwrap_err().kind, "empty");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let p = Document::parse(Path::new("a.txt"), b"---\nt: \xff\n---\n".to_vec()).unwrap_err();
        assert_eq!(p.kind, "encoding");
        assert_eq!((p.line, p.column), (Some(2), Some(4)));
    }
}
