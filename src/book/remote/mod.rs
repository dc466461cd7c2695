//! Team mode: one process owns the book (sled allows one per data dir) and serves the Book
//! API over a Unix socket; every other `crm` process on the machine is its client.
//!
//! - `protocol.rs`: what crosses the socket (protocol 2: a hello, then requests, or a
//!   subscription), `frame.rs`: one JSON document per line, read whole within limits;
//! - `server.rs`: a thread per connection, the limits that keep one client from holding
//!   the others hostage; `hub.rs`: the book behind one lock, and the announcements;
//! - `peer.rs`: who connected, from the kernel (SO_PEERCRED) and the user database;
//! - `client.rs`: `Client` (over the socket) and `Owned` (`owned.rs`, this process owns
//!   and serves the book) are both `BookApi`s; `subscribe.rs`: live changes;
//! - `listen.rs`: claiming the socket's path without ever taking a live server's.

mod answer;
pub mod client;
pub mod frame;
pub mod hub;
pub mod listen;
pub mod owned;
pub mod peer;
pub mod protocol;
pub mod server;
pub mod subscribe;

use std::path::{Path, PathBuf};

pub use client::{same_rules, Api, Client, ConnectError, Socket, Transport};
pub use hub::Hub;
pub use listen::{claim, Claimed, ListenError};
pub use owned::{Local, Owned};
pub use peer::{login_of, own_login, peer_of, Peer};
pub use protocol::{Changed, Request, MAX_REQUEST, PROTOCOL};
pub use server::{start, Limits, Serving};
pub use subscribe::{Ended, Subscription};

/// The socket a book's owner listens on, inside the (private) data dir.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("crm.sock")
}

#[cfg(test)]
mod tests;
