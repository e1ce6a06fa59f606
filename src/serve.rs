//! `feedsmith serve`: a local preview server that builds the feeds into memory, serves them on
//! `127.0.0.1`, and rebuilds whenever an article or the settings file changes.
//!
//! Nothing is written to disk: every build goes to an [`Output::memory`] and the cache is
//! off. Each build's files replace the served set in one swap ([`Files`]); a file whose bytes
//! did not change keeps its `ETag` and `Last-Modified`, so feed readers and browsers
//! polling the preview get `304 Not Modified` for everything a rebuild left alone. A build
//! stopped by invalid articles leaves the previous good files in place.
//!
//! [`respond`] is the whole HTTP behaviour as a pure function of the served files and the
//! request; [`Server`] binds the socket, watches the input, and runs it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::{Future, IntoFuture};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, PoisonError, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, Response, StatusCode, Uri};
use notify_debouncer_mini::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_mini::notify::{self, RecommendedWatcher, RecursiveMode, WatcherKind};
use notify_debouncer_mini::{new_debouncer_opt, DebounceEventResult, Debouncer};

use crate::{Error, Output, Report, Settings};

/// How long the watcher waits for a burst of file events to settle before rebuilding.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// After a stop is asked for, how long open connections get to finish before the server
/// stops anyway.
const GRACE: Duration = Duration::from_secs(2);

/// One served file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Served {
    /// The file's bytes.
    pub bytes: Bytes,
    /// Its strong entity tag, quoted: `"<32 hex digits>"` of [`crate::hash::hash`].
    pub etag: String,
    /// When these bytes were first served, to the whole second (HTTP dates have no finer
    /// resolution).
    pub modified: SystemTime,
}

/// The served files, by path relative to the output root with `/` separators
/// (`rss.xml`, `topics/ai/atom.xml`). Requests are answered only from this map, so no
/// request path can reach any other file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    files: BTreeMap<String, Served>,
}

/// What a rebuild changed, by path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paths new in this build.
    pub added: Vec<String>,
    /// Paths whose bytes changed.
    pub changed: Vec<String>,
    /// Paths gone from this build.
    pub removed: Vec<String>,
    /// How many paths kept their bytes (and so their `ETag` and `Last-Modified`).
    pub unchanged: usize,
}

impl Files {
    /// The files of a build (as [`Output::files`] gives them), all first served at `now`.
    pub fn new(files: BTreeMap<PathBuf, Vec<u8>>, now: SystemTime) -> Files {
        Files::default().update(files, now).0
    }

    /// The files of the next build: a file with the same bytes as before keeps its entry,
    /// any other gets `now` as its `Last-Modified` (always later than the one it replaces,
    /// so `If-Modified-Since` never hides a change made within the same second).
    pub fn update(&self, files: BTreeMap<PathBuf, Vec<u8>>, now: SystemTime) -> (Files, Changes) {
        let now = whole_seconds(now);
        let mut changes = Changes::default();
        let mut next = BTreeMap::new();
        for (path, bytes) in files {
            let Some(key) = key(&path) else { continue };
            let served = match self.files.get(&key) {
                Some(old) if old.bytes == bytes => {
                    changes.unchanged += 1;
                    old.clone()
                }
                old => {
                    let modified = match old {
                        Some(old) if old.modified >= now => old.modified + Duration::from_secs(1),
                        _ => now,
                    };
                    if old.is_some() {
                        changes.changed.push(key.clone());
                    } else {
                        changes.added.push(key.clone());
                    }
                    Served {
                        etag: etag(&bytes),
                        bytes: Bytes::from(bytes),
                        modified,
                    }
                }
            };
            next.insert(key, served);
        }
        changes.removed = self
            .files
            .keys()
            .filter(|k| !next.contains_key(*k))
            .cloned()
            .collect();
        (Files { files: next }, changes)
    }

    /// The file at `path` (relative, `/`-separated, not percent-encoded).
    pub fn get(&self, path: &str) -> Option<&Served> {
        self.files.get(path)
    }

