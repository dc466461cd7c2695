//! Live changes: a connection that, after its hello, asks only to be told of every write
//! (`{"op":"subscribe"}`); the server pushes `changed` frames, so a console shows another
//! user's change without a key press and without asking again and again.

use std::path::Path;

use super::client::{ConnectError, Connection};
use super::protocol::{Changed, Request, Response};

/// An open subscription to a book's server.
pub struct Subscription {
    conn: Connection,
}

/// Why a subscription ended: the server said goodbye, or the connection broke (killed).
#[derive(Debug, Clone, PartialEq)]
pub enum Ended {
    Bye { pid: u32, why: String },
    Lost { pid: u32, error: String },
}

impl Subscription {
    pub fn open(socket: &Path) -> Result<Subscription, ConnectError> {
        let mut conn = Connection::open(socket)?;
        conn.send(&Request::Subscribe)
            .map_err(ConnectError::NoServer)?;
        match conn.next_frame() {
            Ok(Response::Ok(_)) => Ok(Subscription { conn }),
            Ok(Response::Error(error)) => Err(ConnectError::Refused(error)),
            Ok(_) => Err(ConnectError::NoServer(std::io::Error::other(
                "the server did not take the subscription",
            ))),
            Err(e) => Err(ConnectError::NoServer(std::io::Error::other(e.to_string()))),
        }
    }

    /// The serving process.
    pub fn server_pid(&self) -> u32 {
        self.conn.hello.pid
    }

    /// Blocks until the next change (no timer: the thread sleeps in the kernel).
    pub fn next_change(&mut self) -> Result<Changed, Ended> {
        let pid = self.server_pid();
        loop {
            match self.conn.next_frame() {
                Ok(Response::Changed(changed)) => return Ok(changed),
                Ok(Response::Bye(bye)) => {
                    return Err(Ended::Bye {
                        pid: bye.pid,
                        why: bye.why,
                    })
                }
                Ok(_) => continue,
                Err(e) => {
                    return Err(Ended::Lost {
                        pid,
                        error: e.to_string(),
                    })
                }
            }
        }
    }
}
