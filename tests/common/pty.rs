// Each test binary that includes this file uses its own subset of it.
#![allow(dead_code)]

//! The real `crm` binary in a pseudo-terminal, read with vt100: a session, the binary run
//! as a command, and a demo book. Every wait is a bounded poll for expected text; a session
//! kills its process when dropped (a failed test leaves no console behind).

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

pub const BIN: &str = env!("CARGO_BIN_EXE_crm");
pub const WAIT: Duration = Duration::from_secs(30);

pub struct Session {
    pub master: Box<dyn MasterPty + Send>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the console wrote, as it came.
    pub raw: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    pub fn open(data: &Path, cols: u16, rows: u16) -> Session {
        Session::open_in(data, cols, rows, "C.UTF-8")
    }

    /// The console with `LANG` set to `lang` (and no other locale variable).
    pub fn open_in(data: &Path, cols: u16, rows: u16, lang: &str) -> Session {
        Session::open_with(data, cols, rows, lang, &[])
    }

    /// The console with `LANG` set to `lang` and `args` on its command line.
    pub fn open_with(data: &Path, cols: u16, rows: u16, lang: &str, args: &[&str]) -> Session {
        Session::spawn(console_command(data, lang, args), cols, rows)
    }

    /// `cmd` (whatever runs the console: the binary itself, or `runuser` in front of it)
    /// in a new pseudo-terminal of `cols` x `rows`.
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let sink = parser.clone();
        let raw = Arc::new(Mutex::new(Vec::new()));
        let raw_sink = raw.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut raw) = raw_sink.lock() {
                    raw.extend_from_slice(&buf[..n]);
                }
                if let Ok(mut parser) = sink.lock() {
                    parser.process(&buf[..n]);
                }
            }
        });
        Session {
            master: pair.master,
            writer,
            child,
            parser,
            raw,
        }
    }

    /// Resizes the terminal. The screen model takes the new size first, under its lock:
    /// the console's redraw for the new size (it can come back at once, on SIGWINCH) must
    /// not be read into the old size and then cut off when the model grows.
    pub fn resize(&self, rows: u16, cols: u16) {
        let mut parser = self.parser.lock().unwrap();
        parser.screen_mut().set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen after `WAIT`.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.screen().contains(text) {
                return;
            }
            thread::sleep(Duration::from_millis(30));
        }
        panic!("waited for {text:?}; the screen shows:\n{}", self.screen());
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            thread::sleep(Duration::from_millis(30));
        }
        // Where it is stuck, for the log: every thread's stack (gdb, where installed).
        let stacks = self
            .child
            .process_id()
            .map(thread_stacks)
            .unwrap_or_default();
        let _ = self.child.kill();
        panic!(
            "crm did not exit; the screen shows:\n{}\n{stacks}",
            self.screen()
        );
    }

    /// The terminal is back to normal: main screen, cursor shown.
    pub fn assert_restored(&self) {
        // Give the reader thread the last bytes the process wrote.
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let parser = self.parser.lock().unwrap();
            let screen = parser.screen();
            if !screen.alternate_screen() && !screen.hide_cursor() {
                return;
            }
            drop(parser);
            thread::sleep(Duration::from_millis(30));
        }
        panic!("terminal not restored:\n{}", self.screen());
    }
}

impl Session {
    /// Sends `signal` to the console process.
    pub fn signal(&self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("a child process id");
        // SAFETY: kill(2) with a pid we spawned and a valid signal number.
        assert_eq!(unsafe { libc::kill(pid as libc::pid_t, signal) }, 0);
    }

    /// The pty's line discipline flags (`c_lflag`), read on the master side.
    pub fn local_flags(&self) -> libc::tcflag_t {
        let fd = self.master.as_raw_fd().expect("the pty master's fd");
        // SAFETY: tcgetattr fills a termios we own from an fd that stays open meanwhile.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0);
        termios.c_lflag
    }

