//! Opening the preview in the default browser, for `feedsmith serve --open`.

use std::process::{Command, Stdio};

/// Opens `url` in the default browser, best effort: when no browser can be started, says
/// where to go instead.
pub(super) fn open(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut command = Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match command.spawn() {
        // Reap it in the background so it leaves no zombie.
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(_) => eprintln!("feedsmith: could not open a browser; visit {url}"),
    }
}
