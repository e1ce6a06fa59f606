//! `feedsmith deploy` and `build --deploy` (feature `deploy`) against a real S3 server on
//! 127.0.0.1: moto's server mode, started by each test on a free port and stopped when the
//! test ends. Every request the server gets is in its log, which is how the tests count them
//! and know they are not counted by the code under test alone. The objects are read back with
//! plain HTTP, not through the client feedsmith uses. `file:///` targets need no server.
//!
//! The server is `moto_server` (`pip install 'moto[server]'`); without it these tests fail
//! and say so. `.ci/run` installs it.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::Project;

/// A secret no output may ever show.
const SECRET: &str = "Sekr3t-feedsmith-d3ploy-never-printed";
/// The bucket each test deploys to.
const BUCKET: &str = "site";
/// The target of each test: a prefix in the bucket.
const TARGET: &str = "s3://site/feeds";
/// The test's own requests' signature, which moto does not check unless asked to.
const OWNER: &str = "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0";
/// How long the server may take to start, and a request to answer.
const PATIENCE: Duration = Duration::from_secs(60);

/// A moto S3 server on a free loopback port, killed when dropped; its log (one line per
/// request) in a temp file.
struct S3 {
    port: u16,
    child: Child,
    log: tempfile::NamedTempFile,
}

impl S3 {
    /// Starts the server and waits until it answers; `auth` makes it check credentials.
    fn start(auth: bool) -> S3 {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let log = tempfile::NamedTempFile::new().unwrap();
        let server = |program: &str, first: &[&str]| {
            let mut command = Command::new(program);
            command
                .args(first)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(log.reopen().unwrap());
            if auth {
                // moto checks the signature and the key of every request after this many.
                command.env("INITIAL_NO_AUTH_ACTION_COUNT", "0");
            }
            command.spawn()
        };
        // `moto_server`, or the module when pip put no script on the PATH.
        let child = server("moto_server", &[])
            .or_else(|_| server("python3", &["-m", "moto.server"]))
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start moto_server ({e}): the deploy tests need moto's S3 server; install it with `pip install 'moto[server]'`"
                )
            });
        let mut server = S3 { port, child, log };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                panic!(
                    "moto_server exited ({status}) before answering: install it with `pip install 'moto[server]'`; its log:\n{}",
                    server.log_text()
                );
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// A server with the bucket made.
    fn with_bucket() -> S3 {
        let s3 = S3::start(false);
        assert_eq!(s3.http("PUT", &format!("/{BUCKET}"), b"").status, 200);
        s3
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// The requests logged so far whose method is `method`, as `METHOD /path`, from the
    /// `n`-th logged request on.
    fn logged(&self, from: usize) -> Vec<String> {
        self.log_text()
            .lines()
            .filter_map(|l| {
                let start = l.find('"')? + 1;
                let request = &l[start..];
                let end = request.find(" HTTP/")?;
                Some(request[..end].to_string())
            })
            .skip(from)
            .collect()
    }

    /// One plain HTTP/1.1 request, as from an owner of the bucket: moto takes any signature
    /// unless it checks auth, but serves no object to an anonymous request.
    fn http(&self, method: &str, path: &str, body: &[u8]) -> Answer {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: {OWNER}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("an HTTP answer");
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Answer {
            status,
            headers,
            body: bytes[split + 4..].to_vec(),
        }
    }

    /// `HEAD` of the object at `path` below the target's prefix.
    fn head(&self, path: &str) -> Answer {
        self.http("HEAD", &format!("/{BUCKET}/feeds/{path}"), b"")
    }

    /// Every key in the bucket.
    fn keys(&self) -> BTreeSet<String> {
        let answer = self.http("GET", &format!("/{BUCKET}?list-type=2&max-keys=1000"), b"");
        assert_eq!(answer.status, 200);
        let xml = String::from_utf8(answer.body).unwrap();
        xml.split("<Key>")
            .skip(1)
            .map(|s| s.split("</Key>").next().unwrap().to_string())
            .collect()
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server's answer.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The topics fixture (Alpha: stories 1 and 2, Beta: 3 and 4), built, with the environment
/// a deploy to `s3` reads.
fn project(s3: &S3) -> Project {
    let project = Project::fixture("fixtures/topics")
        .config("base_url: https://example.com/feeds/\nmax_age: 600\n")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env("AWS_ENDPOINT_URL", &s3.endpoint())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ALLOW_HTTP", "true")
        .env("FEEDSMITH_DEPLOY_BACKOFF_MS", "10")
        .env("FEEDSMITH_DEPLOY_RETRIES", "2")
        .env("NO_PROXY", "127.0.0.1");
    build(&project);
    project
}

/// Builds the project; the files the build changed (those a deploy should upload).
fn build(project: &Project) -> BTreeSet<String> {
    let run = project
        .run([
            "build",
            "--input",
            "articles",
            "--output",
            "feeds",
            "--allow-removals",
            "--report",
            "json",
        ])
        .status(0);
    strings(&run.stdout_json()["changed"])
        .into_iter()
        .filter(|p| p != "_headers")
        .collect()
}

/// `feedsmith deploy TARGET --output feeds --report json EXTRA`, its status and report.
fn deploy(project: &Project, extra: &[&str], status: i32) -> (serde_json::Value, String) {
    let mut args = vec![
        "deploy", TARGET, "--output", "feeds", "--report", "json", "-v",
    ];
    args.extend_from_slice(extra);
    let run = project.run(&args).status(status);
    assert_no_secret(&run.stdout_text(), &run.stderr_text());
    let json = run.stdout_json();
    (json, run.stderr_text())
}

fn assert_no_secret(stdout: &str, stderr: &str) {
    assert!(
        !stdout.contains(SECRET),
        "the secret is on stdout:\n{stdout}"
    );
    assert!(
        !stderr.contains(SECRET),
        "the secret is on stderr:\n{stderr}"
    );
}

fn strings(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {value}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The files the output folder's manifest lists, as a deploy uploads them.
fn published(project: &Project) -> BTreeSet<String> {
    project
        .read("feeds/.feedsmith-manifest")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty() && *l != "_headers")
        .map(str::to_string)
        .collect()
}

#[test]
fn a_first_deploy_uploads_every_file_with_its_type_and_cache_policy_feeds_first() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    let before = s3.logged(0).len();
    let (json, _) = deploy(&project, &[], 0);
    let uploaded = strings(&json["deploy"]["uploaded"]);
    assert_eq!(
        uploaded.iter().cloned().collect::<BTreeSet<_>>(),
        published(&project)
    );
    // Feeds before pages, the index page and the OPML list last.
    let position = |p: &str| uploaded.iter().position(|u| u == p).unwrap();
    assert!(position("topics/alpha/rss.xml") < position("topics/alpha/index.html"));
    assert!(position("topics/beta/index.html") < position("index.html"));
    assert!(position("rss.xml") < position("feeds.opml"));
    // The server saw one GET (the manifest), then PUTs: the manifest marking every file
    // pending, every file and the manifest; no listing, no deletion.
    let logged = s3.logged(before);
    assert_eq!(logged.iter().filter(|r| r.starts_with("GET ")).count(), 1);
    assert_eq!(
        logged.iter().filter(|r| r.starts_with("PUT ")).count(),
        uploaded.len() + 2
    );
    assert_eq!(json["deploy"]["requests"]["put"], uploaded.len() + 2);
    // Every kind of file is read back with its type and cache policy.
    for (path, kind) in [
        ("rss.xml", "application/xml; charset=utf-8"),
        ("atom.xml", "application/xml; charset=utf-8"),
        ("feed.json", "application/feed+json; charset=utf-8"),
        ("topics/beta/rss.xml", "application/xml; charset=utf-8"),
        ("topics/beta/index.html", "text/html; charset=utf-8"),
        ("index.html", "text/html; charset=utf-8"),
        ("feeds.opml", "text/x-opml; charset=utf-8"),
        ("feed.xsl", "text/xsl; charset=utf-8"),
    ] {
        let head = s3.head(path);
        assert_eq!(head.status, 200, "{path}");
        assert_eq!(head.header("content-type"), Some(kind), "{path}");
        assert_eq!(
            head.header("cache-control"),
            Some("public, max-age=600"),
            "{path}"
        );
    }
    // The bytes are the built file's.
    let got = s3.http("GET", "/site/feeds/topics/alpha/atom.xml", b"");
    assert_eq!(got.body, project.bytes("feeds/topics/alpha/atom.xml"));
    assert!(s3.keys().contains("feeds/.feedsmith-deploy.json"));
}

#[test]
fn a_deploy_with_nothing_changed_makes_one_request() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    deploy(&project, &[], 0);
    let before = s3.logged(0).len();
    let (json, stderr) = deploy(&project, &[], 0);
    assert_eq!(
        s3.logged(before),
        ["GET /site/feeds/.feedsmith-deploy.json"]
    );
    assert_eq!(json["deploy"]["uploaded"], serde_json::json!([]));
    assert_eq!(json["deploy"]["deleted"], serde_json::json!([]));
    assert_eq!(
        json["deploy"]["requests"],
        serde_json::json!({"delete": 0, "get": 1, "put": 0})
    );
    assert!(stderr.contains("uploaded 0 files, deleted 0"), "{stderr}");
}

