//! Which database a PostgreSQL store talks to, and with what credentials.
//!
//! The password comes only from the URL, `$PGPASSWORD` or the password file (`$PGPASSFILE`,
//! else `~/.pgpass`, as libpq reads it: ignored unless private to its owner), and it never
//! appears in anything crm says: the store is named by `postgres://USER@HOST:PORT/DB`.

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

use super::super::error::StoreError;

/// Whether a store URL names a PostgreSQL database (anything else is a local book).
pub fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

#[derive(Clone)]
pub(crate) struct Target {
    config: Config,
    /// `postgres://USER@HOST:PORT/DB`: how messages name the store (never the password).
    pub name: String,
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, StoreError> {
        if !is_postgres_url(url) {
            return Err(StoreError::BadUrl {
                detail: "expected postgres://USER@HOST[:PORT]/DATABASE".to_string(),
            });
        }
        // The parser's messages name the option at fault, never its value.
        let mut config = Config::from_str(url).map_err(|e| StoreError::BadUrl {
            detail: e.to_string(),
        })?;
        if config.get_user().is_none() {
            let user = std::env::var("PGUSER")
                .ok()
                .or_else(login_name)
                .ok_or_else(|| StoreError::BadUrl {
                    detail: "no user in the URL, $PGUSER or the system's user database".to_string(),
                })?;
            config.user(&user);
        }
        if config.get_hosts().is_empty() {
            config.host("localhost");
        }
        if config.get_dbname().is_none() {
            let user = config.get_user().unwrap_or_default().to_string();
            config.dbname(&user);
        }
        config.connect_timeout(Duration::from_secs(10));
        config.application_name("crm");
        let name = display_name(&config);
        if config.get_password().is_none() {
            let password = std::env::var("PGPASSWORD")
                .ok()
                .or_else(|| from_password_file(&config));
            if let Some(password) = password {
                config.password(password);
            }
        }
        Ok(Target { config, name })
    }

    pub fn connect(&self) -> Result<Client, StoreError> {
        self.config.connect(NoTls).map_err(|e| self.unavailable(&e))
    }

    pub fn unavailable(&self, e: &postgres::Error) -> StoreError {
        StoreError::Unavailable {
            store: self.name.clone(),
            detail: one_line(e),
        }
    }

    /// A database error as the store reports it: a lost or refused connection is
    /// "store unavailable", anything else names the statement's failure.
    pub fn error(&self, e: &postgres::Error) -> StoreError {
        let connection_lost = match e.code() {
            None => true,
            Some(code) => {
                let code = code.code();
                // Class 08: connection exception; 57P01-57P03: the server is shutting
                // down, crashed or not yet accepting connections; 53300: too many clients.
                code.starts_with("08") || code.starts_with("57P") || code == "53300"
            }
        };
        if connection_lost {
            self.unavailable(e)
        } else {
            StoreError::Database {
                store: self.name.clone(),
                detail: one_line(e),
            }
        }
    }
}

/// The error as one line: the database's own message when there is one.
fn one_line(e: &postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => db.message().to_string(),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(cause) = source {
                let cause_text = cause.to_string();
                if !text.contains(&cause_text) {
                    text.push_str(": ");
                    text.push_str(&cause_text);
                }
                source = cause.source();
            }
            text
        }
    };
    text.replace(['\n', '\r'], " ")
}

fn host_text(host: &Host) -> String {
    match host {
        Host::Tcp(name) => name.clone(),
        Host::Unix(path) => path.display().to_string(),
    }
}

fn display_name(config: &Config) -> String {
    let user = config.get_user().unwrap_or_default();
    let host = config
        .get_hosts()
        .first()
        .map(host_text)
        .unwrap_or_default();
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or_default();
    format!("postgres://{user}@{host}:{port}/{db}")
}

fn login_name() -> Option<String> {
    std::env::var("USER").ok().filter(|u| !u.is_empty())
}

/// The password for this host, port, database and user from the password file, if one
/// applies. Like libpq, a file that group or others can read is not used.
fn from_password_file(config: &Config) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let path = match std::env::var_os("PGPASSFILE") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
    };
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let host = config
        .get_hosts()
        .first()
        .map(host_text)
        .unwrap_or_default();
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let db = config.get_dbname().unwrap_or_default();
    let user = config.get_user().unwrap_or_default();
    password_for(&text, [&host, &port, db, user])
}

/// The first matching line of a password file: `host:port:database:user:password`, `*`
/// matching anything, `\:` and `\\` escaping.
pub(crate) fn password_for(text: &str, wanted: [&str; 4]) -> Option<String> {
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_escaped(line);
        if fields.len() < 5 {
            continue;
        }
        let matches = fields[..4]
            .iter()
            .zip(wanted)
            .all(|(field, want)| field == "*" || field == want);
        if matches {
            return Some(fields[4..].join(":"));
        }
    }
    None
}

fn split_escaped(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let (Some(next), Some(f)) = (chars.next(), fields.last_mut()) {
                    f.push(next);
                }
            }
            ':' => fields.push(String::new()),
            c => {
                if let Some(f) = fields.last_mut() {
                    f.push(c);
                }
            }
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_never_carries_the_password() {
        let target = Target::parse("postgres://ann:s3cret@db.example:6543/sales").unwrap();
        assert_eq!(target.name, "postgres://ann@db.example:6543/sales");
    }

    #[test]
    fn a_password_file_line_matches_with_wildcards_and_escapes() {
        let file = "# comment\n\
                    other:5432:*:ann:wrong\n\
                    db.example:*:sales:ann:pa\\:ss:word\n";
        assert_eq!(
            password_for(file, ["db.example", "6543", "sales", "ann"]),
            Some("pa:ss:word".to_string())
        );
        assert_eq!(password_for(file, ["db.example", "1", "hr", "ann"]), None);
    }

    #[test]
    fn other_urls_are_refused_with_the_expected_form() {
        let err = Target::parse("mysql://x@y/z").err().unwrap();
        assert_eq!(
            err.to_string(),
            "store URL: expected postgres://USER@HOST[:PORT]/DATABASE"
        );
    }
}
