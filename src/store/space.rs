//! A full disk is not damage: it is reported as such (naming the data dir and the bytes
//! needed), and nothing is moved aside or half-written because of it.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::error::StoreError;

/// The index (sled) takes several times the bytes of the change it stores (the 100,000-
/// customer demo: 497 MB of index for a 173 MB journal), and new segments of its log (512
/// KiB each) on top: a change is refused up front unless the record, `INDEX_FACTOR` times
/// its size and `INDEX_HEADROOM` are free. On a 4 MiB tmpfs a 20-customer import (38 KB)
/// was refused at 1150 KiB free and went through whole at 1200 KiB; without this check
/// it failed half-way (durable, exit 1) at 32 KiB.
pub(crate) const INDEX_FACTOR: u64 = 4;
pub(crate) const INDEX_HEADROOM: u64 = 1 << 20;

/// The disk or the user's quota is full.
pub(crate) fn is_full(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOSPC) | Some(libc::EDQUOT))
}

/// An error of the machine rather than of the files: the disk is full, read-only or not
/// ours to write, or the process ran out of descriptors or memory. Moving a file aside
/// or rebuilding it cannot help with any of these.
pub(crate) fn is_environmental(e: &std::io::Error) -> bool {
    is_full(e)
        || matches!(
            e.raw_os_error(),
            Some(
                libc::EROFS
                    | libc::EACCES
                    | libc::EPERM
                    | libc::EMFILE
                    | libc::ENFILE
                    | libc::ENOMEM
                    | libc::EIO
            )
        )
}

/// Bytes an unprivileged process may still write in `dir`'s file system.
pub(crate) fn free_bytes(dir: &Path) -> Option<u64> {
    let path = CString::new(dir.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs writes only into the zeroed struct we pass; the path is NUL-terminated.
    let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::statvfs(path.as_ptr(), &mut stat) };
    (rc == 0).then(|| (stat.f_bavail as u64).saturating_mul(stat.f_frsize as u64))
}

pub(crate) fn full(dir: &Path, needed: u64) -> StoreError {
    StoreError::DiskFull {
        dir: dir.to_path_buf(),
        needed,
        free: free_bytes(dir).unwrap_or(0),
    }
}

/// Refuses up front when `dir` has less than `needed` bytes free.
pub(crate) fn ensure(dir: &Path, needed: u64) -> Result<(), StoreError> {
    match free_bytes(dir) {
        Some(free) if free < needed => Err(StoreError::DiskFull {
            dir: dir.to_path_buf(),
            needed,
            free,
        }),
        _ => Ok(()),
    }
}