#[test]
fn one_changed_article_uploads_exactly_the_files_it_changed() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    deploy(&project, &[], 0);
    project.edit("articles/story-3.txt", |t| {
        t.replace("Body of story 3.", "A corrected body of story 3.")
    });
    let changed = build(&project);
    assert!(changed.contains("topics/beta/rss.xml"), "{changed:?}");
    assert!(!changed.contains("topics/alpha/rss.xml"), "{changed:?}");
    let before = s3.logged(0).len();
    let (json, _) = deploy(&project, &[], 0);
    let uploaded: BTreeSet<String> = strings(&json["deploy"]["uploaded"]).into_iter().collect();
    assert_eq!(uploaded, changed);
    // The files, and the manifest before (marking them pending) and after.
    let puts = s3
        .logged(before)
        .into_iter()
        .filter(|r| r.starts_with("PUT "))
        .count();
    assert_eq!(puts, changed.len() + 2);
}

#[test]
fn a_removed_topic_is_deleted_and_a_foreign_object_is_left_alone() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    assert_eq!(
        s3.http("PUT", "/site/feeds/topics/alpha/notes.txt", b"mine")
            .status,
        200
    );
    assert_eq!(
        s3.http("PUT", "/site/feeds/robots.txt", b"mine").status,
        200
    );
    deploy(&project, &[], 0);
    project.remove("articles/story-1.txt");
    project.remove("articles/story-2.txt");
    build(&project);
    // A dry run lists the deletions and changes nothing.
    let keys = s3.keys();
    let (dry, stderr) = deploy(&project, &["--dry-run"], 0);
    assert_eq!(s3.keys(), keys);
    assert!(
        stderr.contains("would delete topics/alpha/rss.xml"),
        "{stderr}"
    );
    assert_eq!(dry["deploy"]["dry_run"], true);
    assert_eq!(dry["deploy"]["requests"]["put"], 0);
    let (json, _) = deploy(&project, &[], 0);
    assert_eq!(json["deploy"]["deleted"], dry["deploy"]["deleted"]);
    assert_eq!(
        strings(&json["deploy"]["deleted"]),
        [
            "topics/alpha/atom.xml",
            "topics/alpha/feed.json",
            "topics/alpha/index.html",
            "topics/alpha/rss.xml",
        ]
    );
    let keys = s3.keys();
    assert!(!keys.contains("feeds/topics/alpha/rss.xml"), "{keys:?}");
    assert!(keys.contains("feeds/topics/alpha/notes.txt"), "{keys:?}");
    assert!(keys.contains("feeds/robots.txt"), "{keys:?}");
    assert!(keys.contains("feeds/topics/beta/rss.xml"), "{keys:?}");
    // The manifest forgets what was deleted: the next deploy has nothing to do.
    let (again, _) = deploy(&project, &[], 0);
    assert_eq!(again["deploy"]["requests"]["put"], 0);
    assert_eq!(again["deploy"]["requests"]["delete"], 0);
}

