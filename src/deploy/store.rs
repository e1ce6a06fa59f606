//! The target of a deploy: its URL read into an object store (S3 and S3-compatible stores,
//! Google Cloud Storage, Azure Blob, or a local folder) configured from the environment as
//! each cloud's own tools are, with retries and a timeout per request; the few requests a
//! deploy makes, counted; and a refusal told as one sentence that names the target and the
//! fix, with every credential blanked out.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::azure::{AzureConfigKey, MicrosoftAzureBuilder};
use object_store::gcp::{GoogleCloudStorageBuilder, GoogleConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientConfigKey, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, RetryConfig,
};
use serde::Serialize;

use crate::error::Error;

/// How hard to try each request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Retries after the first attempt, on a network error, a 5xx or a 429.
    pub retries: usize,
    /// The wait before the first retry; each later wait is up to twice the one before.
    pub backoff: Duration,
    /// One request's limit, from connecting to the last byte of the answer.
    pub timeout: Duration,
}

impl Default for Policy {
    /// 5 retries from 200 ms, each request limited to 30 s.
    fn default() -> Self {
        Policy {
            retries: 5,
            backoff: Duration::from_millis(200),
            timeout: Duration::from_secs(30),
        }
    }
}

/// The kinds of store a target URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    S3,
    Gcs,
    Azure,
    File,
}

/// Where a deploy writes: a URL such as `s3://bucket/prefix`.
#[derive(Debug, Clone)]
pub struct Target {
    url: url::Url,
    kind: Kind,
    /// The URL as messages show it: no user name or password, no query.
    shown: String,
}