    /// Every path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when there is no file (before the first good build).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A relative output path as a map key: its plain components joined by `/`.
fn key(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn whole_seconds(time: SystemTime) -> SystemTime {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn etag(bytes: &[u8]) -> String {
    format!("\"{:032x}\"", crate::hash::hash(bytes))
}

/// The `Content-Type` for a file name: for the files feedsmith writes, the one its
/// `_headers` file gives ([`crate::render::index::content_type`]: feeds are
/// `application/xml`, so browsers apply the stylesheet and readers still take them as
/// feeds); for anything else, by extension.
pub fn content_type(path: &str) -> &'static str {
    if let Some(known) = crate::render::index::content_type(path) {
        return known;
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "xml" => "application/xml; charset=utf-8",
        "xsl" | "xslt" => "text/xsl; charset=utf-8",
        "json" => "application/feed+json; charset=utf-8",
        "opml" => "text/x-opml; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        // The `_headers` file for static hosts.
        _ if name == "_headers" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Answers one request from `files`. `path` is the request target's path (no query), as
/// sent: percent-encoded, starting with `/`.
///
/// * `GET` and `HEAD` only (anything else is `405` with `Allow: GET, HEAD`); a `HEAD`
///   response has the `GET` response's headers, `Content-Length` included, and no body.
/// * A file is `200` with its `Content-Type` (see [`content_type`]), a strong `ETag`,
///   `Last-Modified` and `Cache-Control: no-cache`; `If-None-Match` (weak comparison, `*`
///   allowed) or, only when that header is absent, `If-Modified-Since` can make it `304`
///   with no body.
/// * `/` and any `dir/` serve `index.html` there, else a generated HTML list of the files
///   below; `dir` without the slash redirects (`301`) to `dir/`.
/// * Anything else is `404`. Paths are looked up in `files` only, so `..` reaches nothing.
pub fn respond(files: &Files, method: &Method, path: &str, headers: &HeaderMap) -> Response<Bytes> {
    let head = *method == Method::HEAD;
    if !head && *method != Method::GET {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(key) = path.strip_prefix('/').and_then(percent_decode) else {
        return without_body(plain(StatusCode::NOT_FOUND, "404 not found\n"), head);
    };
    let response = if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        if let Some(file) = files.get(&index) {
            serve_file(file, &index, headers)
        } else if key.is_empty() || files.paths().any(|p| p.starts_with(&key)) {
            let html = listing(files, &key);
            let etag = etag(html.as_bytes());
            send(
                Bytes::from(html),
                &etag,
                None,
                content_type("x.html"),
                headers,
            )
        } else {
            plain(StatusCode::NOT_FOUND, "404 not found\n")
        }
    } else if let Some(file) = files.get(&key) {
        serve_file(file, &key, headers)
    } else if files.paths().any(|p| {
        p.strip_prefix(key.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }) {
        let mut response = plain(StatusCode::MOVED_PERMANENTLY, "301 moved permanently\n");
        if let Ok(location) = HeaderValue::from_str(&format!("{path}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        response
    } else {
        plain(StatusCode::NOT_FOUND, "404 not found\n")
    };
    without_body(response, head)
}

fn serve_file(file: &Served, path: &str, headers: &HeaderMap) -> Response<Bytes> {
    send(
        file.bytes.clone(),
        &file.etag,
        Some(file.modified),
        content_type(path),
        headers,
    )
}

/// A `200`, or a `304` when the request's validators match.
fn send(
    bytes: Bytes,
    etag: &str,
    modified: Option<SystemTime>,
    content_type: &'static str,
    headers: &HeaderMap,
) -> Response<Bytes> {
    let not_modified = match headers.get(header::IF_NONE_MATCH) {
        Some(value) => value.to_str().is_ok_and(|list| etag_matches(list, etag)),
        None => match (modified, headers.get(header::IF_MODIFIED_SINCE)) {
            (Some(modified), Some(since)) => since
                .to_str()
                .ok()
                .and_then(|s| httpdate::parse_http_date(s).ok())
                .is_some_and(|since| modified <= since),
            _ => false,
        },
    };
    let mut builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, "no-cache");
    if let Some(modified) = modified {
        builder = builder.header(header::LAST_MODIFIED, httpdate::fmt_http_date(modified));
    }
    let response = if not_modified {
        builder.status(StatusCode::NOT_MODIFIED).body(Bytes::new())
    } else {
        builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_LENGTH, bytes.len())
            .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
            .body(bytes)
    };
    response.unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR, "500\n"))
}

/// True when the `If-None-Match` list names `etag` (weak comparison) or is `*`.
fn etag_matches(list: &str, etag: &str) -> bool {
    list.split(',').map(str::trim).any(|tag| {
        let tag = tag.strip_prefix("W/").unwrap_or(tag);
        tag == "*" || tag == etag
    })
}

fn plain(status: StatusCode, text: &'static str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(text.as_bytes()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(text.len()));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// For `HEAD`: the same headers (`Content-Length` included), no body.
fn without_body(mut response: Response<Bytes>, head: bool) -> Response<Bytes> {
    if head {
        *response.body_mut() = Bytes::new();
    }
    response
}

/// Decodes `%XX` escapes; `None` for a bad escape or bytes that are not UTF-8.
fn percent_decode(raw: &str) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes a path for an `href`, keeping `/` and unreserved characters.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A small HTML page linking every file below `dir` (`""` or ending in `/`).
fn listing(files: &Files, dir: &str) -> String {
    let title = format!("feedsmith preview: /{}", escape_html(dir));
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let below: Vec<&str> = files.paths().filter_map(|p| p.strip_prefix(dir)).collect();
    if below.is_empty() {
        html.push_str("<p>No files yet: no build has succeeded.</p>\n");
    } else {
        html.push_str("<ul>\n");
        for path in below {
            let _ = writeln!(
                html,
                "<li><a href=\"{}\">{}</a></li>",
                escape_html(&percent_encode(path)),
                escape_html(path)
            );
        }
        html.push_str("</ul>\n");
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// The served set, swapped whole by each good build.
type Shared = Arc<RwLock<Arc<Files>>>;

/// Reloads the settings after the settings file changed.
type Reload = Box<dyn FnMut() -> Result<Settings, Error> + Send>;

/// The settings a preview build uses: no cache (nothing on disk), no progress bar, and the
/// clock moved to now, so scheduled articles appear once their time has come.
fn preview(settings: &Settings) -> Settings {
    let mut settings = settings.clone();
    settings.cache_dir = None;
    if settings.now.is_some() && std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        settings.now = Some(chrono::Utc::now().fixed_offset());
    }
    settings
}

/// What one build into memory did.
#[derive(Debug)]
struct Refreshed {
    report: Report,
    /// `None` when the build was stopped and the previous files are still served.
    changes: Option<Changes>,
}

/// Builds into memory and, unless invalid articles stopped the build, swaps the new files
/// in. The report's file counts are made relative to what was served before.
fn refresh(settings: &Settings, shared: &Shared) -> Result<Refreshed, Error> {
    let output = Output::memory();
    let mut report = crate::build(&preview(settings), &output)?;
    if report.stopped {
        return Ok(Refreshed {
            report,
            changes: None,
        });
    }
    let mut current = shared.write().unwrap_or_else(PoisonError::into_inner);
    let (next, changes) = current.update(output.files(), SystemTime::now());
    *current = Arc::new(next);
    drop(current);
    report.summary.written = changes.added.len() + changes.changed.len();
    report.summary.unchanged = changes.unchanged;
    report.summary.removed = changes.removed.len();
    Ok(Refreshed {
        report,
        changes: Some(changes),
    })
}

/// Prints a build's problems and its one summary line to stderr; `took` is `None` for the
/// first build.
fn print(refreshed: &Refreshed, took: Option<Duration>, shared: &Shared) {
    for problem in &refreshed.report.problems {
        eprintln!("{problem}");
    }
    let summary = refreshed.report.summary;
    match (&refreshed.changes, took) {
        (None, _) => eprintln!(
            "feedsmith: {summary}; {} invalid article(s): {}",
            summary.rejected,
            if current(shared).is_empty() {
                "nothing to serve until they are fixed"
            } else {
                "still serving the previous feeds"
            }
        ),
        (Some(_), Some(took)) => {
            eprintln!("feedsmith: {summary} (rebuilt in {} ms)", took.as_millis())
        }
        (Some(_), None) => eprintln!("feedsmith: {summary}"),
    }
}

/// A bound preview server that has built the feeds once; [`Server::run`] or
/// [`Server::spawn`] starts serving and watching.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    settings: Settings,
    config: Option<(PathBuf, Reload)>,
    files: Shared,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("settings", &self.settings)
            .field("config", &self.config.as_ref().map(|c| &c.0))
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Binds `127.0.0.1:port` (`0` picks a free port) and builds the feeds into memory
    /// once, printing the problems and summary to stderr. Fails when the port is taken or
    /// the build cannot run at all (such as a missing input folder); a build stopped by
    /// invalid articles is not a failure: the server starts with no files and fills in at
    /// the first good rebuild.
    pub fn bind(settings: Settings, port: u16) -> Result<Server, Error> {
        let wanted = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let listener =
            TcpListener::bind(wanted).map_err(|e| Error::io(wanted.to_string(), "binding", e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io(wanted.to_string(), "binding", e))?;
        let files = Shared::default();
        print(&refresh(&settings, &files)?, None, &files);
        Ok(Server {
            listener,
            addr,
            settings,
            config: None,
            files,
        })
    }

    /// Also watches the settings file at `path`: when it changes, `reload` gives the new
    /// settings (typically `Settings::resolve` with the same overrides) and the feeds are
    /// rebuilt with them. When `reload` fails, its error is printed and the old settings
    /// stay.
    pub fn watch_config(
        mut self,
        path: impl Into<PathBuf>,
        reload: impl FnMut() -> Result<Settings, Error> + Send + 'static,
    ) -> Server {
        self.config = Some((path.into(), Box::new(reload)));
        self
    }

    /// The address served: `127.0.0.1` and the bound port.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the server's root, `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The files served right now.
    pub fn files(&self) -> Arc<Files> {
        current(&self.files)
    }

    /// Serves and watches until Ctrl-C; with `open`, first opens the URL in a browser (best
    /// effort).
    pub fn run(self, open: bool) -> Result<(), Error> {
        let url = self.url();
        let (watcher, serving) = self.start()?;
        let runtime = runtime()?;
        eprintln!("feedsmith: serving {url} (Ctrl-C to stop)");
        if open {
            open_browser(&url);
        }
        let result = runtime.block_on(serving.serve(async {
            let _ = tokio::signal::ctrl_c().await;
        }));
        watcher.stop();
        eprintln!("feedsmith: stopped");
        result
    }

    /// Serves and watches on a background thread until the [`Handle`] is stopped or
    /// dropped.
    pub fn spawn(self) -> Result<Handle, Error> {
        let addr = self.addr;
        let (watcher, serving) = self.start()?;
        let runtime = runtime()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("feedsmith-serve".into())
            .spawn(move || {
                let result = runtime.block_on(serving.serve(async {
                    let _ = stopped.await;
                }));
                watcher.stop();
                result
            })
            .map_err(|e| Error::io(addr.to_string(), "starting a thread for", e))?;
        Ok(Handle {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Starts the watcher; what is left is the socket and the files to serve.
    fn start(self) -> Result<(Watcher, Serving), Error> {
        let Server {
            listener,
            addr,
            settings,
            config,
            files,
        } = self;
        let watcher = Watcher::start(settings, config, Arc::clone(&files))?;
        Ok((
            watcher,
            Serving {
                listener,
                addr,
                files,
            },
        ))
    }
}

/// A server running on a background thread ([`Server::spawn`]). Dropping it stops the
/// server too.
#[derive(Debug)]
pub struct Handle {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), Error>>>,
}

impl Handle {
    /// The address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and watching, and waits for both to end (at most about two seconds
    /// for open connections).
    pub fn stop(mut self) -> Result<(), Error> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::io(
                self.addr.to_string(),
                "serving",
                std::io::Error::other("the server thread panicked"),
            )),
            None => Ok(()),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

fn current(files: &Shared) -> Arc<Files> {
    Arc::clone(&files.read().unwrap_or_else(PoisonError::into_inner))
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("feedsmith-http")
        .enable_all()
        .build()
        .map_err(|e| Error::io("127.0.0.1", "starting the server on", e))
}

/// The socket and the files, ready to serve.
struct Serving {
    listener: TcpListener,
    addr: SocketAddr,
    files: Shared,
}

impl Serving {
    /// Serves until `shutdown` completes, then gives open connections [`GRACE`] to end.
    async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), Error> {
        let failed = |e| Error::io(format!("http://{}/", self.addr), "serving", e);
        self.listener.set_nonblocking(true).map_err(failed)?;
        let listener = tokio::net::TcpListener::from_std(self.listener).map_err(failed)?;
        let app = axum::Router::new().fallback(handle).with_state(self.files);
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stopping.send(true);
        });
        let deadline = async move {
            let _ = stopped.wait_for(|s| *s).await;
            tokio::time::sleep(GRACE).await;
        };
        tokio::select! {
            result = server.into_future() => result.map_err(failed),
            () = deadline => Ok(()),
        }
    }
}

async fn handle(
    State(files): State<Shared>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    respond(&current(&files), &method, uri.path(), &headers).map(Body::from)
}

/// Messages to the rebuild thread.
enum Message {
    Events(DebounceEventResult),
    Stop,
}

/// The file watcher and the thread that rebuilds on its events.
struct Watcher {
    messages: mpsc::Sender<Message>,
    thread: JoinHandle<()>,
    /// How many rebuilds have run.
    #[cfg_attr(not(test), allow(dead_code))]
    rebuilds: Arc<AtomicUsize>,
}

impl Watcher {
    fn start(
        settings: Settings,
        config: Option<(PathBuf, Reload)>,
        files: Shared,
    ) -> Result<Watcher, Error> {
        let (messages, inbox) = mpsc::channel();
        let events = messages.clone();
        let mut debouncer = new_debouncer_opt::<_, ChangesOnly>(
            notify_debouncer_mini::Config::default().with_timeout(DEBOUNCE),
            move |result| {
                let _ = events.send(Message::Events(result));
            },
        )
        .map_err(|e| Error::io(&settings.input, "watching", std::io::Error::other(e)))?;
        let config = match config {
            Some((path, reload)) => Some(Config::watch(&mut debouncer, &path, reload)?),
            None => None,
        };
        let rebuilds = Arc::new(AtomicUsize::new(0));
        let mut rebuilder = Rebuilder {
            input: watch_input(&mut debouncer, &settings.input)?,
            settings,
            config,
            files,
            debouncer,
            rebuilds: Arc::clone(&rebuilds),
        };
        let thread = std::thread::Builder::new()
            .name("feedsmith-watch".into())
            .spawn(move || rebuilder.run(&inbox))
            .map_err(|e| Error::io("", "starting a thread for watching", e))?;
        Ok(Watcher {
            messages,
            thread,
            rebuilds,
        })
    }

    fn stop(self) {
        let _ = self.messages.send(Message::Stop);
        let _ = self.thread.join();
    }
}

/// The platform's watcher without the events that reading causes. A build opens every
/// article, inotify reports each open, and the debouncer forgets what kind an event was: so
/// without this filter every rebuild would set off the next.
struct ChangesOnly(RecommendedWatcher);

impl notify::Watcher for ChangesOnly {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<ChangesOnly> {
        let filter = move |event: notify::Result<notify::Event>| {
            if !event.as_ref().is_ok_and(|e| is_read(&e.kind)) {
                handler.handle_event(event);
            }
        };
        RecommendedWatcher::new(filter, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn configure(&mut self, option: notify::Config) -> notify::Result<bool> {
        self.0.configure(option)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// True for an event that changes nothing: an open, a read, or closing a file not opened
/// for writing.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
}

/// Watches `input` recursively; gives the path events will name it by.
fn watch_input(debouncer: &mut Debouncer<ChangesOnly>, input: &Path) -> Result<PathBuf, Error> {
    let input = input
        .canonicalize()
        .map_err(|e| Error::io(input, "watching", e))?;
    debouncer
        .watcher()
        .watch(&input, RecursiveMode::Recursive)
        .map_err(|e| Error::io(&input, "watching", std::io::Error::other(e)))?;
    Ok(input)
}

/// The watched settings file.
struct Config {
    /// Its canonical path, as events name it.
    path: PathBuf,
    reload: Reload,
}

impl Config {
    /// Watches the folder holding the settings file, not the file itself: editors that save
    /// by renaming a new file over the old one would end a watch on the file.
    fn watch(
        debouncer: &mut Debouncer<ChangesOnly>,
        path: &Path,
        reload: Reload,
    ) -> Result<Config, Error> {
        let failed = |e| Error::io(path, "watching", e);
        let name = path
            .file_name()
            .ok_or_else(|| failed(std::io::Error::other("not a file name")))?;
        let folder = match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let folder = folder.canonicalize().map_err(failed)?;
        debouncer
            .watcher()
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| failed(std::io::Error::other(e)))?;
        Ok(Config {
            path: folder.join(name),
            reload,
        })
    }
}

/// Owns the watcher and the current settings; rebuilds on each batch of events.
struct Rebuilder {
    settings: Settings,
    /// The canonical input folder, as events name it.
    input: PathBuf,
    config: Option<Config>,
    files: Shared,
    debouncer: Debouncer<ChangesOnly>,
    rebuilds: Arc<AtomicUsize>,
}

impl Rebuilder {
    fn run(&mut self, inbox: &mpsc::Receiver<Message>) {
        while let Ok(Message::Events(first)) = inbox.recv() {
            let mut batch = vec![first];
            // Whatever arrived during the last build is one more rebuild, not many.
            loop {
                match inbox.try_recv() {
                    Ok(Message::Events(more)) => batch.push(more),
                    Ok(Message::Stop) => return,
                    Err(_) => break,
                }
            }
            let (mut input, mut config) = (false, false);
            for result in batch {
                match result {
                    Ok(events) => {
                        for event in events {
                            if self.config.as_ref().is_some_and(|c| c.path == event.path) {
                                config = true;
                            } else if self.is_article(&event.path) {
                                input = true;
                            }
                        }
                    }
                    Err(e) => eprintln!("feedsmith: watching: {e}"),
                }
            }
            if config {
                self.reload();
            }
            if config || input {
                self.rebuild();
            }
        }
    }

    /// True for a path below the input folder that a build could read: not hidden, so an
    /// editor's swap files do not cause rebuilds.
    fn is_article(&self, path: &Path) -> bool {
        path.strip_prefix(&self.input).is_ok_and(|rest| {
            !rest
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    fn reload(&mut self) {
        let Some(config) = &mut self.config else {
            return;
        };
        match (config.reload)() {
            Ok(settings) => {
                if settings.input != self.settings.input {
                    let _ = self.debouncer.watcher().unwatch(&self.input);
                    match watch_input(&mut self.debouncer, &settings.input) {
                        Ok(input) => self.input = input,
                        Err(e) => eprintln!("feedsmith: error: {e}"),
                    }
                }
                self.settings = settings;
            }
            Err(e) => eprintln!("feedsmith: error: {e}; keeping the previous settings"),
        }
    }

    fn rebuild(&self) {
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        match refresh(&self.settings, &self.files) {
            Ok(refreshed) => print(&refreshed, Some(started.elapsed()), &self.files),
            Err(e) => eprintln!("feedsmith: error: {e}; still serving the previous feeds"),
        }
    }
}

/// Opens `url` in the default browser, best effort.
fn open_browser(url: &str) {
    use std::process::{Command, Stdio};
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Reap it in the background so it leaves no zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("feedsmith: could not open a browser; visit {url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<PathBuf, Vec<u8>> {
        list.iter()
            .map(|(p, b)| (PathBuf::from(p), b.as_bytes().to_vec()))
            .collect()
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    fn get(files: &Files, path: &str, headers: &[(&str, &str)]) -> Response<Bytes> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        respond(files, &Method::GET, path, &map)
    }

    fn header(response: &Response<Bytes>, name: header::HeaderName) -> &str {
        response.headers()[name].to_str().unwrap()
    }

    #[test]
    fn unchanged_files_keep_their_validators() {
        let one = Files::new(
            files(&[("rss.xml", "a"), ("topics/x/rss.xml", "b")]),
            at(100),
        );
        let (two, changes) = one.update(
            files(&[
                ("rss.xml", "a2"),
                ("topics/y/rss.xml", "c"),
                ("feed.xsl", "s"),
            ]),
            at(100),
        );
        assert_eq!(changes.changed, ["rss.xml"]);
        assert_eq!(changes.added, ["feed.xsl", "topics/y/rss.xml"]);
        assert_eq!(changes.removed, ["topics/x/rss.xml"]);
        assert_eq!(changes.unchanged, 0);
        // Changed within the same second: still strictly later.
        assert_eq!(two.get("rss.xml").unwrap().modified, at(101));
        assert_ne!(
            two.get("rss.xml").unwrap().etag,
            one.get("rss.xml").unwrap().etag
        );
        let (three, changes) = two.update(
            files(&[
                ("rss.xml", "a2"),
                ("topics/y/rss.xml", "c"),
                ("feed.xsl", "s"),
            ]),
            at(500),
        );
        assert_eq!(changes.unchanged, 3);
        assert_eq!(three, two);
    }

    #[test]
    fn validators_and_precedence() {
        let files = Files::new(files(&[("rss.xml", "<rss/>")]), at(1_700_000_000));
        let ok = get(&files, "/rss.xml", &[]);
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.body().as_ref(), b"<rss/>");
        let etag = header(&ok, header::ETAG).to_string();
        let modified = header(&ok, header::LAST_MODIFIED).to_string();
        assert_eq!(etag.len(), 34);
        assert_eq!(modified, "Tue, 14 Nov 2023 22:13:20 GMT");
        let weak = format!("\"x\", W/{etag}");
        for headers in [
            vec![("if-none-match", etag.as_str())],
            vec![("if-none-match", weak.as_str())],
            vec![("if-none-match", "*")],
            vec![("if-modified-since", modified.as_str())],
            vec![("if-modified-since", "Wed, 15 Nov 2023 00:00:00 GMT")],
        ] {
            let r = get(&files, "/rss.xml", &headers);
            assert_eq!(r.status(), StatusCode::NOT_MODIFIED, "{headers:?}");
            assert!(r.body().is_empty());
            assert_eq!(header(&r, header::ETAG), etag);
        }
        // An older date, or a non-matching tag (which overrides a matching date): 200.
        for headers in [
            vec![("if-modified-since", "Mon, 13 Nov 2023 00:00:00 GMT")],
            vec![
                ("if-none-match", "\"other\""),
                ("if-modified-since", &modified),
            ],
        ] {
            assert_eq!(get(&files, "/rss.xml", &headers).status(), StatusCode::OK);
        }
    }

    #[test]
    fn methods_paths_and_listing() {
        let files = Files::new(
            files(&[
                ("rss.xml", "x"),
                ("topics/a b/rss.xml", "y"),
                ("topics/c/atom.xml", "z"),
            ]),
            at(0),
        );
        let post = respond(&files, &Method::POST, "/rss.xml", &HeaderMap::new());
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header(&post, header::ALLOW), "GET, HEAD");
        let head = respond(&files, &Method::HEAD, "/rss.xml", &HeaderMap::new());
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(header(&head, header::CONTENT_LENGTH), "1");
        assert!(head.body().is_empty());
        assert_eq!(
            get(&files, "/topics/a%20b/rss.xml", &[]).body().as_ref(),
            b"y"
        );
        for missing in [
            "/nope",
            "/../rss.xml",
            "/%2e%2e/rss.xml",
            "/%zz",
            "rss.xml",
            "/x/",
        ] {
            assert_eq!(
                get(&files, missing, &[]).status(),
                StatusCode::NOT_FOUND,
                "{missing}"
            );
        }
        let redirect = get(&files, "/topics/c", &[]);
        assert_eq!(redirect.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(header(&redirect, header::LOCATION), "/topics/c/");
        let root = get(&files, "/", &[]);
        assert_eq!(
            header(&root, header::CONTENT_TYPE),
            "text/html; charset=utf-8"
        );
        let html = String::from_utf8(root.body().to_vec()).unwrap();
        assert!(html.contains("<a href=\"topics/a%20b/rss.xml\">topics/a b/rss.xml</a>"));
        let dir = String::from_utf8(get(&files, "/topics/c/", &[]).body().to_vec()).unwrap();
        assert!(dir.contains("<a href=\"atom.xml\">") && !dir.contains("rss.xml"));
        let with_index = Files::new(self::files(&[("index.html", "<p>hi")]), at(0));
        assert_eq!(get(&with_index, "/", &[]).body().as_ref(), b"<p>hi");
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type("topics/a/rss.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("feed.xsl"), "text/xsl; charset=utf-8");
        assert_eq!(
            content_type("feed.json"),
            "application/feed+json; charset=utf-8"
        );
        assert_eq!(content_type("feeds.opml"), "text/x-opml; charset=utf-8");
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("topics/x.y/README"),
            "application/octet-stream"
        );
    }

    fn settings(input: &Path) -> Settings {
        let site = crate::settings::Site {
            title: "Serve".into(),
            base_url: "https://example.com/feeds/".into(),
            site_url: "https://example.com/".into(),
            description: "Serve tests".into(),
            language: "en".into(),
            author: "Serve".into(),
        };
        let mut settings = Settings::new(input, input.join("never-written"), site);
        // Asked for, yet the preview must still write nothing.
        settings.cache_dir = Some(input.join("cache"));
        settings
    }

    #[test]
    fn a_stopped_build_keeps_the_previous_files_and_nothing_touches_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let article = "---\ntitle: One\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\ntopics: [A]\n---\n";
        std::fs::write(dir.path().join("one.txt"), article).unwrap();
        let settings = settings(dir.path());
        let shared = Shared::default();
        let first = refresh(&settings, &shared).unwrap().changes.unwrap();
        assert!(first.added.iter().any(|p| p == "topics/a/atom.xml"));
        let before = current(&shared);
        assert!(before.get("topics/a/atom.xml").is_some());

        std::fs::write(dir.path().join("two.txt"), "---\ntitle: [\n---\n").unwrap();
        let stopped = refresh(&settings, &shared).unwrap();
        assert!(stopped.report.stopped && stopped.changes.is_none());
        assert_eq!(current(&shared), before);

        std::fs::remove_file(dir.path().join("two.txt")).unwrap();
        let again = refresh(&settings, &shared).unwrap();
        assert_eq!(again.changes.unwrap().unchanged, first.added.len());
        assert_eq!(again.report.summary.written, 0);
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "no output, cache or lock file on disk");
    }

    #[test]
    fn reading_the_articles_does_not_set_off_another_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let article = |title: &str| {
            format!("---\ntitle: {title}\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
        };
        let path = dir.path().join("one.txt");
        std::fs::write(&path, article("One")).unwrap();
        let settings = settings(dir.path());
        let shared = Shared::default();
        refresh(&settings, &shared).unwrap();
        let watcher = Watcher::start(settings.clone(), None, Arc::clone(&shared)).unwrap();
        let count = || watcher.rebuilds.load(Ordering::Relaxed);
        // A build reads every article; the opens it causes must not count as changes.
        refresh(&settings, &shared).unwrap();
        std::thread::sleep(4 * DEBOUNCE);
        assert_eq!(count(), 0, "reading is not a change");

        // Written whole and renamed in (the temp name is hidden, so ignored): one change,
        // however slowly this machine writes.
        let temp = dir.path().join(".one.txt.tmp");
        std::fs::write(&temp, article("Two")).unwrap();
        std::fs::rename(&temp, &path).unwrap();
        let started = Instant::now();
        while count() == 0 {
            assert!(started.elapsed() < Duration::from_secs(5), "no rebuild");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(6 * DEBOUNCE);
        assert_eq!(
            count(),
            1,
            "one edit, one rebuild: the rebuild's reads set off no other"
        );
        assert!(
            String::from_utf8_lossy(&current(&shared).get("rss.xml").unwrap().bytes)
                .contains("<title>Two</title>")
        );
        watcher.stop();
    }
}
