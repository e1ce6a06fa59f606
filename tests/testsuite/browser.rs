//! The feed stylesheet (`assets/feed.xsl`) in a real browser.
//!
//! Builds the fixture articles in `tests/testsuite/browser/articles/` (one of them hostile: `<script>`,
//! `&` and `&amp;` in its title, excerpt and provider) with the real binary, serves the output
//! folder from a tiny HTTP/1.0 server on `127.0.0.1`, and opens an RSS feed and an Atom feed in
//! headless Chromium, which applies the `<?xml-stylesheet?>` the way a person's browser does.
//! The DOM it dumps must be the stylesheet's page: the feed title, the "subscribe" box with the
//! feed's own URL, each entry's title linked to its article, date, provider, lead image and
//! summary, newest first, with the hostile text shown literally and no `<script>` element.
//! A screenshot of the RSS feed must come out as a real picture.
//!
//! The same transform is also run with `xsltproc` (libxslt, the XSLT engine Chromium embeds),
//! and its HTML must pass the same checks. Chromium has deprecated XSLT: when a Chromium that
//! no longer applies it is installed (it shows its XML viewer instead), the test says so on
//! stderr and checks the page that way instead: the `xsltproc` output loaded in Chromium, for
//! the DOM and the screenshot.
//!
//! Each feed's own HTML page (`topics/energy/index.html`), which needs no XSLT, is opened
//! too: its DOM must show the feed title, every item linked in order, the three subscribe
//! URLs with copy buttons that its script (allowed by hash in its Content-Security-Policy)
//! showed, the lead images and the hostile title as literal text, and nothing may reach the
//! console (a policy violation would); the same for `articles.html` and `index.html`;
//! screenshots at desktop and phone widths must be real pictures. And a feed is opened with XSLT turned off
//! (`--disable-features=XSLT`), as browsers without it will show it: Chromium's XML viewer.
//!
//! Needs `/usr/bin/chromium` and `xsltproc` (Debian: `apt-get install -y chromium xsltproc`),
//! so it is ignored by a plain `cargo test` (which lists it as ignored) and run on request:
//!
//!     cargo test --test testsuite -- --ignored browser::
//!
//! When requested without those tools, it fails and says what to install. Set `FEEDSMITH_BROWSER_SCREENSHOT=<file.png>` to
//! keep a copy of the screenshot, and `FEEDSMITH_BROWSER_NO_XSLT=1` to run Chromium with XSLT
//! turned off (`--disable-features=XSLT`), as a browser without it, to try that path.
//! `FEEDSMITH_BROWSER_SHOTS=<folder>` keeps the screenshots of the page tests there.

#![cfg(unix)]

use std::fs;
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::harness::{Project, NOW};

const CHROMIUM: &str = "/usr/bin/chromium";
const XSLTPROC: &str = "xsltproc";
/// Longest any one browser run may take before it is killed.
const BROWSER_LIMIT: Duration = Duration::from_secs(60);
/// Longest the build or an `xsltproc` run may take.
const TOOL_LIMIT: Duration = Duration::from_secs(60);

