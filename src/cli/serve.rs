//! `crm serve`: own the book without a screen and serve it to the other `crm` processes of
//! the machine (team mode). Commands run while it serves become its clients.
//!
//! The socket path is claimed with care: whatever is there is never deleted unless it is a
//! socket nobody listens on (a crashed server's); a live server's socket is never taken
//! over (the second server is refused, told the first one's pid), and on the way out only
//! our own socket is removed.

use std::io::ErrorKind;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::{CliResult, Context, UserError};
use crate::book::remote::{serve, socket_path};
use crate::i18n::tr;

pub fn run(context: &Context, socket: Option<&Path>) -> CliResult {
    let mut book = context.open_book()?;
    let path = socket
        .map(Path::to_path_buf)
        .unwrap_or_else(|| socket_path(&context.data_dir));
    let at = |e: std::io::Error| super::at(&path.display().to_string(), &e.to_string());
    let listener = bind(&path)?;
    let ours = std::fs::symlink_metadata(&path).map_err(at)?;
    // Private in the data dir; a socket placed elsewhere is for a group to share.
    let mode = if socket.is_some() { 0o660 } else { 0o600 };
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).map_err(at)?;
    eprintln!(
        "crm: {}",
        tr(
            "serve-serving",
            &[
                ("dir", &context.data_dir.display().to_string()),
                ("socket", &path.display().to_string()),
                ("customers", &book.customer_count().to_string()),
            ],
        )
    );
    let stop = Arc::new(AtomicBool::new(false));
    stop_on_signals(&path, Arc::clone(&stop))?;
    let served = serve(&mut book, &listener, &stop);
    // Only our own socket: another server may have replaced a path we were moved from.
    let still_ours = std::fs::symlink_metadata(&path)
        .is_ok_and(|now| now.dev() == ours.dev() && now.ino() == ours.ino());
    if still_ours {
        let _ = std::fs::remove_file(&path);
    }
    served.map_err(at)
}

/// Listens on `path`. Something already there is replaced only when it is a stale socket.
fn bind(path: &Path) -> Result<UnixListener, UserError> {
    let at = |e: std::io::Error| super::at(&path.display().to_string(), &e.to_string());
    match UnixListener::bind(path) {
        Err(e) if e.kind() == ErrorKind::AddrInUse => {
            remove_stale_socket(path)?;
            UnixListener::bind(path).map_err(at)
        }
        other => other.map_err(at),
    }
}

/// Removes the socket at `path` if no process listens on it; refuses anything else.
fn remove_stale_socket(path: &Path) -> Result<(), UserError> {
    let name = path.display().to_string();
    let at = |e: std::io::Error| super::at(&name, &e.to_string());
    let meta = std::fs::symlink_metadata(path).map_err(at)?;
    if !meta.file_type().is_socket() {
        return Err(UserError::Message(tr(
            "serve-not-a-socket",
            &[("socket", &name)],
        )));
    }
    match UnixStream::connect(path) {
        Ok(stream) => Err(UserError::Message(match peer_pid(&stream) {
            Some(pid) => tr(
                "serve-taken-by",
                &[("socket", &name), ("pid", &pid.to_string())],
            ),
            None => tr("serve-taken", &[("socket", &name)]),
        })),
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            std::fs::remove_file(path).map_err(at)
        }
        Err(e) => Err(UserError::Message(tr(
            "serve-cannot-tell",
            &[("socket", &name), ("error", &e.to_string())],
        ))),
    }
}

/// The pid of the process at the other end of a Unix socket, as the kernel saw it.
#[cfg(target_os = "linux")]
fn peer_pid(stream: &UnixStream) -> Option<u32> {
    use std::os::unix::io::AsRawFd;
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: getsockopt writes at most `len` bytes into `cred`, a ucred we own.
    let rc = unsafe {
        libc::getsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    (rc == 0 && cred.pid > 0).then_some(cred.pid as u32)
}

#[cfg(not(target_os = "linux"))]
fn peer_pid(_stream: &UnixStream) -> Option<u32> {
    None
}

/// Ctrl-C, SIGTERM and SIGHUP stop the server: the flag is set and the listener woken by one
/// connection, so `run` returns normally, removes its socket and closes the book. Should the
/// socket be unreachable, the process ends at once (a socket left behind is found stale and
/// replaced by the next server).
fn stop_on_signals(path: &Path, stop: Arc<AtomicBool>) -> Result<(), UserError> {
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| UserError::Message(tr("serve-no-signals", &[("error", &e.to_string())])))?;
    let path: PathBuf = path.to_path_buf();
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop.store(true, Ordering::SeqCst);
            if UnixStream::connect(&path).is_err() {
                std::process::exit(128 + signal);
            }
        }
    });
    Ok(())
}
