//! WebSub publishing: `build --ping` and `feedsmith ping` against a real HTTP hub on
//! 127.0.0.1, a thread that records every request and answers as the test scripts. Every loop
//! of it is bounded in requests and time.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::harness::Project;

/// What the hub received in one request.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    method: String,
    path: String,
    /// Header names lowercased.
    headers: Vec<(String, String)>,
    body: String,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The form's pairs, decoded.
    fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.body.as_bytes())
            .into_owned()
            .collect()
    }

    /// The `hub.url` values, in the order sent.
    pub(crate) fn topics(&self) -> Vec<String> {
        self.form()
            .into_iter()
            .filter(|(k, _)| k == "hub.url")
            .map(|(_, v)| v)
            .collect()
    }
}

/// The most requests one hub serves, and the longest it lives.
const MAX_REQUESTS: usize = 20;
const LIFETIME: Duration = Duration::from_secs(300);
/// How long the hub waits for a request's bytes, and feedsmith for an answer: bounds on a
/// failure, so generous enough that a loaded machine never reaches them.
const PATIENCE: Duration = Duration::from_secs(60);

/// A scripted hub: the n-th request gets the n-th answer, and every one after the script
/// `204 No Content`.
pub(crate) struct Hub {
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Hub {
    pub(crate) fn start(script: &[(u16, &str)]) -> Hub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let script: Vec<(u16, String)> = script.iter().map(|(c, b)| (*c, b.to_string())).collect();
        let thread = {
            let requests = Arc::clone(&requests);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let deadline = Instant::now() + LIFETIME;
                let mut served = 0;
                while served < MAX_REQUESTS && Instant::now() < deadline {
                    if stop.load(Ordering::Relaxed) {
                        return;
                    }
                    match listener.accept() {
                        Ok((stream, _)) => {
                            let (code, body) =
                                script.get(served).cloned().unwrap_or((204, String::new()));
                            serve(stream, code, &body, &requests);
                            served += 1;
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                            std::thread::sleep(Duration::from_millis(5));
                        }
                        Err(e) => panic!("hub: accept: {e}"),
                    }
                }
            })
        };
        Hub {
            port,
            requests,
            stop,
            thread: Some(thread),
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hub", self.port)
    }

    /// The requests received so far (complete once the feedsmith run has ended: it waits
    /// for each answer, and a request is recorded before it is answered).
    pub(crate) fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Reads one request (bounded in size and time), records it in `requests`, and only then
/// answers `code` with `body`: the client cannot have the answer before the request is there
/// for the test to see.
fn serve(
    mut stream: TcpStream,
    code: u16,
    body: &str,
    requests: &Mutex<Vec<Request>>,
) -> Option<()> {
    stream.set_nonblocking(false).ok()?;
    stream.set_read_timeout(Some(PATIENCE)).ok()?;
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if bytes.len() > 64 * 1024 {
            return None;
        }
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        bytes.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next()?.split(' ');
    let method = start.next()?.to_string();
    let path = start.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
        .min(1024 * 1024);
    while bytes.len() < head_end + length {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
    requests.lock().unwrap().push(Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&bytes[head_end..]).into_owned(),
    });
    let answer = format!(
        "HTTP/1.1 {code} Scripted\r\nContent-Length: {}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(answer.as_bytes());
    let _ = stream.flush();
    Some(())
}

/// The topics fixture with `hubs` in its settings, small waits between retries, and no
/// proxy between it and the hub.
fn project(hubs: &[&Hub]) -> Project {
    let mut yaml = String::from("base_url: https://example.com/feeds/\n");
    match hubs {
        [] => {}
        [hub] => yaml.push_str(&format!("hub: {}\n", hub.url())),
        _ => {
            yaml.push_str("hub:\n");
            for hub in hubs {
                yaml.push_str(&format!("  - {}\n", hub.url()));
            }
        }
    }
    Project::fixture("fixtures/topics")
        .config(&yaml)
        .env("FEEDSMITH_PING_BACKOFF_MS", "10")
        .env(
            "FEEDSMITH_PING_TIMEOUT_MS",
            &PATIENCE.as_millis().to_string(),
        )
        .env("NO_PROXY", "127.0.0.1")
}

