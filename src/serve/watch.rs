//! Watching: the input folder and the settings file, through notify-debouncer-full, and the
//! thread that rebuilds the preview once per batch of changes.
//!
//! The debouncer keeps each event's kind, so the reads a build makes (inotify reports every
//! open and close) are dropped as they arrive and never set off another rebuild.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, DebouncedEvent, RecommendedCache};

use super::preview::{self, Live};
use crate::{Error, Settings};

/// How long the debouncer holds a file's events, merging them, before they reach the
/// rebuild thread: a burst of writes is one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Reloads the settings after the settings file changed.
pub(super) type Reload = Box<dyn FnMut() -> Result<Settings, Error> + Send>;

type Debouncer = notify_debouncer_full::Debouncer<RecommendedWatcher, RecommendedCache>;

/// Messages to the rebuild thread.
enum Message {
    /// Events that may have changed a file (never only reads).
    Events(Vec<DebouncedEvent>),
    Errors(Vec<notify::Error>),
    Stop,
}

/// The file watcher and the thread that rebuilds on its events.
pub(super) struct Watcher {
    messages: mpsc::Sender<Message>,
    thread: JoinHandle<()>,
    /// How many rebuilds have run.
    #[cfg_attr(not(test), allow(dead_code))]
    rebuilds: Arc<AtomicUsize>,
}

impl Watcher {
    /// Watches `settings.input` and, when given, the settings file, rebuilding into `live`.
    pub(super) fn start(
        settings: Settings,
        config: Option<(PathBuf, Reload)>,
        live: Arc<Live>,
    ) -> Result<Watcher, Error> {
        let (messages, inbox) = mpsc::channel();
        let events = messages.clone();
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            let message = match result {
                Ok(mut batch) => {
                    batch.retain(|event| !is_read(&event.kind));
                    if batch.is_empty() {
                        return;
                    }
                    Message::Events(batch)
                }
                Err(errors) => Message::Errors(errors),
            };
            let _ = events.send(message);
        })
        .map_err(|e| Error::io(&settings.input, "watching", std::io::Error::other(e)))?;
        let config = match config {
            Some((path, reload)) => Some(Config::watch(&mut debouncer, &path, reload)?),
            None => None,
        };
        let rebuilds = Arc::new(AtomicUsize::new(0));
        let mut rebuilder = Rebuilder {
            input: watch_input(&mut debouncer, &settings.input)?,
            settings,
            config,
            live,
            debouncer,
            rebuilds: Arc::clone(&rebuilds),
        };
        let thread = std::thread::Builder::new()
            .name("feedsmith-watch".into())
            .spawn(move || rebuilder.run(&inbox))
            .map_err(|e| Error::io("", "starting a thread for watching", e))?;
        Ok(Watcher {
            messages,
            thread,
            rebuilds,
        })
    }

    /// Stops watching, and waits for a rebuild under way to end.
    pub(super) fn stop(self) {
        let _ = self.messages.send(Message::Stop);
        let _ = self.thread.join();
    }
}

/// True for an event that changes nothing: an open, a read, or closing a file not opened
/// for writing.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access) if *access != AccessKind::Close(AccessMode::Write))
}

/// Watches `input` recursively; gives the path events will name it by.
fn watch_input(debouncer: &mut Debouncer, input: &Path) -> Result<PathBuf, Error> {
    let input = input
        .canonicalize()
        .map_err(|e| Error::io(input, "watching", e))?;
    debouncer
        .watch(&input, RecursiveMode::Recursive)
        .map_err(|e| Error::io(&input, "watching", std::io::Error::other(e)))?;
    Ok(input)
}

/// The watched settings file.
struct Config {
    /// Its canonical path, as events name it.
    path: PathBuf,
    reload: Reload,
}

impl Config {
    /// Watches the folder holding the settings file, not the file itself: editors that save
    /// by renaming a new file over the old one would end a watch on the file.
    fn watch(debouncer: &mut Debouncer, path: &Path, reload: Reload) -> Result<Config, Error> {
        let failed = |e| Error::io(path, "watching", e);
        let name = path
            .file_name()
            .ok_or_else(|| failed(std::io::Error::other("not a file name")))?;
        let folder = match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let folder = folder.canonicalize().map_err(failed)?;
        debouncer
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| failed(std::io::Error::other(e)))?;
        Ok(Config {
            path: folder.join(name),
            reload,
        })
    }
}

/// Owns the watcher and the current settings; rebuilds on each batch of events.
struct Rebuilder {
    settings: Settings,
    /// The canonical input folder, as events name it.
    input: PathBuf,
    config: Option<Config>,
    live: Arc<Live>,
    debouncer: Debouncer,
    rebuilds: Arc<AtomicUsize>,
}

