//! Deploying a built output folder to an object store: S3 (and Cloudflare R2 or any other
//! S3-compatible store), Google Cloud Storage, Azure Blob, or a local folder (`file:///`).
//!
//! [`deploy`] uploads only what changed since the last deploy, by the content hash recorded
//! in a deploy manifest kept in the target beside the files ([`MANIFEST`], read with one
//! request at the start): a deploy with nothing changed makes that one request and no other.
//! Every object gets the content type `_headers` gives its file and the site's
//! `Cache-Control`.
//!
//! The order keeps readers from meeting a missing file, and makes an interrupted deploy safe
//! to run again:
//! 1. the manifest is first written with every path about to be uploaded marked pending
//!    (so whatever happens next, a later deploy knows feedsmith owns a new path, and uploads
//!    again a file whose upload it cannot vouch for);
//! 2. the feeds (`rss.xml`, `atom.xml`, `feed.json`) and what they link to (the stylesheet),
//!    then each feed's page, then `index.html` and `feeds.opml`;
//! 3. the manifest, listing what is now there and what is about to be deleted;
//! 4. the deletions: only objects the manifest lists that the output folder no longer holds,
//!    never another object under the prefix; then the manifest without them.
//!
//! A deploy stopped anywhere leaves the manifest saying less than is true (an upload it
//! made but did not record is made again) and never more. The files deployed are those the
//! output folder's own manifest says a build wrote there, except `_headers`, which is for
//! hosts that read it, not for an object store.
//!
//! Behind the `deploy` cargo feature.

mod manifest;
mod store;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Role, READING};
use crate::output::MANIFEST as OUTPUT_MANIFEST;
use crate::paths::slashed;
use crate::render::index::{cache_control, content_type, HEADERS, INDEX, OPML};
use crate::render::FORMATS;
use crate::settings::Site;

pub use manifest::MANIFEST;
use manifest::{Manifest, Object};
use store::Store;
pub use store::{Policy, Requests, Target};

/// The content type of a file the table does not know.
const OTHER: &str = "application/octet-stream";

/// How many uploads (or deletions) are in flight at once.
const PARALLEL: usize = 16;

/// How to deploy.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read the target's manifest and say what would change, uploading and deleting nothing.
    pub dry_run: bool,
    /// Retries and the timeout of each request.
    pub policy: Policy,
    /// For tests of an interrupted deploy: stop with an error once this many files are
    /// uploaded, before the manifest is written.
    pub stop_after: Option<usize>,
}

/// What a deploy did (or, in a dry run, would do): the JSON report's `deploy` part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Deployment {
    /// Paths deleted from the target (below its prefix), in the order deleted.
    pub deleted: Vec<String>,
    /// True when nothing was uploaded or deleted on purpose (`--dry-run`).
    pub dry_run: bool,
    /// The requests made to the store.
    pub requests: Requests,
    /// The target, as given (no credential is ever part of it).
    pub target: String,
    /// Files already in the target with these bytes, type and cache policy.
    pub unchanged: usize,
    /// Paths uploaded, in the order uploaded (feeds first, `index.html` and the OPML last).
    pub uploaded: Vec<String>,
}

impl Deployment {
    /// The uploaded paths, for the WebSub notification of the feeds among them.
    pub fn uploaded_paths(&self) -> Vec<PathBuf> {
        self.uploaded.iter().map(PathBuf::from).collect()
    }
}

/// One file of the output folder as it should be in the target.
#[derive(Debug, Clone)]
struct Local {
    path: String,
    object: Object,
}

/// Deploys the output folder `output` (built with `site`) to `target`.
pub fn deploy(
    output: &Path,
    site: &Site,
    target: &Target,
    options: &Options,
) -> Result<Deployment, Error> {
    let local = local_files(output, site)?;
    let store = target.open(options.policy)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::io("the deploy's runtime", "starting", e))?;
    let mut deployment = runtime.block_on(run(output, &local, &store, options))?;
    deployment.target = target.shown().to_string();
    deployment.requests = store.requests();
    Ok(deployment)
}

/// What to upload and delete, given what the target's manifest says is there.
#[derive(Debug, Default, PartialEq, Eq)]
struct Plan {
    /// Paths to upload, in upload order, each with its rank (uploaded rank by rank).
    uploads: Vec<(u8, String)>,
    /// Paths to delete, sorted.
    deletions: Vec<String>,
    /// Files the target already holds as they are.
    unchanged: usize,
}