const BUILD: [&str; 6] = [
    "build", "--input", "articles", "--output", "feeds", "--ping",
];

/// The URL of each feed file, as the hub should get them.
fn urls(paths: &[&str]) -> Vec<String> {
    paths
        .iter()
        .map(|p| format!("https://example.com/feeds/{p}"))
        .collect()
}

const EVERY_FEED: [&str; 9] = [
    "atom.xml",
    "feed.json",
    "rss.xml",
    "topics/alpha/atom.xml",
    "topics/alpha/feed.json",
    "topics/alpha/rss.xml",
    "topics/beta/atom.xml",
    "topics/beta/feed.json",
    "topics/beta/rss.xml",
];

#[test]
fn build_ping_posts_every_changed_feed_as_a_form() {
    let hub = Hub::start(&[]);
    let project = project(&[&hub]);
    project.run(BUILD).status(0).stderr_line(&format!(
        "feedsmith: notified hub {} of 9 feeds (HTTP 204)",
        hub.url()
    ));
    let requests = hub.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/hub");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let expected = format!(
        "hub.mode=publish{}",
        EVERY_FEED
            .iter()
            .map(|p| format!(
                "&hub.url=https%3A%2F%2Fexample.com%2Ffeeds%2F{}",
                p.replace('/', "%2F")
            ))
            .collect::<String>()
    );
    assert_eq!(request.body, expected);
    assert_eq!(request.topics(), urls(&EVERY_FEED));
}

#[test]
fn a_second_build_with_no_change_notifies_nobody() {
    let hub = Hub::start(&[]);
    let project = project(&[&hub]);
    project.run(BUILD).status(0);
    project
        .run(BUILD)
        .status(0)
        .stderr_line("feedsmith: no feed changed; no hub was notified");
    assert_eq!(hub.requests().len(), 1);
}

#[test]
fn an_edit_notifies_only_the_feeds_that_hold_the_article() {
    let hub = Hub::start(&[]);
    let project = project(&[&hub]);
    project.run(BUILD).status(0);
    project.edit("articles/story-3.txt", |text| {
        text.replace("Story 3", "Story Three")
    });
    project.run(BUILD).status(0);
    let requests = hub.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[1].topics(),
        urls(&[
            "atom.xml",
            "feed.json",
            "rss.xml",
            "topics/beta/atom.xml",
            "topics/beta/feed.json",
            "topics/beta/rss.xml",
        ])
    );
}

#[test]
fn a_hub_answering_503_is_asked_again() {
    let hub = Hub::start(&[(503, "busy")]);
    let project = project(&[&hub]);
    project.run(BUILD).status(0).stderr_line(&format!(
        "feedsmith: notified hub {} of 9 feeds (HTTP 204)",
        hub.url()
    ));
    let requests = hub.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body);
}

#[test]
fn a_hub_still_failing_after_the_retries_gives_exit_3() {
    let hub = Hub::start(&[(503, "busy"), (502, "down"), (429, "slow down")]);
    let project = project(&[&hub]);
    project
        .run(BUILD)
        .status(3)
        .stderr_line(&format!(
            "feedsmith: error: hub {} did not take the notification: HTTP 429 Too Many Requests after 3 attempt(s): slow down",
            hub.url()
        ));
    assert_eq!(hub.requests().len(), 3);
}

#[test]
fn a_hub_that_refuses_gives_exit_3_and_the_feeds_stay_written() {
    let hub = Hub::start(&[(400, "hub.url\r\n   is not allowed here")]);
    let project = project(&[&hub]);
    project
        .run(BUILD)
        .status(3)
        .summary("feedsmith: 4 articles read: 4 published, 0 unpublished, 0 rejected; 15 files written, 0 unchanged")
        .stderr_line(&format!(
            "feedsmith: error: hub {} refused the notification: HTTP 400 Bad Request: hub.url is not allowed here",
            hub.url()
        ))
        .file("feeds/rss.xml", |rss| assert!(rss.contains("Story 1")))
        .file("feeds/topics/beta/feed.json", |_| ());
    assert_eq!(hub.requests().len(), 1, "a 4xx is not retried");
}

