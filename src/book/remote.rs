//! Team mode: one process owns the book (sled allows one per data dir) and serves the
//! Book API over a Unix socket; other `crm` processes on the machine become its clients.
//! The protocol is one JSON request per line and one JSON response per line, so the API's
//! plain data types cross unchanged.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{Book, BookError};
use crate::domain::model::Interaction;

/// The socket a book's owner listens on, inside the (private) data dir.
pub fn socket_path(data_dir: &Path) -> PathBuf {
    data_dir.join("crm.sock")
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    Find {
        query: String,
        limit: usize,
    },
    Show {
        id: String,
        as_of: Date,
    },
    Log {
        id: String,
        interaction: Interaction,
        actor: String,
    },
    Agenda {
        as_of: Date,
        owner: Option<String>,
    },
    Portfolio {
        as_of: Date,
        capacity: Option<f64>,
    },
    List {
        as_of: Date,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Response {
    Ok(serde_json::Value),
    /// The book's own error, typed, so the client reports it as the owner would.
    Error(BookError),
}

/// Answers one request with the owner's book.
fn answer(book: &mut Book, request: Request) -> Result<serde_json::Value, BookError> {
    let json = |value: Result<serde_json::Value, serde_json::Error>| {
        value.map_err(|e| BookError::unavailable(format!("cannot encode the answer: {e}")))
    };
    match request {
        Request::Find { query, limit } => json(serde_json::to_value(book.find(&query, limit))),
        Request::Show { id, as_of } => {
            let id = book.resolve(&id)?;
            json(serde_json::to_value(book.card(&id, as_of)?))
        }
        Request::Log {
            id,
            interaction,
            actor,
        } => {
            let id = book.resolve(&id)?;
            let owner = std::mem::replace(&mut book.actor, actor);
            let logged = book.log_contact(&id, interaction);
            book.actor = owner;
            json(serde_json::to_value(logged?))
        }
        Request::Agenda { as_of, owner } => {
            json(serde_json::to_value(book.agenda(as_of, owner.as_deref())?))
        }
        Request::Portfolio { as_of, capacity } => {
            json(serde_json::to_value(book.portfolio(as_of, capacity)?))
        }
        Request::List { as_of } => json(serde_json::to_value(book.summaries(as_of)?)),
    }
}

/// Serves clients one at a time until `stop` is set (checked after each connection: whoever
/// sets it connects once to wake the listener) or the listener fails. Each request is short
/// (a lookup or one durable write), so a queue of a few users is served in milliseconds.
pub fn serve(book: &mut Book, listener: &UnixListener, stop: &AtomicBool) -> std::io::Result<()> {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => {
                // A client that misbehaves or hangs up only ends its own connection.
                let _ = serve_connection(book, stream);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn serve_connection(book: &mut Book, stream: UnixStream) -> std::io::Result<()> {
    let mut writer = stream.try_clone()?;
    for line in BufReader::new(stream).lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let response = match serde_json::from_str::<Request>(&line) {
            Ok(request) => match answer(book, request) {
                Ok(value) => Response::Ok(value),
                Err(e) => Response::Error(e),
            },
            Err(e) => Response::Error(BookError::invalid("request", format!("bad request: {e}"))),
        };
        let mut text = serde_json::to_string(&response).unwrap_or_else(|_| {
            r#"{"error":{"kind":"unavailable","why":"cannot encode the answer"}}"#.to_string()
        });
        text.push('\n');
        writer.write_all(text.as_bytes())?;
    }
    book.save_snapshots().map_err(std::io::Error::other)
}

/// A connection to the process that owns the book.
pub struct Client {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl Client {
    pub fn connect(socket: &Path) -> std::io::Result<Client> {
        let stream = UnixStream::connect(socket)?;
        Ok(Client {
            writer: stream.try_clone()?,
            reader: BufReader::new(stream),
        })
    }

    pub fn call<T: DeserializeOwned>(&mut self, request: &Request) -> Result<T, BookError> {
        let lost =
            |e: std::io::Error| BookError::unavailable(format!("the serving crm process: {e}"));
        let mut line = serde_json::to_string(request).map_err(|e| {
            BookError::invalid("request", format!("cannot encode the request: {e}"))
        })?;
        line.push('\n');
        self.writer.write_all(line.as_bytes()).map_err(lost)?;
        let mut answer = String::new();
        self.reader.read_line(&mut answer).map_err(lost)?;
        let bad = |e: serde_json::Error| {
            BookError::unavailable(format!("the serving crm process sent a bad answer: {e}"))
        };
        let response: Response = serde_json::from_str(&answer).map_err(bad)?;
        match response {
            Response::Ok(value) => serde_json::from_value(value).map_err(bad),
            Response::Error(error) => Err(error),
        }
    }
}