impl Rebuilder {
    fn run(&mut self, inbox: &mpsc::Receiver<Message>) {
        loop {
            let mut batch = match inbox.recv() {
                Ok(Message::Stop) | Err(_) => return,
                Ok(first) => vec![first],
            };
            // Whatever arrived during the last build is one more rebuild, not many.
            loop {
                match inbox.try_recv() {
                    Ok(Message::Stop) => return,
                    Ok(more) => batch.push(more),
                    Err(_) => break,
                }
            }
            let (mut input, mut config) = (false, false);
            for message in batch {
                match message {
                    Message::Events(events) => {
                        for event in events {
                            // The backend lost events: anything may have changed.
                            input |= event.need_rescan();
                            for path in &event.paths {
                                if self.config.as_ref().is_some_and(|c| c.path == *path) {
                                    config = true;
                                } else if self.is_article(path) {
                                    input = true;
                                }
                            }
                        }
                    }
                    Message::Errors(errors) => {
                        for e in errors {
                            eprintln!("feedsmith: watching: {e}");
                        }
                    }
                    Message::Stop => return,
                }
            }
            if config {
                self.reload();
            }
            if config || input {
                self.rebuild();
            }
        }
    }

    /// True for a path below the input folder that a build could read: not hidden, so an
    /// editor's swap files do not cause rebuilds.
    fn is_article(&self, path: &Path) -> bool {
        path.strip_prefix(&self.input).is_ok_and(|rest| {
            !rest
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    fn reload(&mut self) {
        let Some(config) = &mut self.config else {
            return;
        };
        match (config.reload)() {
            Ok(settings) => {
                if settings.input != self.settings.input {
                    let _ = self.debouncer.unwatch(&self.input);
                    match watch_input(&mut self.debouncer, &settings.input) {
                        Ok(input) => self.input = input,
                        Err(e) => eprintln!("feedsmith: error: {e}"),
                    }
                }
                self.settings = settings;
            }
            Err(e) => eprintln!("feedsmith: error: {e}; keeping the previous settings"),
        }
    }

    fn rebuild(&self) {
        self.rebuilds.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        match preview::refresh(&self.settings, &self.live) {
            Ok(refreshed) => preview::print(&refreshed, Some(started.elapsed()), &self.live),
            Err(e) => eprintln!("feedsmith: error: {e}; still serving the previous feeds"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::settings;
    use super::*;

    fn article(title: &str) -> String {
        format!("---\ntitle: {title}\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
    }

    /// Waits for the first rebuild after an edit, then long enough for any other.
    fn settled(watcher: &Watcher) -> usize {
        let count = || watcher.rebuilds.load(Ordering::Relaxed);
        let started = Instant::now();
        while count() == 0 {
            assert!(started.elapsed() < Duration::from_secs(5), "no rebuild");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(6 * DEBOUNCE);
        count()
    }

    #[test]
    fn reading_the_articles_does_not_set_off_another_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one.txt");
        std::fs::write(&path, article("One")).unwrap();
        let settings = settings(dir.path());
        let live = Arc::new(Live::default());
        preview::refresh(&settings, &live).unwrap();
        let watcher = Watcher::start(settings.clone(), None, Arc::clone(&live)).unwrap();
        // A build reads every article; the opens it causes must not count as changes.
        preview::refresh(&settings, &live).unwrap();
        std::thread::sleep(4 * DEBOUNCE);
        assert_eq!(
            watcher.rebuilds.load(Ordering::Relaxed),
            0,
            "reading is not a change"
        );

        // Written whole and renamed in (the temp name is hidden, so ignored): one change,
        // however slowly this machine writes.
        let temp = dir.path().join(".one.txt.tmp");
        std::fs::write(&temp, article("Two")).unwrap();
        std::fs::rename(&temp, &path).unwrap();
        assert_eq!(
            settled(&watcher),
            1,
            "one edit, one rebuild: the rebuild's reads set off no other"
        );
        assert!(
            String::from_utf8_lossy(&live.current().get("rss.xml").unwrap().bytes)
                .contains("<title>Two</title>")
        );
        watcher.stop();
    }

    #[test]
    fn an_edit_to_the_settings_file_reloads_them() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("articles");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(input.join("one.txt"), article("One")).unwrap();
        let settings = settings(&input);
        let live = Arc::new(Live::default());
        preview::refresh(&settings, &live).unwrap();
        let config = dir.path().join("feedsmith.yaml");
        std::fs::write(&config, "title: Old\n").unwrap();
        let mut renamed = settings.clone();
        renamed.site.title = "Renamed".into();
        let reload: Reload = Box::new(move || Ok(renamed.clone()));
        let watcher =
            Watcher::start(settings, Some((config.clone(), reload)), Arc::clone(&live)).unwrap();

        // Saved the way many editors save: a new file renamed over the old one.
        let temp = dir.path().join("feedsmith.yaml.new");
        std::fs::write(&temp, "title: Renamed\n").unwrap();
        std::fs::rename(&temp, &config).unwrap();
        assert_eq!(settled(&watcher), 1);
        assert!(
            String::from_utf8_lossy(&live.current().get("rss.xml").unwrap().bytes)
                .contains("<title>Renamed</title>")
        );
        watcher.stop();
    }
}
