//! Claiming the book's socket path with care: whatever is there is never deleted unless it
//! is a socket nobody listens on (a crashed server's); a live server's socket is never
//! taken over; on the way out only our own socket is removed.

use std::io::ErrorKind;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use super::peer::peer_of;

/// Why the socket path could not be claimed.
#[derive(Debug)]
pub enum ListenError {
    /// A server listens there (its pid when the kernel says).
    Taken {
        pid: Option<u32>,
    },
    /// Something that is not a socket is there.
    NotASocket,
    /// Connecting to what is there failed in a way that does not say it is stale.
    CannotTell(std::io::Error),
    Io(std::io::Error),
}

/// A listening socket at a path we created; removed on drop if it is still ours.
pub struct Claimed {
    pub listener: UnixListener,
    path: PathBuf,
    dev: u64,
    ino: u64,
}

impl Claimed {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Claimed {
    fn drop(&mut self) {
        // Only our own socket: another server may have replaced a path we were moved from.
        let still_ours = std::fs::symlink_metadata(&self.path)
            .is_ok_and(|now| now.dev() == self.dev && now.ino() == self.ino);
        if still_ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Listens on `path` with permissions `mode` (0600 private, 0660 for a group).
/// Something already there is replaced only when it is a stale socket.
pub fn claim(path: &Path, mode: u32) -> Result<Claimed, ListenError> {
    let listener = match UnixListener::bind(path) {
        Err(e) if e.kind() == ErrorKind::AddrInUse => {
            remove_stale_socket(path)?;
            UnixListener::bind(path).map_err(ListenError::Io)?
        }
        other => other.map_err(ListenError::Io)?,
    };
    let meta = std::fs::symlink_metadata(path).map_err(ListenError::Io)?;
    let claimed = Claimed {
        listener,
        path: path.to_path_buf(),
        dev: meta.dev(),
        ino: meta.ino(),
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(ListenError::Io)?;
    Ok(claimed)
}

/// Removes the socket at `path` if no process listens on it; refuses anything else.
fn remove_stale_socket(path: &Path) -> Result<(), ListenError> {
    let meta = std::fs::symlink_metadata(path).map_err(ListenError::Io)?;
    if !meta.file_type().is_socket() {
        return Err(ListenError::NotASocket);
    }
    match UnixStream::connect(path) {
        Ok(stream) => Err(ListenError::Taken {
            pid: peer_of(&stream).ok().map(|p| p.pid).filter(|&pid| pid > 0),
        }),
        Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
            std::fs::remove_file(path).map_err(ListenError::Io)
        }
        Err(e) => Err(ListenError::CannotTell(e)),
    }
}
