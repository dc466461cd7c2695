//! The command line under `language = "zh-CN"` (config): the outputs and errors that are
//! not views (the PDCA writes, the book's refusals and field errors, import, export, check,
//! demo) in Chinese, word for word, while `--json` keeps the contract's English.

use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_crm");
const BOOK: &str = include_str!("../docs/pdca-example.json");

struct Book {
    dir: tempfile::TempDir,
    data: PathBuf,
    config: PathBuf,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Book {
    /// An empty book whose config asks for Chinese (the locale says English).
    fn new() -> Book {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let config = dir.path().join("config.toml");
        std::fs::write(&config, "language = \"zh-CN\"\n").unwrap();
        Book { dir, data, config }
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }

    fn run(&self, as_of: &str, args: &[&str]) -> Run {
        let out = Command::new(BIN)
            .arg("--data")
            .arg(&self.data)
            .arg("--config")
            .arg(&self.config)
            .args(["--user", "alice", "--as-of", as_of])
            .args(args)
            .env_remove("CRM_DATA")
            .env_remove("CRM_CONFIG")
            .env("LANG", "en_US.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .output()
            .unwrap();
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn ok(&self, as_of: &str, args: &[&str]) -> String {
        let run = self.run(as_of, args);
        assert_eq!(run.code, 0, "{args:?} failed: {}", run.stderr);
        run.stdout
    }

    /// Exit 1 and exactly `line` on stderr, nothing on stdout.
    fn refused(&self, as_of: &str, args: &[&str], line: &str) {
        let run = self.run(as_of, args);
        assert_eq!(run.code, 1, "{args:?} should fail; stdout: {}", run.stdout);
        assert_eq!(run.stderr, format!("crm: {line}\n"), "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }

    fn pdca_example() -> Book {
        let book = Book::new();
        let file = book.file("book.json", BOOK);
        book.ok("2026-01-10", &["import", &file]);
        book
    }
}

fn log(book: &Book, customer: &str, at: &str, satisfaction: &str) {
    book.ok(
        "2026-03-01",
        &[
            "log",
            customer,
            "--channel",
            "phone",
            "--direction",
            "outbound",
            "--outcome",
            "positive",
            "--purpose",
            "service",
            "--satisfaction",
            satisfaction,
            "--at",
            at,
        ],
    );
}

/// The cycle of tests/pdca.rs, said in Chinese: every write's receipt and every refusal.
#[test]
fn pdca_writes_and_refusals_in_chinese() {
    let book = Book::pdca_example();
    let out = book.ok(
        "2026-01-10",
        &[
            "pdca",
            "new",
            "--title",
            "Happier accounts",
            "--scope",
            "owner:alice",
            "--metric",
            "avg_satisfaction",
            "--direction",
            "raise",
            "--target",
            "3.5",
            "--check-date",
            "2026-03-01",
        ],
    );
    assert_eq!(
        out,
        "已计划循环 2（负责人:alice）：平均满意度 基线 3.00，截至 2026-01-10\n"
    );
    book.refused(
        "2026-01-11",
        &["pdca", "advance", "2"],
        "循环 2 没有行动：执行前请至少添加一项",
    );
    assert_eq!(
        book.ok(
            "2026-01-11",
            &["pdca", "add-action", "2", "call", "--due", "2026-01-20"]
        ),
        "循环 2：已添加行动 1\n"
    );
    assert_eq!(
        book.ok("2026-01-11", &["pdca", "advance", "2"]),
        "循环 2：计划 -> 执行\n"
    );
    book.refused(
        "2026-02-01",
        &["pdca", "act", "2", "--decision", "adjust"],
        "循环 2 没有测量结果：处理前请先检查",
    );
    book.refused(
        "2026-02-01",
        &["pdca", "advance", "2"],
        "循环 2：检查日期为 2026-03-01；请在当天或之后推进，或设定更早的 --check-date",
    );
    log(&book, "acme", "2026-02-10T10:00:00Z", "5");
    log(&book, "bolt", "2026-02-20T10:00:00Z", "4");
    assert_eq!(
        book.ok("2026-02-21", &["pdca", "done", "2", "1"]),
        "循环 2：行动 1 已于 2026-02-21 完成\n"
    );
    book.refused(
        "2026-02-21",
        &["pdca", "done", "2", "1"],
        "循环 2：行动 1 已完成",
    );
    assert_eq!(
        book.ok("2026-03-01", &["pdca", "advance", "2"]),
        "循环 2：执行 -> 检查：平均满意度 测得 3.75，目标 3.50：达成\n"
    );
    book.refused(
        "2026-03-01",
        &["pdca", "set", "2", "--target", "4"],
        "循环 2 处于检查阶段：结果已按目标评判，目标现已固定",
    );
    book.refused(
        "2026-03-01",
        &["pdca", "set", "2"],
        "循环 2：没有要修改的内容",
    );
    assert_eq!(
        book.ok("2026-03-01", &["pdca", "set", "2", "--lessons", "calls"]),
        "循环 2：已保存\n"
    );
    assert_eq!(
        book.ok("2026-03-02", &["pdca", "advance", "2"]),
        "循环 2：检查 -> 处理\n"
    );
    book.refused(
        "2026-03-02",
        &["pdca", "advance", "2"],
        "循环 2 处于处理阶段：请记录处理决定，而不是推进",
    );
    assert_eq!(
        book.ok("2026-03-02", &["pdca", "act", "2", "--decision", "adjust"]),
        "循环 2：已关闭（调整）\n已计划循环 3（负责人:alice）：平均满意度 基线 3.75，承接自循环 2\n"
    );
    book.refused(
        "2026-03-02",
        &["pdca", "add-action", "2", "more"],
        "循环 2 已关闭：只能修改其经验教训",
    );
    book.refused(
        "2026-03-02",
        &[
            "pdca",
            "new",
            "--title",
            "x",
            "--scope",
            "nowhere:1",
            "--metric",
            "avg_satisfaction",
            "--direction",
            "raise",
        ],
        "--scope：范围“nowhere:1”：应为 book、customer:ID、owner:LOGIN 或 segment:NAME",
    );
    book.refused(
        "2026-03-02",
        &[
            "pdca",
            "new",
            "--title",
            "x",
            "--scope",
            "owner:",
            "--metric",
            "avg_satisfaction",
            "--direction",
            "raise",
        ],
        "--scope：范围“owner:”：缺少 owner",
    );
    // The JSON stays the contract's English codes.
    let json: serde_json::Value =
        serde_json::from_str(&book.ok("2026-03-02", &["pdca", "show", "2", "--json"])).unwrap();
    assert_eq!(json["cycle"]["phase"], "closed");
}

/// A plan that breaks its own rules (no title, a target out of range, a check date before
/// the plan, an action without words) is refused in Chinese, word for word.
#[test]
fn plan_checks_in_chinese() {
    let book = Book::pdca_example();
    let new = |title: &str, metric: &str, more: &[&str]| {
        let mut args = vec![
            "pdca",
            "new",
            "--title",
            title,
            "--scope",
            "owner:alice",
            "--metric",
            metric,
            "--direction",
            "raise",
        ];
        args.extend_from_slice(more);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let refused = |args: Vec<String>, line: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        book.refused("2026-01-10", &args, line);
    };
    refused(new("  ", "avg_satisfaction", &[]), "循环需要一个标题");
    refused(
        new("x", "contacts_per_customer", &["--target", "-2"]),
        "每客户联系次数的目标值 -2 无效：必须是0 或更大的数",
    );
    refused(
        new("x", "retention_rate", &["--target", "85"]),
        "保持率的目标值 85 无效：必须是0 到 1 之间的比例（0.85 即 85 %）",
    );
    refused(
        new("x", "avg_satisfaction", &["--check-date", "2026-01-01"]),
        "检查日期 2026-01-01 早于计划制定日期（2026-01-10）",
    );
    let planned = new("Happier accounts", "avg_satisfaction", &[]);
    let planned: Vec<&str> = planned.iter().map(String::as_str).collect();
    book.ok("2026-01-10", &planned);
    book.refused(
        "2026-01-10",
        &["pdca", "set", "2", "--target", "9"],
        "平均满意度的目标值 9 无效：必须是1 到 5 之间的数",
    );
    book.refused(
        "2026-01-10",
        &["pdca", "add-action", "2", " "],
        "循环 2：行动需要文字内容",
    );
}

/// What the book refuses in an import is said in Chinese, naming the record and the field
/// (a file format's own finding keeps its English words inside the Chinese frame).
#[test]
fn import_refusals_in_chinese() {
    let book = Book::pdca_example();
    let file = book.file("again.json", BOOK);
    book.refused(
        "2026-01-10",
        &["import", &file],
        &format!("{file}：customers[0] 'acme'：客户簿中已有此编号（用 --merge 更新它）"),
    );
    let spaced = book.file(
        "spaced.json",
        &BOOK.replacen("\"owner\": \"alice\"", "\"owner\": \"al ice\"", 1),
    );
    book.refused(
        "2026-01-10",
        &["import", &spaced, "--merge"],
        &format!("{spaced}:7：记录 customers[0] 'acme'：字段“owner”：不能包含空格（登录名）"),
    );
    let format = book.file("format.json", &BOOK.replacen("crm-book/1", "crm-book/9", 1));
    book.refused(
        "2026-01-10",
        &["import", &format],
        &format!("{format}:2：字段“format”：必须是 \"crm-book/1\"，实际是 \"crm-book/9\""),
    );
    let twice = book.file(
        "twice.json",
        &BOOK.replacen("\"login\": \"bob\"", "\"login\": \"alice\"", 1),
    );
    book.refused(
        "2026-01-10",
        &["import", &twice],
        &format!(
            "{twice}:4：记录 users[1] 'alice'：字段“login”：login 重复（首次出现在 users[0] 'alice'，第 3 行）"
        ),
    );
}

/// A CSV or vCard file's own finding is said in Chinese inside the file:line/record/field
/// frame, word for word.
#[test]
fn import_file_findings_in_chinese() {
    let book = Book::new();
    let cases = [
        (
            "unknown.csv",
            "name,colour\nAcme,red\n",
            ":1：字段“colour”：未知的列（应为以下几列中的若干：id, name, kind, segment, owner, \
             created, tags, category_spend, contact_name, contact_role, phone, email, note）",
        ),
        (
            "date.csv",
            "id,name,created\nacme,Acme,2026-13-01\n",
            ":2：记录 'acme'：字段“created”：“2026-13-01”不是日期（YYYY-MM-DD）",
        ),
        (
            "count.csv",
            "name,segment\nAcme\n",
            ":2：有 1 个值，但表头列出了 2 列",
        ),
        (
            "noend.vcf",
            "BEGIN:VCARD\nFN:Wang Fang\n",
            ":1：BEGIN:VCARD 没有对应的 END:VCARD",
        ),
        (
            "version.vcf",
            "BEGIN:VCARD\nVERSION:5.0\nFN:Wang Fang\nEND:VCARD\n",
            ":2：记录 card 1：字段“VERSION”：不支持的版本“5.0”（应为 2.1、3.0 或 4.0）",
        ),
    ];
    for (name, text, said) in cases {
        let file = book.file(name, text);
        book.refused("2026-01-10", &["import", &file], &format!("{file}{said}"));
    }
}

/// demo, check, find, export and a missing book say their lines in Chinese.
#[test]
fn demo_check_find_and_export_in_chinese() {
    let book = Book::new();
    let data = book.data.display().to_string();
    book.refused(
        "2026-11-22",
        &["find", "x"],
        &format!(
            "{data} 中没有客户簿：该目录不存在（请检查 --data / $CRM_DATA，或用 `crm demo` 或 `crm import FILE` 建立客户簿）"
        ),
    );
    let made = book.ok("2026-11-22", &["demo", "--customers", "5"]);
    assert!(
        made.starts_with("演示客户簿：5 位客户、") && made.ends_with(&format!("，位于 {data}\n")),
        "{made}"
    );
    book.refused(
        "2026-11-22",
        &["demo", "--customers", "5"],
        &format!("{data} 中的客户簿不是空的（5 位客户）；用 --force 替换它"),
    );
    book.refused("2026-11-22", &["find", " "], "find：请给出查询内容");
    let check = book.ok("2026-11-22", &["check"]);
    let lines: Vec<&str> = check.lines().collect();
    assert_eq!(lines.len(), 2, "{check}");
    assert!(
        lines[0].starts_with(&format!("日志 {data}/"))
            && lines[0].contains("条记录，全部完好（最后变更 "),
        "{check}"
    );
    assert!(
        lines[1].starts_with(&format!("索引 {data}/")) && lines[1].contains("：已是最新（变更 "),
        "{check}"
    );
    let repair = book.ok("2026-11-22", &["check", "--repair"]);
    assert_eq!(repair, "无需修复：日志（1 条记录）和索引都完好\n");
    let nowhere = book.dir.path().join("no-such-dir").join("out.json");
    let run = book.run(
        "2026-11-22",
        &["export", "--output", nowhere.to_str().unwrap()],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with(&format!("crm: {}：", nowhere.display())),
        "{}",
        run.stderr
    );
}

/// The notice of a data dir made private on open is said in Chinese.
#[test]
fn the_privacy_notice_in_chinese() {
    use std::os::unix::fs::PermissionsExt;
    let book = Book::pdca_example();
    std::fs::set_permissions(&book.data, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        book.data.join("journal"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let run = book.run("2026-01-10", &["show", "acme"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!(
            "crm: {} 曾对其他用户开放（权限 755）；已设为私有（0700），并将其中 1 个文件设为 0600\n",
            book.data.display()
        )
    );
}

/// `--help` follows the config's language (and the locale's), command by command.
#[test]
fn help_in_chinese() {
    let book = Book::new();
    let top = book.ok("2026-11-22", &["--help"]);
    assert!(
        top.starts_with("以键盘操作的客户关系控制台。\n\n不带命令时打开控制台。"),
        "{top}"
    );
    assert!(
        top.contains(
            "  find         按名称、联系人、电话、邮箱或标签模糊查找（支持拼音）；最佳在前\n"
        ),
        "{top}"
    );
    let new = book.ok("2026-11-22", &["pdca", "new", "--help"]);
    assert!(
        new.starts_with("计划一个新循环；基线按现在（--as-of）测量\n"),
        "{new}"
    );
    assert!(new.contains("循环的简短名称"), "{new}");
    for words in [
        "\n用法：crm pdca new [OPTIONS] --title <TITLE>",
        "\n选项:\n      --title <TITLE>          循环的简短名称\n",
        "\n  -h, --help                   显示帮助\n",
        "\n全局选项:\n      --data <DIR>          客户簿的数据目录",
    ] {
        assert!(new.contains(words), "no {words:?} in:\n{new}");
    }
    // A value the command line refuses is a usage error, its reason in Chinese.
    let run = book.run("2026-11-22", &["log", "acme", "--at", "bad"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("“bad”不是日期时间（例如 2026-11-22T09:30:00Z 或 2026-11-22T09:30）"),
        "{}",
        run.stderr
    );
    // The locale alone, with no config, does the same; English stays English.
    let locale = |lang: &str| {
        let out = Command::new(BIN)
            .args(["pdca", "new", "--help"])
            .env_remove("CRM_CONFIG")
            .env("HOME", book.dir.path())
            .env("XDG_CONFIG_HOME", book.dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(locale("zh_CN.UTF-8").starts_with("计划一个新循环"));
    assert!(locale("en_US.UTF-8").starts_with("Plan a new cycle; the baseline is measured now"));
}
