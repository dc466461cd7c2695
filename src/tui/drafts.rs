//! Nothing typed is lost (issue 14): the open form is kept as a draft on disk as it is
//! typed, one file per user and book (`STATE_DIR/crm/book-HASH/drafts/LOGIN.json`, HASH
//! naming the book's socket; the directory 0700, the file 0600, written whole to a
//! temporary file, synced and renamed over the old one), and removed when the form is saved
//! or cancelled. A console that was killed with a form open (a dropped SSH session) leaves
//! its draft: the next start on the same book offers it back. Another book never sees it:
//! its customer ids name other customers (a contact would be logged against the wrong one),
//! and opening it leaves the first book's draft where it is.
//!
//! A draft holds the form's kind (the record it is about), title, focus and each field's
//! value by name; restoring builds the form again as its screen would and puts the values
//! back, so a draft never names a label or a rule of its own.

use std::fs;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::book::BookApi;
use crate::domain::model::Scope;
use crate::domain::pdca::parse_scope;
use crate::i18n::{t, tr};
use crate::tui::app::{App, Confirm, ConfirmKind};
use crate::tui::form::{edit, log, pdca, FieldValue, Form, FormKind, Known, TextInput};

/// Where the user's drafts live, and the bytes last written (to write only on a change).
#[derive(Debug, Default)]
pub struct DraftSlot {
    pub path: Option<PathBuf>,
    last: Option<Vec<u8>>,
    /// A draft found at the start, offered back (`ConfirmKind::RestoreDraft`).
    pub offered: Option<Draft>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DraftValue {
    Text(String),
    Choice(usize),
    Toggles(Vec<bool>),
    /// A picker's value (a login, a scope's code, a reason's code), not its place in a list
    /// that may have changed by the time the draft comes back.
    Picked(Option<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// `crm-draft/1`: a later form of the file is refused, not misread.
    pub format: String,
    pub kind: FormKind,
    pub title: String,
    pub focus: usize,
    pub values: Vec<(String, DraftValue)>,
}

const FORMAT: &str = "crm-draft/1";

/// The draft file of `login` on the book served on `socket`, under the platform's state
/// dir (`$XDG_STATE_HOME/crm`, else `~/.local/state/crm`); `None` when there is no home to
/// keep it in.
pub fn default_path(login: &str, socket: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "crm")?;
    let base = dirs
        .state_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dirs.data_local_dir().to_path_buf());
    Some(book_draft_file(&base, login, socket))
}

/// The draft file of `login` on the book served on `socket`, in the state directory
/// `base`: `base/book-HASH/drafts/LOGIN.json`. A book is known by its socket (one per data
/// directory, or the team's), its directory taken as the file system resolves it, so
/// `--data book` and `--data ./book/` are one book.
pub fn book_draft_file(base: &Path, login: &str, socket: &Path) -> PathBuf {
    let resolved = match (socket.parent(), socket.file_name()) {
        (Some(dir), Some(name)) => {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            fs::canonicalize(dir).map_or_else(|_| socket.to_path_buf(), |d| d.join(name))
        }
        _ => socket.to_path_buf(),
    };
    draft_file(
        &base.join(format!(
            "book-{:016x}",
            fnv1a(resolved.as_os_str().as_bytes())
        )),
        login,
    )
}

/// FNV-1a, 64 bits: a name for a book's drafts that stays the same from one build (and
/// Rust release) to the next, unlike the standard library's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The draft file of `login` in the state directory `base`.
pub fn draft_file(base: &Path, login: &str) -> PathBuf {
    // A login is a plain name; anything else is spelled out so it stays one file name.
    let safe: String = login
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    base.join("drafts").join(format!("{safe}.json"))
}