    /// Waits until the line discipline is cooked (`cooked`) or raw.
    pub fn wait_mode(&self, cooked: bool) {
        let wanted = libc::ICANON | libc::ECHO | libc::ISIG;
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let flags = self.local_flags() & wanted;
            if (cooked && flags == wanted) || (!cooked && flags == 0) {
                return;
            }
            thread::sleep(Duration::from_millis(30));
        }
        panic!(
            "the terminal is not {} (c_lflag {:#o}):\n{}",
            if cooked { "cooked" } else { "raw" },
            self.local_flags(),
            self.screen()
        );
    }

    /// Waits until the process is stopped (`T` in /proc/PID/stat) or running again.
    pub fn wait_stopped(&self, stopped: bool) {
        let pid = self.child.process_id().expect("a child process id");
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
            let state = stat
                .rsplit(") ")
                .next()
                .and_then(|rest| rest.chars().next());
            if (state == Some('T')) == stopped {
                return;
            }
            thread::sleep(Duration::from_millis(30));
        }
        panic!("crm is not {}", if stopped { "stopped" } else { "running" });
    }
}

/// The console on `data` as the tests run it: alice, `LANG=lang`, `TERM=xterm-256color`,
/// no NO_COLOR, `args` on its command line; change its environment before spawning it.
pub fn console_command(data: &Path, lang: &str, args: &[&str]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.env("CRM_DATA", data);
    cmd.env("CRM_CONFIG", config_of(data));
    cmd.env("CRM_USER", "alice");
    // Drafts go to the state dir: one beside the data dir, never the tester's own.
    cmd.env("XDG_STATE_HOME", state_of(data));
    cmd.env("TERM", "xterm-256color");
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("COLORTERM");
    cmd.env("LANG", lang);
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_MESSAGES");
    cmd
}

pub fn crm(data: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(args)
        .env("CRM_DATA", data)
        .env("CRM_CONFIG", config_of(data))
        .env("CRM_USER", "alice")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "crm {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// An empty configuration beside the data dir: every key has its default.
/// The state directory a console of `data` keeps its drafts in.
pub fn state_of(data: &Path) -> std::path::PathBuf {
    data.with_extension("state")
}

pub fn config_of(data: &Path) -> std::path::PathBuf {
    data.with_extension("toml")
}

/// A temporary root holding `book/` (the data dir, filled by `crm demo`) and `book.toml`.
pub fn demo_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    std::fs::write(config_of(&data), "").unwrap();
    crm(&data, &["demo", "--customers", "200", "--seed", "7"]);
    (root, data)
}

/// A name of the demo book matching `pick`, and the name `crm find` ranks first for the
/// fragment `cut` makes of it (the console's palette ranks the same way).
pub fn target(data: &Path, pick: fn(&str) -> bool, cut: fn(&str) -> String) -> (String, String) {
    let export: serde_json::Value =
        serde_json::from_str(&crm(data, &["export", "--format", "json"])).unwrap();
    let customers = export["customers"].as_array().unwrap();
    let name = customers
        .iter()
        .filter_map(|c| c["name"].as_str())
        .find(|n| pick(n))
        .expect("the demo book has such a name")
        .to_string();
    let fragment = cut(&name);
    let hits: serde_json::Value =
        serde_json::from_str(&crm(data, &["find", &fragment, "--json"])).unwrap();
    let top = hits[0]["name"].as_str().unwrap().to_string();
    (fragment, top)
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Every thread's stack of process `pid`, from gdb; empty when gdb is missing or may not
/// attach. Only for a failure's message: a stuck console says where it is stuck.
fn thread_stacks(pid: u32) -> String {
    let out = Command::new("gdb")
        .args(["-p", &pid.to_string(), "-batch", "-nx"])
        .args(["-ex", "thread apply all bt 30"])
        .output();
    match out {
        Ok(out) => format!(
            "threads of pid {pid}:\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(e) => format!("(no thread stacks: gdb: {e})"),
    }
}
