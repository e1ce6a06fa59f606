//! Watching: the input folder, the settings file and the theme folder (`templates:`),
//! through notify, and the thread that rebuilds the preview once per burst of changes.
//!
//! Events reach the rebuild thread one by one, as notify reports them. Reads (inotify reports
//! every open and close) are dropped as they arrive, so a build's own reads never set off
//! another. Only an event on an article, a theme file or the settings file starts or prolongs
//! the quiet
//! period ([`DEBOUNCE`]) a rebuild waits for; anything else (an editor's hidden swap file, the
//! new file a save renames over the settings file) waits for nothing.
//!
//! No debouncer crate sits in between: notify-debouncer-full emits each event once that event
//! is old enough, so the creation and the closing of one saved file could reach the rebuild
//! thread a tick apart, and one save cost two rebuilds. Here a save made by renaming a new file
//! over the old one is one event on the saved path, so one rebuild, however slowly the editor
//! wrote the new file.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::preview::{self, Live};
use crate::{Error, Settings};

/// How long the rebuild waits after the last change to an article or to the settings file:
/// a burst of writes is one rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The longest a rebuild waits after the first change, however the changes keep coming: a
/// folder written to without pause is still rebuilt now and then.
const LONGEST_WAIT: Duration = Duration::from_secs(2);

/// Reloads the settings after the settings file changed.
pub(super) type Reload = Box<dyn FnMut() -> Result<Settings, Error> + Send>;

/// Messages to the rebuild thread.
enum Message {
    /// An event that may have changed a file (never a read).
    Event(Event),
    Error(notify::Error),
    Stop,
}

/// The file watcher and the thread that rebuilds on its events.
pub(super) struct Watcher {
    messages: mpsc::Sender<Message>,
    thread: JoinHandle<()>,
    /// What the rebuild thread has done, for tests to wait on.
    #[cfg(test)]
    trace: Arc<tests::Trace>,
}

impl Watcher {
    /// Watches `settings.input`, the theme folder and, when given, the settings file,
    /// rebuilding into `live`.
    pub(super) fn start(
        settings: Settings,
        config: Option<(PathBuf, Reload)>,
        live: Arc<Live>,
    ) -> Result<Watcher, Error> {
        let (messages, inbox) = mpsc::channel();
        let events = messages.clone();
        let mut watcher = notify::recommended_watcher(move |result: notify::Result<Event>| {
            let message = match result {
                Ok(event) if is_change(&event) => Message::Event(event),
                Ok(_) => return,
                Err(e) => Message::Error(e),
            };
            let _ = events.send(message);
        })
        .map_err(|e| Error::io(&settings.input, "watching", std::io::Error::other(e)))?;
        let config = match config {
            Some((path, reload)) => Some(Config::watch(&mut watcher, &path, reload)?),
            None => None,
        };
        #[cfg(test)]
        let trace = Arc::default();
        let mut rebuilder = Rebuilder {
            input: watch_input(&mut watcher, &settings.input)?,
            theme: watch_theme(&mut watcher, settings.templates.as_deref()),
            settings,
            config,
            live,
            watcher,
            #[cfg(test)]
            trace: Arc::clone(&trace),
        };
        let thread = std::thread::Builder::new()
            .name("feedsmith-watch".into())
            .spawn(move || rebuilder.run(&inbox))
            .map_err(|e| Error::io("", "starting a thread for watching", e))?;
        Ok(Watcher {
            messages,
            thread,
            #[cfg(test)]
            trace,
        })
    }

    /// Stops watching, and waits for a rebuild under way to end.
    pub(super) fn stop(self) {
        let _ = self.messages.send(Message::Stop);
        let _ = self.thread.join();
    }
}

/// True for an event that may have changed something: not an open, a read, or closing a file
/// not opened for writing; not inotify's `Both` event, which repeats a rename already reported
/// as `From` and `To`; not a backend's meta event, unless it says events were lost.
fn is_change(event: &Event) -> bool {
    match event.kind {
        _ if event.need_rescan() => true,
        EventKind::Access(access) => access == AccessKind::Close(AccessMode::Write),
        EventKind::Modify(ModifyKind::Name(RenameMode::Both)) | EventKind::Other => false,
        _ => true,
    }
}

