//! The whole HTTP behaviour as a pure function of the served files and the request:
//! methods, paths, content types, validators and conditional GET.
//!
//! Validators and preconditions are the `headers` crate's typed headers; percent decoding
//! is `percent-encoding`'s; content types are the build's own table,
//! [`crate::render::index::content_type`].

use std::time::SystemTime;

use axum::body::Bytes;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, Response, StatusCode};
use headers::LastModified;
use headers::{CacheControl, ContentLength, ETag, HeaderMapExt, IfModifiedSince, IfNoneMatch};
use percent_encoding::{percent_decode_str, utf8_percent_encode, CONTROLS};

use super::files::{etag, Files, Served};
use super::listing::Listing;
use crate::render::index;

/// The `Content-Type` for a path: for the files feedsmith writes, the one its `_headers`
/// file gives ([`index::content_type`]: feeds are `application/xml`, so browsers apply the
/// stylesheet and readers still take them as feeds). `_headers` itself, which that table
/// leaves out so the file does not list itself, is plain text; anything else is bytes.
pub fn content_type(path: &str) -> &'static str {
    match index::content_type(path) {
        Some(known) => known,
        None if path == index::HEADERS => "text/plain; charset=utf-8",
        None => "application/octet-stream",
    }
}

/// Answers one request from `files`, as [`respond_with`] does with the shipped templates.
pub fn respond(files: &Files, method: &Method, path: &str, headers: &HeaderMap) -> Response<Bytes> {
    respond_with(files, &Listing::default(), method, path, headers)
}

/// Answers one request from `files`, folder pages made with `listing`. `path` is the request
/// target's path (no query), as sent: percent-encoded, starting with `/`.
///
/// * `GET` and `HEAD` only (anything else is `405` with `Allow: GET, HEAD`); a `HEAD`
///   response has the `GET` response's headers, `Content-Length` included, and no body.
/// * A file is `200` with its `Content-Type` (see [`content_type`]), a strong `ETag`,
///   `Last-Modified` and `Cache-Control: no-cache`; `If-None-Match` (weak comparison, `*`
///   allowed) or, only when that header is absent, `If-Modified-Since` can make it `304`
///   with no body.
/// * `/` and any `dir/` serve `index.html` there, else a generated HTML list of the files
///   below (`500` with the template's error, should the theme's `listing.html` fail); `dir`
///   without the slash redirects (`301`) to `dir/`.
/// * Anything else is `404`. Paths are looked up in `files` only, so `..` reaches nothing.
pub fn respond_with(
    files: &Files,
    listing: &Listing,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Response<Bytes> {
    let head = *method == Method::HEAD;
    if !head && *method != Method::GET {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let mut response = match path.strip_prefix('/').map(percent_decode_str) {
        Some(key) => match key.decode_utf8() {
            Ok(key) => lookup(files, listing, &key, path, headers),
            Err(_) => not_found(),
        },
        None => not_found(),
    };
    // For `HEAD`: the same headers (`Content-Length` included), no body.
    if head {
        *response.body_mut() = Bytes::new();
    }
    response
}

/// The response for `key`, the decoded request path without its leading `/`.
fn lookup(
    files: &Files,
    listing: &Listing,
    key: &str,
    path: &str,
    headers: &HeaderMap,
) -> Response<Bytes> {
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}{}", index::INDEX);
        if let Some(file) = files.get(&index) {
            serve(file, &index, headers)
        } else if key.is_empty() || files.paths().any(|p| p.starts_with(key)) {
            match listing.html(files, key) {
                Ok(html) => {
                    let html = Bytes::from(html);
                    let tag = etag(&html);
                    send(html, &tag, None, content_type(index::INDEX), headers)
                }
                Err(e) => {
                    let mut response = plain(StatusCode::INTERNAL_SERVER_ERROR, "");
                    *response.body_mut() = Bytes::from(format!("500 {e}\n"));
                    body_headers(&mut response, "text/plain; charset=utf-8");
                    response
                }
            }
        } else {
            not_found()
        }
    } else if let Some(file) = files.get(key) {
        serve(file, key, headers)
    } else if files.paths().any(|p| {
        p.strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
    }) {
        // Percent-encoded, so any path a request can carry makes a valid Location: a 301
        // without one would strand the client (found by the serve fuzz target).
        let location = format!("{}/", utf8_percent_encode(path, CONTROLS));
        match HeaderValue::from_str(&location) {
            Ok(location) => {
                let mut response = plain(StatusCode::MOVED_PERMANENTLY, "301 moved permanently\n");
                response.headers_mut().insert(header::LOCATION, location);
                response
            }
            Err(_) => not_found(),
        }
    } else {
        not_found()
    }
}

