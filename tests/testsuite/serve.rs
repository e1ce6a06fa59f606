//! The preview server over a real loopback connection: raw HTTP/1.1 requests on a
//! `TcpStream`, against a server bound on a free port and built from a fixture folder.
#![cfg(feature = "serve")]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::harness::library::Preview;
use crate::harness::Project;

/// Every socket operation and every wait gives up after this: a bound on failing, never
/// reached on a loaded machine where all is well.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request (`Connection: close`) and reads the whole reply.
fn request(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    let mut raw = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
    raw.push_str("\r\n");
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete header block");
    let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
    let body = bytes[split + 4..].to_vec();
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
        .map(|l| {
            let (name, value) = l.split_once(':').unwrap();
            (name.trim().to_string(), value.trim().to_string())
        })
        .collect();
    Reply {
        status,
        headers,
        body,
    }
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, &[])
}

#[test]
fn serves_feeds_on_loopback_with_types_validators_and_conditional_requests() {
    let project = Project::fixture("fixtures/topics");
    let preview = Preview::start(project.path());
    let addr = preview.addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);

    for (path, content_type) in [
        ("/rss.xml", "application/xml; charset=utf-8"),
        ("/atom.xml", "application/xml; charset=utf-8"),
        ("/feed.xsl", "text/xsl; charset=utf-8"),
        ("/topics/alpha/rss.xml", "application/xml; charset=utf-8"),
        ("/topics/beta/atom.xml", "application/xml; charset=utf-8"),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
        assert!(!reply.body.is_empty(), "{path}");
        let length = reply.header("content-length").unwrap().parse::<usize>();
        assert_eq!(length, Ok(reply.body.len()), "{path}");
    }

    let rss = get(addr, "/rss.xml");
    assert!(rss.text().contains("<title>Story 4</title>"));
    let etag = rss.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"') && etag.ends_with('"') && etag.len() > 2);
    let modified = rss
        .header("last-modified")
        .expect("Last-Modified")
        .to_string();
    assert!(modified.ends_with(" GMT"), "{modified}");

    let cached = request(addr, "GET", "/rss.xml", &[("If-None-Match", &etag)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    assert_eq!(cached.header("etag"), Some(etag.as_str()));
    let cached = request(addr, "GET", "/rss.xml", &[("If-Modified-Since", &modified)]);
    assert_eq!(cached.status, 304);
    assert!(cached.body.is_empty());
    // If-None-Match wins over a matching If-Modified-Since.
    let other = request(
        addr,
        "GET",
        "/rss.xml",
        &[
            ("If-None-Match", "\"other\""),
            ("If-Modified-Since", &modified),
        ],
    );
    assert_eq!(other.status, 200);
    assert_eq!(other.body, rss.body);

    let head = request(addr, "HEAD", "/rss.xml", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    assert_eq!(head.header("last-modified"), Some(modified.as_str()));
    assert_eq!(
        head.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert_eq!(
        head.header("content-length"),
        Some(rss.body.len().to_string().as_str())
    );

    for path in [
        "/nope",
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/topics/../../Cargo.toml",
    ] {
        assert_eq!(get(addr, path).status, 404, "{path}");
    }
    let post = request(addr, "POST", "/rss.xml", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));

    // `/` is the build's index.html when it writes one, else a generated list; a folder
    // without an index.html gets the generated list of the files below it.
    let root = get(addr, "/");
    assert_eq!(root.status, 200);
    assert_eq!(
        root.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let index = get(addr, "/index.html");
    if index.status == 200 {
        assert_eq!(root.body, index.body);
    } else {
        for link in ["rss.xml", "feed.xsl", "topics/alpha/atom.xml"] {
            assert!(root.text().contains(&format!("href=\"{link}\"")), "{link}");
        }
    }
    let topics = get(addr, "/topics/");
    assert_eq!(topics.status, 200);
    assert_eq!(
        topics.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    for link in ["alpha/rss.xml", "alpha/atom.xml", "beta/rss.xml"] {
        assert!(
            topics.text().contains(&format!("href=\"{link}\"")),
            "{link}"
        );
    }
    let folder = get(addr, "/topics/alpha");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("location"), Some("/topics/alpha/"));

    preview.stop();
    assert!(
        TcpStream::connect_timeout(&addr, TIMEOUT).is_err(),
        "stopped: the port is closed"
    );
}

#[test]
fn an_edited_article_is_served_after_a_rebuild_and_other_topics_keep_their_etag() {
    let project = Project::fixture("fixtures/topics");
    let preview = Preview::start(project.path());
    let addr = preview.addr();
    let before = get(addr, "/rss.xml");
    let alpha = get(addr, "/topics/alpha/rss.xml");
    let beta = get(addr, "/topics/beta/rss.xml");
    assert!(before.text().contains("<title>Story 1</title>"));
    assert!(beta.text().contains("<title>Story 3</title>"));

    project.edit("articles/story-1.txt", |text| {
        text.replace("\"Story 1\"", "\"Story 1, revised\"")
    });

    let started = Instant::now();
    let after = loop {
        let reply = get(addr, "/rss.xml");
        if reply.text().contains("<title>Story 1, revised</title>") {
            break reply;
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "no rebuild within {TIMEOUT:?} of the edit"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_ne!(after.header("etag"), before.header("etag"));
    let alpha_after = get(addr, "/topics/alpha/rss.xml");
    assert!(alpha_after.text().contains("Story 1, revised"));
    assert_ne!(alpha_after.header("etag"), alpha.header("etag"));
    let beta_after = get(addr, "/topics/beta/rss.xml");
    assert_eq!(beta_after.header("etag"), beta.header("etag"));
    assert_eq!(
        beta_after.header("last-modified"),
        beta.header("last-modified")
    );
    assert_eq!(beta_after.body, beta.body);
    let revalidated = request(
        addr,
        "GET",
        "/topics/beta/rss.xml",
        &[("If-None-Match", beta.header("etag").unwrap())],
    );
    assert_eq!(revalidated.status, 304);

    // A reader holding the feed from before the edit gets the new one, by either validator.
    for validator in [
        ("If-None-Match", before.header("etag").unwrap()),
        ("If-Modified-Since", before.header("last-modified").unwrap()),
    ] {
        let stale = request(addr, "GET", "/rss.xml", &[validator]);
        assert_eq!(stale.status, 200, "{validator:?}");
        assert_eq!(stale.body, after.body, "{validator:?}");
    }

    preview.stop();
}

#[test]
fn conditional_requests_follow_the_validators() {
    let project = Project::fixture("fixtures/topics");
    let preview = Preview::start(project.path());
    let addr = preview.addr();
    let atom = get(addr, "/atom.xml");
    let etag = atom.header("etag").unwrap().to_string();
    let modified = atom.header("last-modified").unwrap().to_string();

    let weak = format!("W/{etag}");
    let listed = format!("\"nope\", {etag}");
    for headers in [
        vec![("If-None-Match", weak.as_str())],
        vec![("If-None-Match", listed.as_str())],
        vec![("If-None-Match", "*")],
        vec![("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT")],
    ] {
        let reply = request(addr, "GET", "/atom.xml", &headers);
        assert_eq!(reply.status, 304, "{headers:?}");
        assert!(reply.body.is_empty(), "{headers:?}");
        assert_eq!(reply.header("etag"), Some(etag.as_str()), "{headers:?}");
        assert_eq!(reply.header("last-modified"), Some(modified.as_str()));
        assert_eq!(reply.header("cache-control"), Some("no-cache"));
    }
    for headers in [
        vec![("If-None-Match", "\"nope\"")],
        vec![("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")],
        vec![("If-Modified-Since", "not a date")],
    ] {
        let reply = request(addr, "GET", "/atom.xml", &headers);
        assert_eq!(reply.status, 200, "{headers:?}");
        assert_eq!(reply.body, atom.body, "{headers:?}");
    }
    let head = request(addr, "HEAD", "/atom.xml", &[("If-None-Match", &etag)]);
    assert_eq!(head.status, 304);
    assert!(head.body.is_empty());

    // A generated listing revalidates by its tag.
    let topics = get(addr, "/topics/");
    let tag = topics.header("etag").expect("a listing has an ETag");
    assert_eq!(
        request(addr, "GET", "/topics/", &[("If-None-Match", tag)]).status,
        304
    );

    preview.stop();
}

/// `feedsmith serve --bind 127.0.0.1 --port 0`: the real binary on the address given and a
/// port the system picks. The serving line names the port it got, and so do the self links
/// (never port 0); Ctrl-C stops it with status 0.
#[cfg(unix)]
#[test]
fn the_binary_serves_on_the_address_given_with_self_links_on_the_bound_port() {
    use std::io::BufRead;
    use std::net::Ipv4Addr;
    use std::process::Stdio;
    use std::sync::mpsc;

    let project = Project::fixture("fixtures/topics");
    let mut command = project
        .cmd([
            "serve",
            "--input",
            "articles",
            "--bind",
            "127.0.0.1",
            "--port",
            "0",
        ])
        .into_command();
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Stderr line by line on a thread, so every wait below has a bound.
    let (lines, inbox) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines() {
            if lines.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    let next = || {
        inbox
            .recv_timeout(TIMEOUT)
            .expect("serve ended or said nothing")
    };
    let summary = next();
    assert!(summary.contains("4 articles read"), "{summary}");
    let serving = next();
    let url = serving
        .strip_prefix("feedsmith: serving ")
        .and_then(|rest| rest.strip_suffix(" (Ctrl-C to stop)"))
        .unwrap_or_else(|| panic!("{serving}"));
    let addr: SocketAddr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(addr.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(addr.port(), 0);

    let rss = get(addr, "/rss.xml");
    assert_eq!(rss.status, 200);
    let self_link = format!("href=\"{url}rss.xml\"");
    assert!(rss.text().contains(&self_link), "{}", rss.text());
    let index = get(addr, "/topics/alpha/atom.xml");
    assert!(index
        .text()
        .contains(&format!("{url}topics/alpha/atom.xml")));

    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert_eq!(next(), "feedsmith: stopped");
    assert!(child.wait().unwrap().success());
}
