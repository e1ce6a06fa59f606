//! Errors that stop a run before or while it writes: usage, settings and I/O (exit status 2).
//!
//! An I/O error is told as one sentence that names the path the user knows (the input or
//! output folder they gave, the settings file, the cache folder; never a temp file or the
//! lock unless that file is the problem), what went wrong in words rather than an OS error
//! number, and what to do. The sentence is chosen by the error's [`io::ErrorKind`] and by
//! what the path is to the user ([`Role`]); an error no sentence fits still names the action
//! and the path, with the system's own words.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The [`Error::Io`] action of a path that was read (the other actions write).
pub(crate) const READING: &str = "reading";

/// The [`Error::Io`] action of a folder being made: a file in the way is looked for.
pub(crate) const CREATING: &str = "creating";

/// The [`Error::Io`] action of a build's files being put in place: from then on each
/// published file may be its old or its new version.
pub(crate) const REPLACING: &str = "replacing";

/// A failure that is not about one article: bad settings, or the file system said no.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The settings file or a command-line value is wrong.
    Config {
        /// The settings file, when the problem is in one.
        path: Option<PathBuf>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Reading or writing a file or folder failed.
    Io {
        /// The file or folder the message names.
        path: PathBuf,
        /// What was being done ("reading", "writing", "replacing", ...).
        action: &'static str,
        /// The underlying error.
        source: io::Error,
        /// What the path is to the user, which decides the message's words and its fix.
        role: Role,
        /// When a folder cannot be made or read because a file stands at its place or
        /// above it: that file.
        in_the_way: Option<PathBuf>,
    },
    /// A deploy to an object store failed or was refused (`feedsmith deploy`).
    Deploy {
        /// The target as the user gave it (`s3://bucket/prefix`, …): never a credential.
        target: String,
        /// What went wrong and what to do, with every credential blanked out.
        message: String,
    },
    /// A file feedsmith must write exists, was not written by feedsmith, and differs.
    Foreign {
        /// The file.
        path: PathBuf,
        /// The manifest that lists the files feedsmith wrote.
        manifest: &'static str,
    },
    /// Another feedsmith run holds the output folder's lock.
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// The input folder holds no article file, and an empty site was not asked for
    /// (`--allow-empty`): most often a wrong `--input`, which would empty a published site.
    EmptyInput {
        /// The input folder.
        input: PathBuf,
        /// The endings of the files read as articles.
        reads: &'static [&'static str],
        /// The endings of the other files found there (`.html`, `.markdn`), a few at most.
        others: Vec<String>,
    },
    /// A template of the pages (a theme's or a shipped one) does not compile or render.
    Template {
        /// The theme's file, or the shipped template's name.
        file: PathBuf,
        /// The line (from 1) where the fault is.
        line: usize,
        /// The column (from 1, in characters) where the fault is.
        column: usize,
        /// What is wrong, in the template engine's words.
        message: String,
    },
    /// The build would remove most of the files published before, and that was not asked
    /// for (`--allow-removals`).
    MassRemoval {
        /// The output folder.
        output: PathBuf,
        /// How many of its files would be removed.
        removed: usize,
        /// How many it holds that feedsmith published.
        published: usize,
        /// One of them.
        example: PathBuf,
    },
}

/// What the path of an [`Error::Io`] is to the person running feedsmith.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// The input folder itself (`--input`, or `input:` in the settings file).
    Input,
    /// A file or folder inside the input folder.
    InInput,
    /// The output folder itself (`--output`, or `output:` in the settings file).
    Output,
    /// A file or folder inside the output folder.
    InOutput,
    /// The settings file (`--config`, or `feedsmith.yaml`).
    Settings,
    /// The cache folder (`--cache-dir`, `cache_dir:`, or the default one).
    Cache,
    /// Anything else: standard output, a network address, a watched path.
    Other,
}