/// Watches `input` recursively; gives the path events will name it by.
fn watch_input(watcher: &mut RecommendedWatcher, input: &Path) -> Result<PathBuf, Error> {
    let input = input
        .canonicalize()
        .map_err(|e| Error::io(input, "watching", e))?;
    watcher
        .watch(&input, RecursiveMode::Recursive)
        .map_err(|e| Error::io(&input, "watching", std::io::Error::other(e)))?;
    Ok(input)
}

/// Watches the theme folder recursively, when there is one; gives the path events will name
/// it by. A folder that cannot be watched is told, and the build says what is wrong with it.
fn watch_theme(watcher: &mut RecommendedWatcher, theme: Option<&Path>) -> Option<PathBuf> {
    let theme = theme?.canonicalize().ok()?;
    match watcher.watch(&theme, RecursiveMode::Recursive) {
        Ok(()) => Some(theme),
        Err(e) => {
            eprintln!("feedsmith: watching {}: {e}", theme.display());
            None
        }
    }
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
    fn watch(
        watcher: &mut RecommendedWatcher,
        path: &Path,
        reload: Reload,
    ) -> Result<Config, Error> {
        let failed = |e| Error::io(path, "watching", e);
        let name = path
            .file_name()
            .ok_or_else(|| failed(std::io::Error::other("not a file name")))?;
        let folder = match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        let folder = folder.canonicalize().map_err(failed)?;
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| failed(std::io::Error::other(e)))?;
        Ok(Config {
            path: folder.join(name),
            reload,
        })
    }
}

/// The changes gathered for one rebuild.
#[derive(Default)]
struct Batch {
    /// An article or a theme file changed (or the backend lost events, so anything may
    /// have).
    input: bool,
    /// The settings file changed.
    config: bool,
    /// When the first and the last change came; `None` while there is nothing to rebuild
    /// for.
    changes: Option<(Instant, Instant)>,
    /// Every path its events named, changes or not.
    #[cfg(test)]
    paths: Vec<PathBuf>,
}

/// Owns the watcher and the current settings; rebuilds after each burst of changes.
struct Rebuilder {
    settings: Settings,
    /// The canonical input folder, as events name it.
    input: PathBuf,
    /// The canonical theme folder, when there is one.
    theme: Option<PathBuf>,
    config: Option<Config>,
    live: Arc<Live>,
    watcher: RecommendedWatcher,
    #[cfg(test)]
    trace: Arc<tests::Trace>,
}

