//! Private by construction (issue 11, item 5), run as a person would: the real binary under
//! a 0022 and a 0000 umask. The data dir is 0700 (tightened, with a notice, when it was
//! looser), every file in it and every export 0600; an export never follows a symlink
//! planted at its temporary name; `serve --socket` replaces nothing but a stale socket and
//! never takes a running server's.

use std::os::unix::fs::{symlink, FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_crm");

const BOOK: &str = r#"{
  "format": "crm-book/1",
  "users": [{"login": "alice", "name": "Alice Chen", "role": "rep"}],
  "customers": [{
    "id": "acme", "name": "Acme Trading Co.", "kind": "organization", "owner": "alice",
    "created": "2023-01-15", "contacts": [{"name": "Li Wei", "phone": "+86 10 5555 0101"}],
    "orders": [{"date": "2026-05-02", "amount": 12000, "margin": 3600}]
  }],
  "pdca": []
}"#;

/// `crm --data DIR ARGS` started by a shell that first sets `umask`.
fn crm_umask(umask: &str, data: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
        .arg(BIN)
        .arg("--data")
        .arg(data)
        .args(["--as-of", "2026-11-22", "--user", "alice"])
        .args(args)
        .env_remove("CRM_CONFIG")
        .env_remove("CRM_DATA")
        .output()
        .expect("run crm")
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "exit {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

/// Every file and directory under `dir` (not following symlinks), with its mode.
fn modes(dir: &Path, out: &mut Vec<(PathBuf, u32, bool)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        out.push((path.clone(), mode(&path), meta.is_dir()));
        if meta.is_dir() {
            modes(&path, out);
        }
    }
}

fn assert_private(data: &Path) {
    assert_eq!(mode(data), 0o700, "{}", data.display());
    let mut all = Vec::new();
    modes(data, &mut all);
    assert!(
        all.iter().any(|(p, _, _)| p.ends_with("index/db")),
        "sled's files are checked too: {all:?}"
    );
    for (path, mode, is_dir) in all {
        let wanted = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{} is {mode:o}", path.display());
    }
}

fn a_book_under(umask: &str) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    let file = root.path().join("book.json");
    std::fs::write(&file, BOOK).unwrap();
    ok(crm_umask(umask, &data, &["import", file.to_str().unwrap()]));
    ok(crm_umask(umask, &data, &["show", "acme"]));
    ok(crm_umask(
        umask,
        &data,
        &[
            "log",
            "acme",
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
        ],
    ));
    let export = root.path().join("export.json");
    ok(crm_umask(
        umask,
        &data,
        &["export", "-o", export.to_str().unwrap()],
    ));
    ok(crm_umask(umask, &data, &["find", "acme"]));
    assert!(data.join("journal.checked").exists());
    assert!(data.join("snapshot.search").exists());
    assert_private(&data);
    assert_eq!(mode(&export), 0o600);
}

#[test]
fn every_file_is_private_under_a_0022_umask() {
    a_book_under("0022");
}

#[test]
fn every_file_is_private_under_a_0000_umask() {
    a_book_under("0000");
}

#[test]
fn a_loose_data_dir_and_files_are_tightened_with_a_notice() {
    let root = tempfile::tempdir().unwrap();
    let data = imported_book(root.path(), "book");
    // As an older crm left it: the dir 0755, sled's files and the journal 0644.
    for (path, loose) in [
        (data.clone(), 0o755),
        (data.join("index"), 0o755),
        (data.join("index/db"), 0o644),
        (data.join("journal"), 0o644),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
    }
    let out = ok(crm_umask("0022", &data, &["show", "acme"]));
    let notice = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        notice,
        format!(
            "crm: {} was open to other users (mode 755); made it private (0700) and 3 files in it 0600\n",
            data.display()
        )
    );
    assert_private(&data);
    let again = ok(crm_umask("0022", &data, &["show", "acme"]));
    assert!(again.stderr.is_empty(), "the notice comes once");
}

#[test]
fn export_never_follows_a_symlink_at_its_temporary_name() {
    let root = tempfile::tempdir().unwrap();
    let data = imported_book(root.path(), "book");
    let victim = root.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    // The name an earlier crm wrote its export through, and a link on the target itself.
    let export = root.path().join("export.json");
    symlink(&victim, root.path().join("export.crm-export-tmp")).unwrap();
    ok(crm_umask(
        "0022",
        &data,
        &["export", "-o", export.to_str().unwrap()],
    ));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.contains("Acme Trading Co."), "{exported}");
    let left: Vec<String> = std::fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("crm-tmp"))
        .collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn imported_book(root: &Path, name: &str) -> PathBuf {
    let data = root.join(name);
    let file = root.join(format!("{name}.json"));
    std::fs::write(&file, BOOK).unwrap();
    ok(crm_umask(
        "0022",
        &data,
        &["import", file.to_str().unwrap()],
    ));
    data
}

fn serve(data: &Path, socket: &Path) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--data")
        .arg(data)
        .arg("serve")
        .arg("--socket")
        .arg(socket)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Waits until something accepts connections at `socket`.
fn wait_listening(socket: &Path) {
    let start = Instant::now();
    while UnixStream::connect(socket).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the server never listened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_refuses_to_delete_what_is_not_a_stale_socket() {
    let root = tempfile::tempdir().unwrap();
    let data = imported_book(root.path(), "book");
    let precious = root.path().join("notes.txt");
    std::fs::write(&precious, "mine").unwrap();
    let out = serve(&data, &precious).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8(out.stderr).unwrap();
    assert!(message.contains("is not a socket"), "{message}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "mine");
}

#[test]
fn serve_replaces_a_stale_socket_but_never_a_running_servers() {
    let root = tempfile::tempdir().unwrap();
    let first = imported_book(root.path(), "first");
    let second = imported_book(root.path(), "second");
    let socket = root.path().join("team.sock");
    // A crashed server's socket: bound, then nobody listens.
    drop(UnixListener::bind(&socket).unwrap());
    assert!(std::fs::symlink_metadata(&socket)
        .unwrap()
        .file_type()
        .is_socket());
    let running = Server(serve(&first, &socket).spawn().unwrap());
    wait_listening(&socket);
    assert_eq!(mode(&socket), 0o660);

    let out = serve(&second, &socket).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let message = String::from_utf8(out.stderr).unwrap();
    let pid = running.0.id();
    assert!(
        message.contains(&format!("another crm serve (pid {pid}) is listening on it")),
        "{message}"
    );
    // The first server still owns its socket and answers.
    let mut client = UnixStream::connect(&socket).unwrap();
    use std::io::{BufRead, BufReader, Write};
    client
        .write_all(
            b"{\"hello\":{\"protocol\":2}}\n{\"op\":\"find\",\"query\":\"acme\",\"limit\":1}\n",
        )
        .unwrap();
    let mut reader = BufReader::new(&client);
    let mut answer = String::new();
    reader.read_line(&mut answer).unwrap();
    assert!(answer.starts_with("{\"hello\":"), "{answer}");
    answer.clear();
    reader.read_line(&mut answer).unwrap();
    assert!(answer.contains("\"acme\""), "{answer}");
}