impl Error {
    /// A settings problem, optionally naming the settings file.
    pub fn config(path: Option<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config {
            path,
            message: message.into(),
        }
    }

    /// An I/O failure on `path` while doing `action` ("reading", "writing", ...), where the
    /// path is none of the user's folders or files ([`Role::Other`]).
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        Error::at(Role::Other, path, action, source)
    }

    /// An I/O failure on `path`, which is `role` to the user, while doing `action`. When the
    /// failure is that a file stands where a folder must be (a folder could not be created
    /// over it, or a path leads through it), the file is looked up now.
    pub fn at(
        role: Role,
        path: impl Into<PathBuf>,
        action: &'static str,
        source: io::Error,
    ) -> Self {
        let path = path.into();
        let in_the_way = match source.kind() {
            _ if role == Role::Other => None,
            io::ErrorKind::AlreadyExists if action == CREATING => file_in_the_way(&path),
            io::ErrorKind::NotADirectory => file_in_the_way(&path),
            _ => None,
        };
        Error::Io {
            path,
            action,
            source,
            role,
            in_the_way,
        }
    }
}

/// The nearest of `path` and the folders above it that exists and is not a folder.
fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| std::fs::metadata(p).is_ok_and(|m| !m.is_dir()))
        .map(Path::to_path_buf)
}

impl Role {
    /// The path as the message names it: with what it is, when that is one of the user's
    /// own folders or files.
    fn name(self, path: &Path) -> String {
        let path = path.display();
        match self {
            Role::Input => format!("the input folder {path}"),
            Role::Output => format!("the output folder {path}"),
            Role::Settings => format!("the settings file {path}"),
            Role::Cache => format!("the cache folder {path}"),
            Role::InInput | Role::InOutput | Role::Other => path.to_string(),
        }
    }

    /// True when the path is only ever read.
    fn is_read(self) -> bool {
        matches!(self, Role::Input | Role::InInput | Role::Settings)
    }

    /// The other way out: another path to pass, or something to move.
    fn instead(self) -> &'static str {
        match self {
            Role::Input => "pass --input with the folder that holds your articles",
            Role::InInput => "move it out of the input folder",
            Role::Output | Role::InOutput => "pass another --output",
            Role::Settings => "pass --config with the file that holds your settings",
            Role::Cache => "pass --cache-dir with another folder, or --no-cache",
            Role::Other => "try again",
        }
    }

    /// What to do about a file where a folder must be (`at` is that file).
    fn file_in_the_way(self) -> &'static str {
        match self {
            Role::Output => "remove it or pass another --output",
            Role::InOutput => "move it out of the output folder",
            Role::Cache => "remove it, or pass --cache-dir with another folder, or --no-cache",
            Role::InInput => "run the build again",
            Role::Input | Role::Settings | Role::Other => self.instead(),
        }
    }
}