impl Draft {
    pub fn of(form: &Form) -> Draft {
        let values = form
            .fields
            .iter()
            .filter_map(|f| {
                let value = match &f.value {
                    FieldValue::Text { input, .. } => DraftValue::Text(input.value().to_string()),
                    FieldValue::Choice { index, .. } => DraftValue::Choice(*index),
                    FieldValue::Toggles { on, .. } => DraftValue::Toggles(on.clone()),
                    FieldValue::Pick(pick) => DraftValue::Picked(pick.value().map(str::to_string)),
                    // Shown values are measured again, not kept.
                    FieldValue::Shown(_) => return None,
                };
                Some((f.name.to_string(), value))
            })
            .collect();
        Draft {
            format: FORMAT.to_string(),
            kind: form.kind.clone(),
            title: form.title.clone(),
            focus: form.focus,
            values,
        }
    }

    /// The value a picker held (`None`: no such picker, or nothing picked).
    pub fn picked(&self, name: &str) -> Option<&str> {
        self.values.iter().find_map(|(n, value)| match value {
            DraftValue::Picked(Some(v)) if n == name => Some(v.as_str()),
            _ => None,
        })
    }

    /// The customer a new cycle's draft was scoped to: its name is offered again.
    pub fn scope_customer(&self) -> Option<String> {
        match parse_scope(self.picked("scope")?) {
            Ok(Scope::Customer(id)) => Some(id),
            _ => None,
        }
    }

    /// The form built again for its record (read from the book where the form needs it),
    /// with the draft's values; `None` when its record is gone. `known` is what its
    /// pickers offer now.
    pub fn rebuild(&self, book: &mut dyn BookApi, as_of: Date, known: &Known) -> Option<Form> {
        let mut form = match &self.kind {
            FormKind::Log { customer } => log::new(customer, "", None),
            FormKind::NewCustomer => edit::new_customer(book.actor(), as_of, known),
            FormKind::EditCustomer { original } => edit::edit_customer(original, known),
            FormKind::AddBond { customer } => edit::add_bond(customer, "", None, as_of),
            FormKind::EndBond { customer, .. } => {
                edit::end_bond(&book.account(customer).ok()?, as_of)?
            }
            FormKind::AddOrder { customer } => edit::add_order(customer, "", as_of),
            FormKind::Lost { customer } => edit::lost(&book.customer(customer).ok()?, as_of),
            FormKind::NewCycle => {
                // Built for the scope it had, so that scope is offered even when no list
                // of the book holds it any more.
                let scope = self.picked("scope").and_then(|code| parse_scope(code).ok());
                pdca::new_cycle(&scope.unwrap_or(Scope::Book), known)
            }
            FormKind::CycleAction { cycle } => pdca::add_action(&book.find_cycle(*cycle).ok()?),
            FormKind::ActCycle { cycle } => pdca::act(&book.find_cycle(*cycle).ok()?),
            FormKind::EditCycle { original } => pdca::edit_plan(original),
            FormKind::CorrectLog { customer, previous } => log::correct(customer, "", previous),
        };
        form.title = self.title.clone();
        for field in form.fields.iter_mut() {
            let Some((_, value)) = self.values.iter().find(|(name, _)| name == field.name) else {
                continue;
            };
            match (&mut field.value, value) {
                (FieldValue::Text { input, .. }, DraftValue::Text(text)) => {
                    *input = TextInput::new(text)
                }
                (FieldValue::Choice { options, index }, DraftValue::Choice(i))
                    if *i < options.len() =>
                {
                    *index = *i
                }
                (FieldValue::Toggles { on, .. }, DraftValue::Toggles(saved))
                    if saved.len() == on.len() =>
                {
                    on.clone_from(saved)
                }
                (FieldValue::Pick(pick), DraftValue::Picked(saved)) => match saved {
                    None => pick.chosen = None,
                    Some(value) => {
                        // A new owner was said yes to before the draft was kept.
                        if !pick.select(value) && pick.takes_new {
                            pick.add(edit::new_owner(value));
                        }
                    }
                },
                _ => {}
            }
        }
        form.focus_at(self.focus.min(form.fields.len().saturating_sub(1)));
        form.dirty = true;
        form.refresh_echoes(as_of);
        Some(form)
    }
}

