//! Private by construction: the data dir is 0700 and every file in it 0600, whatever the
//! umask, and a file replaced by rename is first written to a temporary file created
//! exclusively beside it.
//!
//! `O_CREAT | O_EXCL` (`create_new`) fails on any existing path, a symlink included, so
//! a link planted where a temporary file will go is never followed; the name also carries
//! random bits, so it cannot be planted ahead. The process umask only ever removes bits,
//! so the explicit 0600/0700 here are what the files get (`main` also sets the umask to
//! 0077 for the files sled creates itself; `tighten` covers a library caller that did not).

use std::collections::hash_map::RandomState;
use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub(crate) const FILE_MODE: u32 = 0o600;
pub(crate) const DIR_MODE: u32 = 0o700;

/// The mark of a temporary file in its name: `<target>.crm-tmp-<16 hex digits>`.
const TMP_MARK: &str = ".crm-tmp-";

/// Creates `dir` (and missing parents) 0700, or makes an existing one 0700 when group or
/// others have any access to it; returns the mode it had then.
pub(crate) fn private_dir(dir: &Path) -> io::Result<Option<u32>> {
    match fs::metadata(dir) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o7777;
            if mode & 0o077 == 0 {
                return Ok(None);
            }
            fs::set_permissions(dir, fs::Permissions::from_mode(DIR_MODE))?;
            Ok(Some(mode))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(DIR_MODE)
                .create(dir)?;
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Makes every file under `dir` 0600 and every directory 0700 where group or others had
/// access (files of an older crm, or sled's own under a looser umask); symlinks and
/// sockets are left as they are. Returns how many it changed.
pub(crate) fn tighten(dir: &Path) -> io::Result<usize> {
    let mut changed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let meta = fs::symlink_metadata(&path)?;
        let mode = meta.permissions().mode() & 0o7777;
        let wanted = if meta.is_dir() {
            changed += tighten(&path)?;
            DIR_MODE
        } else if meta.is_file() {
            FILE_MODE
        } else {
            continue;
        };
        if mode & 0o077 != 0 {
            fs::set_permissions(&path, fs::Permissions::from_mode(wanted))?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// A new file beside `target`, 0600, created exclusively under a name nobody could guess;
/// the caller writes it and renames it over `target` (or removes it).
pub(crate) fn create_temp_beside(target: &Path) -> io::Result<(File, PathBuf)> {
    create_temp_named(target, random)
}

/// As `create_temp_beside`, the random part of each name tried from `next`: a name that
/// exists (whatever it is: a file, a planted symlink) is passed over, never opened.
fn create_temp_named(target: &Path, mut next: impl FnMut() -> u64) -> io::Result<(File, PathBuf)> {
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("not a file name"))?
        .to_string_lossy()
        .into_owned();
    let mut last = None;
    for _ in 0..16 {
        let tmp = target.with_file_name(format!("{name}{TMP_MARK}{:016x}", next()));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(FILE_MODE)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)
        {
            Ok(file) => return Ok((file, tmp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// Writes `bytes` to `target` through an exclusive temporary file beside it: synced, then
/// renamed over `target`, so a reader sees the old file or the new one, never a part. The
/// temporary file is removed if anything fails. The directory is not synced.
pub fn replace_file(target: &Path, bytes: &[u8]) -> io::Result<()> {
    replace_file_with(target, &mut |out| out.write_all(bytes))
}

/// As `replace_file`, the contents written by `write` (through a buffer) as it makes them,
/// so a large file need not be whole in memory first. When `write` fails, `target` is left
/// as it was.
pub fn replace_file_with(
    target: &Path,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let (file, tmp) = create_temp_beside(target)?;
    let mut out = io::BufWriter::new(file);
    let written = write(&mut out)
        .and_then(|()| out.into_inner().map_err(io::IntoInnerError::into_error))
        .and_then(|file| file.sync_all())
        .and_then(|()| fs::rename(&tmp, target));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Removes temporary files a crashed writer left in `dir`. Call only while holding the
/// book's lock: every writer of temporary files in the data dir holds it.
pub(crate) fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().contains(TMP_MARK)
            && entry.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// 64 bits from the OS's random source (std seeds each `RandomState` from it).
fn random() -> u64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn mode(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
    }

    /// A writer that fails half way leaves the old file as it was and no temporary file.
    #[test]
    fn a_failed_streamed_write_leaves_the_old_file() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("export.json");
        fs::write(&target, b"old").unwrap();
        let failed = replace_file_with(&target, &mut |out| {
            out.write_all(b"half of the ")?;
            Err(io::Error::other("reading the book failed"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&target).unwrap(), b"old");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
        replace_file_with(&target, &mut |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(mode(&target), 0o600);
    }

    #[test]
    fn a_new_dir_is_0700_and_a_loose_one_is_tightened_once() {
        let root = tempfile::tempdir().unwrap();
        let fresh = root.path().join("a/b");
        assert_eq!(private_dir(&fresh).unwrap(), None);
        assert_eq!(mode(&fresh), 0o700);
        let loose = root.path().join("loose");
        fs::create_dir(&loose).unwrap();
        fs::set_permissions(&loose, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(private_dir(&loose).unwrap(), Some(0o755));
        assert_eq!(mode(&loose), 0o700);
        assert_eq!(private_dir(&loose).unwrap(), None, "already private");
    }

    #[test]
    fn tighten_fixes_loose_files_and_dirs_and_leaves_symlinks() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path();
        fs::create_dir(dir.join("index")).unwrap();
        fs::write(dir.join("index/db"), b"x").unwrap();
        fs::write(dir.join("journal"), b"x").unwrap();
        fs::write(dir.join("lock"), b"x").unwrap();
        fs::set_permissions(dir.join("index"), fs::Permissions::from_mode(0o755)).unwrap();
        fs::set_permissions(dir.join("index/db"), fs::Permissions::from_mode(0o644)).unwrap();
        fs::set_permissions(dir.join("journal"), fs::Permissions::from_mode(0o666)).unwrap();
        fs::set_permissions(dir.join("lock"), fs::Permissions::from_mode(0o600)).unwrap();
        let outside = tempfile::NamedTempFile::new().unwrap();
        fs::set_permissions(outside.path(), fs::Permissions::from_mode(0o644)).unwrap();
        symlink(outside.path(), dir.join("link")).unwrap();
        assert_eq!(tighten(dir).unwrap(), 3);
        assert_eq!(mode(&dir.join("index")), 0o700);
        assert_eq!(mode(&dir.join("index/db")), 0o600);
        assert_eq!(mode(&dir.join("journal")), 0o600);
        assert_eq!(
            mode(outside.path()),
            0o644,
            "a symlink's target is not touched"
        );
        assert_eq!(tighten(dir).unwrap(), 0);
    }

    #[test]
    fn a_symlink_at_the_temporary_path_is_never_followed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("export.json");
        let victim = root.path().join("victim");
        fs::write(&victim, b"precious").unwrap();
        // Plant links at the first two names the writer will try.
        let planted = [1u64, 2].map(|n| root.path().join(format!("export.json{TMP_MARK}{n:016x}")));
        for link in &planted {
            symlink(&victim, link).unwrap();
        }
        let mut names = [1u64, 2, 3].into_iter();
        let (mut file, tmp) = create_temp_named(&target, || names.next().unwrap()).unwrap();
        assert_eq!(
            tmp,
            root.path().join(format!("export.json{TMP_MARK}{:016x}", 3))
        );
        file.write_all(b"new").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"precious");
        assert_eq!(mode(&tmp), 0o600);
        for link in &planted {
            assert!(fs::symlink_metadata(link).unwrap().file_type().is_symlink());
        }
        // And the whole replace: the target is the new bytes, 0600, no temporary left.
        fs::write(&target, b"old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o644)).unwrap();
        replace_file(&target, b"new").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        assert_eq!(mode(&target), 0o600);
        let leftovers = fs::read_dir(root.path())
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name.to_string_lossy().contains(TMP_MARK)
            })
            .count();
        assert_eq!(
            leftovers, 3,
            "the two planted links and the file made above"
        );
    }

    #[test]
    fn temporary_names_differ_and_stale_ones_are_removed() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("snapshot.x");
        let (_a, first) = create_temp_beside(&target).unwrap();
        let (_b, second) = create_temp_beside(&target).unwrap();
        assert_ne!(first, second);
        assert_eq!(mode(&first), 0o600);
        fs::write(root.path().join("journal"), b"keep").unwrap();
        remove_stale_temps(root.path());
        assert!(!first.exists() && !second.exists());
        assert!(root.path().join("journal").exists());
    }
}
