//! The message files: both languages have exactly the same keys, every key is used by the
//! code, every key the code names exists, and the files parse.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crm::i18n::{keys, message_in, parses, Lang};

mod common;

/// The text of every Rust source under `src/`, without its tests (a key only a test names
/// is unused, and a test may name a key that does not exist on purpose).
fn sources() -> String {
    fn walk(dir: &Path, out: &mut String) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap_or_default();
                out.push_str(text.split("#[cfg(test)]").next().unwrap_or(""));
                out.push('\n');
            }
        }
    }
    let mut out = String::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out
}

/// The string literals of the sources that look like message keys: lower-case words
/// joined by hyphens.
fn literal_keys(src: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // Every text between two consecutive quotes, whatever the parity (char literals and
    // escapes would throw a parity count off): a key never spans code.
    for piece in src.split('"').skip(1) {
        let looks_like_key = piece.contains('-')
            && piece
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !piece.starts_with('-')
            && !piece.ends_with('-');
        if looks_like_key {
            out.insert(piece.to_string());
        }
    }
    out
}

/// The string literals right after `call` (`t(` or `tr(`, possibly on the next line) where
/// the call is not the end of a longer name.
fn called_keys(src: &str, call: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in src.match_indices(call) {
        let before = src[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = src[i + call.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix('"') {
            out.push(rest[..rest.find('"').unwrap_or(0)].to_string());
        }
    }
    out
}

#[test]
fn both_files_parse() {
    for lang in Lang::ALL {
        assert!(
            parses(lang),
            "locales/{}/crm.ftl has a syntax error",
            lang.code()
        );
    }
}

#[test]
fn both_languages_have_the_same_keys_once() {
    let en = keys(Lang::En);
    let zh = keys(Lang::ZhCn);
    let (en_set, zh_set): (BTreeSet<_>, BTreeSet<_>) =
        (en.iter().cloned().collect(), zh.iter().cloned().collect());
    assert_eq!(en.len(), en_set.len(), "a key twice in locales/en/crm.ftl");
    assert_eq!(
        zh.len(),
        zh_set.len(),
        "a key twice in locales/zh-CN/crm.ftl"
    );
    let only_en: Vec<_> = en_set.difference(&zh_set).collect();
    let only_zh: Vec<_> = zh_set.difference(&en_set).collect();
    assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
    assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
    assert!(en.len() > 300, "only {} messages", en.len());
}

#[test]
fn every_message_has_text_in_both_languages() {
    for lang in Lang::ALL {
        for key in keys(lang) {
            // Arguments are left as their names when not given; the text must be there.
            let text = message_in(lang, &key, &[]).unwrap_or_default();
            assert!(!text.trim().is_empty(), "{}: {key} is empty", lang.code());
        }
    }
}

#[test]
fn chinese_messages_are_translated() {
    // A message whose Chinese text equals its English one is untranslated, except where
    // the text is a symbol, a code or a name both languages share.
    let shared: BTreeSet<&str> = [
        "view-pdca",
        "mode-pdca",
        "no-value",
        "pdca-group-count",
        "form-hint-date-only",
        "ev-plain",
        "err-as-written",
        "err-candidates",
        "err-field",
        "clihelp-pdca-new--scope",
    ]
    .into_iter()
    .collect();
    for key in keys(Lang::En) {
        let en = message_in(Lang::En, &key, &[]).unwrap_or_default();
        let zh = message_in(Lang::ZhCn, &key, &[]).unwrap_or_default();
        let has_letters = en.chars().any(|c| c.is_ascii_alphabetic());
        if has_letters && !shared.contains(key.as_str()) && !key.starts_with("portfolio-pyramid") {
            assert_ne!(en, zh, "{key} is not translated");
        }
    }
}

#[test]
fn every_key_is_used_and_every_used_key_exists() {
    let src = sources();
    let literals = literal_keys(&src);
    let defined: BTreeSet<String> = keys(Lang::En).into_iter().collect();
    // The help texts are named by the command tree (src/cli/help.rs, whose test checks
    // each names a command or an argument).
    let unused: Vec<&String> = defined
        .iter()
        .filter(|k| !literals.contains(*k) && !k.starts_with("clihelp"))
        .collect();
    assert!(unused.is_empty(), "keys no code names: {unused:?}");
    // Every literal passed to t(...) or tr(...) is a defined key.
    let mut missing: Vec<String> = ["t(", "tr("]
        .iter()
        .flat_map(|call| called_keys(&src, call))
        .filter(|key| !defined.contains(key))
        .collect();
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys the code names but no file has: {missing:?}"
    );
}

#[test]
fn the_sources_terms_are_used() {
    let zh = |key: &str| message_in(Lang::ZhCn, key, &[]).unwrap_or_default();
    assert_eq!(
        [
            "stage-acquisition",
            "stage-growth",
            "stage-maturity",
            "stage-decline",
            "stage-churned"
        ]
        .map(zh),
        ["获取期", "成长期", "成熟期", "衰退期", "流失（赢回）"]
    );
    assert_eq!(
        ["level-financial", "level-social", "level-structural"].map(zh),
        ["财务层", "社交层", "结构层"]
    );
    assert_eq!(
        [
            "relationship-basic",
            "relationship-reactive",
            "relationship-accountable",
            "relationship-proactive",
            "relationship-partnership"
        ]
        .map(zh),
        ["基本型", "反应型", "责任型", "积极型", "伙伴型"]
    );
    assert_eq!(
        ["tier-platinum", "tier-gold", "tier-iron", "tier-lead"].map(zh),
        ["铂金", "黄金", "钢铁", "铅"]
    );
    assert_eq!(
        ["phase-plan", "phase-do", "phase-check", "phase-act"].map(zh),
        ["计划", "执行", "检查", "处理"]
    );
    assert_eq!(
        ["task-acquire", "task-retain", "task-win-back"].map(zh),
        ["新客户获取", "高价值客户保持", "危险客户赢回"]
    );
}

#[test]
fn the_config_or_the_locale_names_the_language() {
    use crm::domain::config::Config;
    use crm::i18n::detect;
    let cfg = Config::from_toml("language = \"zh-CN\"\n[value]\ndiscount_rate = 0.1\n").unwrap();
    assert_eq!(cfg.language.as_deref(), Some("zh-CN"));
    assert!(cfg.validate().is_ok());
    assert_eq!(detect(cfg.language.as_deref(), |_| None), Lang::ZhCn);
    let english = Config::from_toml("language = \"en\"").unwrap();
    let zh_locale = |name: &str| (name == "LANG").then(|| "zh_CN.UTF-8".to_string());
    assert_eq!(detect(english.language.as_deref(), zh_locale), Lang::En);
    assert_eq!(
        detect(Config::default().language.as_deref(), zh_locale),
        Lang::ZhCn
    );
    let error = Config::from_toml("language = \"fr\"")
        .unwrap()
        .validate()
        .unwrap_err();
    assert!(error.contains("config key language"), "{error}");
    // Unset, the config serialises as before, so saved snapshots keep their fingerprint.
    assert!(!serde_json::to_string(&Config::default())
        .unwrap()
        .contains("language"));
}

/// The domain writes its sentences in English and as messages: said in English through
/// the message file, every message of the demo book's cards reads word for word as the
/// English line (so the English file and the domain cannot drift apart).
#[test]
fn domain_messages_read_in_english_as_the_domain_wrote_them() {
    use crm::i18n::say_in;
    let (_dir, mut book) = common::demo(300, 7);
    let as_of = common::as_of();
    let mut compared = 0;
    let mut keys = BTreeSet::new();
    for summary in book.summaries(as_of).unwrap() {
        let card = book.card(&summary.id, as_of).unwrap();
        assert_eq!(card.stage_evidence.len(), card.stage_evidence_said.len());
        for (english, said) in card.stage_evidence.iter().zip(&card.stage_evidence_said) {
            assert_eq!(&say_in(Lang::En, said), english, "{}", card.id);
            let zh = say_in(Lang::ZhCn, said);
            assert!(!zh.contains(&said.key), "{}: {zh}", card.id);
            keys.insert(said.key.clone());
            compared += 1;
        }
        if let (Some(english), Some(said)) = (&card.level_note, &card.level_note_said) {
            assert_eq!(&say_in(Lang::En, said), english, "{}", card.id);
            keys.insert(said.key.clone());
        }
        assert_eq!(card.level_note.is_some(), card.level_note_said.is_some());
        for action in &card.next_actions {
            assert_eq!(
                say_in(Lang::En, &action.action_said),
                action.action,
                "{}",
                card.id
            );
            assert_eq!(action.why.len(), action.why_said.len(), "{}", card.id);
            for (english, said) in action.why.iter().zip(&action.why_said) {
                assert_eq!(&say_in(Lang::En, said), english, "{}", card.id);
                keys.insert(said.key.clone());
            }
            keys.insert(action.action_said.key.clone());
            compared += 1;
        }
    }
    assert!(compared > 300, "only {compared} lines compared");
    assert!(keys.len() >= 15, "only {} keys: {keys:?}", keys.len());
}

#[test]
fn a_bond_ladder_with_gaps_is_named_in_both_languages() {
    use crm::domain::bonds::{fragile_note_said, Rungs};
    use crm::i18n::say_in;
    let rungs = |financial, social, structural| Rungs {
        financial,
        social,
        structural,
        structural_count: u32::from(structural),
    };
    let (english, said) = fragile_note_said(&rungs(false, false, true)).unwrap();
    assert_eq!(english, "structural, financial and social rungs missing");
    assert_eq!(say_in(Lang::En, &said), english);
    assert_eq!(say_in(Lang::ZhCn, &said), "结构层，缺少财务层和社交层");
    let (english, said) = fragile_note_said(&rungs(false, true, false)).unwrap();
    assert_eq!(english, "social, financial rung missing");
    assert_eq!(say_in(Lang::ZhCn, &said), "社交层，缺少财务层");
    assert!(fragile_note_said(&rungs(true, true, true)).is_none());
}

/// `crm show` in Chinese when the config says so: labels, stage, evidence and actions,
/// while `--json` keeps the contract's English codes and sentences.
#[test]
fn crm_show_speaks_the_configured_language() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("book");
    let config = root.path().join("config.toml");
    std::fs::write(&config, "language = \"zh-CN\"\n").unwrap();
    common::crm_ok(&data, &config, "2026-11-22", &["demo", "--customers", "30"]);
    let found = common::crm_ok(&data, &config, "2026-11-22", &["find", "a"]);
    let id = found.split('\t').next().unwrap().to_string();
    let text = common::crm_ok(&data, &config, "2026-11-22", &["show", &id]);
    for label in [
        "阶段",
        "层次",
        "关系类型",
        "价值",
        "下一步最佳行动",
        "最近联系",
    ] {
        assert!(text.contains(label), "no {label} in:\n{text}");
    }
    assert!(
        ["获取期", "成长期", "成熟期", "衰退期", "流失（赢回）"]
            .iter()
            .any(|stage| text.contains(stage)),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&common::crm_ok(
        &data,
        &config,
        "2026-11-22",
        &["show", &id, "--json"],
    ))
    .unwrap();
    let agenda = common::crm_ok(&data, &config, "2026-11-22", &["agenda"]);
    assert!(agenda.starts_with("日程，截至 2026-11-22"), "{agenda}");
    assert!(agenda.contains("下一步最佳行动（"), "{agenda}");
    let portfolio = common::crm_ok(&data, &config, "2026-11-22", &["portfolio"]);
    for words in [
        "CRM 三大任务队列",
        "新客户获取",
        "高价值客户保持",
        "危险客户赢回",
        "保持率",
    ] {
        assert!(portfolio.contains(words), "no {words} in:\n{portfolio}");
    }
    let cycles = common::crm_ok(&data, &config, "2026-11-22", &["pdca", "list"]);
    let header = cycles.lines().next().unwrap_or("");
    for word in ["阶段", "指标", "基线", "目标", "结果", "标题"] {
        assert!(header.contains(word), "no {word} in: {header}");
    }
    // The errors a user meets every day are worded in the language too.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_crm"))
        .arg("--data")
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .args([
            "--as-of",
            "2026-11-22",
            "--user",
            "alice",
            "show",
            "no-such-one",
        ])
        .env_remove("CRM_DATA")
        .env_remove("CRM_CONFIG")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr, "crm: 没有客户匹配“no-such-one”\n");
    let stage = json["stage"].as_str().unwrap();
    assert!(
        ["acquisition", "growth", "maturity", "decline", "churned"].contains(&stage),
        "{stage}"
    );
    let evidence = json["stage_evidence"][0].as_str().unwrap();
    let han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    assert!(
        !evidence.chars().any(han),
        "the JSON stays English: {evidence}"
    );
}

