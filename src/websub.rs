//! WebSub publishing: after a build, tell each hub which feeds changed, so that it fetches them
//! and pushes them to its subscribers (W3C WebSub; the feeds name the hubs as `rel="hub"`).
//!
//! The notification is the common convention hubs accept: a form-encoded `POST` of
//! `hub.mode=publish` and one `hub.url` per changed feed. A topic is a feed file (one of
//! [`FORMATS`]) at `base_url` + its path; the index page, OPML, stylesheet and pages are not
//! topics. [`after_build`] decides what a build's [`Report`] asks to send (or why nothing is
//! sent), [`published`] lists every feed an output folder holds, and a [`Publisher`] sends,
//! with a timeout and retries on the failures that may pass.
//!
//! Behind the `websub` cargo feature (on by default for the binary).

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use crate::error::Error;
use crate::output::MANIFEST;
use crate::paths::slashed;
use crate::render::FORMATS;
use crate::report::Report;
use crate::settings::Site;

/// How long and how often to try one hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Requests at most, the first included (at least 1 is made).
    pub attempts: u32,
    /// The wait before the second attempt; each later wait is twice the one before.
    pub backoff: Duration,
    /// One request's limit, from connecting to the last byte of the answer.
    pub timeout: Duration,
}

impl Default for Policy {
    /// 3 attempts, waiting 1 s then 2 s, each request limited to 10 s.
    fn default() -> Self {
        Policy {
            attempts: 3,
            backoff: Duration::from_secs(1),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Why a build notifies no hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Skip {
    /// A dry run (`build --check`) wrote nothing, so nothing changed for subscribers.
    DryRun,
    /// Invalid articles stopped the build before it wrote anything.
    Stopped,
    /// The settings name no hub.
    NoHub,
    /// The build wrote no feed file (other files may have changed).
    NothingChanged,
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Skip::DryRun => "dry run (--check); no hub was notified",
            Skip::Stopped => "nothing was written; no hub was notified",
            Skip::NoHub => {
                "no hub is configured (`hub:` in the settings file); no hub was notified"
            }
            Skip::NothingChanged => "no feed changed; no hub was notified",
        })
    }
}

/// The feed URLs a build should announce: those of the feed files it wrote, sorted, or why
/// none should be.
pub fn after_build(site: &Site, report: &Report, dry_run: bool) -> Result<Vec<String>, Skip> {
    if dry_run {
        return Err(Skip::DryRun);
    }
    if report.stopped {
        return Err(Skip::Stopped);
    }
    if site.hubs.is_empty() {
        return Err(Skip::NoHub);
    }
    let urls = topics(&site.base_url, &report.changed);
    if urls.is_empty() {
        return Err(Skip::NothingChanged);
    }
    Ok(urls)
}

/// The topic URLs of the feed files among `paths` (relative to the output folder): `base_url`
/// + the `/`-separated path, sorted and without repeats. Other files are left out.
pub fn topics(base_url: &str, paths: &[PathBuf]) -> Vec<String> {
    let mut urls: Vec<String> = paths
        .iter()
        .filter(|p| is_feed(p))
        .map(|p| format!("{base_url}{}", slashed(p)))
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// Every feed file the output folder holds, as its manifest (what feedsmith wrote there)
/// lists them, relative to the folder and sorted. An error when the folder has no manifest
/// or it names no feed: no build has written there.
pub fn published(output: &Path) -> Result<Vec<PathBuf>, Error> {
    let path = output.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "reading", e))?;
    let mut feeds: Vec<PathBuf> = text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .filter(|p| p.components().all(|c| matches!(c, Component::Normal(_))))
        .filter(|p| is_feed(p) && output.join(p).is_file())
        .collect();
    feeds.sort();
    if feeds.is_empty() {
        return Err(Error::config(
            Some(path),
            "lists no feed file: run `feedsmith build` first",
        ));
    }
    Ok(feeds)
}

/// True when the file is a feed (its name is one of [`FORMATS`]).
fn is_feed(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| FORMATS.iter().any(|f| f.file == name))
}

