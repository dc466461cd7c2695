//! The sled index: profiles, histories (one value per customer, see `apply.rs`), users,
//! cycles, summaries, a cache and meta, one tree each. Derived from the journal and rebuilt
//! from it whenever in doubt, so nothing here is the only copy of anything.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use super::apply::Histories;
use super::codec::{self, Versioned};
use super::error::{Result, StoreError};
use super::keys::meta;
use super::space;
use crate::domain::model::{Account, Customer};

pub(crate) struct Index {
    pub path: PathBuf,
    pub db: sled::Db,
    pub customers: sled::Tree,
    /// Customer id -> `Histories` (interactions, orders, bonds, tasks).
    pub histories: sled::Tree,
    /// Customer id -> `merge::ProfileClocks` (who set each profile field, conflicts).
    pub clocks: sled::Tree,
    pub cycles: sled::Tree,
    pub users: sled::Tree,
    pub summaries: sled::Tree,
    pub meta: sled::Tree,
    pub cache: sled::Tree,
}

/// The most sled keeps in memory of the pages it read (see `open_once`).
const SLED_CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// How long an open waits for sled's file lock (see `Index::open`).
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// sled could not lock its file: it says so only in the text of an `Other` error.
fn is_lock_taken(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock")
}

/// Why the index could not be opened or read.
pub(crate) enum Failure {
    /// The machine's fault (full disk, no permission, ...): moving the index aside or
    /// rebuilding it cannot help, so it is reported and nothing is changed.
    Environment(std::io::Error),
    /// The index itself is damaged or not ours: it is moved aside and rebuilt.
    Damaged(String),
}

impl From<sled::Error> for Failure {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) if space::is_environmental(&io) || is_lock_taken(&io) => {
                Failure::Environment(io)
            }
            other => Failure::Damaged(other.to_string()),
        }
    }
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Failure::Damaged(reason)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Environment(e) => write!(f, "{e}"),
            Failure::Damaged(reason) => f.write_str(reason),
        }
    }
}

/// What the index says about itself.
pub(crate) struct Meta {
    pub applied_seq: u64,
    pub next_task: u64,
    pub next_cycle: u64,
    /// `None` in an index written before events had ids.
    pub sync: Option<super::apply::SyncState>,
}