/// The book's typed errors are said in the reader's language (the console's status line
/// and the command line both say `BookError::said`); one without a message (from an older
/// serving process) keeps its English words.
#[test]
fn book_errors_are_said_in_both_languages() {
    use crm::book::BookError;
    use crm::i18n::say_in;
    let missing = BookError::customer_not_found("acme");
    assert_eq!(say_in(Lang::En, &missing.said()), missing.to_string());
    assert_eq!(say_in(Lang::ZhCn, &missing.said()), "没有客户匹配“acme”");
    let locked = BookError::from(crm::store::StoreError::Locked { pid: Some(42) });
    assert_eq!(say_in(Lang::En, &locked.said()), locked.to_string());
    assert_eq!(
        say_in(Lang::ZhCn, &locked.said()),
        "此客户簿已在另一个 crm 进程中打开（进程号 42）"
    );
    let old = BookError::refused("cycle 3: nothing to change");
    assert_eq!(
        say_in(Lang::ZhCn, &old.said()),
        "cycle 3: nothing to change"
    );
}

/// A scope the domain refuses is said with the domain's own English words, and in Chinese.
#[test]
fn scope_errors_read_as_the_domain_words_them() {
    for text in ["nowhere:1", "owner:", "customer:  ", "bogus", "segment"] {
        let english = crm::domain::pdca::parse_scope(text).unwrap_err();
        crm::i18n::set_for_thread(Some(Lang::En));
        assert_eq!(crm::i18n::scope_error(text), english, "{text}");
        crm::i18n::set_for_thread(None);
    }
    crm::i18n::set_for_thread(Some(Lang::ZhCn));
    assert_eq!(crm::i18n::scope_error("owner:"), "范围“owner:”：缺少 owner");
    crm::i18n::set_for_thread(None);
}