/// The request body: `hub.mode=publish` and one `hub.url` per topic, form-encoded.
pub fn form(topics: &[String]) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("hub.mode", "publish");
    for topic in topics {
        form.append_pair("hub.url", topic);
    }
    form.finish()
}

/// A hub that took the notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The hub's status code (2xx).
    pub status: u16,
    /// Requests it took.
    pub attempts: u32,
}

/// A hub that did not take the notification: it refused (a 3xx or a 4xx other than 429,
/// not retried), or it still failed after every attempt (a 5xx, a 429, or no answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The hub's URL.
    pub hub: String,
    /// Requests made.
    pub attempts: u32,
    /// The last answer's status code; `None` when the hub never answered.
    pub status: Option<u16>,
    /// The start of the hub's last answer on one line, or why there was none.
    pub answer: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hub = &self.hub;
        let answer = |f: &mut fmt::Formatter<'_>| {
            if self.answer.is_empty() {
                Ok(())
            } else {
                write!(f, ": {}", self.answer)
            }
        };
        match self.status {
            Some(code) => {
                let reason = ureq::http::StatusCode::from_u16(code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default();
                if retried(code) {
                    write!(
                        f,
                        "hub {hub} did not take the notification: HTTP {code}{reason} after {} attempt(s)",
                        self.attempts
                    )?;
                } else {
                    write!(f, "hub {hub} refused the notification: HTTP {code}{reason}")?;
                }
                answer(f)
            }
            None => {
                write!(
                    f,
                    "hub {hub} did not answer after {} attempt(s)",
                    self.attempts
                )?;
                answer(f)
            }
        }
    }
}

impl std::error::Error for Refusal {}

