//! Every example a user is shown works as shown: each `crm ...` line of README.md and of the
//! `--help` of every command runs on a fresh copy of the sample book the README makes, and
//! docs/pdca.md's scripted turn prints exactly what the doc says.
//!
//! Examples run through `sh -c` as a user would type them (quotes, `>` redirections and
//! `# comments` included), with `crm` on the PATH, `CRM_DATA` the book and `CRM_AS_OF`
//! pinned so the sample book and the examples' dates agree whatever day the tests run.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use clap::CommandFactory;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_crm");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const AS_OF: &str = "2026-11-22";

/// The sample book of the README (`crm demo`, as of `AS_OF`) and its JSON export, made once
/// per test process.
fn sample_book() -> &'static (tempfile::TempDir, PathBuf) {
    static BOOK: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("demo-book");
        for args in [
            &["demo"][..],
            &[
                "export",
                "-o",
                dir.path().join("book.json").to_str().unwrap(),
            ],
        ] {
            let out = Command::new(BIN)
                .arg("--data")
                .arg(&book)
                .args(["--as-of", AS_OF])
                .args(args)
                .env_remove("CRM_CONFIG")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        (dir, book)
    })
}

/// A copy of a data dir, private like the original.
fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A working directory with the files the examples read (customers.csv, contacts.vcf, and
/// book.json, the sample book exported), and a fresh copy of the sample book (or an empty
/// data dir for `crm demo`).
struct Scene {
    dir: tempfile::TempDir,
    data: PathBuf,
}

impl Scene {
    fn new(empty_book: bool) -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("book");
        let (sample_dir, sample) = sample_book();
        if !empty_book {
            copy_dir(sample, &data);
        }
        for file in ["customers.csv", "contacts.vcf"] {
            std::fs::copy(
                Path::new(ROOT).join("tests/data/examples").join(file),
                dir.path().join(file),
            )
            .unwrap();
        }
        std::fs::copy(
            sample_dir.path().join("book.json"),
            dir.path().join("book.json"),
        )
        .unwrap();
        Scene { dir, data }
    }

    fn shell(&self, line: &str) -> Command {
        let bin_dir = Path::new(BIN).parent().unwrap();
        let path = format!(
            "{}:{}",
            bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(line)
            .current_dir(self.dir.path())
            .env("PATH", path)
            .env("HOME", self.dir.path())
            .env("CRM_DATA", &self.data)
            .env("CRM_AS_OF", AS_OF)
            .env("CRM_USER", "alice")
            .env_remove("CRM_CONFIG")
            .env_remove("CRM_STORE")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, line: &str) -> Output {
        self.shell(line).output().unwrap()
    }
}

/// The `crm` command lines of a text: lines that start with `crm ` (after indentation),
/// joined with the lines a trailing `\` continues.
fn command_lines(text: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed != "crm" && !trimmed.starts_with("crm ") {
            continue;
        }
        let mut command = trimmed.to_string();
        while command.ends_with('\\') {
            command.pop();
            match lines.next() {
                Some(next) => command.push_str(next.trim_start()),
                None => break,
            }
        }
        commands.push(command);
    }
    commands
}

/// The ```sh blocks of a Markdown text.
fn shell_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim()) {
            (None, "```sh") => current = Some(String::new()),
            (Some(block), "```") => {
                blocks.push(std::mem::take(block));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    blocks
}

fn readme_examples() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    shell_blocks(&readme)
        .iter()
        .flat_map(|block| command_lines(block))
        .collect()
}

