//! End-to-end runs of the real `crm` binary in a pseudo-terminal: the console opens on a
//! demo book, finds customers by CJK and Latin fragments, logs a contact that survives a
//! restart, survives a tiny terminal, and leaves the terminal restored (main screen, cursor,
//! cooked mode) on quit and on every signal that ends or suspends it.
//! Screens are read with vt100; every wait is a bounded poll for expected text.

#[path = "common/pty.rs"]
mod pty;

use pty::*;
use std::thread;
use std::time::Duration;

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
    s.resize(24, 80);
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
