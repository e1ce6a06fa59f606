//! Render and write: which feeds must be rendered (the feed cache answers for the rest), the
//! entries they need, and every file written through one output session.
//!
//! A feed's files and its page are signed apart: the page's signature also covers the
//! theme, so a changed template renders the pages again and leaves the feeds alone.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::read::{changed, reparse};
use crate::cache::{Feeds, Signer};
use crate::entry::Entry;
use crate::error::Error;
use crate::feed::{Chosen, Feed, Group, Selection};
use crate::group::Kind;
use crate::hash::Hash;
use crate::output::{Output, Session, Status};
use crate::problem::{Problem, ProblemKind};
use crate::render::{self, index, Cut, File, Theme};
use crate::settings::{Content, Settings};

/// How many of a feed's files ([`render::paths`]) are its formats; the page is the last.
const FORMAT_FILES: usize = render::FORMATS.len();

/// A feed whose entries' bodies add up to more than this many bytes is heavy: rendering it
/// holds several copies of them (each entry's content, each format's file, a writer's own
/// copy of an item), so heavy feeds are rendered one at a time, after the others, never
/// two at once. An ordinary feed (50 entries of a few kilobytes) is far below it and is
/// rendered on every core.
const HEAVY: usize = 4 << 20;

/// One feed of this build: where its files go, and which must be rendered.
pub(super) struct Planned<'a> {
    chosen: &'a Chosen,
    /// The signature of the feed's format files, and of its page.
    signature: Option<(Hash, Hash)>,
    paths: Vec<PathBuf>,
    /// The format files are current.
    formats_current: bool,
    /// The page is current.
    page_current: bool,
}

impl Planned<'_> {
    /// True when none of the feed's files needs rendering.
    fn current(&self) -> bool {
        self.formats_current && self.page_current
    }

    /// Each file's signature: the feed's for the formats, the page's for the page.
    fn signatures(&self) -> impl Iterator<Item = (&PathBuf, Option<Hash>)> {
        self.paths.iter().enumerate().map(|(i, path)| {
            let signature = self
                .signature
                .map(|(feed, page)| if i < FORMAT_FILES { feed } else { page });
            (path, signature)
        })
    }
}

/// Every feed of `selection`, each asked of the feed cache (on every core): current, or to
/// be rendered, its formats and its page apart.
pub(super) fn plan<'a>(
    settings: &Settings,
    selection: &'a Selection,
    theme: &Theme,
    feeds: &Feeds,
    output: &Output,
) -> Vec<Planned<'a>> {
    let signer = Signer::new(settings);
    selection
        .feeds
        .par_iter()
        .map(|chosen| {
            let page = render::Page::new(chosen.group.as_ref(), &settings.site);
            let paths: Vec<PathBuf> = render::paths(&page).into_iter().map(Into::into).collect();
            let signature = signer
                .sign(chosen, &selection.slugs)
                .map(|feed| (feed, Signer::page(feed, theme.digest())));
            let (formats, page) = paths.split_at(FORMAT_FILES);
            let root = output.root();
            Planned {
                formats_current: signature.is_some_and(|(s, _)| feeds.current(root, formats, s)),
                page_current: signature.is_some_and(|(_, s)| feeds.current(root, page, s)),
                chosen,
                signature,
                paths,
            }
        })
        .collect()
}

/// The feeds to render, with their entries: those parsed in this run are at hand, those that
/// came from the cache are parsed again, each file once.
pub(super) fn load(settings: &Settings, plan: &[Planned]) -> Result<Vec<Feed>, Error> {
    let mut missing: Vec<_> = plan
        .iter()
        .filter(|p| !p.current())
        .flat_map(|p| p.chosen.entries.iter())
        .filter(|c| c.entry.is_none())
        .collect();
    missing.sort_by_key(|c| c.index);
    missing.dedup_by_key(|c| c.index);
    let loaded: HashMap<u32, Arc<Entry>> = missing
        .par_iter()
        .map(|c| match reparse(&c.path, settings) {
            Some(entry) if entry.id == c.id => Ok((c.index, Arc::from(entry))),
            _ => Err(changed(&c.path)),
        })
        .collect::<Result<_, _>>()?;
    plan.iter()
        .filter(|p| !p.current())
        .map(|p| {
            let entries = p
                .chosen
                .entries
                .iter()
                .map(|c| {
                    c.entry
                        .clone()
                        .or_else(|| loaded.get(&c.index).cloned())
                        .ok_or_else(|| changed(&c.path))
                })
                .collect::<Result<_, _>>()?;
            Ok(Feed::new(p.chosen, entries))
        })
        .collect()
}