impl Target {
    /// Reads a target URL: `s3://bucket/prefix`, `gs://bucket/prefix`,
    /// `az://container/prefix` or `file:///path`.
    pub fn parse(text: &str) -> Result<Target, Error> {
        let parsed = url::Url::parse(text);
        // A URL that carries a password is never echoed whole.
        let quoted = match &parsed {
            Ok(url) if !url.username().is_empty() || url.password().is_some() => {
                format!("{}://…@{}", url.scheme(), url.host_str().unwrap_or(""))
            }
            _ => format!("{text:?}"),
        };
        let bad = |why: &str| {
            Error::config(
                None,
                format!("deploy target {quoted} {why}: give s3://bucket/prefix, gs://bucket/prefix, az://container/prefix or file:///path"),
            )
        };
        let mut url = parsed.map_err(|_| bad("is not a URL"))?;
        let kind = match url.scheme() {
            "s3" | "s3a" => Kind::S3,
            "gs" => Kind::Gcs,
            "az" | "azure" | "abfs" | "abfss" => Kind::Azure,
            "file" => Kind::File,
            _ => return Err(bad("names no store feedsmith deploys to")),
        };
        if kind != Kind::File && url.host_str().is_none_or(str::is_empty) {
            return Err(bad("names no bucket"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad(
                "holds a credential: give credentials in the environment instead (AWS_ACCESS_KEY_ID, …), never in the URL",
            ));
        }
        url.set_query(None);
        url.set_fragment(None);
        let shown = url.as_str().trim_end_matches('/').to_string();
        Ok(Target { url, kind, shown })
    }

    /// The target as messages and reports show it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The prefix below the bucket (or folder) that the files go under, `/`-separated,
    /// without slashes at either end; empty for a local folder, which is its own root.
    fn prefix(&self) -> String {
        match self.kind {
            Kind::File => String::new(),
            _ => self.url.path().trim_matches('/').to_string(),
        }
    }

    /// The store, configured from the environment, with `policy`.
    pub(super) fn open(&self, policy: Policy) -> Result<Store, Error> {
        let retry = RetryConfig {
            backoff: BackoffConfig {
                init_backoff: policy.backoff,
                max_backoff: policy.backoff.saturating_mul(16),
                base: 2.0,
            },
            max_retries: policy.retries,
            retry_timeout: policy.timeout.saturating_mul(policy.retries as u32 + 1),
        };
        let timeout = format!("{}ms", policy.timeout.as_millis().max(1));
        let failed = |e: object_store::Error| self.refused("opening", "", e);
        // The TLS client's cryptography: ring, installed for the process once (a second
        // install, or one by a library user before us, is refused and changes nothing).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store: Arc<dyn ObjectStore> = match self.kind {
            Kind::S3 => Arc::new(
                AmazonS3Builder::from_env()
                    .with_url(self.url.as_str())
                    .with_retry(retry)
                    .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), timeout)
                    .build()
                    .map_err(failed)?,
            ),
            Kind::Gcs => Arc::new(
                GoogleCloudStorageBuilder::from_env()
                    .with_url(self.url.as_str())
                    .with_retry(retry)
                    .with_config(GoogleConfigKey::Client(ClientConfigKey::Timeout), timeout)
                    .build()
                    .map_err(failed)?,
            ),
            Kind::Azure => Arc::new(
                MicrosoftAzureBuilder::from_env()
                    .with_url(self.url.as_str())
                    .with_retry(retry)
                    .with_config(AzureConfigKey::Client(ClientConfigKey::Timeout), timeout)
                    .build()
                    .map_err(failed)?,
            ),
            Kind::File => {
                let folder = self.url.to_file_path().map_err(|_| {
                    Error::config(
                        None,
                        format!(
                            "deploy target {} is not a local folder: give file:///absolute/path",
                            self.shown
                        ),
                    )
                })?;
                std::fs::create_dir_all(&folder)
                    .map_err(|e| Error::io(&folder, crate::error::CREATING, e))?;
                Arc::new(LocalFileSystem::new_with_prefix(&folder).map_err(failed)?)
            }
        };
        Ok(Store {
            inner: store,
            prefix: self.prefix(),
            attributes: self.kind != Kind::File,
            target: self.clone(),
            requests: Arc::new(Counter::default()),
        })
    }

    /// A failure of `action` on `path` (below the prefix) as one sentence with its fix.
    fn refused(&self, action: &str, path: &str, e: object_store::Error) -> Error {
        let on = if path.is_empty() {
            String::new()
        } else {
            format!(" {path}")
        };
        let detail = scrub(&one_line(&e.to_string()));
        let credentials = match self.kind {
            Kind::S3 => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_ENDPOINT_URL for R2 or another S3-compatible store)",
            Kind::Gcs => "GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_SERVICE_ACCOUNT",
            Kind::Azure => "AZURE_STORAGE_ACCOUNT_NAME and AZURE_STORAGE_ACCOUNT_KEY",
            Kind::File => "the folder's permissions",
        };
        let message = match &e {
            object_store::Error::NotFound { .. } => format!(
                "{action}{on} failed: the store answered \"not found\", so the bucket (or container) does not exist; create it, or correct the bucket in the target ({detail})"
            ),
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => format!(
                "{action}{on} was refused: access denied; check {credentials} in the environment, and that they may read and write this bucket ({detail})"
            ),
            object_store::Error::NotImplemented { .. }
            | object_store::Error::UnknownConfigurationKey { .. } => format!(
                "{action}{on} failed: {detail}"
            ),
            _ if action == "opening" => format!(
                "the target cannot be used: {detail}; check the target and {credentials} in the environment"
            ),
            _ => format!(
                "{action}{on} failed after retries: {detail}; check the network and the endpoint, then deploy again: the next deploy completes what this one left"
            ),
        };
        Error::Deploy {
            target: self.shown.clone(),
            message,
        }
    }
}

/// The requests a deploy made, by kind (one each, retries inside a request not counted).
#[derive(Debug, Default)]
struct Counter {
    get: AtomicUsize,
    put: AtomicUsize,
    delete: AtomicUsize,
}

/// The requests a deploy made, as the report gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Requests {
    /// Objects deleted.
    pub delete: usize,
    /// Objects read (the manifest).
    pub get: usize,
    /// Objects written (files and the manifest).
    pub put: usize,
}

/// An open target: every request a deploy makes goes through here, and is counted.
#[derive(Debug, Clone)]
pub(super) struct Store {
    inner: Arc<dyn ObjectStore>,
    prefix: String,
    /// False for a local folder, which keeps no content type.
    attributes: bool,
    target: Target,
    requests: Arc<Counter>,
}