fn serve(file: &Served, path: &str, headers: &HeaderMap) -> Response<Bytes> {
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
    etag: &ETag,
    modified: Option<SystemTime>,
    content_type: &'static str,
    request: &HeaderMap,
) -> Response<Bytes> {
    let fresh = not_modified(request, etag, modified);
    let mut response = Response::new(if fresh { Bytes::new() } else { bytes });
    let headers = response.headers_mut();
    headers.typed_insert(etag.clone());
    headers.typed_insert(CacheControl::new().with_no_cache());
    if let Some(modified) = modified {
        headers.typed_insert(LastModified::from(modified));
    }
    if fresh {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
    } else {
        body_headers(&mut response, content_type);
    }
    response
}

/// True when the client's copy is current (RFC 9110, section 13.2.2): `If-None-Match`
/// names `etag` or is `*`; or, only when there is no `If-None-Match` at all,
/// `If-Modified-Since` is no earlier than `modified`.
fn not_modified(request: &HeaderMap, etag: &ETag, modified: Option<SystemTime>) -> bool {
    if request.contains_key(header::IF_NONE_MATCH) {
        return request
            .typed_get::<IfNoneMatch>()
            .is_some_and(|tags| !tags.precondition_passes(etag));
    }
    match (modified, request.typed_get::<IfModifiedSince>()) {
        (Some(modified), Some(since)) => !since.is_modified(modified),
        _ => false,
    }
}