#[test]
fn every_hub_is_tried_when_one_refuses() {
    let refusing = Hub::start(&[(403, "")]);
    let taking = Hub::start(&[(202, "")]);
    let project = project(&[&refusing, &taking]);
    let run = project.run(BUILD).status(3);
    run.stderr_line(&format!(
        "feedsmith: error: hub {} refused the notification: HTTP 403 Forbidden",
        refusing.url()
    ))
    .stderr_line(&format!(
        "feedsmith: notified hub {} of 9 feeds (HTTP 202)",
        taking.url()
    ));
    assert_eq!(refusing.requests().len(), 1);
    assert_eq!(taking.requests().len(), 1);
}

#[test]
fn the_json_report_says_what_each_hub_answered() {
    let hub = Hub::start(&[(400, "no")]);
    let project = project(&[&hub]);
    let mut args = BUILD.to_vec();
    args.extend(["--report", "json"]);
    let json = project.run(args).status(3).stdout_json();
    assert_eq!(json["status"], 3);
    assert_eq!(json["websub"]["topics"].as_array().unwrap().len(), 9);
    assert_eq!(json["websub"]["hubs"][0]["hub"], hub.url());
    assert_eq!(json["websub"]["hubs"][0]["notified"], false);
    assert_eq!(json["websub"]["hubs"][0]["status"], 400);
}

#[test]
fn build_check_ping_sends_nothing() {
    let hub = Hub::start(&[]);
    let project = project(&[&hub]);
    let mut args = BUILD.to_vec();
    args.push("--check");
    project
        .run(args)
        .status(1)
        .stderr_line("feedsmith: dry run (--check); no hub was notified");
    assert!(hub.requests().is_empty());
}

#[test]
fn a_build_stopped_by_invalid_articles_sends_nothing() {
    let hub = Hub::start(&[]);
    let project = Project::fixture("fixtures/mixed-invalid")
        .config(&format!(
            "base_url: https://example.com/feeds/\nhub: {}\n",
            hub.url()
        ))
        .env("NO_PROXY", "127.0.0.1");
    project
        .run(BUILD)
        .status(1)
        .stderr_line("feedsmith: nothing was written; no hub was notified");
    assert!(hub.requests().is_empty());
}

#[test]
fn ping_without_a_hub_says_so_and_succeeds() {
    project(&[]).run(BUILD).status(0).stderr_line(
        "feedsmith: no hub is configured (`hub:` in the settings file); no hub was notified",
    );
}

#[test]
fn the_ping_command_notifies_every_published_feed() {
    let hub = Hub::start(&[]);
    let project = project(&[&hub]);
    project
        .run(["build", "--input", "articles", "--output", "feeds"])
        .status(0);
    assert!(hub.requests().is_empty(), "build without --ping pinged");
    project
        .run(["ping", "--output", "feeds"])
        .status(0)
        .stderr_line(&format!(
            "feedsmith: notified hub {} of 9 feeds (HTTP 204)",
            hub.url()
        ));
    let requests = hub.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].topics(), urls(&EVERY_FEED));
}

#[test]
fn the_ping_command_fails_without_a_hub_or_a_build() {
    project(&[])
        .run(["ping", "--output", "feeds"])
        .status(2)
        .stderr_line("feedsmith: error: no hub is configured: add `hub: https://…` to the settings file (see \"WebSub\" in docs/ci-and-hosting.md)");
    let hub = Hub::start(&[]);
    project(&[&hub])
        .run(["ping", "--output", "feeds"])
        .status(2);
    assert!(hub.requests().is_empty());
}