#[test]
fn a_deploy_stopped_midway_is_completed_by_the_next() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    let run = project
        .cmd(["deploy", TARGET, "--output", "feeds"])
        .env("FEEDSMITH_DEPLOY_STOP_AFTER", "3")
        .run()
        .status(2);
    assert!(run.stderr_text().contains("stopped after 3 uploads"));
    assert_no_secret(&run.stdout_text(), &run.stderr_text());
    // The paths were marked pending, three files went up, no index page yet.
    assert_eq!(s3.head("index.html").status, 404);
    let (json, _) = deploy(&project, &[], 0);
    assert_eq!(
        strings(&json["deploy"]["uploaded"]).len(),
        published(&project).len()
    );
    for path in published(&project) {
        assert_eq!(s3.head(&path).status, 200, "{path}");
    }
    // A stop between the uploads of a removal: the removed topic is still deleted later.
    project.remove("articles/story-1.txt");
    project.remove("articles/story-2.txt");
    build(&project);
    project
        .cmd(["deploy", TARGET, "--output", "feeds"])
        .env("FEEDSMITH_DEPLOY_STOP_AFTER", "1")
        .run()
        .status(2);
    let (json, _) = deploy(&project, &[], 0);
    assert_eq!(strings(&json["deploy"]["deleted"]).len(), 4);
    assert_eq!(s3.head("topics/alpha/rss.xml").status, 404);
}