/// The examples of `crm --help` and of every command's `--help`, with the command's path.
fn help_examples() -> Vec<(String, String)> {
    fn walk(command: &clap::Command, path: String, out: &mut Vec<(String, String)>) {
        if let Some(after) = command.get_after_help() {
            for line in command_lines(&after.to_string()) {
                out.push((path.clone(), line));
            }
        }
        for sub in command.get_subcommands() {
            walk(sub, format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&crm::cli::args::Cli::command(), "crm".into(), &mut out);
    out
}

fn opens_the_console(line: &str) -> bool {
    let words: Vec<&str> = line
        .split('#')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    words == ["crm"] || (words.contains(&"demo") && words.contains(&"--open"))
}

/// The PostgreSQL URL the `crm migrate` examples name; they run against a database of
/// their own on `$CRM_TEST_PG` instead (and are skipped, saying so, without one).
const EXAMPLE_STORE: &str = "postgres://crm@db.example/sales";

fn moves_the_book(line: &str) -> bool {
    line.split_whitespace().any(|w| w == "migrate")
}

/// `crm migrate --to` moves the sample book into an empty database; `--from` moves a
/// database's book (the sample book, moved there first) into a new data dir.
fn check_migrate(scene: &Scene, line: &str) -> Result<(), String> {
    let Some(db) = common::pg::TestDb::new(&format!("example `{line}`")) else {
        return Ok(());
    };
    let line = line.replace(EXAMPLE_STORE, &db.url);
    if line.contains("--from") {
        let out = scene.run(&format!("crm migrate --to {}", db.url));
        if !out.status.success() {
            return Err(format!(
                "moving the sample book there first: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    let out = scene.run(&line);
    let stdout = String::from_utf8_lossy(&out.stdout);
    match out.status.code() {
        Some(0) if stdout.starts_with("moved ") => Ok(()),
        code => Err(format!(
            "exit {code:?}, stdout: {stdout}, stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

fn starts_a_server(line: &str) -> bool {
    line.split_whitespace().nth(1) == Some("serve")
}

/// Runs one example and checks what it did; returns a description of what went wrong.
fn check(line: &str) -> Result<(), String> {
    let empty_book = line.split_whitespace().nth(1) == Some("demo");
    let scene = Scene::new(empty_book);
    if starts_a_server(line) {
        return check_server(&scene, line);
    }
    if moves_the_book(line) {
        return check_migrate(&scene, line);
    }
    let out = scene.run(line);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if opens_the_console(line) {
        // No terminal here: the console says so in one line (tests/tui_pty.rs opens it
        // in a pseudo-terminal).
        return match out.status.code() {
            Some(1) if stderr.contains("the console needs a terminal") => Ok(()),
            code => Err(format!("exit {code:?}, stderr: {stderr}")),
        };
    }
    if out.status.code() != Some(0) {
        return Err(format!("exit {:?}, stderr: {stderr}", out.status.code()));
    }
    if line.contains("--json") {
        serde_json::from_str::<serde_json::Value>(&stdout)
            .map_err(|e| format!("--json printed no JSON ({e}): {stdout}"))?;
    }
    let redirected = line.contains(" > ") || line.contains(" -o ");
    if stdout.trim().is_empty() && !redirected {
        return Err(format!("printed nothing; stderr: {stderr}"));
    }
    if redirected {
        let target = line
            .split_whitespace()
            .skip_while(|w| *w != ">" && *w != "-o")
            .nth(1)
            .unwrap_or("");
        let written = std::fs::metadata(scene.dir.path().join(target)).map_or(0, |m| m.len());
        if written == 0 {
            return Err(format!("wrote nothing to {target}"));
        }
    }
    Ok(())
}

/// `crm serve ...`: it listens, serves a client, and on Ctrl-C (SIGINT) or SIGTERM removes
/// its socket and exits 0.
fn check_server(scene: &Scene, line: &str) -> Result<(), String> {
    let socket = match line
        .split_whitespace()
        .skip_while(|w| *w != "--socket")
        .nth(1)
    {
        Some(path) => scene.dir.path().join(path),
        None => scene.data.join("crm.sock"),
    };
    let mut server = scene
        .shell(&format!("exec {line}"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut waited = 0;
    while !socket.exists() && waited < 200 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    if !socket.exists() {
        let _ = server.kill();
        let _ = server.wait();
        return Err(format!("no socket at {}", socket.display()));
    }
    if line.contains("--socket") {
        // A socket elsewhere is for others to reach explicitly; the book itself is held.
    } else {
        let found = scene.run("crm find acme");
        let stdout = String::from_utf8_lossy(&found.stdout);
        if !found.status.success() || !stdout.contains("Acme Trading Co.") {
            let _ = server.kill();
            let _ = server.wait();
            return Err(format!("the server did not answer a client: {stdout}"));
        }
    }
    // Ctrl-C for one, SIGTERM for the other: both stop the server the same way.
    let signal = if line.contains("--socket") {
        libc::SIGTERM
    } else {
        libc::SIGINT
    };
    // SAFETY: kill(2) on the pid of a child we spawned and have not yet waited for.
    unsafe {
        libc::kill(server.id() as libc::pid_t, signal);
    }
    let out = server.wait_with_output().unwrap();
    if out.status.code() != Some(0) {
        return Err(format!(
            "signal {signal}: exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if socket.exists() {
        return Err(format!(
            "{} left behind after signal {signal}",
            socket.display()
        ));
    }
    Ok(())
}

fn check_all(examples: &[String]) {
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|line| check(line).err().map(|why| format!("{line}\n    {why}")))
        .collect();
    assert!(
        failures.is_empty(),
        "examples that fail:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_readme_example_works_on_the_sample_book() {
    let examples = readme_examples();
    assert!(
        examples.len() >= 15,
        "only {} examples found",
        examples.len()
    );
    for expected in ["crm show acme", "crm find '5555 0101'", "crm serve"] {
        assert!(
            examples.iter().any(|e| e.starts_with(expected)),
            "no '{expected}' in the README"
        );
    }
    check_all(&examples);
}

#[test]
fn every_help_example_works_on_the_sample_book() {
    let examples = help_examples();
    let commands: std::collections::BTreeSet<&str> =
        examples.iter().map(|(path, _)| path.as_str()).collect();
    let documented = crm::cli::args::Cli::command()
        .get_subcommands()
        .filter(|c| c.get_name() != "pdca")
        .count();
    assert!(
        commands.len() > documented,
        "some commands have no example: {commands:?}"
    );
    let lines: Vec<String> = examples.into_iter().map(|(_, line)| line).collect();
    check_all(&lines);
}

#[test]
fn the_readme_test_command_is_the_one_ci_runs() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let ci = std::fs::read_to_string(Path::new(ROOT).join(".ci/run")).unwrap();
    let test_command = shell_blocks(&readme)
        .iter()
        .flat_map(|b| b.lines().map(str::to_string).collect::<Vec<_>>())
        .find(|line| line.starts_with("cargo test"))
        .expect("README gives a test command");
    assert!(
        ci.lines().any(|line| line.trim() == test_command.trim()),
        "`{test_command}` is not what .ci/run runs"
    );
}

#[test]
fn the_scripted_pdca_turn_prints_what_the_doc_says() {
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/pdca.md")).unwrap();
    let script = &shell_blocks(&doc[doc.find("## A turn, scripted").unwrap()..])[0];
    let data = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut lines = script.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with("export ") {
            assert_eq!(line, "export CRM_DATA=/tmp/pdca-book CRM_USER=alice");
            continue;
        }
        if !line.starts_with("crm ") {
            continue;
        }
        let mut command = line.trim_end().to_string();
        while command.ends_with('\\') {
            command.pop();
            command.push_str(lines.next().unwrap_or("").trim_start());
        }
        let mut expected = String::new();
        while let Some(next) = lines.peek() {
            let Some(output) = next.strip_prefix("# ") else {
                break;
            };
            expected.push_str(output);
            expected.push('\n');
            lines.next();
        }
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(ROOT)
            .env(
                "PATH",
                format!(
                    "{}:{}",
                    Path::new(BIN).parent().unwrap().display(),
                    std::env::var("PATH").unwrap_or_default()
                ),
            )
            .env("CRM_DATA", data.path().join("book"))
            .env("CRM_USER", "alice")
            .env("HOME", data.path())
            .env_remove("CRM_CONFIG")
            .env_remove("CRM_AS_OF")
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{command}");
        checked += 1;
    }
    assert_eq!(checked, 10, "the scripted turn has ten commands");
}