/// What writing did.
pub(super) struct Written {
    /// Every output file's path and fate, feeds first.
    pub(super) files: Vec<(PathBuf, Status)>,
    /// Files the feeds cache vouched for, not even rendered.
    pub(super) current: usize,
    /// Files of feeds that are gone, removed.
    pub(super) removed: Vec<PathBuf>,
    /// The feeds the size budget cut, each named by its first file.
    pub(super) problems: Vec<Problem>,
}

/// A feed's files as written, with their fate.
type Fates = Vec<(PathBuf, Status)>;

/// What the entries of the feed of `group` carry: a curated feed's own `content:`, or the
/// site's.
fn content_of(settings: &Settings, group: Option<&Group>) -> Content {
    group
        .filter(|g| g.kind == Kind::Curated)
        .and_then(|g| settings.curated.iter().find(|c| c.slug == g.slug))
        .and_then(|c| c.content)
        .unwrap_or(settings.content)
}

/// Renders `feeds` (on every core, each written as soon as it is rendered: its formats, its
/// page, or both, as the plan says), then the files that list the feeds and the
/// stylesheet; removes the files of feeds that are gone, and tells the feed cache what it
/// wrote.
pub(super) fn write(
    settings: &Settings,
    output: &Output,
    selection: &Selection,
    theme: &Theme,
    plan: &[Planned],
    feeds: Vec<Feed>,
    mut cache: Feeds,
) -> Result<Written, Error> {
    let session = Session::begin(output)?;
    let mut current: BTreeSet<PathBuf> =
        plan.iter().flat_map(|p| p.paths.iter().cloned()).collect();
    let listings = listings(settings, selection, theme, &mut current)?;
    // Before anything is staged: a build that would take down most of what is published
    // is more often a mistake (a wrong --input, a settings typo) than a wish.
    let gone = session.gone(&current);
    let published = session.published();
    if gone.len() * 2 > published && !settings.allow_removals {
        return Err(Error::MassRemoval {
            output: output.root().to_path_buf(),
            removed: gone.len(),
            published,
            example: gone[0].clone(),
        });
    }
    let to_render: Vec<(&Planned, Feed)> =
        plan.iter().filter(|p| !p.current()).zip(feeds).collect();
    let render_one = |(planned, feed): &(&Planned, Feed)| -> Result<(Fates, Option<Cut>), Error> {
        // The formats are always worked out, for the entries they keep within the budget,
        // which the page shows too; they are written only when not current.
        let content = content_of(settings, feed.group.as_ref());
        let within = render::formats(
            feed,
            &selection.slugs,
            &settings.site,
            content,
            settings.max_feed_bytes,
        );
        // Each file is staged (and its bytes dropped) before the next is rendered, so a feed
        // of long articles holds one file's bytes at a time, not all four.
        let mut written = Vec::with_capacity(planned.paths.len());
        let mut stage = |file: File| -> Result<(), Error> {
            let status = session.write(&file)?;
            written.push((file.path, status));
            Ok(())
        };
        if !planned.formats_current {
            within.files.into_iter().try_for_each(&mut stage)?;
        }
        if !planned.page_current {
            let shown = feed.newest(within.kept);
            stage(render::feed_page(&shown, &settings.site, theme)?)?;
        }
        Ok((written, within.cut))
    };
    let light = |(_, feed): &(&Planned, Feed)| {
        feed.entries.iter().map(|e| e.body.len()).sum::<usize>() <= HEAVY
    };
    let rendered = light_first(&to_render, light, render_one)?;
    let mut files: Vec<(PathBuf, Status)> = Vec::new();
    for file in &listings {
        files.push((file.path.clone(), session.write(file)?));
    }
    // What the budget cut, whether the feed was rendered now or is current from the cache.
    let mut cuts: Vec<(PathBuf, Cut)> = plan
        .iter()
        .filter(|p| p.current())
        .filter_map(|p| cache.cut(&p.paths[0]).map(|cut| (p.paths[0].clone(), cut)))
        .collect();
    for ((planned, _), (written, cut)) in to_render.iter().zip(rendered) {
        files.extend(written);
        if let Some(cut) = cut {
            cuts.push((planned.paths[0].clone(), cut));
        }
        if !output.is_dry_run() {
            cache.note_cut(&planned.paths[0], cut);
        }
    }
    let removed = session.finish(&current)?;
    if !output.is_dry_run() {
        for (p, _) in &to_render {
            for (i, (path, signature)) in p.signatures().enumerate() {
                let rendered = if i < FORMAT_FILES {
                    !p.formats_current
                } else {
                    !p.page_current
                };
                match signature {
                    Some(_) if !rendered => {}
                    Some(signature) => cache.wrote(output.root(), path, signature),
                    None => cache.forget(path),
                }
            }
        }
        cache.save(&current)?;
    }
    cuts.sort_by(|a, b| a.0.cmp(&b.0));
    let problems = cuts
        .into_iter()
        .map(|(path, cut)| {
            Problem::warning(
                output.root().join(path),
                ProblemKind::OverBudget,
                cut.to_string(),
            )
        })
        .collect();
    Ok(Written {
        files,
        problems,
        current: plan
            .iter()
            .map(|p| {
                let formats = if p.formats_current { FORMAT_FILES } else { 0 };
                formats + usize::from(p.page_current)
            })
            .sum(),
        removed,
    })
}

