//! Portfolio: the tier pyramid, stages as bars, the three CRM queues, the real 80/20/30
//! split and Kotler's relationship matrix with where each owner's book falls.

use std::collections::BTreeMap;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::config::Config;
use crate::domain::intensity;
use crate::domain::portfolio::Portfolio;
use crate::tui::app::App;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::view::{cell, cell_right, line};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    let Some(p) = &app.portfolio.portfolio else {
        frame.render_widget(
            Paragraph::new(line("no figures", width, theme.muted, theme)),
            area,
        );
        return;
    };
    let owners = owner_counts(app);
    let wide = width >= 110;
    let col_w = if wide { (width - 2) / 2 } else { width };
    let mut left = summary(p, col_w, theme);
    left.extend(pyramid(p, col_w, theme));
    left.extend(stages(p, col_w, theme));
    left.extend(queues(p, col_w, theme));
    let mut right = pareto(p, col_w, theme);
    right.extend(matrix(&app.config, &owners, col_w, theme));
    right.extend(capacity(p, col_w, theme));

    let lines: Vec<Line> = if wide {
        let rows = left.len().max(right.len());
        let blank = || Line::raw("");
        (0..rows)
            .map(|i| {
                let l = left.get(i).cloned().unwrap_or_else(blank);
                let r = right.get(i).cloned().unwrap_or_else(blank);
                let pad = col_w.saturating_sub(l.width()) + 2;
                let mut spans = l.spans;
                spans.push(Span::raw(" ".repeat(pad)));
                spans.extend(r.spans);
                Line::from(spans)
            })
            .collect()
    } else {
        left.extend(right);
        left
    };
    let scroll = app.portfolio_scroll.min(lines.len().saturating_sub(height));
    let visible: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(visible), area);
}

fn owner_counts(app: &App) -> BTreeMap<String, usize> {
    app.list
        .owner_counts()
        .into_iter()
        .map(|(owner, count)| (owner.to_string(), count))
        .collect()
}

fn heading(title: &str, w: usize, theme: &Theme) -> Line<'static> {
    line(title, w, theme.header, theme)
}

fn summary(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let retention = format!(
        "retention {} ({})",
        text::percent(p.retention.rate),
        if p.retention.measured {
            format!("measured: {} of {}", p.retention.retained, p.retention.base)
        } else {
            "default".into()
        }
    );
    vec![
        line(
            &format!(
                "Portfolio · {} customers · {} prospects · {} churned",
                p.customers, p.prospects, p.churned
            ),
            w,
            theme.title,
            theme,
        ),
        line(&retention, w, theme.base, theme),
        line(
            &format!(
                "retention pays while it costs less than {}",
                text::money(p.profit_lost)
            ),
            w,
            theme.muted,
            theme,
        ),
    ]
}

fn bar(value: f64, max: f64, cols: usize, theme: &Theme) -> String {
    if max <= 0.0 || cols == 0 {
        return String::new();
    }
    let eighths = ((value.max(0.0) / max) * (cols * 8) as f64).round() as usize;
    let glyphs = theme.bar_glyphs();
    let mut s = theme.full_block().repeat(eighths / 8);
    if eighths % 8 > 0 {
        s.push_str(glyphs[eighths % 8]);
    }
    s
}

fn pyramid(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![heading(
        "Customer pyramid (active customers, by CRV)",
        w,
        theme,
    )];
    let step = 3;
    let base = step * p.tiers.len().max(1);
    for (i, row) in p.tiers.iter().enumerate() {
        let size = step * (i + 1);
        let pad = (base - size) / 2;
        let shape = format!(
            "{}{}{}",
            " ".repeat(pad),
            theme.full_block().repeat(size),
            " ".repeat(base - size - pad)
        );
        let label = format!(
            " {:<8} {:>6}  CRV {}",
            row.tier.code(),
            row.customers,
            text::compact(row.crv)
        );
        out.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(shape, theme.tier(Some(row.tier))),
            cell(&label, w.saturating_sub(base + 2), theme.base, theme),
        ]));
    }
    out
}

