//! The serving side of the book's socket: one thread per connection, so any number of
//! consoles and commands are served at once; the book itself is behind the hub's lock.
//!
//! What keeps one client from holding the others hostage:
//! - a request is read whole (at most `Limits::max_request` bytes, within
//!   `Limits::frame` from its first byte) before the book's lock is taken, and the answer
//!   is written after it is released, each write bounded by `Limits::write`;
//! - a connection that says nothing for `Limits::hello` after connecting, or for
//!   `Limits::idle` between requests, is closed (with a `bye`, so its client reconnects);
//! - at most `Limits::max_connections` at once; one more is told so and closed;
//! - malformed, truncated and oversized frames are answered with a typed error.

use std::collections::HashMap;
use std::io::Read;
use std::net::Shutdown;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::super::BookError;
use super::frame::{write_frame, FrameError, FrameReader};
use super::hub::Hub;
use super::peer::{login_of, peer_of};
use super::protocol::{Bye, Opening, Request, Response, ServerHello, MAX_REQUEST, PROTOCOL};
use crate::domain::text::Text;

/// The bounds a server keeps to; `Limits::default()` is what `crm` uses.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_request: usize,
    /// From connecting to the hello.
    pub hello: Duration,
    /// Between two requests on one connection.
    pub idle: Duration,
    /// From a frame's first byte to its last.
    pub frame: Duration,
    /// For one answer to be taken by the client.
    pub write: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_request: MAX_REQUEST,
            hello: Duration::from_secs(10),
            idle: Duration::from_secs(15 * 60),
            frame: Duration::from_secs(30),
            write: Duration::from_secs(30),
            max_connections: 512,
        }
    }
}

/// A server running in its own threads; `stop` ends it.
pub struct Serving {
    registry: Arc<Registry>,
    accept: Option<JoinHandle<()>>,
    socket: PathBuf,
}

struct Registry {
    hub: Arc<Hub>,
    limits: Limits,
    pid: u32,
    closing: AtomicBool,
    /// Why the server stops, for the `bye` of connections that end after `stop`.
    why: Mutex<String>,
    next: AtomicU64,
    conns: Mutex<HashMap<u64, Arc<Conn>>>,
    /// Signalled whenever a connection ends.
    ended: Condvar,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between requests (or reading one): may be closed with a `bye`.
    Idle,
    /// Answering a request it has read: its thread closes it after answering.
    Busy,
    /// Receiving announcements: closed when the hub's subscriptions end.
    Subscribed,
    Closed,
}

/// One connection's writing half and state, locked together so an answer and a `bye`
/// never interleave.
struct Conn {
    inner: Mutex<(UnixStream, State)>,
}

impl Conn {
    fn lock(&self) -> MutexGuard<'_, (UnixStream, State)> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn bye(pid: u32, why: &str) -> Vec<u8> {
    Response::Bye(Bye {
        pid,
        why: why.to_string(),
    })
    .to_bytes()
}

/// Starts serving `hub` on `listener` in a thread of its own. `socket` is the listener's
/// path (connecting to it wakes the accepting thread when stopping).
pub fn start(hub: Arc<Hub>, listener: UnixListener, socket: PathBuf, limits: Limits) -> Serving {
    let registry = Arc::new(Registry {
        hub,
        limits,
        pid: std::process::id(),
        closing: AtomicBool::new(false),
        why: Mutex::new("the server is stopping".to_string()),
        next: AtomicU64::new(1),
        conns: Mutex::new(HashMap::new()),
        ended: Condvar::new(),
    });
    let accepting = Arc::clone(&registry);
    let accept = std::thread::Builder::new()
        .name("crm-accept".into())
        .spawn(move || accept_loop(&accepting, &listener))
        .ok();
    Serving {
        registry,
        accept,
        socket,
    }
}

impl Serving {
    pub fn hub(&self) -> &Arc<Hub> {
        &self.registry.hub
    }

    /// How many connections are open now.
    pub fn connections(&self) -> usize {
        self.registry.conns().len()
    }

    /// Stops accepting, tells every idle connection and subscriber `bye` (`why`), lets
    /// the requests being answered finish, and waits (bounded) for every connection to end.
    pub fn stop(mut self, why: &str) {
        let registry = &self.registry;
        *registry.why.lock().unwrap_or_else(|p| p.into_inner()) = why.to_string();
        registry.closing.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which sees `closing` and ends.
        if UnixStream::connect(&self.socket).is_ok() {
            if let Some(accept) = self.accept.take() {
                let _ = accept.join();
            }
        }
        registry.hub.close_subscriptions();
        let conns: Vec<Arc<Conn>> = registry.conns().values().cloned().collect();
        for conn in conns {
            let mut guard = conn.lock();
            if guard.1 == State::Idle {
                let _ = write_frame(&mut guard.0, &bye(registry.pid, why));
                let _ = guard.0.shutdown(Shutdown::Both);
                guard.1 = State::Closed;
            }
        }
        let deadline = Instant::now() + registry.limits.write + registry.limits.frame;
        let mut conns = registry.conns();
        while !conns.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            conns = registry
                .ended
                .wait_timeout(conns, left)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }
}