/// The plan checks the domain words itself read in English exactly as its own sentence,
/// and in Chinese from the message files.
#[test]
fn plan_checks_read_as_the_domain_words_them() {
    use crm::domain::model::{GoalDirection, Metric, Scope};
    use crm::domain::pdca::{plan, Plan, Refusal};
    use crm::domain::pdca_metrics::check_target;
    let day = |s: &str| s.parse::<jiff::civil::Date>().unwrap();
    let a_plan = |title: &str, target: Option<f64>, check: Option<&str>, action: &str| Plan {
        title: title.into(),
        scope: Scope::Book,
        metric: Metric::ShareOfWallet,
        direction: GoalDirection::Raise,
        target,
        check_date: check.map(day),
        notes: String::new(),
        actions: vec![(action.into(), None)],
    };
    let refusals: Vec<_> = [
        a_plan(" ", None, None, "call"),
        a_plan("x", Some(-0.5), None, "call"),
        a_plan("x", None, Some("2026-01-01"), "call"),
        a_plan("x", None, None, "  "),
    ]
    .into_iter()
    .map(|p| match plan(4, p, "bob", None, day("2026-01-10")) {
        Err(Refusal::Invalid(worded)) => worded,
        other => panic!("{other:?}"),
    })
    .chain(
        [
            (Metric::RetentionRate, 2.0),
            (Metric::AvgSatisfaction, 0.0),
            (Metric::Margin12m, f64::NAN),
        ]
        .into_iter()
        .map(|(metric, target)| check_target(metric, target).unwrap_err()),
    )
    .collect();
    for worded in &refusals {
        assert_eq!(crm::i18n::say_in(Lang::En, &worded.said), worded.english);
    }
    let chinese: Vec<String> = refusals
        .iter()
        .map(|w| crm::i18n::say_in(Lang::ZhCn, &w.said))
        .collect();
    assert_eq!(
        chinese,
        [
            "循环需要一个标题",
            "钱包份额的目标值 -0.5 无效：必须是0 或更大的数",
            "检查日期 2026-01-01 早于计划制定日期（2026-01-10）",
            "循环 4：行动需要文字内容",
            "保持率的目标值 2 无效：必须是0 到 1 之间的比例（0.85 即 85 %）",
            "平均满意度的目标值 0 无效：必须是1 到 5 之间的数",
            "12个月毛利的目标值 NaN 无效：必须是0 或更大的数",
        ]
    );
}