/// Compares the files with the target's manifest.
fn plan(local: &[Local], remote: &Manifest) -> Plan {
    let mut uploads: Vec<(u8, String)> = Vec::new();
    let mut unchanged = 0;
    for file in local {
        if remote.objects.get(&file.path) == Some(&file.object) {
            unchanged += 1;
        } else {
            uploads.push((rank(&file.path), file.path.clone()));
        }
    }
    uploads.sort();
    let current: BTreeSet<&str> = local.iter().map(|f| f.path.as_str()).collect();
    let deletions = remote
        .objects
        .keys()
        .filter(|p| !current.contains(p.as_str()) && p.as_str() != MANIFEST)
        .cloned()
        .collect();
    Plan {
        uploads,
        deletions,
        unchanged,
    }
}

/// When a file goes up: 0 the feeds and what they link to (the stylesheet, other assets),
/// 1 the feeds' pages, 2 `index.html` and the OPML list, which link to all of them.
fn rank(path: &str) -> u8 {
    let name = path.rsplit('/').next().unwrap_or(path);
    if path == INDEX || path == OPML {
        2
    } else if FORMATS.iter().any(|f| f.file == name) {
        0
    } else if name.ends_with(".html") {
        1
    } else {
        0
    }
}

/// The deploy itself: read the manifest, upload, record, delete.
async fn run(
    output: &Path,
    local: &[Local],
    store: &Store,
    options: &Options,
) -> Result<Deployment, Error> {
    let remote = match store.get(MANIFEST).await? {
        None => Manifest::default(),
        Some(bytes) => Manifest::parse(&bytes).map_err(|why| {
            store.stopped(format!(
                "{MANIFEST} {why}; if no feedsmith deploy wrote it, deploy to another prefix"
            ))
        })?,
    };
    let plan = plan(local, &remote);
    let mut deployment = Deployment {
        dry_run: options.dry_run,
        unchanged: plan.unchanged,
        uploaded: plan.uploads.iter().map(|(_, p)| p.clone()).collect(),
        deleted: plan.deletions.clone(),
        ..Deployment::default()
    };
    if options.dry_run || (plan.uploads.is_empty() && plan.deletions.is_empty()) {
        return Ok(deployment);
    }
    let wanted: BTreeMap<&str, &Object> =
        local.iter().map(|f| (f.path.as_str(), &f.object)).collect();

    // 1. Mark every path about to be uploaded as pending: feedsmith owns a new one whatever
    //    happens next, and an upload that a stop leaves unconfirmed is made again, even if
    //    the file goes back to what the manifest had recorded.
    if !plan.uploads.is_empty() {
        let mut pending = remote.objects.clone();
        for (_, path) in &plan.uploads {
            pending.insert(path.clone(), Object::pending());
        }
        put_manifest(store, &pending).await?;
    }

    // 2. Upload, rank by rank; within a rank, several at once.
    let mut uploaded = 0;
    for rank in 0..=2 {
        let batch: Vec<&str> = plan
            .uploads
            .iter()
            .filter(|(r, _)| *r == rank)
            .map(|(_, p)| p.as_str())
            .collect();
        for chunk in batch.chunks(PARALLEL) {
            let take = options.stop_after.map_or(chunk.len(), |limit| {
                chunk.len().min(limit.saturating_sub(uploaded))
            });
            let mut tasks = tokio::task::JoinSet::new();
            for path in &chunk[..take] {
                let store = store.clone();
                let path = path.to_string();
                let object = wanted[path.as_str()].clone();
                let file = output.join(&path);
                tasks.spawn(async move {
                    let bytes = std::fs::read(&file)
                        .map_err(|e| Error::at(Role::InOutput, &file, READING, e))?;
                    store
                        .put(&path, bytes, &object.content_type, &object.cache_control)
                        .await
                });
            }
            let mut failure = None;
            while let Some(done) = tasks.join_next().await {
                match done {
                    Ok(Ok(())) => uploaded += 1,
                    Ok(Err(e)) => failure = failure.or(Some(e)),
                    Err(e) => {
                        failure = failure.or(Some(store.stopped(format!("an upload failed: {e}"))))
                    }
                }
            }
            if let Some(e) = failure {
                return Err(e);
            }
            if options.stop_after.is_some_and(|limit| uploaded >= limit) {
                return Err(store.stopped(format!(
                    "stopped after {uploaded} uploads, as FEEDSMITH_DEPLOY_STOP_AFTER asked; deploy again to complete it"
                )));
            }
        }
    }

    // 3. Record what is there now, with what is about to be deleted still listed.
    let mut now: BTreeMap<String, Object> = local
        .iter()
        .map(|f| (f.path.clone(), f.object.clone()))
        .collect();
    for path in &plan.deletions {
        if let Some(object) = remote.objects.get(path) {
            now.insert(path.clone(), object.clone());
        }
    }
    put_manifest(store, &now).await?;

    // 4. Delete what feedsmith wrote and the output no longer holds; then forget it.
    if !plan.deletions.is_empty() {
        for chunk in plan.deletions.chunks(PARALLEL) {
            let mut tasks = tokio::task::JoinSet::new();
            for path in chunk {
                let store = store.clone();
                let path = path.clone();
                tasks.spawn(async move { store.delete(&path).await });
            }
            while let Some(done) = tasks.join_next().await {
                done.map_err(|e| store.stopped(format!("a deletion failed: {e}")))??;
            }
        }
        for path in &plan.deletions {
            now.remove(path);
        }
        put_manifest(store, &now).await?;
    }
    deployment.deleted = plan.deletions;
    Ok(deployment)
}

