//! docs/console.md lists every key of every view, generated from the keymap table itself,
//! so the documentation cannot drift from what the keys do.
//! Regenerate after changing keys: `UPDATE_DOCS=1 cargo test --test commands console_doc`.

use crm::tui::keymap::{help, Mode};

const INTRO: &str = "# The console\n\n\
`crm` without a command opens the console. It redraws only on input, works at 80×24, over \
SSH, with `NO_COLOR` (a mono theme whose selection stays visible), with `TERM=vt100` (ASCII \
borders, the mono theme and no colour codes at all: a VT100, `dumb` or a `-mono` terminal has \
none) and with CJK names. A terminal with the basic eight colours (`TERM=linux`, `xterm`, \
`screen`) gets those only; `*-256color` or `COLORTERM=truecolor` get 256 colours. As the screen \
narrows the book list drops its least important columns (owner, level, tier, last contact) \
before names shrink; two customers of the same name show their ids beside it (book list, \
agenda, find); the card's header never cuts the id; a message or question longer than the \
screen wraps onto more rows. Below {MIN_W}×{MIN_H} it shows a \"terminal too small\" notice until \
the window grows again. It exits cleanly, the terminal restored, on `q` and on SIGINT, SIGQUIT, \
SIGTERM and SIGHUP (a dropped SSH session). `Ctrl-Z` (or SIGTSTP) suspends it with the terminal \
restored for the shell; `fg` takes the screen back.\n\n\
Views: `1` book, `2` agenda, `3` portfolio, `4` PDCA review; `/` or `Ctrl-K` finds a customer \
from anywhere; `?` shows the keys of the current view. Every write (a contact, an edit, a task \
done) is durable on disk before the console shows it as saved.\n\n\
Find matches Han names and contact persons by their pinyin too, run together, by initials or \
mixed (`beijing`, `bjhx`, `bj huaxin`, `zhang w`), each common reading of a polyphonic \
character included; a row found through pinyin shows the reading with the typed letters \
underlined. The console speaks Simplified Chinese when the config says `language = \"zh-CN\"` \
or the locale is `zh_CN.*` (docs/configuration.md).\n\n\
This page is generated from the keymap (`src/tui/keymap.rs`) by `tests/console_doc.rs`.\n";

fn render() -> String {
    let modes = [
        Mode::Global,
        Mode::Book,
        Mode::Find,
        Mode::Card,
        Mode::Form,
        Mode::Pick,
        Mode::Agenda,
        Mode::Portfolio,
        Mode::Pdca,
        Mode::Cycle,
        Mode::Confirm,
        Mode::Help,
    ];
    let mut out = INTRO
        .replace("{MIN_W}", &crm::tui::view::MIN_WIDTH.to_string())
        .replace("{MIN_H}", &crm::tui::view::MIN_HEIGHT.to_string());
    for mode in modes {
        out.push_str(&format!(
            "\n## {}\n\n| keys | does |\n|---|---|\n",
            mode.title()
        ));
        for line in help(mode) {
            let keys: Vec<String> = line.keys.iter().map(|k| format!("`{k}`")).collect();
            out.push_str(&format!(
                "| {} | {} |\n",
                keys.join(" "),
                english(line.help).replace('|', "\\|")
            ));
        }
    }
    out
}

/// The English text of a help line (the keymap names its message).
fn english(key: &str) -> String {
    crm::i18n::message_in(crm::i18n::Lang::En, key, &[]).unwrap_or_else(|| key.to_string())
}

#[test]
fn console_doc_lists_every_key() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/console.md");
    let expected = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).expect("write docs/console.md");
        return;
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/console.md is out of date: run UPDATE_DOCS=1 cargo test --test commands console_doc"
    );
}
