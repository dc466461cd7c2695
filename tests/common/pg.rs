//! PostgreSQL for the tests: `$CRM_TEST_PG` names a server the tests may create databases
//! on (`.ci/run` starts one with `.ci/postgres`). Each test gets a database of its own,
//! dropped when it ends. Without the variable a PostgreSQL test says it was skipped and
//! why, and passes; with `CI=true` it fails instead (CI must run them).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server's URL from `$CRM_TEST_PG`, or `None` (after saying why) when the test is to
/// be skipped. Panics under `CI=true`.
pub fn server_url(test: &str) -> Option<String> {
    match std::env::var("CRM_TEST_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!(
                    "{test}: CI=true but $CRM_TEST_PG is not set: .ci/run starts PostgreSQL \
                     with .ci/postgres and exports it"
                );
            }
            eprintln!(
                "{test}: skipped: $CRM_TEST_PG is not set (a PostgreSQL server the tests may \
                 create databases on; `.ci/postgres start DIR` starts one)"
            );
            None
        }
    }
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[after_scheme..]
        .find('/')
        .map_or(base.len(), |i| after_scheme + i);
    let mut out = format!("{}/{db}", &base[..host_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

/// A database of one test's own, dropped (connections and all) when it goes.
pub struct TestDb {
    pub url: String,
    server: String,
    name: String,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    /// A fresh database on the test server, or `None` when PostgreSQL tests are skipped.
    pub fn new(test: &str) -> Option<TestDb> {
        let server = server_url(test)?;
        let short: String = test
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(30)
            .collect::<String>()
            .to_ascii_lowercase();
        let name = format!(
            "crm_t{}_{}_{short}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = postgres::Client::connect(&server, postgres::NoTls)
            .unwrap_or_else(|e| panic!("{test}: cannot reach $CRM_TEST_PG: {e}"));
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE template0"))
            .unwrap();
        Some(TestDb {
            url: with_database(&server, &name),
            server,
            name,
        })
    }

    /// A client of this database, for looking at the tables as a SQL user would.
    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = postgres::Client::connect(&self.server, postgres::NoTls) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// A PostgreSQL server of one test's own (the tests that stop and start it), in a
/// directory of its own, started with `.ci/postgres`; stopped when it goes.
pub struct OwnServer {
    dir: PathBuf,
    pub url: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres")
}

impl OwnServer {
    /// `None` when PostgreSQL tests are skipped (see `server_url`).
    pub fn start(test: &str) -> Option<OwnServer> {
        server_url(test)?;
        let dir = std::env::temp_dir().join(format!(
            "crm-pg-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let out = Command::new(script())
            .args(["start"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{test}: .ci/postgres start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let url = String::from_utf8(out.stdout).unwrap().trim().to_string();
        Some(OwnServer { dir, url })
    }

    pub fn stop(&self) {
        let out = Command::new(script())
            .arg("stop")
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            ".ci/postgres stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts it again on the port it had (clients reconnect to the same URL).
    pub fn restart(&self) {
        let out = Command::new(script())
            .args(["start"])
            .arg(&self.dir)
            .env("CRM_PG_PORT", self.port())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            ".ci/postgres start again: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn port(&self) -> String {
        std::fs::read_to_string(self.dir.join("port"))
            .unwrap()
            .trim()
            .to_string()
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        let _ = Command::new(script()).arg("stop").arg(&self.dir).output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
