//! `crm serve`: own the book without a screen and serve it to the other `crm` processes of
//! the machine (team mode). Commands run while it serves become its clients.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixListener;
use std::path::Path;

use super::{CliResult, Context, UserError};
use crate::book::remote::{serve, socket_path};

pub fn run(context: &Context, socket: Option<&Path>) -> CliResult {
    let mut book = context.open_book()?;
    let path = socket
        .map(Path::to_path_buf)
        .unwrap_or_else(|| socket_path(&context.data_dir));
    // We hold the book's lock, so a socket file left here is from a crashed server.
    if path.exists() {
        std::fs::remove_file(&path).map_err(|e| UserError(format!("{}: {e}", path.display())))?;
    }
    let listener =
        UnixListener::bind(&path).map_err(|e| UserError(format!("{}: {e}", path.display())))?;
    // Private in the data dir; a socket placed elsewhere is for a group to share.
    let mode = if socket.is_some() { 0o660 } else { 0o600 };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| UserError(format!("{}: {e}", path.display())))?;
    eprintln!(
        "crm: serving {} on {} ({} customers); stop with Ctrl-C",
        context.data_dir.display(),
        path.display(),
        book.customer_count()
    );
    let served = serve(&mut book, &listener);
    let _ = std::fs::remove_file(&path);
    served.map_err(|e| UserError(format!("{}: {e}", path.display())))
}
