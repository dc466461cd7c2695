//! The real `crm` binary in a pseudo-terminal under different TERMs: every byte it writes
//! is kept, and the colour codes in it must be ones the terminal knows. A VT100 has no
//! colour (attributes only: bold, underline, reverse), `linux` the basic eight and their
//! bright versions (`30`–`37`, `90`–`97`), `xterm-256color` gets 256-colour codes.

#[path = "common/pty.rs"]
mod pty;

use pty::*;

/// The parameters of every SGR sequence (`ESC [ … m`) in `bytes`, each sequence's list.
fn sgr_params(bytes: &[u8]) -> Vec<Vec<u16>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if &bytes[i..i + 2] != b"\x1b[" {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        while j < bytes.len() && (bytes[j].is_ascii_digit() || bytes[j] == b';') {
            j += 1;
        }
        if bytes.get(j) == Some(&b'm') {
            let params = std::str::from_utf8(&bytes[i + 2..j]).unwrap();
            out.push(
                params
                    .split(';')
                    .map(|p| if p.is_empty() { 0 } else { p.parse().unwrap() })
                    .collect(),
            );
        }
        i = j;
    }
    out
}

/// The console on a demo book under `term`: the book list, a card, the agenda, quit.
/// Every byte it wrote, and the TERM it ran with.
fn run_under(term: &str, book_title: &str) -> Vec<u8> {
    let (_root, data) = demo_book();
    let mut cmd = console_command(&data, "C.UTF-8", &[]);
    cmd.env("TERM", term);
    // A modern terminal says it has true colour; a VT100 inside it still has none.
    cmd.env("COLORTERM", if term == "vt100" { "truecolor" } else { "" });
    let mut s = Session::spawn(cmd, 80, 24);
    s.wait_for(book_title);
    s.send("\r");
    s.wait_for("Talk to");
    s.send("\x1b");
    s.wait_for(book_title);
    s.send("2");
    s.wait_for("Suggested");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let raw = s.raw.lock().unwrap().clone();
    raw
}

/// Attributes and their resets: bold … crossed out, 21–29, default colours.
fn attribute(p: u16) -> bool {
    matches!(p, 0..=9 | 21..=29 | 39 | 49)
}

fn basic_colour(p: u16) -> bool {
    matches!(p, 30..=37 | 40..=47 | 90..=97 | 100..=107)
}

#[test]
fn vt100_receives_no_colour_codes_only_attributes() {
    let raw = run_under("vt100", "Book .");
    let text = String::from_utf8_lossy(&raw);
    for extended in ["38;5;", "48;5;", "38;2;", "48;2;"] {
        assert!(!text.contains(extended), "vt100 got {extended:?}");
    }
    let sgr = sgr_params(&raw);
    let colour: Vec<&Vec<u16>> = sgr
        .iter()
        .filter(|ps| !ps.iter().all(|p| attribute(*p)))
        .collect();
    assert!(colour.is_empty(), "vt100 got colour codes: {colour:?}");
    // Not vacuous: the selection is drawn in reverse video.
    assert!(
        sgr.iter().any(|ps| ps.contains(&7)),
        "no reverse video: {sgr:?}"
    );
}

#[test]
fn linux_console_receives_basic_colours_only() {
    let raw = run_under("linux", "Book ·");
    let text = String::from_utf8_lossy(&raw);
    for extended in ["38;5;", "48;5;", "38;2;", "48;2;"] {
        assert!(!text.contains(extended), "linux got {extended:?}");
    }
    let sgr = sgr_params(&raw);
    let unknown: Vec<&Vec<u16>> = sgr
        .iter()
        .filter(|ps| !ps.iter().all(|p| attribute(*p) || basic_colour(*p)))
        .collect();
    assert!(unknown.is_empty(), "linux got: {unknown:?}");
    // The colour theme, in basic codes: blue selection, cyan keys.
    assert!(
        sgr.iter().any(|ps| ps.contains(&44)),
        "no blue background: {sgr:?}"
    );
    assert!(sgr.iter().any(|ps| ps.contains(&36)), "no cyan: {sgr:?}");
}

#[test]
fn xterm_256color_still_gets_colour() {
    let raw = run_under("xterm-256color", "Book ·");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("\x1b[38;5;"), "no colour for xterm-256color");
    // The selection: white on blue, fore- and background in one sequence.
    assert!(
        text.contains("48;5;"),
        "no background colour for xterm-256color"
    );
}
