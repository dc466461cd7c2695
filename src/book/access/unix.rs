//! Who a process or a peer is, from the kernel and the system's user database: the only
//! identities the book believes (a `--user` a client sends is a name for its journal
//! lines on a personal book, never a key to someone else's records).

use std::ffi::CStr;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// The login of `uid` in the system's user database (`getpwuid_r`), if it has one.
pub fn login_of_uid(uid: u32) -> Option<String> {
    let mut buffer = vec![0 as libc::c_char; 1024];
    loop {
        // SAFETY: `passwd` and `found` are plain out-parameters; `buffer` outlives the
        // call and its length is passed, so getpwuid_r writes only inside it.
        let mut passwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let status = unsafe {
            libc::getpwuid_r(
                uid,
                &mut passwd,
                buffer.as_mut_ptr(),
                buffer.len(),
                &mut found,
            )
        };
        if status == libc::ERANGE && buffer.len() < 1 << 20 {
            buffer.resize(buffer.len() * 4, 0);
            continue;
        }
        if status != 0 || found.is_null() || passwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success `pw_name` points to a NUL-terminated string in `buffer`.
        let name = unsafe { CStr::from_ptr(passwd.pw_name) };
        return name.to_str().ok().map(str::to_string);
    }
}

/// The effective uid of this process.
pub fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// This process is the account that owns `dir` (or root): it holds every file of the book.
pub fn owns(dir: &Path) -> bool {
    let uid = current_uid();
    uid == 0 || dir_owner(dir) == Some(uid)
}

/// The uid that owns `dir` (the book's account), if it can be read.
pub fn dir_owner(dir: &Path) -> Option<u32> {
    std::fs::metadata(dir).ok().map(|m| m.uid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_uid_0_and_this_process_has_a_login() {
        assert_eq!(login_of_uid(0).as_deref(), Some("root"));
        // A uid nobody has.
        assert_eq!(login_of_uid(4_000_000_000), None);
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(dir_owner(tmp.path()), Some(current_uid()));
    }
}
