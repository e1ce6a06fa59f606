//! The server's lifecycle: bind the socket and build once ([`Server::bind`], or [`listen`]
//! and [`Server::on`]), then serve and watch in the foreground until Ctrl-C ([`Server::run`])
//! or on a background thread until stopped ([`Server::spawn`] and its [`Handle`]).

use std::future::{Future, IntoFuture};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, Uri};

use super::files::Files;
use super::preview::{self, Live, Verbosity};
use super::watch::{Reload, Watcher};
use super::{browser, http};
use crate::{Error, Settings};

/// Binds `addr` for a preview server ([`Server::on`]); port `0` picks a free port, which the
/// listener's `local_addr` names.
pub fn listen(addr: SocketAddr) -> Result<TcpListener, Error> {
    TcpListener::bind(addr).map_err(|e| Error::io(addr.to_string(), "binding", e))
}

/// The URL of the root of a server bound at `addr`, as a browser on this machine reaches it:
/// `http://127.0.0.1:8000/`, `http://[::1]:8000/`, and `http://localhost:8000/` for an
/// unspecified address (`0.0.0.0`, `::`), which serves every address, none of them usable in
/// a link. That is also the address a container's published port is reached at from its
/// host, when the port is published as the same number.
pub fn url(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("http://localhost:{}/", addr.port())
    } else {
        format!("http://{addr}/")
    }
}

/// After a stop is asked for, how long open connections get to finish before the server
/// stops anyway.
const GRACE: Duration = Duration::from_secs(2);

