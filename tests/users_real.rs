//! A personal book owned by a real, non-root Unix account (created by the test when it runs
//! as root, as CI does; skipped with a printed reason otherwise): the account that owns the
//! data dir is the book's admin before it is a user, and the journal names it by its login.
//! (Root is always the owner's equal, so only a real other account exercises the check.)

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_crm");

/// A Unix account made for one test, removed when the test ends (also on a panic).
struct Account(String);

impl Drop for Account {
    fn drop(&mut self) {
        let _ = Command::new("userdel").arg(&self.0).output();
    }
}

fn account() -> Option<Account> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: creating a Unix account needs root (CI runs as root)");
        return None;
    }
    let name = format!("crmr{:x}", std::process::id() % 0xfffff);
    let made = Command::new("useradd")
        .args(["-M", "-s", "/bin/sh", &name])
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: useradd is not available or failed");
        return None;
    }
    Some(Account(name))
}

/// `crm` as `user` (runuser sets USER to the account's login), on the book in `data`.
fn as_user(user: &str, data: &Path, args: &[&str]) -> Output {
    Command::new("runuser")
        .args(["-u", user, "--", BIN, "--as-of", "2026-11-22", "--data"])
        .arg(data)
        .args(args)
        .env_remove("CRM_DATA")
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_USER")
        .env_remove("CRM_SOCKET")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .env("HOME", "/nonexistent")
        .output()
        .unwrap()
}

fn ok(output: Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_account_that_owns_a_personal_book_is_its_admin() {
    let Some(owner) = account() else {
        return;
    };
    let login = owner.0.as_str();
    let tmp = tempfile::tempdir().unwrap();
    // The account may pass through the temporary dir to its own data dir, nothing more.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    let data = tmp.path().join("book");
    std::fs::create_dir(&data).unwrap();
    let chowned = Command::new("chown")
        .arg(login)
        .arg(&data)
        .status()
        .is_ok_and(|s| s.success());
    assert!(chowned, "chown {login}");

    // Not a user of the book, yet its admin: it adds users and lists them.
    assert_eq!(
        ok(as_user(
            login,
            &data,
            &["user", "add", "bob", "--name", "Bob", "--role", "rep"]
        )),
        "added user bob (Bob): rep, no team\n"
    );
    assert_eq!(
        ok(as_user(login, &data, &["user", "list"])),
        "bob\tBob\trep\t-\n"
    );
    // The journal names the change by the account's login.
    let trail: serde_json::Value =
        serde_json::from_str(&ok(as_user(login, &data, &["audit", "--json"]))).unwrap();
    assert_eq!(trail[0]["user"], login);
    assert_eq!(trail[0]["login"], "bob");
    assert_eq!(trail.as_array().map(Vec::len), Some(1));
}