#[test]
#[ignore = "needs chromium and xsltproc: run with `cargo test --test testsuite -- --ignored browser::`"]
fn feed_stylesheet_renders_in_chromium_and_xsltproc() {
    let started = Instant::now();
    require_tools();

    let project = Project::fixture("browser");
    let tmp = project.path();
    let out = project.join("out");
    fs::create_dir_all(&out).unwrap();
    let server = Server::start(out.clone());
    let base = format!("http://127.0.0.1:{}/", server.addr.port());

    build(&project, &base);
    for image in ["solar.svg", "wind.svg"] {
        fs::create_dir_all(out.join("img")).unwrap();
        fs::copy(project.join("img").join(image), out.join("img").join(image)).unwrap();
    }

    let feeds = [
        Feed {
            path: "rss.xml",
            format: "RSS",
            title: "Browser test news",
            description: Some("Fixture articles for the feed stylesheet's browser test."),
            self_url: format!("{base}rss.xml"),
            base: base.clone(),
        },
        Feed {
            path: "topics/energy/atom.xml",
            format: "Atom",
            title: "Browser test news: Energy",
            description: None,
            self_url: format!("{base}topics/energy/atom.xml"),
            base: base.clone(),
        },
    ];

    // libxslt on its own: the transform a browser runs, as HTML text.
    for feed in &feeds {
        let html = xsltproc(&out.join("feed.xsl"), &out.join(feed.path));
        feed.check(&html, "xsltproc output");
        fs::write(out.join(feed.html_path()), html).unwrap();
    }

    // Chromium applying the stylesheet itself (or, without XSLT, showing xsltproc's page).
    let mut chromium_xslt = true;
    for feed in &feeds {
        let url = format!("{base}{}", feed.path);
        let dom = dump_dom(tmp, &url);
        if dom.contains("This is a web feed") {
            feed.check(&dom, &format!("Chromium's DOM for {url}"));
        } else if is_xml_viewer(&dom) {
            chromium_xslt = false;
            eprintln!(
                "NOTE: {} did not apply the XSLT stylesheet to {url} (it showed its XML \
                 viewer: XSLT has been removed from this browser). Checking the page as \
                 xsltproc renders it, loaded in Chromium, instead.",
                chromium_version()
            );
            let url = format!("{base}{}", feed.html_path());
            let dom = dump_dom(tmp, &url);
            feed.check(&dom, &format!("Chromium's DOM for {url} (xsltproc output)"));
        } else {
            panic!(
                "Chromium did not show the stylesheet's page for {url}: the transform failed \
                 or the feed was not served as XML. DOM:\n{}",
                excerpt(&dom)
            );
        }
    }

    // A screenshot, without Chromium's "XSLT is going away" banner over the page.
    let shot = tmp.join("feed.png");
    let page = if chromium_xslt {
        feeds[0].path.to_string()
    } else {
        feeds[0].html_path()
    };
    run_chromium(
        tmp,
        &[
            "--disable-features=GenerateXSLTWarningBanner",
            "--hide-scrollbars",
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,1400",
            &format!("{base}{page}"),
        ],
    );
    let png = fs::read(&shot)
        .unwrap_or_else(|e| panic!("Chromium wrote no screenshot at {}: {e}", shot.display()));
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG"
    );
    assert!(
        png.len() > 20_000,
        "the screenshot is only {} bytes: a blank page?",
        png.len()
    );
    if let Some(keep) = std::env::var_os("FEEDSMITH_BROWSER_SCREENSHOT") {
        fs::write(&keep, &png).unwrap();
    }

    // The browser fetched what the page refers to: the stylesheet and the lead images.
    let requests = server.requests();
    if chromium_xslt {
        assert!(
            requests.iter().any(|r| r == "/feed.xsl"),
            "Chromium never fetched /feed.xsl; requests: {requests:?}"
        );
    }
    for image in ["/img/solar.svg", "/img/wind.svg"] {
        assert!(
            requests.iter().any(|r| r == image),
            "Chromium never loaded the lead image {image}; requests: {requests:?}"
        );
    }

    drop(server);
    eprintln!(
        "browser test: {} with{} XSLT, {:.1} s",
        chromium_version(),
        if chromium_xslt { "" } else { "out" },
        started.elapsed().as_secs_f64()
    );
}

/// One feed to open, with what its page must show.
struct Feed {
    path: &'static str,
    format: &'static str,
    title: &'static str,
    /// The feed description, when the test settings give it (topic feeds make their own).
    description: Option<&'static str>,
    self_url: String,
    base: String,
}

impl Feed {
    /// Where xsltproc's rendering of this feed is written and served.
    fn html_path(&self) -> String {
        self.path.replace(".xml", ".html")
    }

