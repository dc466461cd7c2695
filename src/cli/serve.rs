//! `crm serve`: own the book without a screen and serve it to the other `crm` processes of
//! the machine (team mode) until Ctrl-C, SIGTERM or SIGHUP. Commands and consoles started
//! meanwhile are its clients; each is served as the login the kernel names.
//!
//! The socket is `--socket`, else `$CRM_SOCKET`, else `DATA_DIR/crm.sock` (as clients look
//! for it); one in the data dir is private (0600), one named elsewhere is for a group
//! (0660, shared through the directory's group). A live server's socket is never taken
//! over (a second server is refused, told the first one's pid); a stale one is replaced.

use std::sync::Arc;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::{CliResult, Context, UserError};
use crate::book::remote::{claim, start, Hub, Limits, ListenError};
use crate::i18n::tr;

pub fn run(context: &Context) -> CliResult {
    // Watching first: a signal that comes while the book opens still stops the server.
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| UserError::Message(tr("serve-no-signals", &[("error", &e.to_string())])))?;
    let book = context.open_book()?;
    let path = context.socket.clone();
    let name = path.display().to_string();
    let mode = if context.socket_named { 0o660 } else { 0o600 };
    let claimed = claim(&path, mode).map_err(|e| match e {
        ListenError::Taken { pid: Some(pid) } => UserError::Message(tr(
            "serve-taken-by",
            &[("socket", &name), ("pid", &pid.to_string())],
        )),
        ListenError::Taken { pid: None } => {
            UserError::Message(tr("serve-taken", &[("socket", &name)]))
        }
        ListenError::NotASocket => {
            UserError::Message(tr("serve-not-a-socket", &[("socket", &name)]))
        }
        ListenError::CannotTell(e) => UserError::Message(tr(
            "serve-cannot-tell",
            &[("socket", &name), ("error", &e.to_string())],
        )),
        ListenError::Io(e) => super::at(&name, &e.to_string()),
    })?;
    let customers = book.customer_count();
    let hub = Hub::shared(book);
    let listener = claimed
        .listener
        .try_clone()
        .map_err(|e| super::at(&name, &e.to_string()))?;
    let serving = start(Arc::clone(&hub), listener, path.clone(), Limits::default());
    eprintln!(
        "crm: {}",
        tr(
            "serve-serving",
            &[
                ("dir", &context.data_dir.display().to_string()),
                ("socket", &name),
                ("customers", &customers.to_string()),
                ("pid", &std::process::id().to_string()),
            ],
        )
    );
    // Sleeps in the kernel until a signal comes: an idle server costs no CPU.
    let _ = signals.forever().next();
    serving.stop("the server is stopping");
    drop(claimed);
    // The last connection has let go: closing the book saves its snapshots.
    if let Ok(hub) = Arc::try_unwrap(hub) {
        drop(hub.into_book());
    }
    Ok(())
}