impl Registry {
    fn conns(&self) -> MutexGuard<'_, HashMap<u64, Arc<Conn>>> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn closing(&self) -> bool {
        self.closing.load(Ordering::SeqCst)
    }

    fn why(&self) -> String {
        self.why.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn accept_loop(registry: &Arc<Registry>, listener: &UnixListener) {
    for stream in listener.incoming() {
        if registry.closing() {
            return;
        }
        let mut stream = match stream {
            Ok(stream) => stream,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // Out of descriptors or memory for a moment: the next accept may succeed.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        let _ = stream.set_write_timeout(Some(registry.limits.write));
        let id = registry.next.fetch_add(1, Ordering::SeqCst);
        let conn = match stream.try_clone() {
            Ok(writer) => Arc::new(Conn {
                inner: Mutex::new((writer, State::Idle)),
            }),
            Err(_) => continue,
        };
        {
            let mut conns = registry.conns();
            if conns.len() >= registry.limits.max_connections {
                drop(conns);
                let error = BookError::unavailable(format!(
                    "the server has {} connections open, its most; try again",
                    registry.limits.max_connections
                ))
                .with(Text::new("err-server-full").arg("count", registry.limits.max_connections));
                let _ = write_frame(&mut stream, &Response::Error(error).to_bytes());
                continue;
            }
            conns.insert(id, Arc::clone(&conn));
        }
        let serving = Arc::clone(registry);
        let spawned = std::thread::Builder::new()
            .name("crm-conn".into())
            .spawn(move || {
                converse(&serving, &conn, stream, id);
                serving.conns().remove(&id);
                serving.ended.notify_all();
            });
        if spawned.is_err() {
            registry.conns().remove(&id);
        }
    }
}

/// Sends `response` unless the connection is closed; false when it is (or now is) closed.
fn send(registry: &Registry, conn: &Conn, response: &Response) -> bool {
    let mut guard = conn.lock();
    if guard.1 == State::Closed {
        return false;
    }
    if write_frame(&mut guard.0, &response.to_bytes()).is_err() {
        guard.1 = State::Closed;
        return false;
    }
    if registry.closing() && guard.1 != State::Subscribed {
        let _ = write_frame(&mut guard.0, &bye(registry.pid, &registry.why()));
        let _ = guard.0.shutdown(Shutdown::Both);
        guard.1 = State::Closed;
        return false;
    }
    guard.1 = State::Idle;
    true
}

/// Marks the connection busy with a request it has read; false when it was closed first
/// (its client was told `bye`, so the request is not carried out).
fn begin(conn: &Conn) -> bool {
    let mut guard = conn.lock();
    if guard.1 == State::Closed {
        return false;
    }
    guard.1 = State::Busy;
    true
}

/// A frame that could not be read, said to the client where it can still hear it.
fn frame_error(registry: &Registry, conn: &Conn, error: FrameError) {
    let said = match &error {
        FrameError::Closed | FrameError::Io(_) => return,
        FrameError::TimedOut { .. } => {
            let mut guard = conn.lock();
            if guard.1 != State::Closed {
                let _ = write_frame(&mut guard.0, &bye(registry.pid, &error.to_string()));
                guard.1 = State::Closed;
            }
            return;
        }
        FrameError::Truncated { bytes } => Text::new("err-frame-truncated").arg("bytes", bytes),
        FrameError::Oversized { limit } => Text::new("err-frame-oversized").arg("limit", limit),
    };
    let error = BookError::invalid("request", error.to_string()).with(said);
    send(registry, conn, &Response::Error(error));
}

fn converse(registry: &Registry, conn: &Conn, stream: UnixStream, id: u64) {
    let limits = &registry.limits;
    let mut reader = FrameReader::new(stream);
    let (login, pid) = match reader.next(limits.max_request, Some(limits.hello), limits.frame) {
        Ok(frame) => match greet(registry, reader.stream(), &frame) {
            Ok((hello, pid)) => {
                let login = hello.login.clone();
                if !send(registry, conn, &Response::Hello(Box::new(hello))) {
                    return;
                }
                (login, pid)
            }
            Err(error) => {
                send(registry, conn, &Response::Error(error));
                return;
            }
        },
        Err(error) => return frame_error(registry, conn, error),
    };
    loop {
        let frame = match reader.next(limits.max_request, Some(limits.idle), limits.frame) {
            Ok(frame) => frame,
            Err(error) => return frame_error(registry, conn, error),
        };
        if frame.trim_ascii().is_empty() {
            continue;
        }
        if !begin(conn) {
            return;
        }
        let response = match serde_json::from_slice::<Request>(&frame) {
            Ok(Request::Subscribe) => return subscribed(registry, conn, reader, id),
            Ok(request) => match registry.hub.answer(&login, pid, request) {
                Ok(value) => Response::Ok(value),
                Err(error) => Response::Error(error),
            },
            Err(e) => Response::Error(
                BookError::invalid("request", format!("bad request: {e}"))
                    .with(Text::new("err-bad-request").arg("error", e)),
            ),
        };
        if !send(registry, conn, &response) {
            return;
        }
    }
}

/// Checks the client's hello and says who it is served as, from the kernel's word.
fn greet(
    registry: &Registry,
    stream: &UnixStream,
    frame: &[u8],
) -> Result<(ServerHello, u32), BookError> {
    let client = match serde_json::from_slice::<Opening>(frame) {
        Ok(Opening::Hello(hello)) => hello.protocol,
        // A request without a hello: protocol 1 had none.
        Err(_) => 1,
    };
    if client != PROTOCOL {
        return Err(mismatch(PROTOCOL, client));
    }
    let peer = peer_of(stream).map_err(|e| {
        BookError::refused(format!("cannot tell who connected: {e}"))
            .with(Text::new("err-peer-unknown").arg("error", e))
    })?;
    let login = login_of(peer.uid).ok_or_else(|| {
        BookError::refused(format!(
            "uid {} has no login in this machine's user database",
            peer.uid
        ))
        .with(Text::new("err-peer-no-login").arg("uid", peer.uid))
    })?;
    // An unknown user is refused here, in one line saying how an admin adds them.
    let session = registry.hub.session(&login)?;
    let hello = ServerHello {
        protocol: PROTOCOL,
        login: session.login,
        pid: registry.pid,
        config: registry.hub.config().clone(),
    };
    Ok((hello, peer.pid))
}

/// The one line both sides give when their protocols differ.
pub fn mismatch(server: u32, client: u32) -> BookError {
    BookError::refused(format!(
        "protocol mismatch: the serving crm speaks protocol {server}, this client {client}; \
         run the same crm version for the server and its clients"
    ))
    .with(
        Text::new("err-protocol-mismatch")
            .arg("server", server)
            .arg("client", client),
    )
}

/// A subscription: this thread writes the hub's announcements; a second one waits for the
/// client to hang up and then ends the subscription (which ends this thread's wait).
fn subscribed(registry: &Registry, conn: &Conn, reader: FrameReader, id: u64) {
    let changes = registry.hub.subscribe(id);
    // Subscribed after the server began to stop (it ended the subscriptions it had): this
    // one would never end. `send` says bye instead of carrying on.
    if !send(registry, conn, &Response::Ok(serde_json::Value::Null)) || registry.closing() {
        registry.hub.unsubscribe(id);
        return;
    }
    conn.lock().1 = State::Subscribed;
    let mut stream = match reader.stream().try_clone() {
        Ok(stream) => stream,
        Err(_) => {
            registry.hub.unsubscribe(id);
            return;
        }
    };
    let hub = Arc::clone(&registry.hub);
    let watcher = std::thread::Builder::new()
        .name("crm-sub".into())
        .spawn(move || {
            let _ = stream.set_read_timeout(None);
            let mut sink = [0u8; 512];
            // A subscriber sends nothing: whatever arrives is read and dropped, until the
            // client hangs up.
            while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
            hub.unsubscribe(id);
        });
    if watcher.is_err() {
        registry.hub.unsubscribe(id);
        return;
    }
    for changed in changes {
        let mut guard = conn.lock();
        if write_frame(&mut guard.0, &Response::Changed(changed).to_bytes()).is_err() {
            guard.1 = State::Closed;
            let _ = guard.0.shutdown(Shutdown::Both);
            return;
        }
    }
    // The hub ended the subscription: the server stops, or this subscriber fell behind.
    let mut guard = conn.lock();
    let why = if registry.closing() {
        registry.why()
    } else {
        "this subscriber fell behind".to_string()
    };
    let _ = write_frame(&mut guard.0, &bye(registry.pid, &why));
    let _ = guard.0.shutdown(Shutdown::Both);
    guard.1 = State::Closed;
}
