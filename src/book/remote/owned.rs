//! A book this process owns and serves at once (tmux's model): its own front end (the
//! console, or a command) calls the hub directly, other `crm` processes through the socket,
//! and every write, whoever makes it, is announced to the subscribers.

use std::path::Path;
use std::sync::Arc;

use super::super::{Book, BookError};
use super::client::{Api, Transport};
use super::hub::Hub;
use super::listen::Claimed;
use super::protocol::Request;
use super::server::{start, Limits, Serving};

/// The in-process transport: requests answered by the hub, as the owner's login.
pub struct Local {
    hub: Arc<Hub>,
    login: String,
    serving: Option<(Serving, Claimed)>,
}

impl Transport for Local {
    fn call(&mut self, request: Request) -> Result<serde_json::Value, BookError> {
        self.hub.answer(&self.login, request)
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
    /// Serves `book` on `claimed` and returns this process's own handle on it; its writes
    /// are recorded as the book's actor (this process's user).
    pub fn serve(book: Book, claimed: Claimed, limits: Limits) -> Result<Owned, BookError> {
        let login = book.actor().to_string();
        let config = book.config().clone();
        let hub = Arc::new(Hub::new(book));
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
                login: login.clone(),
                serving: Some((serving, claimed)),
            },
            config,
            actor: login,
        })
    }
}
