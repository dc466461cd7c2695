//! Who is at the other end of the book's socket, as the kernel says (SO_PEERCRED), and
//! that user's login from the system's user database. Nothing a client sends about itself
//! is believed: identity comes from here only.

use std::os::unix::net::UnixStream;

use super::super::access::unix::{current_uid, login_of_uid};

/// The process at the other end of a Unix socket when it connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    pub pid: u32,
    pub uid: u32,
}

/// The kernel's record of the connecting process.
#[cfg(target_os = "linux")]
pub fn peer_of(stream: &UnixStream) -> std::io::Result<Peer> {
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
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(Peer {
        pid: cred.pid.max(0) as u32,
        uid: cred.uid,
    })
}

#[cfg(not(target_os = "linux"))]
pub fn peer_of(_stream: &UnixStream) -> std::io::Result<Peer> {
    Err(std::io::Error::other(
        "the peer's identity is read with SO_PEERCRED, which this system lacks",
    ))
}

/// The login of `uid` in the system's user database (`/etc/passwd`, LDAP, ... through
/// NSS), or `None` when it has none.
pub fn login_of(uid: u32) -> Option<String> {
    login_of_uid(uid)
}

/// The login of the user running this process.
pub fn own_login() -> Option<String> {
    login_of_uid(current_uid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peer_of_a_socket_pair_is_this_process() {
        let (a, _b) = UnixStream::pair().unwrap();
        let peer = peer_of(&a).unwrap();
        assert_eq!(peer.pid, std::process::id());
        assert_eq!(peer.uid, current_uid());
    }
}