/// A bound preview server that has built the feeds once; [`Server::run`] or
/// [`Server::spawn`] starts serving and watching.
pub struct Server {
    listener: TcpListener,
    addr: SocketAddr,
    settings: Settings,
    config: Option<(PathBuf, Reload)>,
    live: Arc<Live>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .field("settings", &self.settings)
            .field("config", &self.config.as_ref().map(|c| &c.0))
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Binds `127.0.0.1:port` (`0` picks a free port) and builds the feeds into memory
    /// once, printing the problems and summary to stderr: [`listen`] then [`Server::on`].
    pub fn bind(settings: Settings, port: u16) -> Result<Server, Error> {
        let listener = listen(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        Server::on(listener, settings, Verbosity::Normal)
    }

    /// Serves on `listener` (from [`listen`]) and builds the feeds into memory once, printing
    /// the problems and, as `verbosity` says, the summary to stderr. Fails when the build
    /// cannot run at all (such as a missing input folder); a build stopped by invalid
    /// articles is not a failure: the server starts with no files and fills in at the first
    /// good rebuild.
    ///
    /// The settings' `base_url` is used as it is: for self links that work in the preview,
    /// make it [`url()`] of the listener's address.
    pub fn on(
        listener: TcpListener,
        settings: Settings,
        verbosity: Verbosity,
    ) -> Result<Server, Error> {
        let addr = listener
            .local_addr()
            .map_err(|e| Error::io("the server's socket", "binding", e))?;
        let live = Arc::new(Live::new(verbosity));
        preview::print(&preview::refresh(&settings, &live)?, None, &live);
        Ok(Server {
            listener,
            addr,
            settings,
            config: None,
            live,
        })
    }

    /// Also watches the settings file at `path`: when it changes, `reload` gives the new
    /// settings (typically `Settings::resolve` with the same overrides) and the feeds are
    /// rebuilt with them. When `reload` fails, its error is printed and the old settings
    /// stay.
    pub fn watch_config(
        mut self,
        path: impl Into<PathBuf>,
        reload: impl FnMut() -> Result<Settings, Error> + Send + 'static,
    ) -> Server {
        self.config = Some((path.into(), Box::new(reload)));
        self
    }

    /// The address served, with the bound port.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The URL of the server's root as a browser on this machine reaches it ([`url()`]).
    pub fn url(&self) -> String {
        url(self.addr)
    }

    /// The files served right now.
    pub fn files(&self) -> Arc<Files> {
        self.live.current()
    }

    /// Serves and watches until Ctrl-C; with `open`, first opens the URL in a browser (best
    /// effort).
    pub fn run(self, open: bool) -> Result<(), Error> {
        let url = self.url();
        let addr = self.addr;
        let (watcher, serving) = self.start()?;
        let runtime = runtime(addr)?;
        let quiet = serving.live.verbosity == Verbosity::Quiet;
        if !quiet {
            if addr.ip().is_unspecified() {
                eprintln!(
                    "feedsmith: serving {url} (on every address of this machine, port {}; Ctrl-C to stop)",
                    addr.port()
                );
            } else {
                eprintln!("feedsmith: serving {url} (Ctrl-C to stop)");
            }
        }
        if open {
            browser::open(&url);
        }
        let result = runtime.block_on(serving.serve(async {
            let _ = tokio::signal::ctrl_c().await;
        }));
        watcher.stop();
        if !quiet {
            eprintln!("feedsmith: stopped");
        }
        result
    }

    /// Serves and watches on a background thread until the [`Handle`] is stopped or
    /// dropped.
    pub fn spawn(self) -> Result<Handle, Error> {
        let addr = self.addr;
        let (watcher, serving) = self.start()?;
        let runtime = runtime(addr)?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("feedsmith-serve".into())
            .spawn(move || {
                let result = runtime.block_on(serving.serve(async {
                    let _ = stopped.await;
                }));
                watcher.stop();
                result
            })
            .map_err(|e| Error::io(addr.to_string(), "starting a thread for", e))?;
        Ok(Handle {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Starts the watcher; what is left is the socket and the files to serve.
    fn start(self) -> Result<(Watcher, Serving), Error> {
        let Server {
            listener,
            addr,
            settings,
            config,
            live,
        } = self;
        let watcher = Watcher::start(settings, config, Arc::clone(&live))?;
        Ok((
            watcher,
            Serving {
                listener,
                addr,
                live,
            },
        ))
    }
}

/// A server running on a background thread ([`Server::spawn`]). Dropping it stops the
/// server too.
#[derive(Debug)]
pub struct Handle {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<Result<(), Error>>>,
}

impl Handle {
    /// The address served.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving and watching, and waits for both to end (at most about two seconds
    /// for open connections).
    pub fn stop(mut self) -> Result<(), Error> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(Error::io(
                self.addr.to_string(),
                "serving",
                std::io::Error::other("the server thread panicked"),
            )),
            None => Ok(()),
        }
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

fn runtime(addr: SocketAddr) -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("feedsmith-http")
        .enable_all()
        .build()
        .map_err(|e| Error::io(addr.ip().to_string(), "starting the server on", e))
}

/// The socket and the files, ready to serve.
struct Serving {
    listener: TcpListener,
    addr: SocketAddr,
    live: Arc<Live>,
}

impl Serving {
    /// Serves until `shutdown` completes, then gives open connections [`GRACE`] to end.
    async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), Error> {
        let failed = |e| Error::io(format!("http://{}/", self.addr), "serving", e);
        self.listener.set_nonblocking(true).map_err(failed)?;
        let listener = tokio::net::TcpListener::from_std(self.listener).map_err(failed)?;
        let app = axum::Router::new().fallback(answer).with_state(self.live);
        let (stopping, mut stopped) = tokio::sync::watch::channel(false);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stopping.send(true);
        });
        let deadline = async move {
            let _ = stopped.wait_for(|s| *s).await;
            tokio::time::sleep(GRACE).await;
        };
        tokio::select! {
            result = server.into_future() => result.map_err(failed),
            () = deadline => Ok(()),
        }
    }
}

/// Every request, whatever its path: [`http::respond`] over the files served now.
async fn answer(
    State(live): State<Arc<Live>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response<Body> {
    http::respond_with(
        &live.current(),
        &live.listing(),
        &method,
        uri.path(),
        &headers,
    )
    .map(Body::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_names_the_bound_address_or_localhost_for_every_address() {
        let url_of = |addr: &str| url(addr.parse().unwrap());
        assert_eq!(url_of("127.0.0.1:8000"), "http://127.0.0.1:8000/");
        assert_eq!(url_of("192.168.1.5:80"), "http://192.168.1.5:80/");
        assert_eq!(url_of("[::1]:8080"), "http://[::1]:8080/");
        assert_eq!(url_of("0.0.0.0:8000"), "http://localhost:8000/");
        assert_eq!(url_of("[::]:8000"), "http://localhost:8000/");
    }
}
