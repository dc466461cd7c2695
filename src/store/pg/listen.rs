//! Hearing other servers' changes: a thread with its own connection LISTENs on the book's
//! channel; every committed change NOTIFYs it with its sequence number. The events table
//! stays the source: a notification only says "there is something after N, go and read".
//!
//! While the thread is not listening (starting, or the database gone), nothing can be
//! trusted to arrive, so readers look in the table every time. Each time it starts
//! listening anew it moves `epoch`: a reader that last looked under another epoch looks
//! again, which covers the changes committed before the LISTEN took hold.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use super::target::Target;

/// The channel every change of the book is announced on (per database).
pub(super) const CHANNEL: &str = "crm_events";

/// How long the thread waits for a notification before looking at its stop flag.
const TICK: Duration = Duration::from_millis(250);

#[derive(Default)]
struct Shared {
    /// The highest sequence number announced so far.
    notified: AtomicU64,
    listening: AtomicBool,
    epoch: AtomicU64,
    stop: AtomicBool,
    /// Told of every notification, and of listening anew (what was committed while
    /// nobody listened must be looked for): the serving process's hearing thread.
    wake: Mutex<Option<Waker>>,
}

type Waker = Box<dyn Fn() + Send + Sync>;

impl Shared {
    fn wake(&self) {
        let wake = self.wake.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(wake) = wake.as_ref() {
            wake();
        }
    }
}

pub(super) struct Listener {
    shared: Arc<Shared>,
}

/// What the listener can vouch for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Heard {
    pub notified: u64,
    pub epoch: u64,
}

impl Listener {
    pub fn start(target: Target) -> Listener {
        let shared = Arc::new(Shared::default());
        let theirs = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("crm-pg-listen".to_string())
            .spawn(move || listen(&target, &theirs))
            .map(|_| ())
            // Without the thread nothing is ever heard: readers look every time.
            .unwrap_or(());
        Listener { shared }
    }

    /// From now on `wake` is called whenever something may have been committed by others.
    pub fn wake_with(&self, wake: Waker) {
        *self.shared.wake.lock().unwrap_or_else(|p| p.into_inner()) = Some(wake);
    }

    /// `None` while not listening (every read must look in the table).
    pub fn heard(&self) -> Option<Heard> {
        let epoch = self.shared.epoch.load(Ordering::SeqCst);
        if !self.shared.listening.load(Ordering::SeqCst) {
            return None;
        }
        Some(Heard {
            notified: self.shared.notified.load(Ordering::SeqCst),
            epoch,
        })
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
    }
}

fn listen(target: &Target, shared: &Shared) {
    while !shared.stop.load(Ordering::SeqCst) {
        let Ok(mut client) = target.connect() else {
            std::thread::sleep(TICK);
            continue;
        };
        if client.batch_execute(&format!("LISTEN {CHANNEL}")).is_err() {
            std::thread::sleep(TICK);
            continue;
        }
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        shared.listening.store(true, Ordering::SeqCst);
        shared.wake();
        'connected: while !shared.stop.load(Ordering::SeqCst) {
            {
                let mut notifications = client.notifications();
                let mut heard = notifications.timeout_iter(TICK);
                loop {
                    match heard.next() {
                        Ok(Some(n)) => {
                            if let Ok(seq) = n.payload().parse::<u64>() {
                                shared.notified.fetch_max(seq, Ordering::SeqCst);
                                shared.wake();
                            }
                        }
                        Ok(None) => break,
                        Err(_) => break 'connected,
                    }
                }
            }
            if client.is_closed() {
                break;
            }
        }
        shared.listening.store(false, Ordering::SeqCst);
    }
}
