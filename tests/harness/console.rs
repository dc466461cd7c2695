//! The console's tests without snapshots (state, scrolling, a real pseudo-terminal, the
//! message files) in one test binary (see Cargo.toml). The snapshot tests keep binaries of their own: insta
//! names their files after the module path (`tui_snapshots__...`).

// Each file keeps its own `mod common;` (tests/common), so the files stay as they were.
#![allow(clippy::duplicate_mod)]

#[path = "../i18n.rs"]
mod i18n;
#[path = "../team_live.rs"]
mod team_live;
#[path = "../tui_call.rs"]
mod tui_call;
#[path = "../tui_portfolio.rs"]
mod tui_portfolio;
#[path = "../tui_pty.rs"]
mod tui_pty;
#[path = "../tui_pty_colour.rs"]
mod tui_pty_colour;
#[path = "../tui_pty_work.rs"]
mod tui_pty_work;
#[path = "../tui_safety.rs"]
mod tui_safety;
#[path = "../tui_scroll.rs"]
mod tui_scroll;
#[path = "../tui_state.rs"]
mod tui_state;
#[path = "../tui_words.rs"]
mod tui_words;
