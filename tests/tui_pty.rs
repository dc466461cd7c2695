//! End-to-end runs of the real `crm` binary in a pseudo-terminal: the console opens on a
//! demo book, finds customers by CJK and Latin fragments, logs a contact that survives a
//! restart, survives a tiny terminal, and leaves the terminal restored (main screen, cursor,
//! cooked mode) on quit and on every signal that ends or suspends it.
//! Screens are read with vt100; every wait is a bounded poll for expected text.

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};

const BIN: &str = env!("CARGO_BIN_EXE_crm");
const WAIT: Duration = Duration::from_secs(20);

struct Session {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Session {
    fn open(data: &Path, cols: u16, rows: u16) -> Session {
        Session::open_in(data, cols, rows, "C.UTF-8")
    }

    /// The console with `LANG` set to `lang` (and no other locale variable).
    fn open_in(data: &Path, cols: u16, rows: u16, lang: &str) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.env("CRM_DATA", data);
        cmd.env("CRM_CONFIG", config_of(data));
        cmd.env("CRM_USER", "alice");
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env("LANG", lang);
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_MESSAGES");
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let sink = parser.clone();
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
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
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen after `WAIT`.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.screen().contains(text) {
                return;
            }
            thread::sleep(Duration::from_millis(30));
        }
        panic!("waited for {text:?}; the screen shows:\n{}", self.screen());
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Waits for the process to end; its exit code.
    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.exit_code();
            }
            thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("crm did not exit; the screen shows:\n{}", self.screen());
    }

    /// The terminal is back to normal: main screen, cursor shown.
    fn assert_restored(&self) {
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
    fn signal(&self, signal: libc::c_int) {
        let pid = self.child.process_id().expect("a child process id");
        // SAFETY: kill(2) with a pid we spawned and a valid signal number.
        assert_eq!(unsafe { libc::kill(pid as libc::pid_t, signal) }, 0);
    }

    /// The pty's line discipline flags (`c_lflag`), read on the master side.
    fn local_flags(&self) -> libc::tcflag_t {
        let fd = self.master.as_raw_fd().expect("the pty master's fd");
        // SAFETY: tcgetattr fills a termios we own from an fd that stays open meanwhile.
        let mut termios: libc::termios = unsafe { std::mem::zeroed() };
        assert_eq!(unsafe { libc::tcgetattr(fd, &mut termios) }, 0);
        termios.c_lflag
    }

    /// Waits until the line discipline is cooked (`cooked`) or raw.
    fn wait_mode(&self, cooked: bool) {
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
    fn wait_stopped(&self, stopped: bool) {
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

fn crm(data: &Path, args: &[&str]) -> String {
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
fn config_of(data: &Path) -> std::path::PathBuf {
    data.with_extension("toml")
}

/// A temporary root holding `book/` (the data dir, filled by `crm demo`) and `book.toml`.
fn demo_book() -> (tempfile::TempDir, std::path::PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    std::fs::write(config_of(&data), "").unwrap();
    crm(&data, &["demo", "--customers", "200", "--seed", "7"]);
    (root, data)
}

/// A name of the demo book matching `pick`, and the name `crm find` ranks first for the
/// fragment `cut` makes of it (the console's palette ranks the same way).
fn target(data: &Path, pick: fn(&str) -> bool, cut: fn(&str) -> String) -> (String, String) {
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

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

#[test]
fn find_log_quit_and_find_the_contact_again() {
    let (_root, data) = demo_book();
    let data = data.as_path();
    let (cjk_fragment, cjk_name) = target(
        data,
        |n| n.chars().filter(|c| is_cjk(*c)).count() >= 4,
        |n| n.chars().filter(|c| is_cjk(*c)).take(3).collect(),
    );
    let (latin_fragment, latin_name) = target(
        data,
        |n| n.is_ascii() && n.len() > 8,
        |n| {
            n.chars()
                .take(n.chars().count() - 2)
                .collect::<String>()
                .to_lowercase()
        },
    );

    let mut s = Session::open(data, 120, 40);
    s.wait_for("Book ·");
    // CJK fragment: palette, Enter, the card.
    s.send("/");
    s.wait_for("find a customer");
    s.send(&cjk_fragment);
    s.wait_for("found");
    s.send("\r");
    s.wait_for(&format!("{cjk_name} ·"));
    // Latin fragment with Ctrl-K from the card, then log a contact.
    s.send("\x0b");
    s.wait_for("find a customer");
    s.send(&latin_fragment);
    s.wait_for("found");
    s.send("\r");
    s.wait_for(&format!("{latin_name} ·"));
    s.send("l");
    s.wait_for("Log a contact");
    s.send("pty call about 上海 samples");
    s.wait_for("pty call about");
    s.send("\x13");
    s.wait_for("contact logged");
    s.wait_for("pty call about 上海 samples");
    s.send("\x1b");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();

    // Reopen: the contact is on the card.
    let mut s = Session::open(data, 120, 40);
    s.wait_for("Book ·");
    s.send("/");
    s.send(&latin_fragment);
    s.wait_for("found");
    s.send("\r");
    s.wait_for(&format!("{latin_name} ·"));
    s.wait_for("pty call about 上海 samples");
    s.send("\x1b");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_tiny_terminal_shows_a_notice_and_recovers() {
    let (_root, data) = demo_book();
    let mut s = Session::open(&data, 24, 6);
    s.wait_for("terminal too small");
    s.master
        .resize(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    s.parser.lock().unwrap().screen_mut().set_size(24, 80);
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn every_ending_signal_exits_with_the_terminal_restored() {
    let (_root, data) = demo_book();
    for (name, signal) in [
        ("SIGINT", libc::SIGINT),
        ("SIGQUIT", libc::SIGQUIT),
        ("SIGTERM", libc::SIGTERM),
        ("SIGHUP", libc::SIGHUP),
    ] {
        let mut s = Session::open(&data, 80, 24);
        s.wait_for("Book ·");
        s.wait_mode(false);
        s.signal(signal);
        // 0: the main loop woke up, restored the terminal and returned (the watchdog's own
        // exit, 128 + signal, is only for a loop stuck in a hung-up tty).
        assert_eq!(s.wait_exit(), 0, "{name}");
        s.assert_restored();
        s.wait_mode(true);
    }
}

#[test]
fn sigtstp_and_ctrl_z_suspend_with_the_terminal_restored_and_sigcont_resumes() {
    let (_root, data) = demo_book();
    let mut s = Session::open(&data, 80, 24);
    s.wait_for("Book ·");
    for suspend in ["SIGTSTP", "Ctrl-Z"] {
        if suspend == "SIGTSTP" {
            s.signal(libc::SIGTSTP);
        } else {
            s.send("\x1a");
        }
        s.wait_stopped(true);
        s.assert_restored();
        s.wait_mode(true);
        s.signal(libc::SIGCONT);
        s.wait_stopped(false);
        s.wait_mode(false);
        // Back on the alternate screen, painted anew, and answering keys.
        s.wait_for("Book ·");
        assert!(s.parser.lock().unwrap().screen().alternate_screen());
    }
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    s.wait_mode(true);
}

#[test]
fn the_first_page_shows_while_a_damaged_index_is_rebuilt_and_the_repair_is_reported() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    std::fs::write(config_of(&data), "").unwrap();
    // More customers than the saved first page holds (200).
    crm(&data, &["demo", "--customers", "300", "--seed", "7"]);
    let export: serde_json::Value =
        serde_json::from_str(&crm(&data, &["export", "--format", "json"])).unwrap();
    let mut names: Vec<(String, String)> = export["customers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let name = c["name"].as_str().unwrap().to_string();
            (name.to_lowercase(), name)
        })
        .collect();
    names.sort();
    let last = names.last().unwrap().1.clone();
    // The saved first page stays current (the journal is unchanged); the index is gone,
    // so opening rebuilds it from the journal while the first page is on screen.
    std::fs::remove_dir_all(data.join("index")).unwrap();
    let mut s = Session::open(&data, 120, 40);
    s.wait_for("Book · 300 of 300");
    s.wait_for("rebuilt from the journal");
    // The book is open: the whole list is there, not only the first page.
    s.send("\x1b[F");
    s.wait_for(&last);
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn a_chinese_locale_or_config_gives_a_chinese_console() {
    let (_root, data) = demo_book();
    let mut s = Session::open_in(&data, 80, 24, "zh_CN.UTF-8");
    s.wait_for("客户 ·");
    s.send("?");
    s.wait_for("按键：");
    // `?` again closes help (a lone Esc right before `q` would read as Alt-q).
    s.send("?");
    thread::sleep(Duration::from_millis(300));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    // The config's language wins over the locale.
    std::fs::write(config_of(&data), "language = \"zh-CN\"\n").unwrap();
    let mut s = Session::open_in(&data, 80, 24, "C.UTF-8");
    s.wait_for("客户 ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    std::fs::write(config_of(&data), "language = \"en\"\n").unwrap();
    let mut s = Session::open_in(&data, 80, 24, "zh_CN.UTF-8");
    s.wait_for("Book ·");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}