    /// Checks a page (HTML text, or a DOM serialised by Chromium) rendered from this feed.
    fn check(&self, page: &str, what: &str) {
        let has = |needle: &str, why: &str| {
            assert!(
                page.contains(needle),
                "{what}: {why}: no {needle:?} in\n{}",
                excerpt(page)
            );
        };
        let at = |needle: &str| {
            page.find(needle)
                .unwrap_or_else(|| panic!("{what}: no {needle:?} in\n{}", excerpt(page)))
        };

        has("<html lang=\"en-GB\"", "the language from the feed");
        has("<meta charset=\"utf-8\">", "a charset declaration");
        has("name=\"viewport\"", "a viewport for phones");
        has(&format!("<h1>{}</h1>", self.title), "the feed title");
        has("<p class=\"lede\">", "the feed description");
        if let Some(description) = self.description {
            has(
                &format!("<p class=\"lede\">{}</p>", description),
                "the feed description",
            );
        }
        has(
            &format!("This is a web feed ({})", self.format),
            "the feed explanation",
        );
        has(
            "Copy the URL into your feed reader to subscribe",
            "how to subscribe",
        );
        has(
            &format!("<code class=\"url\">{}</code>", self.self_url),
            "the feed's own URL",
        );
        has(
            "<a href=\"https://aboutfeeds.com/\">What is a feed?</a>",
            "the link to aboutfeeds.com",
        );

        // Every entry, linked to its article, newest first.
        let entries = [
            (
                "https://news.example.org/energy/solar-town",
                "Solar farm kept a whole town's lights on through the winter",
            ),
            (
                "https://news.example.org/energy/hostile?a=1&amp;b=2",
                "&lt;script&gt;alert(\"title\")&lt;/script&gt; Fish &amp; Chips &amp;amp; \
                 &lt;b&gt;bold&lt;/b&gt; claims",
            ),
            (
                "https://news.example.org/energie/eolien-en-mer",
                "Le vent d’ouest relance l’éolien en mer",
            ),
            (
                "https://news.example.org/city/energy-budget",
                "City council publishes its 2025 energy budget",
            ),
        ];
        let mut last = 0;
        for (link, title) in entries {
            let position = at(&format!("<a href=\"{link}\">{title}</a>"));
            assert!(position > last, "{what}: {title:?} is out of order");
            last = position;
        }

        // Dates (with the article's own offset), providers, summaries.
        has("4 Mar 2025, 08:00 UTC</time>", "the first date");
        has(
            "datetime=\"2025-03-02T09:30:00+02:00\">2 Mar 2025, 09:30 UTC+02:00</time>",
            "a date with an offset",
        );
        has(
            "<span class=\"provider\">Example Times</span>",
            "the provider",
        );
        has(
            "The 40-hectare array and its battery store met 92% of demand",
            "the summary",
        );
        has(
            "<p class=\"summary\">The budget for 2025 &amp; 2026 puts heat pumps first. \
             A second paragraph, with a link.</p>",
            "the content as text when there is no excerpt",
        );
        assert!(
            !page.contains("Related coverage"),
            "{what}: the related list belongs in the content, not in the summary"
        );

        // Hostile text is text: shown literally, decoded exactly once, never markup.
        has(
            "<p class=\"summary\">Tags like &lt;b&gt;bold&lt;/b&gt; &amp; \
             &lt;script&gt;alert(\"excerpt\")&lt;/script&gt; stay literal; so does &amp;lt;.</p>",
            "the hostile excerpt as literal text",
        );
        has(
            "<span class=\"provider\">AT&amp;T &lt;News&gt;</span>",
            "the hostile provider as literal text",
        );
        let lower = page.to_ascii_lowercase();
        for markup in ["<script", "<b>", "onerror", "javascript:"] {
            assert!(
                !lower.contains(markup),
                "{what}: feed content became markup ({markup:?}):\n{}",
                excerpt(page)
            );
        }

        // Lead images: the thumbnail, its size, an empty alt; none for entries without one.
        let images: Vec<&str> = page
            .match_indices("<img ")
            .map(|(i, _)| &page[i..i + page[i..].find('>').unwrap()])
            .collect();
        assert_eq!(images.len(), 2, "{what}: two lead images, got {images:?}");
        for (img, (file, width, height)) in images
            .iter()
            .zip([("solar.svg", 1200, 800), ("wind.svg", 640, 480)])
        {
            for attribute in [
                format!("src=\"{}img/{file}\"", self.base),
                "alt=\"\"".to_string(),
                format!("width=\"{width}\""),
                format!("height=\"{height}\""),
            ] {
                assert!(img.contains(&attribute), "{what}: no {attribute} in {img}");
            }
        }
    }
}