/// An import file's own findings read in English exactly as the format words them (the
/// English output is unchanged), and every one crm words itself carries a message.
#[test]
fn import_findings_read_as_the_formats_word_them() {
    use crm::interchange::{format_csv::parse_csv, format_vcf::parse_vcf};
    let today: jiff::civil::Date = "2026-01-10".parse().unwrap();
    let csv = [
        "",
        "name,colour\nAcme,red\n",
        "name,name\nAcme,Acme\n",
        "segment\nretail\n",
        "name,segment\nAcme\n",
        "id,name\nacme,Acme\nacme,Acme 2\n",
        "name,segment\n,retail\n",
        "name,created\nAcme,2026-13-01\n",
        "name,category_spend\nAcme,-3\n",
    ];
    let vcf = [
        "",
        "FN:x\n",
        "BEGIN:VCALENDAR\n",
        "BEGIN:VCARD\nBEGIN:VCARD\n",
        "BEGIN:VCARD\nEND:VCALENDAR\n",
        "END:VCARD\n",
        "BEGIN:VCARD\nFN:x\n",
        "BEGIN:VCARD\nnonsense\nEND:VCARD\n",
        "BEGIN:VCARD\n:x\nEND:VCARD\n",
        "BEGIN:VCARD\nVERSION:5.0\nFN:x\nEND:VCARD\n",
        "BEGIN:VCARD\nNOTE:x\nEND:VCARD\n",
    ];
    let errors = csv
        .iter()
        .map(|text| parse_csv("a.csv", text.as_bytes(), today).unwrap_err())
        .chain(
            vcf.iter()
                .map(|text| parse_vcf("a.vcf", text, today).unwrap_err()),
        );
    let mut keys = BTreeSet::new();
    for error in errors {
        let said = *error.said.clone().unwrap_or_else(|| panic!("{error}"));
        assert_eq!(crm::i18n::say_in(Lang::En, &said), error.message);
        keys.insert(said.key);
    }
    assert_eq!(keys.len(), csv.len() + vcf.len(), "{keys:?}");
    // The JSON checker's findings (serde's own words stay as written, with no message).
    let book = include_str!("../docs/pdca-example.json");
    let json = [
        book.replacen("crm-book/1", "crm-book/9", 1),
        book.replacen("\"login\": \"bob\"", "\"login\": \"alice\"", 1),
        book.replacen("\"owner\": \"alice\"", "\"owner\": \"al ice\"", 1),
        book.replacen("\"id\": \"acme\"", "\"id\": \" \"", 1),
    ];
    let said: Vec<String> = json
        .iter()
        .map(|text| {
            let error = crm::interchange::format_json::parse_json("a.json", text).unwrap_err();
            let said = *error.said.clone().unwrap_or_else(|| panic!("{error}"));
            assert_eq!(crm::i18n::say_in(Lang::En, &said), error.message);
            crm::i18n::say_in(Lang::ZhCn, &said)
        })
        .collect();
    assert_eq!(
        said,
        [
            "必须是 \"crm-book/1\"，实际是 \"crm-book/9\"",
            "login 重复（首次出现在 users[0] 'alice'，第 3 行）",
            "不能包含空格（登录名）",
            "不能为空",
        ]
    );
}
