//! The preview server's request handling, `serve::respond`, over a set of served files.
//!
//! Input, as text: the first line is `METHOD PATH`; each later line is a header
//! `name: value`, or `+path` to add a served file, or `-path` to take one of the standard
//! set away. Checked: no panic; the status is one `respond` documents; HEAD has no body and
//! the GET response's headers; a 200 body is exactly the file the decoded path names (or
//! `index.html` of a folder, or a generated listing); nothing outside the set is served; a
//! 301 points at the same path plus `/` and only for a folder of the set; a 304 only answers
//! a conditional request.
#![no_main]

use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use feedsmith::output::Status;
use feedsmith::render::File;
use feedsmith::serve::{respond, Files};
use feedsmith_fuzz::{is_web_url, tags, unescape};
use http::header::{HeaderName, HeaderValue, CONTENT_LENGTH, LOCATION};
use http::{HeaderMap, Method, StatusCode};
use libfuzzer_sys::fuzz_target;
use percent_encoding::percent_decode_str;

const STANDARD: &[&str] = &[
    "index.html",
    "feed.xsl",
    "feeds.opml",
    "_headers",
    "rss.xml",
    "atom.xml",
    "feed.json",
    "topics/ai/rss.xml",
    "topics/ai/atom.xml",
    "topics/ai/feed.json",
    "topics/a b/rss.xml",
    "topics/%41/rss.xml",
    "providers/the-register/rss.xml",
    "categories/news/index.html",
    "categories/news/atom.xml",
];

fn body_of(path: &str) -> Vec<u8> {
    format!("<file {path}>").into_bytes()
}

fn listing_prefix() -> &'static str {
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>feedsmith preview: /"
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let first = lines.next().unwrap_or("");
    let (method, target) = first.split_once(' ').unwrap_or((first, "/"));
    let Ok(method) = Method::from_bytes(method.as_bytes()) else {
        return;
    };
    // As the server calls it: the path of the request target, as `http` parsed it.
    let Ok(uri) = target.parse::<http::Uri>() else {
        return;
    };
    let path = uri.path();
    let mut paths: Vec<String> = STANDARD.iter().map(|s| s.to_string()).collect();
    let mut headers = HeaderMap::new();
    for line in lines {
        if let Some(p) = line.strip_prefix('+') {
            // Only paths as a build writes them: plain components joined by `/`. Others
            // ("x/", "./x", "a//b") name the same file as their plain form in the server,
            // which a model keyed by the raw text would wrongly count as two.
            if !p.is_empty() && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..") {
                paths.push(p.to_string());
            }
        } else if let Some(p) = line.strip_prefix('-') {
            paths.retain(|x| x != p);
        } else if let Some((name, value)) = line.split_once(':') {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.trim().as_bytes()),
                HeaderValue::from_bytes(value.trim_start().as_bytes()),
            ) else {
                continue;
            };
            headers.append(name, value);
        }
    }
    let build = paths.iter().map(|p| {
        let file = File {
            path: PathBuf::from(p),
            bytes: body_of(p),
        };
        (file, Status::Written)
    });
    let (files, _) =
        Files::default().update(build, UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let served: Vec<&str> = files.paths().collect();
    for key in &served {
        assert!(
            key.split('/')
                .all(|part| !part.is_empty() && part != "." && part != ".."),
            "a served key leaves the root: {key:?}"
        );
    }

    let response = respond(&files, &method, path, &headers);
    let status = response.status();
    let body = response.body();
    let is_head = method == Method::HEAD;
    let allowed = is_head || method == Method::GET;
    assert!(
        matches!(status.as_u16(), 200 | 301 | 304 | 404 | 405),
        "status {status}"
    );
    assert_eq!(
        status == StatusCode::METHOD_NOT_ALLOWED,
        !allowed,
        "{method} got {status}"
    );
    if !allowed {
        return;
    }
    if is_head {
        assert!(body.is_empty(), "HEAD with a body");
        let get = respond(&files, &Method::GET, path, &headers);
        assert_eq!(get.status(), status, "HEAD and GET differ");
        assert_eq!(
            get.headers(),
            response.headers(),
            "HEAD and GET headers differ"
        );
        return;
    }
    if let Some(length) = response.headers().get(CONTENT_LENGTH) {
        assert_eq!(
            length.to_str().unwrap(),
            body.len().to_string(),
            "Content-Length"
        );
    }
    let key = path
        .strip_prefix('/')
        .and_then(|k| percent_decode_str(k).decode_utf8().ok());
    match status.as_u16() {
        200 => {
            let key = key.expect("a 200 for a path that does not decode");
            let file = if key.is_empty() || key.ends_with('/') {
                format!("{key}index.html")
            } else {
                key.to_string()
            };
            if served.contains(&file.as_str()) {
                assert_eq!(
                    body.as_ref(),
                    body_of(&file).as_slice(),
                    "wrong bytes for {file}"
                );
            } else {
                assert!(
                    key.is_empty() || key.ends_with('/'),
                    "200 for {key:?} not served"
                );
                let html = std::str::from_utf8(body).expect("a UTF-8 listing");
                assert!(html.starts_with(listing_prefix()), "not a listing: {html}");
                let below: Vec<&&str> = served.iter().filter(|p| p.starts_with(&*key)).collect();
                assert!(
                    key.is_empty() || !below.is_empty(),
                    "a listing of nothing: {key:?}"
                );
                for tag in tags(html).unwrap_or_else(|e| panic!("listing: {e}\n{html}")) {
                    for (name, value) in &tag.attrs {
                        if name != "href" {
                            assert!(
                                matches!(
                                    (tag.name.as_str(), name.as_str()),
                                    ("html", "lang") | ("meta", "charset")
                                ),
                                "<{} {name}> in a listing",
                                tag.name
                            );
                            continue;
                        }
                        let href = unescape(value);
                        assert!(!is_web_url(&href) && !href.starts_with('/'), "{href:?}");
                        let target = percent_decode_str(&href).decode_utf8().unwrap();
                        let target = format!("{key}{target}");
                        assert!(
                            served.contains(&target.as_str()),
                            "a listing links {target:?}"
                        );
                    }
                }
            }
        }
        301 => {
            let key = key.expect("a 301 for a path that does not decode");
            let location = response.headers()[LOCATION].to_str().unwrap();
            assert_eq!(location, format!("{path}/"));
            assert!(
                !location.starts_with("//"),
                "a redirect off the site: {location}"
            );
            let dir = format!("{key}/");
            assert!(
                served.iter().any(|p| p.starts_with(&dir)),
                "a redirect to a folder that is not served: {dir:?}"
            );
        }
        304 => {
            assert!(body.is_empty());
            assert!(
                headers.contains_key("if-none-match") || headers.contains_key("if-modified-since"),
                "304 for an unconditional request"
            );
        }
        404 => assert_eq!(body.as_ref(), b"404 not found\n"),
        _ => unreachable!(),
    }
});
