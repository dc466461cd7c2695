//! `crm portfolio`: the book at a glance — queues, pyramid, stages, 80/20/30, retention,
//! churn, and the capacity plan.

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

pub fn render(p: &Portfolio) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Portfolio as of {}: {} customers",
        p.as_of, p.customers
    );
    let _ = writeln!(out, "\nThe three CRM queues");
    for (name, q) in [
        ("acquire", &p.queues.acquire),
        ("retain", &p.queues.retain),
        ("win back", &p.queues.win_back),
    ] {
        let _ = writeln!(
            out,
            "  {name:<9} {:>7} customers  expected value {}",
            q.customers,
            money(q.expected_value)
        );
    }
    let _ = writeln!(out, "\nTier pyramid (active customers)");
    for t in &p.tiers {
        let _ = writeln!(
            out,
            "  {:<9} {:>7}  CRV {}",
            t.tier.to_string(),
            t.customers,
            money(t.crv)
        );
    }
    let _ = writeln!(
        out,
        "  prospects {:>7}   churned {}",
        p.prospects, p.churned
    );
    let _ = writeln!(out, "\nStages");
    for s in &p.stages {
        let won_back = if s.second_lifecycle > 0 {
            format!("  ({} won back)", s.second_lifecycle)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {:<12} {:>7}{won_back}",
            s.stage.to_string(),
            s.customers
        );
    }
    let pareto = &p.pareto;
    let _ = writeln!(
        out,
        "\n80/20/30: top {} customers bring {} of profit ({}); bottom {} bring {} ({})",
        pareto.top_customers,
        percent(pareto.top_profit_share),
        money(pareto.top_profit),
        pareto.bottom_customers,
        percent(pareto.bottom_profit_share),
        money(pareto.bottom_profit)
    );
    let _ = writeln!(out, "\nMargin rate by customer size (12-month revenue)");
    for b in &p.size_bands {
        let _ = writeln!(
            out,
            "  {} .. {:<12} {:>6} customers  margin rate {:.0} %",
            money(b.revenue_min),
            money(b.revenue_max),
            b.customers,
            b.margin_rate * 100.0
        );
    }
    let r = &p.retention;
    let how = if r.measured {
        format!("measured: {} of {} kept", r.retained, r.base)
    } else {
        "default: too few customers a year ago to measure".to_string()
    };
    let _ = writeln!(out, "\nRetention rate {:.0} % ({how})", r.rate * 100.0);
    if !p.churn.is_empty() {
        let _ = writeln!(out, "Churn by reason (profit lost = CLV of the churned)");
        for c in &p.churn {
            let _ = writeln!(
                out,
                "  {:<12} {:>5} customers ({:.0} %)  profit lost {}",
                c.reason,
                c.customers,
                c.share * 100.0,
                money(c.profit_lost)
            );
        }
    }
    let _ = writeln!(
        out,
        "Retention pays while it costs less than {}",
        money(p.profit_lost)
    );
    let _ = writeln!(
        out,
        "\nCapacity plan (one-to-one work within each owner's hours)"
    );
    for plan in &p.capacity {
        let _ = writeln!(
            out,
            "  {:<10} {} of {} candidates, {:.2} of {:.0} h, CRV {} (left out {}, CRV {})",
            escaped(&plan.owner),
            plan.chosen.len(),
            plan.candidates,
            plan.used_hours,
            plan.capacity_hours,
            money(plan.chosen_crv),
            plan.left_out,
            money(plan.left_out_crv)
        );
    }
    out
}
