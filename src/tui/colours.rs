//! How many colours the terminal shows, as its terminfo entry would say (`colors#N`), and
//! the console's output fitted to it. crossterm writes every colour, even the eight basic
//! ones, as a 256-colour code (`38;5;1`), which a VT100 or a basic terminal shows as
//! garbage or not at all; so the frame's bytes are rewritten on their way out: basic
//! colours become `30`–`37`/`90`–`97` (`40`–`47`/`100`–`107` behind), and a terminal with
//! none gets none (the mono theme is chosen for it; this is the guarantee).

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colours {
    /// No colour at all (a VT100, `dumb`, a `-mono` entry): attributes only.
    None,
    /// The eight ANSI colours and their bright versions (`xterm`, `linux`, `screen`).
    Basic,
    /// 256 colours or more (`*-256color`, `COLORTERM=truecolor`): written as they are.
    Full,
}

impl Colours {
    /// The colours of `term` (TERM) and `colorterm` (COLORTERM), by terminfo's rules of
    /// naming: DEC VTs, `dumb`, `ascii` and `-mono`/`-m` entries have none; `256color`,
    /// `direct` and `truecolor` entries, or COLORTERM `truecolor`/`24bit`, have many; any
    /// other has the basic eight (an unknown terminal is not sent what it may not know).
    pub fn of(term: &str, colorterm: &str) -> Colours {
        let term = term.to_ascii_lowercase();
        let dec_vt = term
            .strip_prefix("vt")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
        if dec_vt
            || matches!(term.as_str(), "dumb" | "ascii")
            || term.ends_with("-mono")
            || term.ends_with("-m")
        {
            return Colours::None;
        }
        let many = ["256color", "direct", "truecolor", "24bit"]
            .iter()
            .any(|tag| term.contains(tag))
            || matches!(colorterm, "truecolor" | "24bit");
        if many {
            Colours::Full
        } else {
            Colours::Basic
        }
    }

    /// `bytes` (terminal output) with every colour of its SGR sequences fitted to these
    /// colours; everything else passes as it is.
    pub fn fit<'a>(self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        if self == Colours::Full || !bytes.windows(2).any(|w| w == b"\x1b[") {
            return Cow::Borrowed(bytes);
        }
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let Some(sgr) = sgr_at(bytes, i) else {
                out.push(bytes[i]);
                i += 1;
                continue;
            };
            let params = std::str::from_utf8(&bytes[i + 2..sgr - 1]).unwrap_or("");
            let fitted = self.fit_params(params);
            // A sequence left with nothing would read as "reset": it is dropped instead.
            if !fitted.is_empty() || params.is_empty() {
                out.extend_from_slice(b"\x1b[");
                out.extend_from_slice(fitted.as_bytes());
                out.push(b'm');
            }
            i = sgr;
        }
        Cow::Owned(out)
    }

    fn fit_params(self, params: &str) -> String {
        let parts: Vec<&str> = params.split(';').collect();
        let mut out: Vec<String> = Vec::new();
        let mut i = 0;
        while i < parts.len() {
            let part = parts[i];
            let code: Option<u16> = part.parse().ok();
            match code {
                Some(layer @ (38 | 48 | 58)) => {
                    let (colour, used) = extended(&parts[i + 1..]);
                    i += 1 + used;
                    if layer == 58 {
                        continue; // An underline colour has no basic form.
                    }
                    let background = layer == 48;
                    out.push(match (self, colour) {
                        (Colours::Basic, Some(basic)) => basic_code(basic, background),
                        _ => default_code(background),
                    });
                    continue;
                }
                // The underline colour's reset: a VT100 or the basic eight never had one.
                Some(59) => {}
                Some(30..=37 | 90..=97) if self == Colours::None => {
                    out.push(default_code(false));
                }
                Some(40..=47 | 100..=107) if self == Colours::None => {
                    out.push(default_code(true));
                }
                _ => out.push(part.to_string()),
            }
            i += 1;
        }
        out.join(";")
    }
}

/// Where the SGR sequence (`ESC [ digits;… m`) starting at `i` ends (one past its `m`).
fn sgr_at(bytes: &[u8], i: usize) -> Option<usize> {
    if bytes.get(i..i + 2)? != b"\x1b[" {
        return None;
    }
    let mut j = i + 2;
    while let Some(&b) = bytes.get(j) {
        match b {
            b'0'..=b'9' | b';' => j += 1,
            b'm' => return Some(j + 1),
            _ => return None,
        }
    }
    None
}

