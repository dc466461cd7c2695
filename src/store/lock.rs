//! One process per book: an exclusive `flock` on `DIR/lock`, holding the owner's pid.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::io::AsRawFd;
use std::path::Path;
use std::time::{Duration, Instant};

use super::error::{io_at, Result, StoreError};

const OWN_PID_GRACE: Duration = Duration::from_millis(500);
/// `holder` takes the lock for a moment: an open that meets such a probe waits this long.
const PROBE_GRACE: Duration = Duration::from_millis(50);

/// Held while the book is open; dropping it (or the process dying) releases the lock.
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub fn acquire(path: &Path) -> Result<DirLock> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)
            .map_err(io_at(path))?;
        let started = Instant::now();
        loop {
            // SAFETY: flock on a file descriptor we own; no memory is involved.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc == 0 {
                break;
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EWOULDBLOCK) {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source: err,
                });
            }
            let pid = read_pid(&mut file);
            // A child we just spawned holds copies of our descriptors until the kernel
            // finishes its exec, which can lag under load; our own pid in the file means
            // that (or a second open in this process), so give it a moment; another
            // process's `holder` probe holds it only for an instant.
            let grace = if pid == Some(std::process::id()) {
                OWN_PID_GRACE
            } else {
                PROBE_GRACE
            };
            if started.elapsed() < grace {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            return Err(StoreError::Locked { pid });
        }
        let pid = std::process::id().to_string();
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(pid.as_bytes()))
            .map_err(io_at(path))?;
        Ok(DirLock { _file: file })
    }
}

/// The pid of the process holding the lock at `path` (0 when unknown), or `None` when it
/// is free (or there is no lock file yet). The lock is taken and released at once.
pub(crate) fn holder(path: &Path) -> Option<u32> {
    let mut file = File::open(path).ok()?;
    // SAFETY: flock on a file descriptor we own; no memory is involved.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_SH | libc::LOCK_NB) };
    if rc == 0 {
        // Closing the file releases the shared lock.
        return None;
    }
    Some(read_pid(&mut file).unwrap_or(0))
}

/// The owner may be between truncating and writing its pid: then it is unknown.
fn read_pid(file: &mut File) -> Option<u32> {
    file.seek(SeekFrom::Start(0)).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_names_the_pid_while_held_and_leaves_the_lock_free() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("lock");
        assert_eq!(holder(&path), None, "no lock file yet");
        let lock = DirLock::acquire(&path).unwrap();
        assert_eq!(holder(&path), Some(std::process::id()));
        drop(lock);
        assert_eq!(holder(&path), None);
        // Probing did not keep the lock: it can be taken again at once.
        drop(DirLock::acquire(&path).unwrap());
    }
}
