//! Errors that stop a run before or while it writes: usage, settings and I/O (exit status 2).

use std::fmt;
use std::io;
use std::path::PathBuf;

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
        /// The file or folder.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The underlying error.
        source: io::Error,
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

impl Error {
    /// A settings problem, optionally naming the settings file.
    pub fn config(path: Option<PathBuf>, message: impl Into<String>) -> Self {
        Error::Config {
            path,
            message: message.into(),
        }
    }

    /// An I/O failure on `path` while doing `action` ("reading", "writing", ...).
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
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
            } => write!(f, "{action} {}: {source}", path.display()),
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
