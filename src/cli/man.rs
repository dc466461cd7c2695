//! `crm man`: one man page for the whole command line, made from the same clap definitions
//! as `--help`. Every subcommand is described on this page (there are no separate
//! `crm-COMMAND(1)` pages to point to), the global options stand apart from each command's
//! own, and the page ends with EXIT STATUS, ENVIRONMENT and FILES.

use clap::{Arg, Command};
use roff::{bold, italic, roman, Inline, Roff};

use crate::i18n::{t, tr};

/// The page as roff source.
pub fn render(cli: &Command) -> Vec<u8> {
    let mut page = Roff::new();
    let version = cli.get_version().unwrap_or_default();
    page.control(
        "TH",
        [
            "CRM",
            "1",
            "",
            &format!("crm {version}"),
            &t("man-user-commands"),
        ],
    );
    page.control("SH", [t("man-section-name").as_str()]);
    let about = cli.get_about().map(|a| a.to_string()).unwrap_or_default();
    page.text([roman(format!("crm - {about}"))]);

    page.control("SH", [t("man-section-synopsis").as_str()]);
    page.text([
        bold("crm"),
        roman(" ["),
        italic(t("man-section-global-options")),
        roman("] ["),
        italic(t("man-synopsis-command")),
        roman("] ["),
        italic(t("man-synopsis-options")),
        roman("]"),
    ]);

    page.control("SH", [t("man-section-description").as_str()]);
    let description = cli
        .get_long_about()
        .or(cli.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    paragraphs(&mut page, &description);

    page.control("SH", [t("man-section-global-options").as_str()]);
    page.text([roman(t("man-global-intro"))]);
    // By `global`, not by heading: the heading is said in the reader's language.
    for arg in cli.get_arguments().filter(|a| a.is_global_set()) {
        option(&mut page, arg);
    }
    item(
        &mut page,
        vec![bold("-h"), roman(", "), bold("--help")],
        &t("man-help-flag"),
    );
    item(
        &mut page,
        vec![bold("-V"), roman(", "), bold("--version")],
        &t("man-version-flag"),
    );

    page.control("SH", [t("man-section-commands").as_str()]);
    // The sentence names crm in bold wherever the language puts it.
    let marker = "\u{1}";
    let no_command = tr("man-no-command", &[("crm", marker)]);
    let (before, after) = no_command.split_once(marker).unwrap_or((&no_command, ""));
    page.text([roman(before), bold("crm"), roman(after)]);
    for command in cli.get_subcommands() {
        describe(&mut page, "crm", command);
    }

    page.control("SH", [t("man-section-exit-status").as_str()]);
    for (code, meaning) in EXIT_STATUS {
        item(&mut page, vec![bold(*code)], &t(meaning));
    }

    page.control("SH", [t("man-section-environment").as_str()]);
    for (name, meaning) in ENVIRONMENT {
        item(&mut page, vec![bold(*name)], &t(meaning));
    }

    page.control("SH", [t("man-section-files").as_str()]);
    for (name, meaning) in FILES {
        item(&mut page, vec![italic(*name)], &t(meaning));
    }
    page.render().into_bytes()
}

/// Each code, variable and file with the key of what it means.
const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "man-exit-0"),
    ("1", "man-exit-1"),
    ("2", "man-exit-2"),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("CRM_DATA", "man-env-crm-data"),
    ("CRM_CONFIG", "man-env-crm-config"),
    ("CRM_AS_OF", "man-env-crm-as-of"),
    ("CRM_USER", "man-env-crm-user"),
    ("CRM_STORE", "man-env-crm-store"),
    ("CRM_SOCKET", "man-env-crm-socket"),
    ("USER", "man-env-user"),
    ("NO_COLOR", "man-env-no-color"),
    ("TERM", "man-env-term"),
    ("HOME, XDG_DATA_HOME, XDG_CONFIG_HOME", "man-env-home"),
];

const FILES: &[(&str, &str)] = &[
    ("~/.local/share/crm/", "man-file-data"),
    ("DATA_DIR/crm.sock", "man-file-socket"),
    ("~/.config/crm/config.toml", "man-file-config"),
];