/// True for the answers worth asking again: the hub is overloaded or failing.
fn retried(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// How much of a hub's answer a message quotes.
const ANSWER_CHARS: usize = 200;

/// Sends publish notifications.
#[derive(Debug, Clone)]
pub struct Publisher {
    agent: ureq::Agent,
    policy: Policy,
}

impl Publisher {
    /// A publisher that tries each hub as `policy` says. Proxies are taken from the usual
    /// environment variables (`HTTPS_PROXY`, `NO_PROXY`, …).
    pub fn new(policy: Policy) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(policy.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(format!("feedsmith/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Publisher { agent, policy }
    }

    /// Tells `hub` that `topics` changed, retrying a 5xx, a 429 or no answer after the
    /// policy's backoff.
    pub fn notify(&self, hub: &str, topics: &[String]) -> Result<Delivery, Refusal> {
        let body = form(topics);
        let mut wait = self.policy.backoff;
        let attempts = self.policy.attempts.max(1);
        let mut attempt = 1;
        loop {
            let (status, answer) = match self.send(hub, &body) {
                Ok((status, _)) if (200..300).contains(&status) => {
                    return Ok(Delivery {
                        status,
                        attempts: attempt,
                    })
                }
                Ok((status, answer)) => (Some(status), answer),
                Err(why) => (None, why),
            };
            let again = status.is_none_or(retried);
            if !again || attempt >= attempts {
                return Err(Refusal {
                    hub: hub.to_string(),
                    attempts: attempt,
                    status,
                    answer,
                });
            }
            std::thread::sleep(wait);
            wait = wait.saturating_mul(2);
            attempt += 1;
        }
    }

    /// One request: the status and the start of the answer, or why there was none.
    fn send(&self, hub: &str, body: &str) -> Result<(u16, String), String> {
        let mut response = self
            .agent
            .post(hub)
            .content_type("application/x-www-form-urlencoded")
            .send(body)
            .map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        // The answer only goes into a message: a short, lossy read is enough, and a failure
        // to read it does not change what the status said.
        let _ = response
            .body_mut()
            .as_reader()
            .take(4 * ANSWER_CHARS as u64)
            .read_to_end(&mut bytes);
        Ok((response.status().as_u16(), one_line(&bytes)))
    }
}

/// The start of an answer: runs of whitespace and control characters folded to one space,
/// cut to [`ANSWER_CHARS`] characters.
fn one_line(bytes: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(ANSWER_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(hubs: &[&str]) -> Site {
        Site {
            base_url: "https://example.com/feeds/".into(),
            hubs: hubs.iter().map(|h| h.to_string()).collect(),
            ..Site::default()
        }
    }

    fn report(changed: &[&str]) -> Report {
        Report {
            changed: changed.iter().map(PathBuf::from).collect(),
            ..Report::default()
        }
    }

    #[test]
    fn only_feed_files_are_topics_sorted_and_once() {
        let paths = [
            "topics/b/rss.xml",
            "index.html",
            "feeds.opml",
            "feed.xsl",
            "topics/b/index.html",
            "rss.xml",
            "feed.json",
            "topics/a/atom.xml",
            "rss.xml",
        ]
        .map(PathBuf::from);
        assert_eq!(
            topics("https://example.com/feeds/", &paths),
            [
                "https://example.com/feeds/feed.json",
                "https://example.com/feeds/rss.xml",
                "https://example.com/feeds/topics/a/atom.xml",
                "https://example.com/feeds/topics/b/rss.xml",
            ]
        );
    }

    #[test]
    fn a_build_sends_nothing_when_dry_stopped_hubless_or_unchanged() {
        let hub = site(&["https://hub.example/"]);
        let wrote = report(&["rss.xml"]);
        assert_eq!(after_build(&hub, &wrote, true), Err(Skip::DryRun));
        let stopped = Report {
            stopped: true,
            ..report(&[])
        };
        assert_eq!(after_build(&hub, &stopped, false), Err(Skip::Stopped));
        assert_eq!(after_build(&site(&[]), &wrote, false), Err(Skip::NoHub));
        assert_eq!(
            after_build(&hub, &report(&["index.html", "feeds.opml"]), false),
            Err(Skip::NothingChanged)
        );
        assert_eq!(
            after_build(&hub, &wrote, false),
            Ok(vec!["https://example.com/feeds/rss.xml".to_string()])
        );
    }

    #[test]
    fn the_form_encodes_every_topic() {
        assert_eq!(
            form(&["https://example.com/a b/rss.xml?x=1&y".into()]),
            "hub.mode=publish&hub.url=https%3A%2F%2Fexample.com%2Fa+b%2Frss.xml%3Fx%3D1%26y"
        );
    }

    #[test]
    fn an_answer_is_quoted_on_one_short_line() {
        assert_eq!(one_line(b"  bad\r\n\trequest \x07 "), "bad request");
        let long = one_line("é".repeat(500).as_bytes());
        assert_eq!(long.chars().count(), ANSWER_CHARS + 1);
    }

    #[test]
    fn a_refusal_names_the_hub_the_status_and_the_answer() {
        let refusal = Refusal {
            hub: "https://hub.example/".into(),
            attempts: 1,
            status: Some(400),
            answer: "hub.url is not a valid URL".into(),
        };
        assert_eq!(
            refusal.to_string(),
            "hub https://hub.example/ refused the notification: HTTP 400 Bad Request: hub.url is not a valid URL"
        );
        let down = Refusal {
            status: Some(503),
            attempts: 3,
            answer: String::new(),
            ..refusal.clone()
        };
        assert_eq!(
            down.to_string(),
            "hub https://hub.example/ did not take the notification: HTTP 503 Service Unavailable after 3 attempt(s)"
        );
    }

    #[test]
    fn published_lists_the_feeds_the_manifest_names_and_that_exist() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("topics/a")).unwrap();
        for f in ["rss.xml", "index.html", "topics/a/atom.xml"] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        std::fs::write(
            root.join(MANIFEST),
            "# feedsmith\nrss.xml\nindex.html\ntopics/a/atom.xml\ngone/rss.xml\n../rss.xml\n",
        )
        .unwrap();
        assert_eq!(
            published(root).unwrap(),
            [PathBuf::from("rss.xml"), PathBuf::from("topics/a/atom.xml")]
        );
        std::fs::write(root.join(MANIFEST), "index.html\n").unwrap();
        assert!(published(root).is_err());
    }
}