impl Store {
    /// The key of `path` (below the prefix).
    fn key(&self, path: &str) -> Key {
        if self.prefix.is_empty() {
            Key::from(path)
        } else {
            Key::from(format!("{}/{path}", self.prefix))
        }
    }

    /// The requests made so far.
    pub(super) fn requests(&self) -> Requests {
        Requests {
            get: self.requests.get.load(Ordering::Relaxed),
            put: self.requests.put.load(Ordering::Relaxed),
            delete: self.requests.delete.load(Ordering::Relaxed),
        }
    }

    /// The bytes of `path`, or `None` when there is no such object.
    pub(super) async fn get(&self, path: &str) -> Result<Option<Vec<u8>>, Error> {
        self.requests.get.fetch_add(1, Ordering::Relaxed);
        let read = async {
            let result = self.inner.get(&self.key(path)).await?;
            result.bytes().await
        };
        match read.await {
            Ok(bytes) => Ok(Some(bytes.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.target.refused("reading", path, e)),
        }
    }

    /// Writes `bytes` to `path` with its content type and cache policy.
    pub(super) async fn put(
        &self,
        path: &str,
        bytes: Vec<u8>,
        content_type: &str,
        cache_control: &str,
    ) -> Result<(), Error> {
        self.requests.put.fetch_add(1, Ordering::Relaxed);
        let mut attributes = Attributes::new();
        if self.attributes {
            attributes.insert(Attribute::ContentType, content_type.to_string().into());
            attributes.insert(Attribute::CacheControl, cache_control.to_string().into());
        }
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        self.inner
            .put_opts(&self.key(path), PutPayload::from(bytes), options)
            .await
            .map(|_| ())
            .map_err(|e| self.target.refused("uploading", path, e))
    }

    /// Deletes `path`; an object already gone is no failure.
    pub(super) async fn delete(&self, path: &str) -> Result<(), Error> {
        self.requests.delete.fetch_add(1, Ordering::Relaxed);
        match self.inner.delete(&self.key(path)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.target.refused("deleting", path, e)),
        }
    }

    /// The target's error for a deploy stopped on purpose (a test's fault).
    pub(super) fn stopped(&self, why: String) -> Error {
        Error::Deploy {
            target: self.target.shown.clone(),
            message: why,
        }
    }
}

/// Folds a message to one line of at most 300 characters.
fn one_line(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// `text` with the value of every environment variable that may hold a credential (its name
/// says KEY, SECRET, TOKEN, PASSWORD or CREDENTIAL) blanked out, wherever it appears.
pub(super) fn scrub(text: &str) -> String {
    let mut out = text.to_string();
    for (name, value) in std::env::vars_os() {
        let (Some(name), Some(value)) = (name.to_str(), value.to_str()) else {
            continue;
        };
        let name = name.to_ascii_uppercase();
        let secret = ["KEY", "SECRET", "TOKEN", "PASSWORD", "CREDENTIAL"]
            .iter()
            .any(|w| name.contains(w));
        if secret && value.len() >= 4 && out.contains(value) {
            out = out.replace(value, "[redacted]");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_read_with_its_bucket_and_prefix() {
        let t = Target::parse("s3://bucket/site/feeds/").unwrap();
        assert_eq!(t.shown(), "s3://bucket/site/feeds");
        assert_eq!(t.prefix(), "site/feeds");
        assert_eq!(Target::parse("gs://b").unwrap().prefix(), "");
        assert_eq!(Target::parse("file:///tmp/x").unwrap().prefix(), "");
        for bad in [
            "bucket/prefix",
            "ftp://host/x",
            "s3:///nobucket",
            "s3://key:secret@bucket/p",
        ] {
            let e = Target::parse(bad).unwrap_err().to_string();
            assert!(e.contains("s3://bucket/prefix"), "{bad}: {e}");
            assert!(!e.contains("secret"), "{e}");
        }
    }

    #[test]
    fn a_long_message_is_one_short_line() {
        assert_eq!(one_line("a\n  b\tc"), "a b c");
        assert_eq!(one_line(&"x ".repeat(400)).chars().count(), 301);
    }
}
