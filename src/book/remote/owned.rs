//! A book this process owns and serves at once (tmux's model): its own front end (the
//! console, or a command) calls the hub directly, other `crm` processes through the socket,
//! and every write, whoever makes it, is announced to the subscribers.

use std::path::Path;
use std::sync::Arc;

use super::super::access::{local_session, Session};
use super::super::{Book, BookError};
use super::client::{Api, Transport};
use super::hub::Hub;
use super::listen::Claimed;
use super::protocol::Request;
use super::server::{start, Limits, Serving};

/// The in-process transport: requests answered by the hub, as the owner's login.
pub struct Local {
    hub: Arc<Hub>,
    session: Session,
    serving: Option<(Serving, Claimed)>,
}

impl Transport for Local {
    fn call(&mut self, request: Request) -> Result<serde_json::Value, BookError> {
        self.hub.answer_as(&self.session, request)
    }
}

impl Local {
    pub fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }

    /// How many clients are connected now.
    pub fn connections(&self) -> usize {
        self.serving.as_ref().map_or(0, |(s, _)| s.connections())
    }

    pub fn socket(&self) -> Option<&Path> {
        self.serving.as_ref().map(|(_, c)| c.path())
    }
}

impl Drop for Local {
    /// Stops serving: clients are told `bye` (they find the next owner), then the socket is
    /// removed; the book closes when the last connection lets go of the hub.
    fn drop(&mut self) {
        if let Some((serving, claimed)) = self.serving.take() {
            serving.stop("the crm that owned the book has quit");
            drop(claimed);
        }
    }
}

/// The book of this process, served on the claimed socket while it lives.
pub type Owned = Api<Local>;

impl Owned {
    /// Serves `book` on `claimed` and returns this process's own handle on it, as a
    /// command that opened the book itself would use it (`access::local_session`: the
    /// book's own account is its admin under the login it names).
    pub fn serve(book: Book, claimed: Claimed, limits: Limits) -> Result<Owned, BookError> {
        let session = local_session(&book, book.actor())?;
        let login = session.login.clone();
        let config = book.config().clone();
        let hub = Hub::shared(book);
        let listener = claimed
            .listener
            .try_clone()
            .map_err(|e| BookError::unavailable(format!("cannot serve the book: {e}")))?;
        let serving = start(
            Arc::clone(&hub),
            listener,
            claimed.path().to_path_buf(),
            limits,
        );
        Ok(Api {
            transport: Local {
                hub,
                session,
                serving: Some((serving, claimed)),
            },
            config,
            actor: login,
        })
    }
}