/// The basic colour (0–15) nearest to the colour after a `38`/`48`: `5;N` or `2;R;G;B`,
/// and how many parameters that took.
fn extended(rest: &[&str]) -> (Option<u8>, usize) {
    let num = |k: usize| rest.get(k).and_then(|p| p.parse::<u16>().ok());
    match num(0) {
        Some(5) => (num(1).and_then(|n| u8::try_from(n).ok()).map(indexed), 2),
        Some(2) => {
            let rgb = (num(1), num(2), num(3));
            let basic = match rgb {
                (Some(r), Some(g), Some(b)) => Some(from_rgb(r, g, b)),
                _ => None,
            };
            (basic, 4)
        }
        _ => (None, 1),
    }
}

/// A 256-colour index as the nearest of the 16 basic colours.
fn indexed(n: u8) -> u8 {
    match n {
        0..=15 => n,
        16..=231 => {
            let n = n - 16;
            let level = |v: u8| u16::from(v) * 51;
            from_rgb(level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        232..=255 => match n - 232 {
            0..=5 => 0,
            6..=11 => 8,
            12..=17 => 7,
            _ => 15,
        },
    }
}

fn from_rgb(r: u16, g: u16, b: u16) -> u8 {
    let bit = |v: u16, shift: u8| u8::from(v >= 128) << shift;
    let colour = bit(r, 0) | bit(g, 1) | bit(b, 2);
    let bright = r.max(g).max(b) >= 224;
    colour + if bright { 8 } else { 0 }
}

fn basic_code(colour: u8, background: bool) -> String {
    let base = match (colour < 8, background) {
        (true, false) => 30,
        (false, false) => 90 - 8,
        (true, true) => 40,
        (false, true) => 100 - 8,
    };
    (base + u16::from(colour)).to_string()
}

fn default_code(background: bool) -> String {
    if background { "49" } else { "39" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminals_by_their_terminfo_names() {
        for term in [
            "vt100",
            "vt102",
            "vt220",
            "vt52",
            "dumb",
            "xterm-mono",
            "VT100",
        ] {
            assert_eq!(Colours::of(term, ""), Colours::None, "{term}");
        }
        // A VT100 stays one inside a terminal that would have more.
        assert_eq!(Colours::of("vt100", "truecolor"), Colours::None);
        for term in ["xterm", "linux", "screen", "ansi", "tmux", "rxvt", ""] {
            assert_eq!(Colours::of(term, ""), Colours::Basic, "{term}");
        }
        for term in ["xterm-256color", "screen-256color", "xterm-direct"] {
            assert_eq!(Colours::of(term, ""), Colours::Full, "{term}");
        }
        assert_eq!(Colours::of("xterm", "truecolor"), Colours::Full);
        assert_eq!(Colours::of("xterm", "24bit"), Colours::Full);
    }

    fn fit(colours: Colours, s: &str) -> String {
        String::from_utf8(colours.fit(s.as_bytes()).into_owned()).unwrap()
    }

    #[test]
    fn basic_terminals_get_basic_codes() {
        // What crossterm writes for ratatui's Red, DarkGray, White on Blue, bold.
        let frame = "\x1b[38;5;1mA\x1b[38;5;8mb\x1b[38;5;15m\x1b[48;5;4m\x1b[1mc\x1b[0m";
        assert_eq!(
            fit(Colours::Basic, frame),
            "\x1b[31mA\x1b[90mb\x1b[97m\x1b[44m\x1b[1mc\x1b[0m"
        );
        // 256-colour and true colour go to the nearest basic one; underline colour goes.
        assert_eq!(
            fit(
                Colours::Basic,
                "\x1b[38;5;196;48;2;0;0;200;1mx\x1b[58;5;3my"
            ),
            "\x1b[91;44;1mxy"
        );
        // ratatui resets the underline colour (59) with every colour change.
        assert_eq!(fit(Colours::Basic, "\x1b[59m\x1b[38;5;2;59mz"), "\x1b[32mz");
        assert_eq!(
            fit(Colours::Basic, "\x1b[39m\x1b[49m\x1b[m"),
            "\x1b[39m\x1b[49m\x1b[m"
        );
    }

    #[test]
    fn colourless_terminals_get_attributes_only() {
        let frame = "\x1b[38;5;1mA\x1b[31;1mB\x1b[44m\x1b[7mC\x1b[2J\x1b[5;10H";
        assert_eq!(
            fit(Colours::None, frame),
            "\x1b[39mA\x1b[39;1mB\x1b[49m\x1b[7mC\x1b[2J\x1b[5;10H"
        );
    }

    #[test]
    fn full_terminals_and_text_pass_untouched() {
        let frame = "\x1b[38;5;1mA 上海";
        assert!(matches!(
            Colours::Full.fit(frame.as_bytes()),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            fit(Colours::Basic, "plain 上海 [38;5;1m"),
            "plain 上海 [38;5;1m"
        );
    }
}