impl Index {
    /// Opens (or creates) the index; any failure, including a panic inside sled on a
    /// damaged file, comes back as a one-line reason.
    pub fn open(path: &Path) -> std::result::Result<Index, Failure> {
        // sled locks its file, and its own threads let go of a closed index's lock a moment
        // after the close: an index reopened at once (check, then repair) waits for it. A
        // lock held for longer is another process's, never damage.
        let started = std::time::Instant::now();
        loop {
            match Self::open_once(path) {
                Err(Failure::Environment(e))
                    if is_lock_taken(&e) && started.elapsed() < LOCK_GRACE =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path) -> std::result::Result<Index, Failure> {
        remove_half_written_snapshots(path);
        // Every change is flushed when applied (and the journal is the truth), so sled's
        // periodic flusher would only wake an idle console four times a second.
        // sled keeps the pages it read in a cache of up to 1 GiB by default: a pass over
        // every account (an export, a new day) would keep the whole index in memory. The
        // operating system's page cache holds the file anyway (issue 12: export RSS).
        let config = sled::Config::new()
            .path(path)
            .flush_every_ms(None)
            .cache_capacity(SLED_CACHE_BYTES);
        let opened = catch_unwind(AssertUnwindSafe(|| -> sled::Result<Index> {
            let db = config.open()?;
            Ok(Index {
                path: path.to_path_buf(),
                customers: db.open_tree("customers")?,
                histories: db.open_tree("histories")?,
                clocks: db.open_tree("clocks")?,
                cycles: db.open_tree("cycles")?,
                users: db.open_tree("users")?,
                summaries: db.open_tree("summaries")?,
                meta: db.open_tree("meta")?,
                cache: db.open_tree("cache")?,
                db,
            })
        }));
        match opened {
            Ok(Ok(index)) => Ok(index),
            Ok(Err(e)) => Err(Failure::from(e)),
            Err(_) => Err(Failure::Damaged(
                "the index library panicked while opening it".to_string(),
            )),
        }
    }

    /// Reads the meta tree; `Err` means it cannot be trusted and the index must be rebuilt.
    pub fn read_meta(&self) -> std::result::Result<Meta, Failure> {
        let number = |key: &[u8]| -> std::result::Result<Option<u64>, Failure> {
            match self.meta.get(key)? {
                None => Ok(None),
                Some(v) => match <[u8; 8]>::try_from(v.as_ref()) {
                    Ok(bytes) => Ok(Some(u64::from_be_bytes(bytes))),
                    Err(_) => Err(Failure::Damaged(format!(
                        "meta {} is malformed",
                        String::from_utf8_lossy(key)
                    ))),
                },
            }
        };
        match number(meta::LAYOUT)? {
            Some(meta::LAYOUT_VERSION) => {}
            Some(other) => return Err(format!("index layout {other} is not ours").into()),
            None => {
                // A brand-new index: claim it with our layout.
                if !self.customers.is_empty() || number(meta::APPLIED_SEQ)?.is_some() {
                    return Err("index has no layout mark".to_string().into());
                }
                self.meta
                    .insert(meta::LAYOUT, &meta::LAYOUT_VERSION.to_be_bytes())?;
            }
        }
        let sync = match self.meta.get(meta::SYNC)? {
            None => None,
            Some(bytes) => Some(
                codec::decode_plain(&bytes)
                    .map_err(|e| Failure::Damaged(format!("meta sync is malformed: {e}")))?,
            ),
        };
        Ok(Meta {
            sync,
            applied_seq: number(meta::APPLIED_SEQ)?.unwrap_or(0),
            next_task: number(meta::NEXT_TASK)?.unwrap_or(1).max(1),
            next_cycle: number(meta::NEXT_CYCLE)?.unwrap_or(1).max(1),
        })
    }

    pub fn sled_error(&self, e: sled::Error) -> StoreError {
        sled_error_at(&self.path, e)
    }

    pub fn decode<T: Versioned>(&self, key: &[u8], bytes: &[u8]) -> Result<T> {
        decode_at(&self.path, key, bytes)
    }

    pub fn get<T: Versioned>(&self, tree: &sled::Tree, key: &[u8]) -> Result<Option<T>> {
        match tree.get(key).map_err(|e| self.sled_error(e))? {
            Some(v) => self.decode(key, &v).map(Some),
            None => Ok(None),
        }
    }

    /// Every value of a tree, in key order.
    pub fn all<T: Versioned>(&self, tree: &sled::Tree) -> Result<Vec<T>> {
        tree.iter()
            .map(|item| {
                let (k, v) = item.map_err(|e| self.sled_error(e))?;
                self.decode(&k, &v)
            })
            .collect()
    }

    pub fn account(&self, id: &str) -> Result<Option<Account>> {
        let Some(customer) = self.get::<Customer>(&self.customers, id.as_bytes())? else {
            return Ok(None);
        };
        let histories = self.get::<Histories>(&self.histories, id.as_bytes())?;
        Ok(Some(account_of(customer, histories.unwrap_or_default())))
    }

    /// All accounts in id order, walking the profile and history trees side by side.
    pub fn accounts(&self) -> AccountScan {
        AccountScan {
            path: self.path.clone(),
            customers: self.customers.iter(),
            histories: self.histories.iter().peekable(),
            failed: false,
        }
    }
}

fn account_of(customer: Customer, h: Histories) -> Account {
    Account {
        corrections: h.contact_corrections(),
        customer,
        bonds: h.bonds,
        orders: h.orders,
        interactions: h.interactions,
        tasks: h.tasks,
    }
}

fn decode_at<T: Versioned>(path: &Path, key: &[u8], bytes: &[u8]) -> Result<T> {
    codec::decode(bytes).map_err(|source| StoreError::Decode {
        path: path.to_path_buf(),
        what: format!("{} at key {}", T::WHAT, String::from_utf8_lossy(key)),
        source,
    })
}

/// A sled failure as the store reports it: the machine's fault (a full disk above all)
/// as such, anything else as a failed index that reopening rebuilds.
fn sled_error_at(path: &Path, e: sled::Error) -> StoreError {
    match Failure::from(e) {
        Failure::Environment(source) => environment_error(path, source),
        Failure::Damaged(detail) => StoreError::Index {
            path: path.to_path_buf(),
            detail,
        },
    }
}

/// `path` is the index; a full disk names the data dir around it.
pub(crate) fn environment_error(path: &Path, source: std::io::Error) -> StoreError {
    if space::is_full(&source) {
        let dir = path.parent().unwrap_or(path);
        space::full(dir, space::INDEX_HEADROOM)
    } else {
        StoreError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Iterates all accounts: both trees are keyed by id, so one pass over each suffices.
pub(crate) struct AccountScan {
    path: PathBuf,
    customers: sled::Iter,
    histories: std::iter::Peekable<sled::Iter>,
    failed: bool,
}

impl AccountScan {
    fn next_account(&mut self, key: &[u8], value: &[u8]) -> Result<Account> {
        let customer = decode_at::<Customer>(&self.path, key, value)?;
        // Histories of ids without a profile sort before this one: pass over them.
        loop {
            let order = match self.histories.peek() {
                None => return Ok(Account::new(customer)),
                Some(Err(_)) => std::cmp::Ordering::Less,
                Some(Ok((k, _))) => k.as_ref().cmp(key),
            };
            match order {
                std::cmp::Ordering::Greater => return Ok(Account::new(customer)),
                std::cmp::Ordering::Less => match self.histories.next() {
                    Some(Err(e)) => return Err(sled_error_at(&self.path, e)),
                    _ => continue,
                },
                std::cmp::Ordering::Equal => {
                    let Some(Ok((k, v))) = self.histories.next() else {
                        return Ok(Account::new(customer));
                    };
                    let h = decode_at::<Histories>(&self.path, &k, &v)?;
                    return Ok(account_of(customer, h));
                }
            }
        }
    }
}

impl Iterator for AccountScan {
    type Item = Result<Account>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let item = match self.customers.next()? {
            Ok((key, value)) => self.next_account(&key, &value),
            Err(e) => Err(sled_error_at(&self.path, e)),
        };
        // After an error the side-by-side walk is out of step: stop rather than mislead.
        self.failed = item.is_err();
        Some(item)
    }
}
/// sled 0.34.7 may take a half-written `snap.<lsn>.generating` file, left by a crash, for
/// its newest snapshot and refuse to open (upstream #1527); a finished snapshot is only
/// ever published by an fsynced rename, so these files are always safe to delete.
fn remove_half_written_snapshots(path: &Path) {
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