/// Fails, saying what to install, when Chromium or xsltproc is missing.
fn require_tools() {
    assert!(
        Path::new(CHROMIUM).is_file(),
        "{CHROMIUM} is missing: this test needs Chromium to render the feed stylesheet. \
         Install it with `apt-get install -y chromium xsltproc` (Debian)."
    );
    let xsltproc = Command::new(XSLTPROC).arg("--version").output();
    assert!(
        xsltproc.is_ok_and(|o| o.status.success()),
        "xsltproc is missing: this test needs it to check the feed stylesheet. \
         Install it with `apt-get install -y chromium xsltproc` (Debian)."
    );
}

/// `feedsmith build` of the fixture articles (their `{{BASE}}` replaced by the server's URL)
/// into `out/`, with the fixture settings.
fn build(project: &Project, base: &str) {
    for name in project.entries("articles") {
        project.edit(&format!("articles/{name}"), |text| {
            text.replace("{{BASE}}", base)
        });
    }
    let command = project
        .cmd([
            "build",
            "--config",
            "feedsmith.yaml",
            "--input",
            "articles",
            "--output",
            "out",
            "--base-url",
            base,
            "--no-cache",
        ])
        .env("SOURCE_DATE_EPOCH", NOW)
        .into_command();
    let output = run_bounded(command, TOOL_LIMIT, "feedsmith build");
    assert!(
        output.status.success(),
        "feedsmith build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The stylesheet applied to `feed` by xsltproc, as HTML text.
fn xsltproc(stylesheet: &Path, feed: &Path) -> String {
    let mut command = Command::new(XSLTPROC);
    command.arg("--nonet").arg(stylesheet).arg(feed);
    let output = run_bounded(command, TOOL_LIMIT, "xsltproc");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "xsltproc failed on {}: {}",
        feed.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("xsltproc wrote UTF-8")
}

/// The DOM Chromium builds for `url`, serialised.
fn dump_dom(dir: &Path, url: &str) -> String {
    let output = run_chromium(dir, &["--dump-dom", url]);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// [`dump_dom`] for one of feedsmith's HTML pages, which must log nothing to the console:
/// no Content-Security-Policy violation (the policy's hashes are those of the inlined style
/// and script), no script error.
fn page_dom(dir: &Path, url: &str) -> String {
    let output = run_chromium(
        dir,
        &[
            "--enable-logging=stderr",
            "--log-level=0",
            "--dump-dom",
            url,
        ],
    );
    let log = String::from_utf8_lossy(&output.stderr);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(
        console.is_empty(),
        "{url} logged to the console:\n{}",
        console.join("\n")
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether Chromium showed its XML tree viewer, as it does for XML without (working) XSLT.
fn is_xml_viewer(dom: &str) -> bool {
    dom.contains("xml-viewer-style") || dom.contains("webkit-xml-viewer-source-xml")
}

/// Headless Chromium with a fresh profile, no network but this machine's loopback, and `args`.
fn run_chromium(dir: &Path, args: &[&str]) -> Output {
    let profile = tempfile::tempdir_in(dir).unwrap();
    let mut command = Command::new(CHROMIUM);
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()));
    if std::env::var_os("FEEDSMITH_BROWSER_NO_XSLT").is_some() {
        command.arg("--disable-features=XSLT");
    }
    command.args(args);
    let output = run_bounded(command, BROWSER_LIMIT, "chromium");
    assert!(
        output.status.success(),
        "chromium {args:?} failed ({}): {}",
        output.status,
        tail(&String::from_utf8_lossy(&output.stderr))
    );
    output
}

fn chromium_version() -> String {
    let mut command = Command::new(CHROMIUM);
    command.arg("--version");
    let output = run_bounded(command, BROWSER_LIMIT, "chromium --version");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// Runs `command` in its own process group, killing the whole group (Chromium starts helper
/// processes) if it is still running after `limit`. Output goes through files, so a helper
/// that outlives the main process cannot hold a pipe open.
fn run_bounded(mut command: Command, limit: Duration, what: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let stdout = fs::File::create(dir.path().join("stdout")).unwrap();
    let stderr = fs::File::create(dir.path().join("stderr")).unwrap();
    command
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let group = child.id();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            kill_group(group);
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} was still running after {limit:?}, so it was killed");
        }
        thread::sleep(Duration::from_millis(20));
    };
    // Helpers left behind by the main process (normally none).
    kill_group(group);
    Output {
        status,
        stdout: fs::read(dir.path().join("stdout")).unwrap(),
        stderr: fs::read(dir.path().join("stderr")).unwrap(),
    }
}

/// Sends SIGKILL to every process left in the process group `group`, which this test made.
fn kill_group(group: u32) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{group}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// The start of a long page, for a failure message.
fn excerpt(page: &str) -> String {
    // Skip the style sheet, which says nothing about the content.
    let text = match (page.find("<style>"), page.find("</style>")) {
        (Some(a), Some(b)) if a < b => format!("{}<style>…{}", &page[..a], &page[b..]),
        _ => page.to_string(),
    };
    text.chars().take(6000).collect()
}

/// The last lines of a long log.
fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A static file server for one folder: HTTP/1.0, GET and HEAD, one thread per connection,
/// on an ephemeral port of 127.0.0.1. It records every path asked for, and stops when dropped.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let stop = Arc::clone(&stop);
            let requests = Arc::clone(&requests);
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let root = root.clone();
                    let requests = Arc::clone(&requests);
                    thread::spawn(move || {
                        let _ = serve(stream, &root, &requests);
                    });
                }
            })
        };
        Server {
            addr,
            stop,
            requests,
            thread: Some(thread),
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request on `stream` from the files below `root`.
fn serve(mut stream: TcpStream, root: &Path, requests: &Mutex<Vec<String>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut head = Vec::new();
    let mut buf = [0; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split(['?', '#']).next().unwrap_or("");
    requests.lock().unwrap().push(path.to_string());

    let file = match path {
        "/" => Some(root.join("index.html")),
        _ if path.starts_with('/') && !path.contains("..") && !path.contains('\\') => {
            Some(root.join(&path[1..]))
        }
        _ => None,
    }
    .filter(|file| file.is_file());
    let (status, content_type, body) = match (method, file) {
        ("GET" | "HEAD", Some(file)) => ("200 OK", content_type(&file), fs::read(&file)?),
        ("GET" | "HEAD", None) => ("404 Not Found", "text/plain", b"not found\n".to_vec()),
        _ => (
            "405 Method Not Allowed",
            "text/plain",
            b"GET or HEAD only\n".to_vec(),
        ),
    };
    write!(
        stream,
        "HTTP/1.0 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()?;
    stream.shutdown(Shutdown::Both)
}

/// The Content-Type for a served file. Feeds go out as `application/xml`: Chromium applies
/// the stylesheet to that (and to `text/xml`), but shows `application/rss+xml` and
/// `application/atom+xml` as plain text.
fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("xml") => "application/xml; charset=utf-8",
        Some("xsl") => "text/xsl; charset=utf-8",
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// Every entry of the energy topic, newest first: its link and its title as HTML text.
const ENERGY_ENTRIES: [(&str, &str); 4] = [
    (
        "https://news.example.org/energy/solar-town",
        "Solar farm kept a whole town's lights on through the winter",
    ),
    (
        "https://news.example.org/energy/hostile?a=1&amp;b=2",
        "&lt;script&gt;alert(\"title\")&lt;/script&gt; Fish &amp; Chips &amp;amp; \
         &lt;b&gt;bold&lt;/b&gt; claims",
    ),
    (
        "https://news.example.org/energie/eolien-en-mer",
        "Le vent d’ouest relance l’éolien en mer",
    ),
    (
        "https://news.example.org/city/energy-budget",
        "City council publishes its 2025 energy budget",
    ),
];

/// The browser fixture built for a server on this machine, its images beside the feeds.
fn served_fixture() -> (Project, Server, String) {
    require_tools();
    let project = Project::fixture("browser");
    let out = project.join("out");
    fs::create_dir_all(out.join("img")).unwrap();
    let server = Server::start(out.clone());
    let base = format!("http://127.0.0.1:{}/", server.addr.port());
    build(&project, &base);
    for image in ["solar.svg", "wind.svg"] {
        fs::copy(project.join("img").join(image), out.join("img").join(image)).unwrap();
    }
    (project, server, base)
}

/// A screenshot of `url` at `width`×`height`, checked to be a real picture, kept in
/// `FEEDSMITH_BROWSER_SHOTS` when set.
fn screenshot(dir: &Path, url: &str, name: &str, size: (u32, u32), extra: &[&str]) {
    let shot = dir.join(name);
    let mut args: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
    args.extend([
        "--hide-scrollbars".to_string(),
        format!("--screenshot={}", shot.display()),
        format!("--window-size={},{}", size.0, size.1),
        url.to_string(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run_chromium(dir, &args);
    let png = fs::read(&shot)
        .unwrap_or_else(|e| panic!("Chromium wrote no screenshot at {}: {e}", shot.display()));
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 20_000,
        "the screenshot of {url} is not a PNG with content ({} bytes)",
        png.len()
    );
    if let Some(keep) = std::env::var_os("FEEDSMITH_BROWSER_SHOTS") {
        fs::create_dir_all(&keep).unwrap();
        fs::write(Path::new(&keep).join(name), &png).unwrap();
    }
}

#[test]
#[ignore = "needs chromium: run with `cargo test --test testsuite -- --ignored browser::`"]
fn feed_page_shows_items_and_subscribe_urls_in_chromium() {
    let (project, server, base) = served_fixture();
    let tmp = project.path();
    let url = format!("{base}topics/energy/index.html");
    let dom = page_dom(tmp, &url);
    let what = format!("Chromium's DOM for {url}");
    let has = |needle: &str, why: &str| {
        assert!(
            dom.contains(needle),
            "{what}: {why}: no {needle:?} in\n{}",
            excerpt(&dom)
        );
    };

    has("<title>Browser test news: Energy</title>", "the page title");
    has("<h1>Browser test news: Energy</h1>", "the feed title");
    has(
        "<a href=\"https://aboutfeeds.com/\">What is a feed?</a>",
        "what a feed is",
    );
    has(
        "<a href=\"../../index.html\">",
        "the way back to every feed",
    );
    for (file, mime) in [
        ("rss.xml", "application/rss+xml"),
        ("atom.xml", "application/atom+xml"),
        ("feed.json", "application/feed+json"),
    ] {
        let feed = format!("{base}topics/energy/{file}");
        has(&subscribe_url(&feed), "a subscribe URL");
        has(
            &format!("<link rel=\"alternate\" type=\"{mime}\""),
            "autodiscovery",
        );
        has(&format!("href=\"{feed}\""), "autodiscovery and a link");
        // The script ran (the policy allows it by hash) and showed the copy button.
        has(
            &format!("data-url=\"{feed}\" aria-label=\""),
            "a copy button",
        );
    }
    assert!(
        !dom.contains("hidden=\"\">Copy</button>"),
        "{what}: the copy buttons are still hidden: the page's script did not run \
         (is its hash in the Content-Security-Policy up to date?)"
    );

    let mut last = 0;
    for (link, title) in ENERGY_ENTRIES {
        let item = format!("<h3><a href=\"{link}\">{title}</a></h3>");
        let at = dom
            .find(&item)
            .unwrap_or_else(|| panic!("{what}: no {item:?} in\n{}", excerpt(&dom)));
        assert!(at > last, "{what}: {title:?} is out of order");
        last = at;
    }
    has(
        &format!("<img src=\"{base}img/solar.svg\" alt=\"\""),
        "the lead image",
    );
    has("width=\"1200\" height=\"800\"", "the lead image's size");
    has(
        "<span class=\"provider\">AT&amp;T &lt;News&gt;</span>",
        "the hostile provider as text",
    );
    assert_eq!(
        dom.matches("<script").count(),
        1,
        "{what}: a script besides the page's own"
    );
    for markup in ["<b>", "onerror", "javascript:"] {
        assert!(!dom.contains(markup), "{what}: {markup} became markup");
    }

    // The all-articles page, beside index.html at the root.
    let root = page_dom(tmp, &format!("{base}articles.html"));
    for needle in [
        "<h1>Browser test news</h1>",
        "<a href=\"index.html\">",
        &subscribe_url(&format!("{base}rss.xml")),
    ] {
        assert!(
            root.contains(needle),
            "articles.html: no {needle:?} in\n{}",
            excerpt(&root)
        );
    }
    // index.html links each feed's page.
    let index = page_dom(tmp, &base);
    for page in ["articles.html", "topics/energy/index.html"] {
        assert!(
            index.contains(&format!("<a href=\"{page}\">")),
            "index.html does not link {page}"
        );
    }

    screenshot(tmp, &url, "page-desktop.png", (1000, 1400), &[]);
    screenshot(tmp, &url, "page-phone.png", (390, 1400), &[]);
    let requests = server.requests();
    for image in ["/img/solar.svg", "/img/wind.svg"] {
        assert!(
            requests.iter().any(|r| r == image),
            "Chromium never loaded the lead image {image}; requests: {requests:?}"
        );
    }
}

#[test]
#[ignore = "needs chromium: run with `cargo test --test testsuite -- --ignored browser::`"]
fn feed_without_xslt_is_the_browsers_xml_viewer() {
    let (project, _server, base) = served_fixture();
    let tmp = project.path();
    let no_xslt = "--disable-features=XSLT,GenerateXSLTWarningBanner";
    let mut url = format!("{base}topics/energy/rss.xml");
    let mut dom =
        String::from_utf8_lossy(&run_chromium(tmp, &[no_xslt, "--dump-dom", &url]).stdout)
            .into_owned();
    if !is_xml_viewer(&dom) {
        // This Chromium ignores the switch: the same feed without its stylesheet reference is
        // what a browser without XSLT makes of it.
        eprintln!(
            "NOTE: {} applied XSLT despite {no_xslt}; opening the feed without its \
             <?xml-stylesheet?> instead",
            chromium_version()
        );
        let out = project.join("out");
        let rss = fs::read_to_string(out.join("topics/energy/rss.xml")).unwrap();
        let plain: String = rss
            .lines()
            .filter(|l| !l.starts_with("<?xml-stylesheet"))
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(out.join("topics/energy/plain.xml"), plain).unwrap();
        url = format!("{base}topics/energy/plain.xml");
        dom = dump_dom(tmp, &url);
    }
    assert!(
        is_xml_viewer(&dom),
        "without XSLT, {url} should be Chromium's XML viewer:\n{}",
        excerpt(&dom)
    );
    assert!(
        !dom.contains("This is a web feed"),
        "the stylesheet's page appeared without XSLT"
    );
    // What the viewer says above the tree, for the log.
    let notice = dom
        .split("<div class=\"header\">")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or("");
    eprintln!(
        "without XSLT, {} shows its XML viewer for {url}; its notice: {:?}",
        chromium_version(),
        strip_tags(notice)
    );
    screenshot(tmp, &url, "feed-no-xslt.png", (1000, 1000), &[no_xslt]);
}

/// The subscribe address `url` as Chromium's DOM shows it: a `<span>` for each piece up to
/// and including a `/` (the scheme's `//` in one), with a `<wbr>` between pieces.
fn subscribe_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("//").unwrap();
    let mut pieces = vec![format!("{scheme}//")];
    let mut rest = rest;
    while let Some(at) = rest.find('/') {
        pieces.push(rest[..=at].to_string());
        rest = &rest[at + 1..];
    }
    pieces.push(rest.to_string());
    let spans: Vec<String> = pieces.iter().map(|p| format!("<span>{p}</span>")).collect();
    format!("<code class=\"url\">{}</code>", spans.join("<wbr>"))
}

/// `html` without its tags, for a log line.
fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
