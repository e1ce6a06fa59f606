//! The deploy manifest: the object kept beside the deployed files in the target
//! ([`MANIFEST`] under the prefix) that says which objects a feedsmith deploy wrote there, each
//! with the content hash, content type and cache policy it was uploaded with. A deploy reads it
//! once at the start instead of listing or downloading the target, uploads only what differs
//! from it, and deletes only what it lists.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest's name, below the target's prefix.
pub const MANIFEST: &str = ".feedsmith-deploy.json";

/// The manifest's format; a manifest of another version is refused, never guessed at.
const VERSION: u32 = 1;

/// What a deploy wrote to the target, by path below the prefix (`/`-separated), sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Manifest {
    /// The format, [`VERSION`].
    pub(super) version: u32,
    /// The program that wrote it (`feedsmith 0.1.0`).
    pub(super) generator: String,
    /// Every object feedsmith owns in the target.
    pub(super) objects: BTreeMap<String, Object>,
}

/// One object as a deploy uploaded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Object {
    /// BLAKE3 of the bytes, in hex; empty while an upload is announced but not confirmed.
    pub(super) hash: String,
    /// The `Content-Type` it was given.
    pub(super) content_type: String,
    /// The `Cache-Control` it was given.
    pub(super) cache_control: String,
}

impl Object {
    /// An object announced before its upload: feedsmith owns the path (a later deploy may
    /// delete it), but no content is vouched for, so it is uploaded again until confirmed.
    pub(super) fn pending() -> Object {
        Object {
            hash: String::new(),
            content_type: String::new(),
            cache_control: String::new(),
        }
    }
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest::new(BTreeMap::new())
    }
}

impl Manifest {
    /// A manifest of `objects`, written by this program.
    pub(super) fn new(objects: BTreeMap<String, Object>) -> Manifest {
        Manifest {
            version: VERSION,
            generator: format!("feedsmith {}", env!("CARGO_PKG_VERSION")),
            objects,
        }
    }

    /// Reads a manifest's bytes, or says why they are not one this program can trust.
    pub(super) fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        let manifest: Manifest = serde_json::from_slice(bytes)
            .map_err(|e| format!("is not a feedsmith deploy manifest ({e})"))?;
        if manifest.version != VERSION {
            return Err(format!(
                "is a deploy manifest of version {} (this feedsmith reads version {VERSION}): deploy with the feedsmith that wrote it, or delete it to upload everything again",
                manifest.version
            ));
        }
        Ok(manifest)
    }

    /// The manifest as pretty, sorted JSON.
    pub(super) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).unwrap_or_default();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_what_it_wrote_and_refuses_another_version() {
        let mut objects = BTreeMap::new();
        objects.insert(
            "rss.xml".to_string(),
            Object {
                hash: "ab".into(),
                content_type: "application/xml; charset=utf-8".into(),
                cache_control: "public, max-age=900".into(),
            },
        );
        objects.insert("topics/a/rss.xml".to_string(), Object::pending());
        let manifest = Manifest::new(objects);
        assert_eq!(Manifest::parse(&manifest.to_bytes()).unwrap(), manifest);
        let other = String::from_utf8(manifest.to_bytes())
            .unwrap()
            .replace("\"version\": 1", "\"version\": 9");
        assert!(Manifest::parse(other.as_bytes())
            .unwrap_err()
            .contains("version 9"));
        assert!(Manifest::parse(b"<html>").is_err());
    }
}