fn stages(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![heading("Stages", w, theme)];
    let max = p.stages.iter().map(|s| s.customers).max().unwrap_or(0) as f64;
    let label_w = 12;
    let count_w = 7;
    let bar_w = w.saturating_sub(2 + label_w + count_w + 2);
    for row in &p.stages {
        let won = if row.second_lifecycle > 0 {
            format!(" ({} won back)", row.second_lifecycle)
        } else {
            String::new()
        };
        let drawn = bar(row.customers as f64, max, bar_w, theme);
        let rest = format!("{drawn}{won}");
        out.push(Line::from(vec![
            Span::raw("  "),
            cell(row.stage.code(), label_w, theme.stage(row.stage), theme),
            cell_right(&row.customers.to_string(), count_w, theme.base, theme),
            Span::raw(" "),
            cell(&rest, bar_w + 1, theme.bar, theme),
        ]));
    }
    out
}

fn queues(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let q = &p.queues;
    let mut out = vec![heading("The three CRM tasks", w, theme)];
    for (name, queue) in [
        ("acquire", &q.acquire),
        ("retain", &q.retain),
        ("win back", &q.win_back),
    ] {
        out.push(line(
            &format!(
                "  {name:<9}{:>7} customers · expected value {}",
                queue.customers,
                text::money(queue.expected_value)
            ),
            w,
            theme.base,
            theme,
        ));
    }
    out
}

fn share(value: Option<f64>) -> String {
    value.map(text::percent).unwrap_or_else(|| "-".into())
}

fn pareto(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let x = &p.pareto;
    vec![
        heading("80/20/30: profit after cost to serve, 12 months", w, theme),
        line(
            &format!(
                "  top 20% ({} customers) bring {} of {}",
                x.top_customers,
                share(x.top_profit_share),
                text::money(x.total_profit)
            ),
            w,
            theme.base,
            theme,
        ),
        line(
            &format!(
                "  bottom 30% ({} customers) bring {} ({})",
                x.bottom_customers,
                share(x.bottom_profit_share),
                text::money(x.bottom_profit)
            ),
            w,
            if x.bottom_profit < 0.0 {
                theme.warn
            } else {
                theme.base
            },
            theme,
        ),
    ]
}

/// Kotler's table of recommended relationship types, and the owners in each row.
fn matrix(
    cfg: &Config,
    owners: &BTreeMap<String, usize>,
    w: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let c = &cfg.intensity;
    let rows = [
        (format!("many >{}", c.many_customers), c.many_customers + 1),
        (
            format!("some {}-{}", c.few_customers + 1, c.many_customers),
            c.few_customers + 1,
        ),
        (format!("few <={}", c.few_customers), c.few_customers),
    ];
    let rates = [
        c.low_margin_rate / 2.0,
        c.low_margin_rate,
        c.high_margin_rate,
    ];
    let label_w = 12;
    let cell_w = 12;
    let mut out = vec![
        heading(
            "Kotler: relationship by customers per owner and margin",
            w,
            theme,
        ),
        Line::from(vec![
            Span::raw("  "),
            cell("", label_w, theme.header, theme),
            cell(
                &format!("<{}", text::percent(c.low_margin_rate)),
                cell_w,
                theme.header,
                theme,
            ),
            cell("medium", cell_w, theme.header, theme),
            cell(
                &format!(">={}", text::percent(c.high_margin_rate)),
                cell_w,
                theme.header,
                theme,
            ),
        ]),
    ];
    for (label, count) in rows {
        let mut spans = vec![Span::raw("  "), cell(&label, label_w, theme.muted, theme)];
        for rate in rates {
            let kind = intensity::recommended(count, rate, cfg);
            spans.push(cell(kind.code(), cell_w, theme.base, theme));
        }
        out.push(Line::from(spans));
    }
    let placed: Vec<String> = owners
        .iter()
        .map(|(owner, n)| {
            let band = if *n > c.many_customers {
                "many"
            } else if *n > c.few_customers {
                "some"
            } else {
                "few"
            };
            format!("{owner} {n} ({band})")
        })
        .collect();
    if !placed.is_empty() {
        for l in text::wrap(
            &format!("owners: {}", placed.join(", ")),
            w.saturating_sub(2),
        ) {
            out.push(line(&format!("  {l}"), w, theme.muted, theme));
        }
    }
    out
}

fn capacity(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    if p.capacity.is_empty() {
        return Vec::new();
    }
    let mut out = vec![heading("One-to-one capacity plan", w, theme)];
    for plan in &p.capacity {
        out.push(line(
            &format!(
                "  {}: {} of {} chosen, {:.1} of {:.0} h, CRV {}",
                plan.owner,
                plan.chosen.len(),
                plan.candidates,
                plan.used_hours,
                plan.capacity_hours,
                text::compact(plan.chosen_crv)
            ),
            w,
            theme.base,
            theme,
        ));
    }
    out
}
