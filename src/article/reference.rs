//! The reference reading of front matter: yaml_serde into the article types, with the keys it
//! ignored. It decides every document the fast path is not sure of, writes every YAML error,
//! and is what the fast path is tested against.

use super::keys;
use super::locate::Step;
use super::model::{Article, Parsed};

/// Reads front matter `front` (the text between the `---` lines) with yaml_serde, noting
/// the path of every key it ignored. Run it behind the nesting guard: yaml_serde recurses.
pub fn reference(front: &str) -> Result<Parsed<'_>, serde_yaml::Error> {
    let mut unread = Vec::new();
    let de = serde_yaml::Deserializer::from_str(front);
    let article: Article = serde_ignored::deserialize(de, |path| {
        // `secured` is read by ignoring its value; it is a known key all the same.
        let path = steps(&path);
        if !keys::is_known(&path) {
            unread.push(path);
        }
    })?;
    Ok(Parsed { article, unread })
}

/// The steps of a path serde_ignored reports.
fn steps(path: &serde_ignored::Path<'_>) -> Vec<Step> {
    use serde_ignored::Path;
    let mut out = match path {
        Path::Root => return Vec::new(),
        Path::Seq { parent, .. }
        | Path::Map { parent, .. }
        | Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => steps(parent),
    };
    match path {
        Path::Seq { index, .. } => out.push(Step::Item(*index)),
        Path::Map { key, .. } => out.push(Step::key(key)),
        _ => {}
    }
    out
}