/// One subcommand (and its own subcommands) under a `.SS` heading.
fn describe(page: &mut Roff, parent: &str, command: &Command) {
    let path = format!("{parent} {}", command.get_name());
    if command.has_subcommands() {
        for sub in command.get_subcommands() {
            describe(page, &path, sub);
        }
        return;
    }
    let mut synopsis = path.clone();
    for arg in command.get_positionals() {
        let name = value_name(arg);
        synopsis.push_str(&if arg.is_required_set() {
            format!(" {name}")
        } else {
            format!(" [{name}]")
        });
    }
    if command.get_opts().next().is_some() {
        synopsis.push_str(&format!(" [{}]", t("man-synopsis-options")));
    }
    page.control("SS", [synopsis.as_str()]);
    let about = command
        .get_long_about()
        .or(command.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    paragraphs(page, &about);
    for arg in command.get_arguments() {
        option(page, arg);
    }
    if let Some(after) = command.get_after_help() {
        page.control("PP", []);
        page.control("nf", []);
        page.control("RS", ["4"]);
        for line in after.to_string().lines() {
            page.text([roman(line)]);
        }
        page.control("RE", []);
        page.control("fi", []);
    }
}

/// One option or positional as a `.TP` item: its spelling, then its help, possible values
/// and default.
fn option(page: &mut Roff, arg: &Arg) {
    let mut head: Vec<Inline> = Vec::new();
    if arg.is_positional() {
        head.push(italic(value_name(arg)));
    } else {
        if let Some(short) = arg.get_short() {
            head.push(bold(format!("-{short}")));
            head.push(roman(", "));
        }
        if let Some(long) = arg.get_long() {
            head.push(bold(format!("--{long}")));
        }
        if arg.get_action().takes_values() {
            head.push(roman(" "));
            head.push(italic(value_name(arg)));
        }
    }
    let mut help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && arg.get_action().takes_values() {
        let values = values.join(", ");
        help.push_str(&format!(
            " {}",
            tr("man-possible-values", &[("values", &values)])
        ));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
        .collect();
    if !defaults.is_empty() {
        let defaults = defaults.join(", ");
        help.push_str(&format!(" {}", tr("man-default", &[("values", &defaults)])));
    }
    item(page, head, &help);
}

fn item(page: &mut Roff, head: Vec<Inline>, text: &str) {
    page.control("TP", []);
    page.text(head);
    page.text([roman(text)]);
}

fn paragraphs(page: &mut Roff, text: &str) {
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            page.control("PP", []);
        }
        page.text([roman(paragraph.replace('\n', " "))]);
    }
}

fn value_name(arg: &Arg) -> String {
    let name = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
    let repeated = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    if repeated {
        format!("{name}...")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn page() -> String {
        String::from_utf8(render(&crate::cli::args::Cli::command())).unwrap()
    }

    #[test]
    fn the_page_has_every_section_and_points_to_no_missing_page() {
        let page = page();
        for section in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH \"GLOBAL OPTIONS\"",
            ".SH COMMANDS",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
        ] {
            assert!(page.contains(section), "no {section}");
        }
        // One page for everything: no crm-demo(1) and the like.
        assert!(!page.contains("crm\\-demo"), "points to crm-demo(1)");
        assert!(!page.contains("(1)"), "points to another page");
        for variable in [
            "CRM_DATA",
            "CRM_CONFIG",
            "CRM_USER",
            "CRM_AS_OF",
            "NO_COLOR",
        ] {
            assert!(
                page.contains(variable),
                "{variable} missing from ENVIRONMENT"
            );
        }
    }

    #[test]
    fn the_page_in_chinese() {
        crate::i18n::set_for_thread(Some(crate::i18n::Lang::ZhCn));
        let cli = crate::cli::help::translated(crate::cli::args::Cli::command());
        let page = String::from_utf8(render(&cli)).unwrap();
        crate::i18n::set_for_thread(None);
        for line in [
            ".TH CRM 1  \"crm 0.1.0\" 用户命令\n.SH 名称\ncrm \\- 以键盘操作的客户关系控制台\n",
            "\n.SH 概要\n\\fBcrm\\fR [\\fI全局选项\\fR] [\\fI命令\\fR] [\\fI选项\\fR]\n",
            "\n.SH 全局选项\n这些选项可以放在任何命令之前或之后。\n",
            "\n.SH 命令\n不带命令时，\\fBcrm\\fR 打开控制台（需要终端）。\n",
            "\n.SS \"crm log ID [选项]\"\n",
            "\n客户数量 [默认：300]\n",
            "\n.SH 退出状态\n",
            "\n.SH 环境变量\n",
            "\n未给出 \\-\\-data 时客户簿的数据目录。\n",
            "\n.SH 文件\n",
        ] {
            assert!(page.contains(line), "no {line:?} in\n{page}");
        }
        assert!(page.contains("[可选值：phone, email, meeting"), "{page}");
        // The four global options, found by `global` although their heading is said.
        assert!(page.contains("\\fB\\-\\-user\\fR \\fILOGIN\\fR\n你直接打开的客户簿上的登录名"));
        for english in [
            ".SH NAME",
            ".SH SYNOPSIS",
            ".SH COMMANDS",
            "[OPTIONS]",
            "possible values",
            "default:",
        ] {
            assert!(!page.contains(english), "{english} left in English");
        }
    }

    #[test]
    fn every_command_is_described_with_its_options() {
        let page = page();
        for heading in [
            ".SS \"crm log ID [OPTIONS]\"",
            ".SS \"crm pdca act ID [OPTIONS]\"",
            ".SS \"crm find QUERY... [OPTIONS]\"",
            ".SS \"crm man\"",
        ] {
            assert!(page.contains(heading), "no {heading}");
        }
        assert!(
            page.contains("phone, email, meeting"),
            "--channel values missing"
        );
    }
}