impl Rebuilder {
    fn run(&mut self, inbox: &mpsc::Receiver<Message>) {
        let mut batch = Batch::default();
        loop {
            // With a change in hand, waits only until the quiet period after the last one
            // ends; whatever arrived meanwhile (during the last build too) is taken first.
            let message = match batch.changes {
                None => inbox.recv().ok(),
                Some((first, last)) => match inbox.recv_timeout(
                    (last + DEBOUNCE)
                        .min(first + LONGEST_WAIT)
                        .saturating_duration_since(Instant::now()),
                ) {
                    Ok(message) => Some(message),
                    Err(RecvTimeoutError::Timeout) => {
                        self.handle(std::mem::take(&mut batch));
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => None,
                },
            };
            match message {
                None | Some(Message::Stop) => return,
                Some(Message::Error(e)) => eprintln!("feedsmith: watching: {e}"),
                Some(Message::Event(event)) => {
                    self.take(event, &mut batch);
                    if batch.changes.is_none() {
                        // Nothing to rebuild for: done with it at once.
                        self.handle(std::mem::take(&mut batch));
                    }
                }
            }
        }
    }

    /// Adds `event` to `batch`; a change to an article, a theme file or the settings file
    /// restarts the quiet period.
    fn take(&self, event: Event, batch: &mut Batch) {
        let mut changed = event.need_rescan();
        batch.input |= changed;
        for path in &event.paths {
            if self.config.as_ref().is_some_and(|c| c.path == *path) {
                batch.config = true;
                changed = true;
            } else if self.is_article(path) || self.is_theme_file(path) {
                batch.input = true;
                changed = true;
            }
        }
        if changed {
            let now = Instant::now();
            batch.changes = Some(batch.changes.map_or((now, now), |(first, _)| (first, now)));
        }
        #[cfg(test)]
        batch.paths.extend(event.paths);
    }

    /// Reloads and rebuilds as `batch` asks.
    fn handle(&mut self, batch: Batch) {
        if batch.config {
            self.reload();
        }
        let rebuilt = batch.config || batch.input;
        if rebuilt {
            self.rebuild();
        }
        #[cfg(test)]
        self.trace.record(batch.paths, batch.config, rebuilt);
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

    /// True for a path below the theme folder that is not hidden.
    fn is_theme_file(&self, path: &Path) -> bool {
        self.theme.as_ref().is_some_and(|theme| {
            path.strip_prefix(theme).is_ok_and(|rest| {
                !rest
                    .components()
                    .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
            })
        })
    }

    fn reload(&mut self) {
        let Some(config) = &mut self.config else {
            return;
        };
        match (config.reload)() {
            Ok(settings) => {
                if settings.input != self.settings.input {
                    let _ = self.watcher.unwatch(&self.input);
                    match watch_input(&mut self.watcher, &settings.input) {
                        Ok(input) => self.input = input,
                        Err(e) => eprintln!("feedsmith: error: {e}"),
                    }
                }
                if settings.templates != self.settings.templates {
                    if let Some(theme) = self.theme.take() {
                        let _ = self.watcher.unwatch(&theme);
                    }
                    self.theme = watch_theme(&mut self.watcher, settings.templates.as_deref());
                }
                self.settings = settings;
            }
            Err(e) => eprintln!("feedsmith: error: {e}; keeping the previous settings"),
        }
    }

    fn rebuild(&self) {
        let started = Instant::now();
        match preview::refresh(&self.settings, &self.live) {
            Ok(refreshed) => preview::print(&refreshed, Some(started.elapsed()), &self.live),
            Err(e) => eprintln!("feedsmith: error: {e}; still serving the previous feeds"),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Condvar, Mutex};

    use super::super::testing::settings;
    use super::*;

    /// What the rebuild thread has done so far.
    #[derive(Debug, Default, Clone)]
    struct Done {
        reloads: usize,
        rebuilds: usize,
        /// Every path named by the events handled.
        paths: Vec<PathBuf>,
    }

    /// [`Done`], updated by the rebuild thread after each batch it handles.
    #[derive(Debug, Default)]
    pub(super) struct Trace {
        done: Mutex<Done>,
        changed: Condvar,
    }

    impl Trace {
        pub(super) fn record(&self, paths: Vec<PathBuf>, reloaded: bool, rebuilt: bool) {
            let mut done = self.done.lock().unwrap();
            done.reloads += usize::from(reloaded);
            done.rebuilds += usize::from(rebuilt);
            done.paths.extend(paths);
            self.changed.notify_all();
        }
    }

    /// The longest a test waits for the watcher: a bound on failing, never the pace.
    const PATIENCE: Duration = Duration::from_secs(60);

    impl Watcher {
        /// Waits until what the rebuild thread has done passes `until`.
        #[track_caller]
        fn wait_for(&self, what: &str, until: impl Fn(&Done) -> bool) -> Done {
            let done = self.trace.done.lock().unwrap();
            let (done, wait) = self
                .trace
                .changed
                .wait_timeout_while(done, PATIENCE, |done| !until(done))
                .unwrap();
            assert!(
                !wait.timed_out(),
                "{what}: not within {PATIENCE:?}: {done:?}"
            );
            done.clone()
        }

        /// Waits until the rebuild thread has handled every event of the watched `folder`
        /// from before this call, and done what they asked: writes a hidden file there (which
        /// rebuilds nothing) and waits for its event, which inotify delivers after theirs.
        #[track_caller]
        fn flush(&self, folder: &Path) -> Done {
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let name = format!(".flush-{}", NEXT.fetch_add(1, Ordering::Relaxed));
            std::fs::write(folder.join(&name), "").unwrap();
            self.wait_for(&format!("the event of {name}"), |done| {
                done.paths
                    .iter()
                    .any(|p| p.file_name().is_some_and(|n| *n == *name))
            })
        }
    }

    fn article(title: &str) -> String {
        format!("---\ntitle: {title}\nwebUrl: https://e.com/1\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n")
    }

    fn served_title(live: &Live, title: &str) -> bool {
        String::from_utf8_lossy(&live.current().get("rss.xml").unwrap().bytes)
            .contains(&format!("<title>{title}</title>"))
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
        assert_eq!(
            watcher.flush(dir.path()).rebuilds,
            0,
            "reading is not a change"
        );

        // Written whole and renamed in (the temp name is hidden, so ignored): one change,
        // however slowly this machine writes.
        let temp = dir.path().join(".one.txt.tmp");
        std::fs::write(&temp, article("Two")).unwrap();
        std::fs::rename(&temp, &path).unwrap();
        watcher.wait_for("a rebuild after the edit", |done| done.rebuilds > 0);
        assert_eq!(
            watcher.flush(dir.path()).rebuilds,
            1,
            "one edit, one rebuild: the rebuild's reads set off no other"
        );
        assert!(served_title(&live, "Two"));
        watcher.stop();
    }

    #[test]
    fn an_edit_to_a_theme_file_rebuilds_the_pages() {
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("theme");
        std::fs::create_dir(&theme).unwrap();
        let page = crate::render::theme::TEMPLATES
            .iter()
            .find(|(name, _)| *name == "page.html")
            .unwrap()
            .1;
        std::fs::write(theme.join("page.html"), page).unwrap();
        let input = dir.path().join("articles");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(input.join("one.txt"), article("One")).unwrap();
        let mut settings = settings(&input);
        settings.templates = Some(theme.clone());
        let live = Arc::new(Live::default());
        preview::refresh(&settings, &live).unwrap();
        let watcher = Watcher::start(settings, None, Arc::clone(&live)).unwrap();

        let temp = theme.join(".page.html.tmp");
        std::fs::write(&temp, page.replace("Subscribe to this feed", "Follow")).unwrap();
        std::fs::rename(&temp, theme.join("page.html")).unwrap();
        watcher.wait_for("a rebuild after the edit", |done| done.rebuilds > 0);
        assert_eq!(watcher.flush(&theme).rebuilds, 1, "one save, one rebuild");
        let served = live.current();
        let html = String::from_utf8_lossy(&served.get("articles.html").unwrap().bytes);
        assert!(html.contains("<h2 id=\"subscribe\">Follow</h2>"), "{html}");
        watcher.stop();
    }

    /// A preview of `dir/articles` watching the settings file `dir/feedsmith.yaml`, whose
    /// every reload retitles the site "Renamed".
    fn watching_settings(dir: &Path) -> (Watcher, Arc<Live>, PathBuf) {
        let input = dir.join("articles");
        std::fs::create_dir(&input).unwrap();
        std::fs::write(input.join("one.txt"), article("One")).unwrap();
        let settings = settings(&input);
        let live = Arc::new(Live::default());
        preview::refresh(&settings, &live).unwrap();
        let config = dir.join("feedsmith.yaml");
        std::fs::write(&config, "title: Old\n").unwrap();
        let mut renamed = settings.clone();
        renamed.site.title = "Renamed".into();
        let reload: Reload = Box::new(move || Ok(renamed.clone()));
        let watcher =
            Watcher::start(settings, Some((config.clone(), reload)), Arc::clone(&live)).unwrap();
        (watcher, live, config)
    }

    #[test]
    fn an_edit_to_the_settings_file_reloads_them() {
        let dir = tempfile::tempdir().unwrap();
        let (watcher, live, config) = watching_settings(dir.path());

        // Saved the way many editors save: a new file renamed over the old one.
        let temp = dir.path().join("feedsmith.yaml.new");
        std::fs::write(&temp, "title: Renamed\n").unwrap();
        std::fs::rename(&temp, &config).unwrap();
        one_reload_renamed(watcher, &live, dir.path());
    }

    /// After a save: exactly one reload and one rebuild, and the new title served.
    fn one_reload_renamed(watcher: Watcher, live: &Live, dir: &Path) {
        watcher.wait_for("a reload after the save", |done| done.reloads > 0);
        let done = watcher.flush(dir);
        assert_eq!(
            (done.reloads, done.rebuilds),
            (1, 1),
            "one save, one reload"
        );
        assert!(served_title(live, "Renamed"));
        watcher.stop();
    }

    #[test]
    fn a_save_written_slowly_is_still_one_reload() {
        let dir = tempfile::tempdir().unwrap();
        let (watcher, live, config) = watching_settings(dir.path());

        // The new file is created, then closed half a debounce later (a slow editor, or a
        // loaded machine), then renamed over the settings file. A debouncer that sends each
        // event once it is old enough sent its creation and its closing apart: two reloads.
        let temp = dir.path().join("feedsmith.yaml.new");
        let mut file = std::fs::File::create(&temp).unwrap();
        std::io::Write::write_all(&mut file, b"title: ").unwrap();
        std::thread::sleep(DEBOUNCE / 2);
        std::io::Write::write_all(&mut file, b"Renamed\n").unwrap();
        drop(file);
        std::fs::rename(&temp, &config).unwrap();
        one_reload_renamed(watcher, &live, dir.path());
    }
}
