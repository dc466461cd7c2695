//! `crm portfolio`: the book at a glance — queues, pyramid, stages, 80/20/30, retention,
//! churn, and the capacity plan.

use crate::domain::model::LostReason;
use crate::i18n::{lost_reason_label, stage_label, t, tier_label, tr};
use std::fmt::Write;

use super::{print, print_text, CliResult, Context};
use crate::domain::format::money;
use crate::domain::portfolio::Portfolio;
use crate::domain::safe_text::escaped;

pub fn run(context: &Context, json: bool, capacity: Option<f64>) -> CliResult {
    context.require_book()?;
    let portfolio = super::backend::open(context)?.portfolio(context.as_of, capacity)?;
    if json {
        print(&(serde_json::to_string_pretty(&portfolio)? + "\n"))
    } else {
        print_text(&render(&portfolio))
    }
}

fn percent(share: Option<f64>) -> String {
    share
        .map(|s| format!("{:.0} %", s * 100.0))
        .unwrap_or_else(|| "-".into())
}

/// `text` padded with spaces to `cols` display columns (a Chinese word is double width).
fn pad(text: &str, cols: usize) -> String {
    let width = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(cols.saturating_sub(width)))
}

pub fn render(p: &Portfolio) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tr(
            "cli-portfolio-title",
            &[
                ("date", &p.as_of.to_string()),
                ("customers", &p.customers.to_string()),
            ],
        )
    );
    let _ = writeln!(out, "\n{}", t("cli-portfolio-queues"));
    for (name, q) in [
        (t("task-acquire"), &p.queues.acquire),
        (t("task-retain"), &p.queues.retain),
        (t("task-win-back"), &p.queues.win_back),
    ] {
        let _ = writeln!(
            out,
            "  {} {:>7} {}",
            pad(&name, 9),
            q.customers,
            tr(
                "cli-portfolio-queue",
                &[("value", &money(q.expected_value))]
            )
        );
    }
    let _ = writeln!(out, "\n{}", t("cli-portfolio-tiers"));
    for tier in &p.tiers {
        let _ = writeln!(
            out,
            "  {} {:>7}  CRV {}",
            pad(&tier_label(tier.tier), 9),
            tier.customers,
            money(tier.crv)
        );
    }
    let _ = writeln!(
        out,
        "{}",
        tr(
            "cli-portfolio-prospects",
            &[
                ("prospects", &format!("{:>7}", p.prospects)),
                ("churned", &p.churned.to_string()),
            ],
        )
    );
    let _ = writeln!(out, "\n{}", t("portfolio-stages"));
    for s in &p.stages {
        let won_back = if s.second_lifecycle > 0 {
            tr(
                "cli-portfolio-won-back",
                &[("n", &s.second_lifecycle.to_string())],
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {:>7}{won_back}",
            pad(&stage_label(s.stage), 12),
            s.customers
        );
    }
    let pareto = &p.pareto;
    let _ = writeln!(
        out,
        "\n{}",
        tr(
            "cli-portfolio-pareto",
            &[
                ("top", &pareto.top_customers.to_string()),
                ("top_share", &percent(pareto.top_profit_share)),
                ("top_profit", &money(pareto.top_profit)),
                ("bottom", &pareto.bottom_customers.to_string()),
                ("bottom_share", &percent(pareto.bottom_profit_share)),
                ("bottom_profit", &money(pareto.bottom_profit)),
            ],
        )
    );
    let _ = writeln!(out, "\n{}", t("cli-portfolio-bands"));
    for b in &p.size_bands {
        let _ = writeln!(
            out,
            "  {} .. {:<12} {:>6} {}",
            money(b.revenue_min),
            money(b.revenue_max),
            b.customers,
            tr(
                "cli-portfolio-band",
                &[("rate", &format!("{:.0}", b.margin_rate * 100.0))]
            )
        );
    }
    let r = &p.retention;
    let how = if r.measured {
        tr(
            "cli-portfolio-measured",
            &[
                ("retained", &r.retained.to_string()),
                ("base", &r.base.to_string()),
            ],
        )
    } else {
        t("cli-portfolio-default")
    };
    let _ = writeln!(
        out,
        "\n{}",
        tr(
            "cli-portfolio-retention",
            &[("rate", &format!("{:.0}", r.rate * 100.0)), ("how", &how)],
        )
    );
    if !p.churn.is_empty() {
        let _ = writeln!(out, "{}", t("cli-portfolio-churn"));
        for c in &p.churn {
            // The reason is a lost-reason code (or a word of the engine's own).
            let reason = match c.reason.parse::<LostReason>() {
                Ok(reason) => lost_reason_label(reason),
                Err(_) => c.reason.clone(),
            };
            let _ = writeln!(
                out,
                "  {} {:>5} {}",
                pad(&reason, 12),
                c.customers,
                tr(
                    "cli-portfolio-churn-line",
                    &[
                        ("share", &format!("{:.0}", c.share * 100.0)),
                        ("lost", &money(c.profit_lost)),
                    ],
                )
            );
        }
    }
    let _ = writeln!(
        out,
        "{}",
        tr("cli-portfolio-pays", &[("amount", &money(p.profit_lost))])
    );
    let _ = writeln!(out, "\n{}", t("cli-portfolio-capacity"));
    for plan in &p.capacity {
        let _ = writeln!(
            out,
            "  {} {}",
            pad(&escaped(&plan.owner), 10),
            tr(
                "cli-portfolio-plan",
                &[
                    ("chosen", &plan.chosen.len().to_string()),
                    ("candidates", &plan.candidates.to_string()),
                    ("used", &format!("{:.2}", plan.used_hours)),
                    ("hours", &format!("{:.0}", plan.capacity_hours)),
                    ("crv", &money(plan.chosen_crv)),
                    ("left", &plan.left_out.to_string()),
                    ("left_crv", &money(plan.left_out_crv)),
                ],
            )
        );
    }
    out
}