/// Writes `bytes` to `path` durably and privately: a temporary file beside it (0600),
/// synced, renamed over it, the directory synced.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    let tmp = path.with_extension("json.tmp");
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    fs::rename(&tmp, path)?;
    fs::File::open(dir)?.sync_all()
}

/// Reads the draft at `path`; `None` when there is none or it cannot be read as one.
pub fn read(path: &Path) -> Option<Draft> {
    let bytes = fs::read(path).ok()?;
    let draft: Draft = serde_json::from_slice(&bytes).ok()?;
    (draft.format == FORMAT).then_some(draft)
}

/// After every key: the open form written as the user's draft when it changed, the draft
/// removed when no form is open. A failure to write is said once on the status line.
pub(crate) fn keep(app: &mut App) {
    let Some(path) = app.drafts.path.clone() else {
        return;
    };
    // A draft offered back and not yet answered stays as it is.
    if app.drafts.offered.is_some() {
        return;
    }
    match app.form.as_ref().filter(|f| f.dirty) {
        Some(form) => {
            let Ok(bytes) = serde_json::to_vec(&Draft::of(form)) else {
                return;
            };
            if app.drafts.last.as_deref() == Some(bytes.as_slice()) {
                return;
            }
            match write_private(&path, &bytes) {
                Ok(()) => app.drafts.last = Some(bytes),
                Err(e) => app.error(tr(
                    "msg-draft-not-kept",
                    &[
                        ("path", &path.display().to_string()),
                        ("error", &e.to_string()),
                    ],
                )),
            }
        }
        None => {
            if app.drafts.last.take().is_some() || path.exists() {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

/// At the start: a draft left by a console that ended with a form open is offered back.
pub fn offer(app: &mut App) {
    let Some(draft) = app.drafts.path.as_deref().and_then(read) else {
        return;
    };
    app.confirm = Some(Confirm {
        prompt: tr("msg-draft-offer", &[("title", &draft.title)]),
        kind: ConfirmKind::RestoreDraft,
    });
    app.drafts.offered = Some(draft);
}

/// The answer to the offer: yes opens the form again as it was, no forgets the draft.
pub(crate) fn answer(app: &mut App, book: &mut dyn BookApi, restore: bool) {
    let Some(draft) = app.drafts.offered.take() else {
        return;
    };
    if restore {
        let customer = draft.scope_customer();
        let known = crate::tui::update::forms::known(app, book, customer.as_deref());
        match draft.rebuild(book, app.as_of, &known) {
            Some(mut form) => {
                crate::tui::pdca::update::refresh_baseline(&mut form, book, app.as_of);
                app.form = Some(form);
                app.info(t("msg-draft-restored"));
            }
            None => app.error(t("msg-draft-gone")),
        }
    }
    keep(app);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_book_has_its_own_draft_file_however_its_path_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let (here, there) = (dir.path().join("here"), dir.path().join("there"));
        fs::create_dir_all(&here).unwrap();
        fs::create_dir_all(&there).unwrap();
        let state = dir.path().join("state");
        let file = |book: &Path| book_draft_file(&state, "alice", &book.join("crm.sock"));
        assert_ne!(file(&here), file(&there));
        assert_eq!(file(&here), file(&here.join(".")));
        assert_eq!(file(&here), file(&there.join("..").join("here")));
        // One file per user within a book.
        assert_ne!(
            file(&here),
            book_draft_file(&state, "bob", &here.join("crm.sock"))
        );
        assert!(file(&here).starts_with(&state));
        assert!(file(&here).ends_with("drafts/alice.json"));
    }

    #[test]
    fn the_book_name_is_stable() {
        // FNV-1a's published test vectors: a draft left by one build is found by the next.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