#[test]
fn a_file_stopped_mid_upload_then_reverted_is_uploaded_again() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    deploy(&project, &[], 0);
    let original = project.read("articles/story-3.txt");
    project.edit("articles/story-3.txt", |t| {
        t.replace("Body of story 3.", "A wrong body of story 3.")
    });
    build(&project);
    // Every feed of the wrong version goes up, then the deploy stops before the manifest.
    let wrong = project.bytes("feeds/topics/beta/rss.xml");
    project
        .cmd(["deploy", TARGET, "--output", "feeds"])
        .env("FEEDSMITH_DEPLOY_STOP_AFTER", "6")
        .run()
        .status(2);
    assert_eq!(
        s3.http("GET", "/site/feeds/topics/beta/rss.xml", b"").body,
        wrong
    );
    // Back to the version the manifest recorded: the target must get it back too.
    project.write("articles/story-3.txt", original);
    build(&project);
    deploy(&project, &[], 0);
    assert_eq!(
        s3.http("GET", "/site/feeds/topics/beta/rss.xml", b"").body,
        project.bytes("feeds/topics/beta/rss.xml")
    );
}

#[test]
fn a_bucket_that_does_not_exist_is_a_clear_error_with_status_2() {
    let s3 = S3::start(false);
    let project = project(&s3);
    let run = project
        .run(["deploy", "s3://no-such-bucket/feeds", "--output", "feeds"])
        .status(2);
    let stderr = run.stderr_text();
    assert!(
        stderr.contains("deploying to s3://no-such-bucket/feeds"),
        "{stderr}"
    );
    assert!(stderr.contains("bucket"), "{stderr}");
    assert!(stderr.contains("create it"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_no_secret(&run.stdout_text(), &stderr);
    let json = project
        .run([
            "deploy",
            "s3://no-such-bucket/feeds",
            "--output",
            "feeds",
            "--report",
            "json",
        ])
        .status(2)
        .stdout_json();
    assert_eq!(json["status"], 2);
}

#[test]
fn wrong_credentials_are_refused_with_a_clear_error_and_never_printed() {
    let s3 = S3::start(true);
    let project = project(&s3);
    let run = project
        .run([
            "deploy", TARGET, "--output", "feeds", "-v", "--report", "json",
        ])
        .status(2);
    let stderr = run.stderr_text();
    assert!(stderr.contains("deploying to s3://site/feeds"), "{stderr}");
    assert!(stderr.contains("AWS_SECRET_ACCESS_KEY"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_no_secret(&run.stdout_text(), &stderr);
}

#[test]
fn build_deploy_builds_then_deploys_and_pings_only_when_feeds_changed() {
    let s3 = S3::with_bucket();
    let project = project(&s3);
    let run = project
        .run([
            "build", "--input", "articles", "--output", "feeds", "--deploy", TARGET, "--report",
            "json",
        ])
        .status(0);
    assert_no_secret(&run.stdout_text(), &run.stderr_text());
    let json = run.stdout_json();
    assert_eq!(json["command"], "build");
    // The project was built before: the deploy uploads everything, the build wrote nothing.
    assert_eq!(json["changed"], serde_json::json!([]));
    assert_eq!(
        strings(&json["deploy"]["uploaded"]).len(),
        published(&project).len()
    );
    // --ping with no hub says why none was told, after the deploy.
    let run = project
        .run([
            "build", "--input", "articles", "--output", "feeds", "--deploy", TARGET, "--ping",
        ])
        .status(0);
    assert!(
        run.stderr_text().contains("no hub is configured"),
        "{}",
        run.stderr_text()
    );
}

#[test]
fn a_file_target_mirrors_the_output_folder_without_a_server() {
    let project =
        Project::fixture("fixtures/topics").config("base_url: https://example.com/feeds/\n");
    build(&project);
    let mirror = project.join("mirror");
    let target = format!("file://{}", mirror.display());
    let run = project
        .run(["deploy", &target, "--output", "feeds", "--report", "json"])
        .status(0);
    let json = run.stdout_json();
    for path in published(&project) {
        assert_eq!(
            std::fs::read(mirror.join(&path)).unwrap(),
            project.bytes(&format!("feeds/{path}")),
            "{path}"
        );
    }
    assert!(mirror.join(".feedsmith-deploy.json").is_file());
    assert!(!mirror.join("_headers").exists());
    assert_eq!(
        json["deploy"]["uploaded"].as_array().unwrap().len(),
        published(&project).len()
    );
    let again = project
        .run(["deploy", &target, "--output", "feeds", "--report", "json"])
        .status(0)
        .stdout_json();
    assert_eq!(again["deploy"]["requests"]["put"], 0);
}

#[test]
fn deploying_a_folder_no_build_wrote_says_to_build_first() {
    let project = Project::empty().config("base_url: https://example.com/feeds/\n");
    let target = format!("file://{}", project.join("mirror").display());
    let run = project
        .run(["deploy", &target, "--output", "feeds"])
        .status(2);
    assert!(
        run.stderr_text().contains("run `feedsmith build` first"),
        "{}",
        run.stderr_text()
    );
}

#[cfg(feature = "websub")]
#[test]
fn deploy_ping_notifies_the_hub_after_the_deploy_of_only_the_feeds_whose_objects_changed() {
    use crate::websub::Hub;
    let s3 = S3::with_bucket();
    let hub = Hub::start(&[]);
    let project = project(&s3);
    project.write(
        "feedsmith.yaml",
        format!(
            "base_url: https://example.com/feeds/\nmax_age: 600\nhub: {}\n",
            hub.url()
        ),
    );
    build(&project);
    deploy(&project, &[], 0);
    project.edit("articles/story-3.txt", |t| {
        t.replace("Body of story 3.", "A corrected body of story 3.")
    });
    build(&project);
    let (json, _) = deploy(&project, &["--ping"], 0);
    let requests = hub.requests();
    assert_eq!(requests.len(), 1);
    let expected: Vec<String> = [
        "atom.xml",
        "feed.json",
        "rss.xml",
        "topics/beta/atom.xml",
        "topics/beta/feed.json",
        "topics/beta/rss.xml",
    ]
    .iter()
    .map(|p| format!("https://example.com/feeds/{p}"))
    .collect();
    assert_eq!(requests[0].topics(), expected);
    assert_eq!(json["websub"]["hubs"][0]["notified"], true);
    // Nothing changed in the target: no hub is told.
    let (json, stderr) = deploy(&project, &["--ping"], 0);
    assert_eq!(hub.requests().len(), 1);
    assert!(stderr.contains("no feed changed"), "{stderr}");
    assert!(json["websub"]["skipped"].is_string());
}

/// A store that answers `failures` requests with `status` (a 503 or a 429), then as an
/// empty bucket would (no manifest yet, every upload taken), recording each request as
/// `METHOD /path`. Keep-alive connections are served in turn.
struct Flaky {
    port: u16,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Flaky {
    fn start(failures: usize, status: u16) -> Flaky {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = std::sync::Arc::clone(&requests);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(200) {
                let Ok(stream) = stream else { return };
                let seen = std::sync::Arc::clone(&seen);
                std::thread::spawn(move || serve_flaky(stream, &seen, failures, status));
            }
        });
        Flaky { port, requests }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Serves one connection's requests, as [`Flaky`] says.
fn serve_flaky(
    mut stream: TcpStream,
    seen: &std::sync::Mutex<Vec<String>>,
    failures: usize,
    status: u16,
) {
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 16384];
    loop {
        let head_end = loop {
            if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
        let length: usize = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse().ok())
            .unwrap_or(0);
        while buffer.len() < head_end + length {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        buffer.drain(..head_end + length);
        let line: Vec<&str> = head.lines().next().unwrap_or("").split(' ').collect();
        let request = format!("{} {}", line[0], line.get(1).unwrap_or(&""));
        let n = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len()
        };
        let (code, body, extra) = if n <= failures {
            (
                status,
                "<Error><Code>SlowDown</Code></Error>".to_string(),
                "",
            )
        } else if request.starts_with("GET ") {
            (
                404,
                "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>"
                    .to_string(),
                "",
            )
        } else {
            (200, String::new(), "ETag: \"0\"\r\n")
        };
        let answer = format!(
            "HTTP/1.1 {code} Scripted\r\nContent-Length: {}\r\nContent-Type: application/xml\r\n{extra}\r\n{body}",
            body.len()
        );
        if stream.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

/// The topics fixture, built, with `store` as its S3 endpoint.
fn flaky_project(store: &Flaky) -> Project {
    let project = Project::fixture("fixtures/topics")
        .config("base_url: https://example.com/feeds/\n")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", SECRET)
        .env(
            "AWS_ENDPOINT_URL",
            &format!("http://127.0.0.1:{}", store.port),
        )
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ALLOW_HTTP", "true")
        .env("FEEDSMITH_DEPLOY_BACKOFF_MS", "10")
        .env("FEEDSMITH_DEPLOY_RETRIES", "2")
        .env("NO_PROXY", "127.0.0.1");
    build(&project);
    project
}

#[test]
fn a_503_or_a_429_is_asked_again_and_the_deploy_completes() {
    for status in [503, 429] {
        let store = Flaky::start(2, status);
        let project = flaky_project(&store);
        let (json, _) = deploy(&project, &[], 0);
        let requests = store.requests();
        // The manifest asked for three times (two answers of `status`, then a 404).
        assert_eq!(
            requests[..3],
            ["GET /site/feeds/.feedsmith-deploy.json"; 3],
            "{status}: {requests:?}"
        );
        assert_eq!(
            strings(&json["deploy"]["uploaded"]).len(),
            published(&project).len()
        );
    }
}

#[test]
fn a_store_that_keeps_failing_ends_the_deploy_with_status_2_after_the_retries() {
    let store = Flaky::start(usize::MAX, 503);
    let project = flaky_project(&store);
    let run = project
        .run(["deploy", TARGET, "--output", "feeds"])
        .status(2);
    let stderr = run.stderr_text();
    assert!(stderr.contains("deploying to s3://site/feeds"), "{stderr}");
    assert!(stderr.contains("after retries"), "{stderr}");
    assert!(stderr.contains("deploy again"), "{stderr}");
    assert_no_secret(&run.stdout_text(), &stderr);
    // The first attempt and two retries (FEEDSMITH_DEPLOY_RETRIES=2), nothing after.
    assert_eq!(store.requests().len(), 3, "{:?}", store.requests());
}