/// The sentence of an [`Error::Io`].
fn io_sentence(
    f: &mut fmt::Formatter<'_>,
    path: &Path,
    action: &str,
    source: &io::Error,
    role: Role,
    in_the_way: Option<&Path>,
) -> fmt::Result {
    use io::ErrorKind as Kind;
    let name = role.name(path);
    let instead = role.instead();
    let output = matches!(role, Role::Output | Role::InOutput);
    match source.kind() {
        _ if role == Role::Other => write!(f, "{action} {name}: {source}"),
        Kind::NotFound => match role {
            Role::Input => write!(
                f,
                "{name} does not exist: create it, or pass --input with the folder that holds \
                 your articles"
            ),
            Role::Settings => write!(
                f,
                "{name} does not exist: create it, or pass --config with the file that holds \
                 your settings"
            ),
            _ => write!(
                f,
                "{name} disappeared during the build: run the build again"
            ),
        },
        Kind::AlreadyExists | Kind::NotADirectory if in_the_way.is_some() => {
            let file = in_the_way.unwrap_or(path);
            let fix = role.file_in_the_way();
            if file == path {
                write!(f, "{name} is a file, not a folder: {fix}")
            } else {
                let file = file.display();
                write!(
                    f,
                    "{name} is inside {file}, which is a file, not a folder: {fix}"
                )
            }
        }
        Kind::IsADirectory if role == Role::InOutput => write!(
            f,
            "{name} is a folder where feedsmith writes a file: move it out of the output folder"
        ),
        Kind::IsADirectory if role == Role::Cache => write!(
            f,
            "{name} holds a folder where feedsmith writes a file: delete the cache folder (that \
             only costs time), or pass --no-cache"
        ),
        Kind::IsADirectory => write!(f, "{name} is a folder, not a file: {instead}"),
        Kind::PermissionDenied if role.is_read() || action == READING => write!(
            f,
            "cannot read {name} (permission denied): let the user running feedsmith read it, \
             or {instead}"
        ),
        Kind::PermissionDenied => write!(
            f,
            "cannot write to {name} (permission denied): let the user running feedsmith write \
             there, or {instead}"
        ),
        Kind::ReadOnlyFilesystem => {
            let fix = if role == Role::Cache {
                "pass --cache-dir with a folder on a writable disk, or --no-cache"
            } else if output {
                "mount the disk read-write, or pass --output with a folder on a writable disk"
            } else {
                instead
            };
            write!(f, "cannot write to {name} (read-only file system): {fix}")
        }
        kind @ (Kind::StorageFull | Kind::QuotaExceeded) => {
            let (what, room) = if kind == Kind::StorageFull {
                ("the disk is full", "free some space")
            } else {
                (
                    "the disk quota is used up",
                    "free some space or have the quota raised",
                )
            };
            let doing = if action == REPLACING {
                "replacing"
            } else {
                "writing"
            };
            write!(f, "{what} while {doing} {name}: {room} and build again")?;
            if role == Role::Cache {
                f.write_str(", or pass --no-cache")?;
            } else if output && action == REPLACING {
                f.write_str("; each published file is its old or its new version, whole")?;
            } else if output {
                f.write_str("; the files already published were left as they were")?;
            }
            Ok(())
        }
        _ => write!(f, "{action} {name}: {source}"),
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config {
                path: Some(path),
                message,
            } => write!(f, "{}: {message}", path.display()),
            Error::Config {
                path: None,
                message,
            } => f.write_str(message),
            Error::Io {
                path,
                action,
                source,
                role,
                in_the_way,
            } => io_sentence(f, path, action, source, *role, in_the_way.as_deref()),
            Error::Deploy { target, message } => write!(f, "deploying to {target}: {message}"),
            Error::Foreign { path, manifest } => write!(
                f,
                "{} exists but feedsmith did not write it (it is not in {}); move it out of \
                 the output folder, or delete it if an older feedsmith wrote it",
                path.display(),
                manifest
            ),
            Error::Locked { path } => write!(
                f,
                "another feedsmith build is writing to this output folder (lock {} is held); \
                 wait for it to finish, or remove the lock file if no build is running",
                path.display()
            ),
            Error::EmptyInput {
                input,
                reads,
                others,
            } => {
                write!(
                    f,
                    "{} holds no article file: feedsmith reads files ending in {}",
                    input.display(),
                    reads
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )?;
                if !others.is_empty() {
                    write!(f, ", and the files there end in {}", others.join(", "))?;
                }
                f.write_str(
                    "; nothing was written or removed. Check --input (or `input:` in the \
                     settings file), or pass --allow-empty to publish an empty site",
                )
            }
            Error::Template {
                file,
                line,
                column,
                message,
            } => write!(
                f,
                "{}:{line}:{column}: {message}; fix the template, or remove it from the theme \
                 folder to use the shipped one (see docs/themes.md)",
                file.display()
            ),
            Error::MassRemoval {
                output,
                removed,
                published,
                example,
            } => write!(
                f,
                "this build would remove {removed} of the {published} files published in {} \
                 (such as {}); nothing was written or removed. If that is meant (a kind of \
                 feed turned off, topics renamed), pass --allow-removals; otherwise check \
                 --input and the settings",
                output.display(),
                crate::paths::slashed(example)
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use io::ErrorKind as Kind;

    /// The message of a failure of `kind` while doing `action` on `path`, which is `role`.
    fn message(role: Role, path: &str, action: &'static str, kind: Kind) -> String {
        Error::at(role, path, action, io::Error::from(kind)).to_string()
    }

    #[test]
    fn a_missing_input_folder_or_settings_file_says_to_create_it_or_pass_another() {
        assert_eq!(
            message(Role::Input, "articles", READING, Kind::NotFound),
            "the input folder articles does not exist: create it, or pass --input with the \
             folder that holds your articles"
        );
        assert_eq!(
            message(Role::Settings, "site.yaml", READING, Kind::NotFound),
            "the settings file site.yaml does not exist: create it, or pass --config with the \
             file that holds your settings"
        );
        assert_eq!(
            message(Role::InInput, "articles/a.txt", READING, Kind::NotFound),
            "articles/a.txt disappeared during the build: run the build again"
        );
    }

    #[test]
    fn a_file_where_a_folder_must_be_is_named_with_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("feeds");
        std::fs::write(&file, "x").unwrap();
        let (at, below) = (file.display(), file.join("sub"));
        // create_dir_all says AlreadyExists on the file itself, NotADirectory below it.
        assert_eq!(
            message(
                Role::Output,
                file.to_str().unwrap(),
                CREATING,
                Kind::AlreadyExists
            ),
            format!(
                "the output folder {at} is a file, not a folder: remove it or pass another \
                 --output"
            )
        );
        assert_eq!(
            message(
                Role::Output,
                below.to_str().unwrap(),
                CREATING,
                Kind::NotADirectory
            ),
            format!(
                "the output folder {} is inside {at}, which is a file, not a folder: remove it \
                 or pass another --output",
                below.display()
            )
        );
        assert_eq!(
            message(
                Role::InOutput,
                below.to_str().unwrap(),
                CREATING,
                Kind::NotADirectory
            ),
            format!(
                "{} is inside {at}, which is a file, not a folder: move it out of the output \
                 folder",
                below.display()
            )
        );
        assert_eq!(
            message(
                Role::Cache,
                file.to_str().unwrap(),
                CREATING,
                Kind::AlreadyExists
            ),
            format!(
                "the cache folder {at} is a file, not a folder: remove it, or pass --cache-dir \
                 with another folder, or --no-cache"
            )
        );
        assert_eq!(
            message(
                Role::Input,
                file.to_str().unwrap(),
                READING,
                Kind::NotADirectory
            ),
            format!(
                "the input folder {at} is a file, not a folder: pass --input with the folder \
                 that holds your articles"
            )
        );
        // AlreadyExists from anything but making a folder is not about a file in the way.
        assert_eq!(
            message(
                Role::InOutput,
                file.to_str().unwrap(),
                "writing",
                Kind::AlreadyExists
            ),
            format!("writing {at}: entity already exists")
        );
    }

    #[test]
    fn a_folder_where_a_file_must_be_is_named_with_the_fix() {
        assert_eq!(
            message(Role::Settings, "conf", READING, Kind::IsADirectory),
            "the settings file conf is a folder, not a file: pass --config with the file that \
             holds your settings"
        );
        assert_eq!(
            message(Role::InOutput, "out/rss.xml", READING, Kind::IsADirectory),
            "out/rss.xml is a folder where feedsmith writes a file: move it out of the output \
             folder"
        );
        assert_eq!(
            message(Role::Cache, "cache", "writing", Kind::IsADirectory),
            "the cache folder cache holds a folder where feedsmith writes a file: delete the \
             cache folder (that only costs time), or pass --no-cache"
        );
    }

    #[test]
    fn a_folder_that_cannot_be_read_or_written_says_why_and_what_to_do() {
        assert_eq!(
            message(Role::Input, "articles", READING, Kind::PermissionDenied),
            "cannot read the input folder articles (permission denied): let the user running \
             feedsmith read it, or pass --input with the folder that holds your articles"
        );
        assert_eq!(
            message(
                Role::InInput,
                "articles/a.txt",
                READING,
                Kind::PermissionDenied
            ),
            "cannot read articles/a.txt (permission denied): let the user running feedsmith \
             read it, or move it out of the input folder"
        );
        assert_eq!(
            message(Role::Output, "out", "writing", Kind::PermissionDenied),
            "cannot write to the output folder out (permission denied): let the user running \
             feedsmith write there, or pass another --output"
        );
        assert_eq!(
            message(
                Role::InOutput,
                "out/rss.xml",
                READING,
                Kind::PermissionDenied
            ),
            "cannot read out/rss.xml (permission denied): let the user running feedsmith read \
             it, or pass another --output"
        );
        assert_eq!(
            message(Role::Output, "out", "writing", Kind::ReadOnlyFilesystem),
            "cannot write to the output folder out (read-only file system): mount the disk \
             read-write, or pass --output with a folder on a writable disk"
        );
        assert_eq!(
            message(Role::Cache, "cache", CREATING, Kind::ReadOnlyFilesystem),
            "cannot write to the cache folder cache (read-only file system): pass --cache-dir \
             with a folder on a writable disk, or --no-cache"
        );
        assert_eq!(
            message(Role::Cache, "cache", CREATING, Kind::PermissionDenied),
            "cannot write to the cache folder cache (permission denied): let the user running \
             feedsmith write there, or pass --cache-dir with another folder, or --no-cache"
        );
    }

    #[test]
    fn a_full_disk_names_the_file_once_and_says_what_was_kept() {
        assert_eq!(
            message(Role::InOutput, "out/rss.xml", "writing", Kind::StorageFull),
            "the disk is full while writing out/rss.xml: free some space and build again; the \
             files already published were left as they were"
        );
        assert_eq!(
            message(Role::InOutput, "out/rss.xml", REPLACING, Kind::StorageFull),
            "the disk is full while replacing out/rss.xml: free some space and build again; \
             each published file is its old or its new version, whole"
        );
        assert_eq!(
            message(
                Role::InOutput,
                "out/rss.xml",
                "writing",
                Kind::QuotaExceeded
            ),
            "the disk quota is used up while writing out/rss.xml: free some space or have the \
             quota raised and build again; the files already published were left as they were"
        );
        assert_eq!(
            message(Role::Cache, "cache", "writing", Kind::StorageFull),
            "the disk is full while writing the cache folder cache: free some space and build \
             again, or pass --no-cache"
        );
        // The system's own error (ENOSPC) reads the same as the kind alone.
        #[cfg(unix)]
        assert_eq!(
            Error::at(
                Role::InOutput,
                "out/rss.xml",
                "writing",
                io::Error::from_raw_os_error(28)
            )
            .to_string(),
            message(Role::InOutput, "out/rss.xml", "writing", Kind::StorageFull)
        );
    }

    #[test]
    fn any_other_failure_still_names_the_action_the_path_and_the_cause() {
        assert_eq!(
            message(Role::Output, "out", "locking", Kind::Unsupported),
            "locking the output folder out: unsupported"
        );
        assert_eq!(
            message(Role::Other, "stdout", "writing", Kind::BrokenPipe),
            "writing stdout: broken pipe"
        );
        // Other paths get no sentence, whatever the kind.
        assert_eq!(
            message(Role::Other, "stdout", "writing", Kind::NotFound),
            "writing stdout: entity not found"
        );
    }
}