/// `f` of each of `items`, in their order: on every core for the items `light` says, then
/// one at a time for the others (see [`HEAVY`]). The first error ends it.
fn light_first<T: Sync, R: Send>(
    items: &[T],
    light: impl Fn(&T) -> bool + Sync,
    f: impl Fn(&T) -> Result<R, Error> + Sync,
) -> Result<Vec<R>, Error> {
    let done: Vec<Option<R>> = items
        .par_iter()
        .map(|item| {
            if light(item) {
                f(item).map(Some)
            } else {
                Ok(None)
            }
        })
        .collect::<Result<_, _>>()?;
    done.into_iter()
        .zip(items)
        .map(|(done, item)| done.map_or_else(|| f(item), Ok))
        .collect()
}

/// The files that list the feeds, and the stylesheet: small, always rendered and compared.
/// Their paths join `current`.
fn listings(
    settings: &Settings,
    selection: &Selection,
    theme: &Theme,
    current: &mut BTreeSet<PathBuf>,
) -> Result<Vec<File>, Error> {
    let mut files = vec![
        File {
            path: PathBuf::from(render::STYLESHEET),
            bytes: theme.stylesheet().as_bytes().to_vec(),
        },
        File {
            path: PathBuf::from(index::INDEX),
            bytes: index::html(&selection.feeds, &settings.site, theme)?,
        },
        File {
            path: PathBuf::from(index::OPML),
            bytes: index::opml(&selection.feeds, &settings.site, theme)?,
        },
    ];
    current.extend(files.iter().map(|f| f.path.clone()));
    if settings.headers {
        current.insert(PathBuf::from(index::HEADERS));
        let paths: Vec<String> = current.iter().map(|p| crate::paths::slashed(p)).collect();
        files.push(File {
            path: PathBuf::from(index::HEADERS),
            bytes: index::headers(&paths, &settings.site),
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn heavy_items_are_done_one_at_a_time_after_the_others_and_every_result_keeps_its_place() {
        let items: Vec<usize> = (0..64).collect();
        let heavy = |i: &usize| i.is_multiple_of(5);
        let (running, most, light_done) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        let out = light_first(
            &items,
            |i| !heavy(i),
            |&i| {
                if heavy(&i) {
                    // Every light item is done before the first heavy one starts.
                    assert_eq!(light_done.load(Ordering::SeqCst), 51);
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    std::thread::yield_now();
                    running.fetch_sub(1, Ordering::SeqCst);
                } else {
                    light_done.fetch_add(1, Ordering::SeqCst);
                }
                Ok(i * 10)
            },
        )
        .unwrap();
        assert_eq!(out, items.iter().map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_first_error_ends_the_work() {
        let items: Vec<usize> = (0..8).collect();
        let out = light_first(
            &items,
            |i| i.is_multiple_of(2),
            |&i| match i {
                5 => Err(Error::io(
                    std::path::Path::new("x"),
                    "writing",
                    std::io::Error::other("full"),
                )),
                i => Ok(i),
            },
        );
        assert!(out.is_err());
    }
}
