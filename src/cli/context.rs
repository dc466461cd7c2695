//! What every command needs: where the book is, the configuration, the as-of date, the user.
//! The clock is read here, once, and passed down.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::args::Cli;
use super::UserError;
use crate::book::{Book, Shelf};
use crate::domain::config::Config;
use crate::domain::safe_text::escaped;
use crate::i18n::{t, tr};

pub struct Context {
    pub data_dir: PathBuf,
    pub config: Config,
    /// The configuration was named (`--config`, `$CRM_CONFIG`): a server computing with
    /// other rules is refused rather than silently used.
    pub config_named: bool,
    pub as_of: Date,
    /// The login recorded on a book this process opens itself; a served book records the
    /// login the kernel names instead.
    pub user: String,
    /// The PostgreSQL store (`--store`, `$CRM_STORE`, `[store] url`); `None`: the data dir.
    pub store: Option<String>,
    /// Where the book's server listens: `--socket`, else `$CRM_SOCKET`, else `DIR/crm.sock`.
    pub socket: PathBuf,
    /// The socket was named: with no server there, nothing else is opened in its place.
    pub socket_named: bool,
}

impl Context {
    pub fn resolve(cli: &Cli) -> Result<Context, UserError> {
        let data_dir = match cli.data.clone().or_else(|| env_path("CRM_DATA")) {
            Some(dir) => dir,
            None => project_dirs()?.data_dir().to_path_buf(),
        };
        let named_config = cli.config.clone().or_else(|| env_path("CRM_CONFIG"));
        let config_named = named_config.is_some();
        let config = match named_config {
            Some(file) => load_config(&file, true)?,
            None => load_config(&project_dirs()?.config_dir().join("config.toml"), false)?,
        };
        let as_of = match &cli.as_of {
            Some(text) => parse_date("--as-of", text)?,
            None => jiff::Zoned::now().date(),
        };
        let user = cli
            .user
            .clone()
            .or_else(|| std::env::var("CRM_USER").ok())
            .or_else(|| std::env::var("USER").ok())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "me".to_string());
        let store = cli
            .store
            .clone()
            .or_else(|| std::env::var("CRM_STORE").ok())
            .or_else(|| config.store.url.clone())
            .filter(|url| !url.trim().is_empty());
        let named_socket = cli.socket.clone().or_else(|| env_path("CRM_SOCKET"));
        let socket_named = named_socket.is_some();
        let socket = named_socket.unwrap_or_else(|| crate::book::remote::socket_path(&data_dir));
        Ok(Context {
            data_dir,
            config,
            config_named,
            as_of,
            user,
            store,
            socket,
            socket_named,
        })
    }

    /// Commands that read a book need one: a data dir that does not exist (a typo in
    /// `--data`) is reported, and nothing is created there.
    pub fn require_book(&self) -> Result<(), UserError> {
        // A named socket is the book's server: the book is wherever it keeps it.
        if self.data_dir.exists() || self.socket_named {
            return Ok(());
        }
        Err(UserError::Message(tr(
            "cli-no-book",
            &[("dir", &self.data_dir.display().to_string())],
        )))
    }

    /// The book in the data dir, not yet opened.
    pub fn shelf(&self) -> Shelf {
        Shelf::with_store(&self.data_dir, self.store.as_deref())
    }

    pub fn open_book(&self) -> Result<Book, UserError> {
        let mut bar = super::progress::Bar::new(crate::i18n::t("repair-progress"));
        let book = self.shelf().open_with_progress(
            self.config.clone(),
            &self.user,
            &mut |done, total| bar.set(done, total),
        )?;
        bar.finish();
        let report = book.open_report();
        if let Some(notice) = crate::book::privacy_notice(&self.data_dir, report) {
            eprintln!("crm: {}", escaped(&crate::i18n::say(&notice)));
        }
        if report.rebuilt {
            eprintln!(
                "crm: {}",
                tr(
                    "cli-index-rebuilt",
                    &[("dir", &self.data_dir.display().to_string())],
                )
            );
        }
        if report.cut_tail_bytes > 0 {
            let bytes = report.cut_tail_bytes.to_string();
            let line = match &report.cut_tail_saved {
                Some(path) => tr(
                    "cli-tail-cut-kept",
                    &[
                        ("bytes", &bytes),
                        ("path", &escaped(&path.display().to_string())),
                    ],
                ),
                None => tr("cli-tail-cut", &[("bytes", &bytes)]),
            };
            eprintln!("crm: {line}");
        }
        Ok(book)
    }
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn project_dirs() -> Result<directories::ProjectDirs, UserError> {
    directories::ProjectDirs::from("", "", "crm")
        .ok_or_else(|| UserError::Message(t("cli-no-home")))
}

/// Reads the TOML config; a missing default file is fine, a missing named one is not.
fn load_config(file: &Path, must_exist: bool) -> Result<Config, UserError> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => {
            return Ok(Config::default())
        }
        Err(e) => return Err(super::at(&file.display().to_string(), &e.to_string())),
    };
    let config = Config::from_toml(&text).map_err(|e| {
        let line = e.span().map(|span| {
            text.as_bytes()[..span.start.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1
        });
        let message = e.message().replace('\n', " ");
        match line {
            Some(line) => super::at(&format!("{}:{line}", file.display()), &message),
            None => super::at(&file.display().to_string(), &message),
        }
    })?;
    config
        .validate()
        .map_err(|message| super::at(&file.display().to_string(), &message))?;
    Ok(config)
}

pub fn parse_date(what: &str, text: &str) -> Result<Date, UserError> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| UserError::Message(tr("cli-not-a-date", &[("what", what), ("text", text)])))
}