/// Writes the manifest of `objects`.
async fn put_manifest(store: &Store, objects: &BTreeMap<String, Object>) -> Result<(), Error> {
    let bytes = Manifest::new(objects.clone()).to_bytes();
    store
        .put(
            MANIFEST,
            bytes,
            "application/json; charset=utf-8",
            "no-store",
        )
        .await
}

/// The files a build wrote in `output` (its own manifest lists them), each with its hash,
/// content type and cache policy, sorted by path.
fn local_files(output: &Path, site: &Site) -> Result<Vec<Local>, Error> {
    let listing = output.join(OUTPUT_MANIFEST);
    let text = std::fs::read_to_string(&listing).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            Error::config(
                Some(listing.clone()),
                format!(
                    "does not exist, so no build has written to {}: run `feedsmith build` first (or pass --output with the folder it wrote)",
                    output.display()
                ),
            )
        } else {
            Error::at(Role::InOutput, &listing, READING, e)
        }
    })?;
    let paths: Vec<PathBuf> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
        .filter(|p| p.as_os_str() != HEADERS)
        .collect();
    let cache = cache_control(site.max_age);
    let mut files = paths
        .par_iter()
        .map(|p| {
            let file = output.join(p);
            let bytes =
                std::fs::read(&file).map_err(|e| Error::at(Role::InOutput, &file, READING, e))?;
            let path = slashed(p);
            Ok(Local {
                object: Object {
                    hash: blake3::hash(&bytes).to_hex().to_string(),
                    content_type: content_type(&path).unwrap_or(OTHER).to_string(),
                    cache_control: cache.clone(),
                },
                path,
            })
        })
        .collect::<Result<Vec<Local>, Error>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, hash: &str) -> Local {
        Local {
            path: path.to_string(),
            object: Object {
                hash: hash.to_string(),
                content_type: content_type(path).unwrap_or(OTHER).to_string(),
                cache_control: cache_control(900),
            },
        }
    }

    fn manifest(files: &[Local]) -> Manifest {
        Manifest::new(
            files
                .iter()
                .map(|f| (f.path.clone(), f.object.clone()))
                .collect(),
        )
    }

    #[test]
    fn feeds_go_first_then_pages_then_the_index_and_the_opml() {
        let files: Vec<Local> = [
            "index.html",
            "feeds.opml",
            "topics/a/index.html",
            "topics/a/rss.xml",
            "feed.xsl",
            "rss.xml",
            "articles.html",
            "topics/a/feed.json",
        ]
        .iter()
        .map(|p| local(p, "1"))
        .collect();
        let plan = plan(&files, &Manifest::default());
        let order: Vec<&str> = plan.uploads.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            order,
            [
                "feed.xsl",
                "rss.xml",
                "topics/a/feed.json",
                "topics/a/rss.xml",
                "articles.html",
                "topics/a/index.html",
                "feeds.opml",
                "index.html",
            ]
        );
    }

    #[test]
    fn only_changed_files_go_up_and_only_owned_paths_that_are_gone_are_deleted() {
        let before = [local("rss.xml", "1"), local("topics/gone/rss.xml", "1")];
        let remote = manifest(&before);
        let now = [local("rss.xml", "1"), local("topics/new/rss.xml", "2")];
        let plan = plan(&now, &remote);
        assert_eq!(plan.unchanged, 1);
        assert_eq!(plan.uploads, [(0, "topics/new/rss.xml".to_string())]);
        assert_eq!(plan.deletions, ["topics/gone/rss.xml"]);
        // A new cache policy is a change, and a pending entry is never taken as uploaded.
        let mut newer = local("rss.xml", "1");
        newer.object.cache_control = cache_control(60);
        assert_eq!(super::plan(&[newer], &remote).uploads.len(), 1);
        let pending = Manifest::new(BTreeMap::from([("rss.xml".to_string(), Object::pending())]));
        assert_eq!(
            super::plan(&[local("rss.xml", "1")], &pending)
                .uploads
                .len(),
            1
        );
    }
}