/// The headers of every response with a body: its type, its length, and no sniffing.
fn body_headers(response: &mut Response<Bytes>, content_type: &'static str) {
    let length = response.body().len() as u64;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.typed_insert(ContentLength(length));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn plain(status: StatusCode, text: &'static str) -> Response<Bytes> {
    let mut response = Response::new(Bytes::from_static(text.as_bytes()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .typed_insert(CacheControl::new().with_no_cache());
    body_headers(&mut response, "text/plain; charset=utf-8");
    response
}

fn not_found() -> Response<Bytes> {
    plain(StatusCode::NOT_FOUND, "404 not found\n")
}

#[cfg(test)]
mod tests {
    use super::super::testing::served;
    use super::*;

    /// A request's headers, by name and value.
    type Headers<'a> = &'a [(&'a str, &'a str)];

    const INM: &str = "if-none-match";
    const IMS: &str = "if-modified-since";

    fn request(files: &Files, method: Method, path: &str, headers: Headers) -> Response<Bytes> {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        respond(files, &method, path, &map)
    }

    fn get(files: &Files, path: &str, headers: Headers) -> Response<Bytes> {
        request(files, Method::GET, path, headers)
    }

    fn header(response: &Response<Bytes>, name: header::HeaderName) -> &str {
        response.headers()[name].to_str().unwrap()
    }

    #[test]
    fn a_folder_redirect_always_carries_a_location_even_for_control_characters() {
        let files = served(&[("\u{1}d/x.xml", "<x/>")], 1);
        let redirect = get(&files, "/\u{1}d", &[]);
        assert_eq!(redirect.status(), StatusCode::MOVED_PERMANENTLY);
        assert_eq!(header(&redirect, header::LOCATION), "/%01d/");
    }

    #[test]
    fn validators_and_precedence() {
        let files = served(&[("rss.xml", "<rss/>")], 1_700_000_000);
        let ok = get(&files, "/rss.xml", &[]);
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.body().as_ref(), b"<rss/>");
        let etag = header(&ok, header::ETAG).to_string();
        let modified = header(&ok, header::LAST_MODIFIED).to_string();
        assert_eq!(etag.len(), 34);
        assert_eq!(modified, "Tue, 14 Nov 2023 22:13:20 GMT");
        assert_eq!(header(&ok, header::CACHE_CONTROL), "no-cache");
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
    fn conditional_requests() {
        let files = served(
            &[("rss.xml", "<rss/>"), ("topics/a/rss.xml", "a")],
            1_700_000_000,
        );
        let ok = get(&files, "/rss.xml", &[]);
        let etag = header(&ok, header::ETAG).to_string();
        let modified = header(&ok, header::LAST_MODIFIED).to_string();
        // A 304 carries the validators and the caching rule, and no body or type.
        let not_modified = get(&files, "/rss.xml", &[("if-none-match", &etag)]);
        assert_eq!(header(&not_modified, header::LAST_MODIFIED), modified);
        assert_eq!(header(&not_modified, header::CACHE_CONTROL), "no-cache");
        assert!(not_modified.headers().get(header::CONTENT_TYPE).is_none());

        let other = header(&get(&files, "/topics/a/rss.xml", &[]), header::ETAG).to_string();
        let bare = etag.trim_matches('"').to_string();
        let second_before = "Tue, 14 Nov 2023 22:13:19 GMT";
        let head = request(&files, Method::HEAD, "/rss.xml", &[(INM, &etag)]);
        assert_eq!(
            head.status(),
            StatusCode::NOT_MODIFIED,
            "HEAD revalidates too"
        );
        let cases: [(Headers, u16, &str); 6] = [
            (
                &[(INM, "\"a\""), (INM, &etag)],
                304,
                "the tag in a second line",
            ),
            (&[(INM, &other)], 200, "another file's tag"),
            (&[(INM, &bare)], 200, "a tag without its quotes"),
            (
                &[(INM, "junk"), (IMS, &modified)],
                200,
                "a bad tag beats a date",
            ),
            (&[(IMS, "yesterday")], 200, "not an HTTP date"),
            (&[(IMS, second_before)], 200, "a second before the change"),
        ];
        for (headers, status, case) in cases {
            let response = get(&files, "/rss.xml", headers);
            assert_eq!(response.status().as_u16(), status, "{case}");
        }

        // A generated listing has a tag of its content, and no date.
        let listing = get(&files, "/topics/", &[]);
        let tag = header(&listing, header::ETAG).to_string();
        assert!(listing.headers().get(header::LAST_MODIFIED).is_none());
        let again = get(&files, "/topics/", &[("if-none-match", &tag)]);
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        let dated = get(&files, "/topics/", &[("if-modified-since", &modified)]);
        assert_eq!(dated.status(), StatusCode::OK, "no date to compare with");
    }

    #[test]
    fn methods_paths_and_listing() {
        let files = served(
            &[
                ("rss.xml", "x"),
                ("topics/a b/rss.xml", "y"),
                ("topics/c/atom.xml", "z"),
            ],
            0,
        );
        let post = request(&files, Method::POST, "/rss.xml", &[]);
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(header(&post, header::ALLOW), "GET, HEAD");
        let head = request(&files, Method::HEAD, "/rss.xml", &[]);
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
            "/%ff",
            "rss.xml",
            "/x/",
        ] {
            let response = get(&files, missing, &[]);
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
            assert_eq!(header(&response, header::CONTENT_LENGTH), "14");
        }
        let head = request(&files, Method::HEAD, "/nope", &[]);
        assert_eq!(head.status(), StatusCode::NOT_FOUND);
        assert!(head.body().is_empty());
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
        let with_index = served(&[("index.html", "<p>hi")], 0);
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
        assert_eq!(content_type("_headers"), "text/plain; charset=utf-8");
        assert_eq!(
            content_type("topics/x.y/README"),
            "application/octet-stream"
        );
    }
}
