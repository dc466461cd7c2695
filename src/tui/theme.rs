//! Semantic style roles. Views ask for a role ("selected", "bad"), never a colour, so the
//! mono theme (NO_COLOR, or a terminal without colours such as TERM=vt100), the colours
//! the output is fitted to (`colours`) and the ASCII glyph set (TERM=vt100) are a choice
//! made once here.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::domain::card::{Level, Stage, Tier};
use crate::tui::colours::Colours;

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub base: Style,
    pub muted: Style,
    pub title: Style,
    pub header: Style,
    pub border: Style,
    /// The selected row; must stay visible without colour (reverse video).
    pub selected: Style,
    pub key: Style,
    pub good: Style,
    pub warn: Style,
    pub bad: Style,
    pub input: Style,
    pub focus_label: Style,
    pub error: Style,
    pub bar: Style,
    /// Draw borders, bars and ellipses with ASCII only (vt100 and other basic terminals).
    pub ascii: bool,
    pub mono: bool,
    /// What the terminal shows: the console's output is fitted to it (`Colours::fit`).
    pub colours: Colours,
}

impl Theme {
    pub fn color() -> Theme {
        let plain = Style::new();
        Theme {
            base: plain,
            muted: plain.fg(Color::DarkGray),
            title: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            border: plain.fg(Color::DarkGray),
            selected: plain
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            key: plain.fg(Color::Cyan),
            good: plain.fg(Color::Green),
            warn: plain.fg(Color::Yellow),
            bad: plain.fg(Color::Red),
            input: plain.add_modifier(Modifier::UNDERLINED),
            focus_label: plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            error: plain.fg(Color::Red).add_modifier(Modifier::BOLD),
            bar: plain.fg(Color::Cyan),
            ascii: false,
            mono: false,
            colours: Colours::Full,
        }
    }

    /// NO_COLOR: attributes only. Selection is reverse video so it shows on any terminal.
    pub fn mono() -> Theme {
        let plain = Style::new();
        Theme {
            base: plain,
            muted: plain,
            title: plain.add_modifier(Modifier::BOLD),
            header: plain.add_modifier(Modifier::BOLD),
            border: plain,
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            key: plain.add_modifier(Modifier::BOLD),
            good: plain,
            warn: plain.add_modifier(Modifier::BOLD),
            bad: plain.add_modifier(Modifier::BOLD),
            input: plain.add_modifier(Modifier::UNDERLINED),
            focus_label: plain.add_modifier(Modifier::BOLD | Modifier::REVERSED),
            error: plain.add_modifier(Modifier::BOLD),
            bar: plain,
            ascii: false,
            mono: true,
            colours: Colours::None,
        }
    }

    pub fn with_ascii(mut self, ascii: bool) -> Theme {
        self.ascii = ascii;
        self
    }

    /// The theme the environment asks for: NO_COLOR (any non-empty value), TERM and
    /// COLORTERM. A terminal without colours (a VT100) gets the mono theme, as NO_COLOR.
    pub fn detect() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let term = std::env::var("TERM").unwrap_or_default();
        let colorterm = std::env::var("COLORTERM").unwrap_or_default();
        Theme::for_terminal(no_color, &term, &colorterm)
    }

    /// The theme for a terminal named `term` (TERM), `colorterm` (COLORTERM), with or
    /// without NO_COLOR.
    pub fn for_terminal(no_color: bool, term: &str, colorterm: &str) -> Theme {
        let colours = match Colours::of(term, colorterm) {
            _ if no_color => Colours::None,
            colours => colours,
        };
        let theme = if colours == Colours::None {
            Theme::mono()
        } else {
            Theme::color()
        };
        Theme { colours, ..theme }.with_ascii(ascii_term(term))
    }

    pub fn border_set(&self) -> border::Set<'static> {
        if self.ascii {
            border::Set {
                top_left: "+",
                top_right: "+",
                bottom_left: "+",
                bottom_right: "+",
                vertical_left: "|",
                vertical_right: "|",
                horizontal_top: "-",
                horizontal_bottom: "-",
            }
        } else {
            border::PLAIN
        }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii {
            "..."
        } else {
            "…"
        }
    }

    /// Eighths of a cell, for horizontal bars and the margin chart.
    pub fn bar_glyphs(&self) -> &'static [&'static str; 9] {
        if self.ascii {
            &[" ", " ", " ", " ", "#", "#", "#", "#", "#"]
        } else {
            &[" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        }
    }

    pub fn full_block(&self) -> &'static str {
        if self.ascii {
            "#"
        } else {
            "█"
        }
    }

    /// The marker in front of the selected row, so the selection is visible even where
    /// reverse video is lost (a screen reader, a copy of the screen).
    pub fn marker(&self) -> &'static str {
        ">"
    }

    pub fn stage(&self, stage: Stage) -> Style {
        match stage {
            Stage::Acquisition => self.muted,
            Stage::Growth => self.good,
            Stage::Maturity => self.base,
            Stage::Decline => self.warn,
            Stage::Churned => self.bad,
        }
    }

    pub fn tier(&self, tier: Option<Tier>) -> Style {
        match tier {
            Some(Tier::Platinum) | Some(Tier::Gold) => self.header,
            Some(Tier::Iron) => self.base,
            Some(Tier::Lead) | None => self.muted,
        }
    }

    pub fn level(&self, level: Level) -> Style {
        match level {
            Level::None => self.muted,
            _ => self.base,
        }
    }
}

/// Terminals known to lack the box-drawing and block characters.
fn ascii_term(term: &str) -> bool {
    matches!(
        term,
        "vt100" | "vt102" | "vt52" | "vt220" | "dumb" | "ansi" | "ascii"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vt100_is_ascii_xterm_is_not() {
        assert!(ascii_term("vt100"));
        assert!(!ascii_term("xterm-256color"));
    }

    #[test]
    fn a_terminal_without_colours_gets_the_mono_theme() {
        let vt100 = Theme::for_terminal(false, "vt100", "truecolor");
        assert!(vt100.mono && vt100.ascii);
        assert_eq!(vt100.colours, Colours::None);
        let linux = Theme::for_terminal(false, "linux", "");
        assert!(!linux.mono && !linux.ascii);
        assert_eq!(linux.colours, Colours::Basic);
        let xterm = Theme::for_terminal(false, "xterm-256color", "");
        assert_eq!(xterm, Theme::color());
        let no_color = Theme::for_terminal(true, "xterm-256color", "truecolor");
        assert_eq!(no_color, Theme::mono());
    }

    #[test]
    fn mono_selection_is_reverse_video() {
        let theme = Theme::mono();
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
        assert_eq!(theme.selected.fg, None);
        assert_eq!(theme.selected.bg, None);
    }

    #[test]
    fn ascii_glyphs_are_ascii() {
        let theme = Theme::mono().with_ascii(true);
        assert!(theme.border_set().top_left.is_ascii());
        assert!(theme.bar_glyphs().iter().all(|g| g.is_ascii()));
        assert!(theme.ellipsis().is_ascii());
    }
}
