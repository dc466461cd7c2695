//! Portfolio: the tier pyramid, stages as bars, the three CRM queues, churn by reason, the
//! real 80/20/30 split and Kotler's relationship matrix with where each owner's book falls.
//! A tier, a stage or a queue is a row to select: Enter lists its customers.

use crate::i18n::{lost_reason_label, relationship_label, stage_label, t, tier_label, tr};
use std::collections::BTreeMap;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::config::Config;
use crate::domain::intensity;
use crate::domain::model::LostReason;
use crate::domain::portfolio::{Portfolio, QueueKind, StageRow};
use crate::tui::app::{App, Viewport};
use crate::tui::portfolio::state::Target;
use crate::tui::text;
use crate::tui::theme::Theme;
use crate::tui::widgets::{cell, cell_right, line};

/// The portfolio laid out for one width: its lines, and the rows Enter opens, in order,
/// each with its line.
pub(crate) struct Page {
    pub lines: Vec<Line<'static>>,
    pub rows: Vec<(usize, Target)>,
}

impl Page {
    /// Each selectable row as the lines it takes (`document::Shape` items).
    pub fn items(&self) -> Vec<(usize, usize)> {
        self.rows
            .iter()
            .map(|&(line, _)| (line, line + 1))
            .collect()
    }
}

/// Lays the portfolio out `width` columns wide, the row `selected` (among `Page::rows`)
/// drawn selected. On a wide screen the figures take two columns; the selectable rows are
/// all in the left one, so a row's line is the same at every width.
pub(crate) fn page(app: &App, p: &Portfolio, width: usize, selected: Option<usize>) -> Page {
    let theme = &app.theme;
    let owners = owner_counts(app);
    let wide = width >= 110;
    let col_w = if wide { (width - 2) / 2 } else { width };
    let mut left = summary(p, col_w, theme);
    let mut rows = Vec::new();
    for (block, targets) in [
        pyramid(p, col_w, theme),
        stages(p, col_w, theme),
        queues(p, col_w, theme),
    ] {
        // A block is its heading, then one line per target.
        let first = left.len() + 1;
        rows.extend(targets.into_iter().enumerate().map(|(i, t)| (first + i, t)));
        left.extend(block);
    }
    if let Some(&(at, _)) = selected.and_then(|i| rows.get(i)) {
        left[at] = select(std::mem::take(&mut left[at]), theme);
    }
    let mut right = pareto(p, col_w, theme);
    right.extend(churn(p, col_w, theme));
    right.extend(matrix(&app.config, &owners, col_w, theme));
    right.extend(capacity(p, col_w, theme));

    let lines: Vec<Line> = if wide {
        let count = left.len().max(right.len());
        let blank = || Line::raw("");
        (0..count)
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
    Page { lines, rows }
}

/// The selected row: the marker in its first column, every cell in the selection's style.
fn select(row: Line<'static>, theme: &Theme) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = row.spans;
    if let Some(first) = spans.first_mut() {
        let rest: String = first.content.chars().skip(1).collect();
        first.content = format!("{}{rest}", theme.marker()).into();
    }
    Line::from(
        spans
            .into_iter()
            .map(|span| Span::styled(span.content, theme.selected))
            .collect::<Vec<_>>(),
    )
}

/// Scrolls by `PortfolioState::reading` and records the rows shown (for page keys).
pub fn render(app: &App, frame: &mut Frame, area: Rect, viewport: &mut Viewport) {
    let theme = &app.theme;
    let width = usize::from(area.width);
    let height = usize::from(area.height);
    viewport.list_rows = area.height;
    let Some(p) = &app.portfolio.portfolio else {
        let said = if app.portfolio.loading {
            t("portfolio-loading")
        } else {
            t("portfolio-none")
        };
        frame.render_widget(Paragraph::new(line(&said, width, theme.muted, theme)), area);
        return;
    };
    let reading = &app.portfolio.reading;
    let page = page(app, p, width, Some(reading.cursor));
    let scroll = reading.first_line(page.lines.len(), height);
    let visible: Vec<Line> = page.lines.into_iter().skip(scroll).take(height).collect();
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
    let how = if p.retention.measured {
        tr(
            "portfolio-retention-measured",
            &[
                ("retained", &p.retention.retained.to_string()),
                ("base", &p.retention.base.to_string()),
            ],
        )
    } else {
        t("portfolio-retention-default")
    };
    let retention = tr(
        "portfolio-retention",
        &[("rate", &text::percent(p.retention.rate)), ("how", &how)],
    );
    vec![
        line(
            &tr(
                "portfolio-title",
                &[
                    ("customers", &p.customers.to_string()),
                    ("prospects", &p.prospects.to_string()),
                    ("churned", &p.churned.to_string()),
                ],
            ),
            w,
            theme.title,
            theme,
        ),
        line(&retention, w, theme.base, theme),
        line(
            &tr(
                "portfolio-retention-pays",
                &[("amount", &text::money(p.profit_lost))],
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

fn pyramid(p: &Portfolio, w: usize, theme: &Theme) -> (Vec<Line<'static>>, Vec<Target>) {
    let mut out = vec![heading(&t("portfolio-pyramid"), w, theme)];
    let targets = p.tiers.iter().map(|row| Target::Tier(row.tier)).collect();
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
        // Padded by columns, not characters: a Chinese tier name is double width.
        let label = format!(
            " {} {:>6}  {}",
            text::fit(&tier_label(row.tier), 8, theme.ellipsis()),
            row.customers,
            tr("portfolio-pyramid-crv", &[("crv", &text::compact(row.crv))])
        );
        out.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(shape, theme.tier(Some(row.tier))),
            cell(&label, w.saturating_sub(base + 2), theme.base, theme),
        ]));
    }
    (out, targets)
}

fn stages(p: &Portfolio, w: usize, theme: &Theme) -> (Vec<Line<'static>>, Vec<Target>) {
    let mut out = vec![heading(&t("portfolio-stages"), w, theme)];
    let targets = p
        .stages
        .iter()
        .map(|row| Target::Stage(row.stage))
        .collect();
    let max = p.stages.iter().map(|s| s.customers).max().unwrap_or(0) as f64;
    let label_w = 12;
    let count_w = 7;
    let room = w.saturating_sub(2 + label_w + count_w + 2);
    let won_back = |row: &StageRow| {
        if row.second_lifecycle > 0 {
            tr(
                "portfolio-won-back",
                &[("n", &row.second_lifecycle.to_string())],
            )
        } else {
            String::new()
        }
    };
    // The bars give way to the widest "(N won back)", so no count is cut off.
    let won_w = p
        .stages
        .iter()
        .map(|row| text::width(&won_back(row)))
        .max()
        .unwrap_or(0);
    let bar_w = room.saturating_sub(won_w);
    for row in &p.stages {
        let won = won_back(row);
        let drawn = bar(row.customers as f64, max, bar_w, theme);
        let rest = format!("{drawn}{won}");
        out.push(Line::from(vec![
            Span::raw("  "),
            cell(
                &stage_label(row.stage),
                label_w,
                theme.stage(row.stage),
                theme,
            ),
            cell_right(&row.customers.to_string(), count_w, theme.base, theme),
            Span::raw(" "),
            cell(&rest, room + 1, theme.bar, theme),
        ]));
    }
    (out, targets)
}

/// A queue's name in the reader's language.
pub(crate) fn queue_name(kind: QueueKind) -> String {
    t(match kind {
        QueueKind::Acquire => "task-acquire",
        QueueKind::Retain => "task-retain",
        QueueKind::WinBack => "task-win-back",
    })
}

fn queues(p: &Portfolio, w: usize, theme: &Theme) -> (Vec<Line<'static>>, Vec<Target>) {
    let q = &p.queues;
    let mut out = vec![heading(&t("portfolio-tasks"), w, theme)];
    let names = [
        (QueueKind::Acquire, &q.acquire),
        (QueueKind::Retain, &q.retain),
        (QueueKind::WinBack, &q.win_back),
    ]
    .map(|(kind, queue)| (kind, queue_name(kind), queue));
    // The names share one column, as wide as the widest (Chinese names are longer).
    let name_w = names
        .iter()
        .map(|(_, name, _)| text::width(name) + 1)
        .max()
        .unwrap_or(0)
        .max(9);
    for (_, name, queue) in &names {
        out.push(line(
            &format!(
                "  {}{:>7} {}",
                text::fit(name, name_w, theme.ellipsis()),
                queue.customers,
                tr(
                    "portfolio-queue",
                    &[("value", &text::money(queue.expected_value))]
                )
            ),
            w,
            theme.base,
            theme,
        ));
    }
    (
        out,
        names
            .iter()
            .map(|(kind, _, _)| Target::Queue(*kind))
            .collect(),
    )
}

/// Churned customers by the reason they were lost for, with the profit each reason cost
/// (the contract's "retention and churn by reason"; `crm portfolio` prints the same rows).
fn churn(p: &Portfolio, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    if p.churn.is_empty() {
        return Vec::new();
    }
    let reasons: Vec<String> = p
        .churn
        .iter()
        .map(|row| match row.reason.parse::<LostReason>() {
            Ok(reason) => lost_reason_label(reason),
            // Customers who simply stopped ordering: no reason was recorded.
            Err(_) => t("portfolio-churn-unrecorded"),
        })
        .collect();
    let name_w = reasons
        .iter()
        .map(|r| text::width(r) + 1)
        .max()
        .unwrap_or(0)
        .max(9);
    let mut out = vec![heading(&t("portfolio-churn"), w, theme)];
    for (row, reason) in p.churn.iter().zip(&reasons) {
        out.push(line(
            &format!(
                "  {}{:>7} {}",
                text::fit(reason, name_w, theme.ellipsis()),
                row.customers,
                tr(
                    "portfolio-churn-line",
                    &[
                        ("share", &text::percent(row.share)),
                        ("lost", &text::money(row.profit_lost)),
                    ]
                )
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
        heading(&t("portfolio-pareto"), w, theme),
        line(
            &tr(
                "portfolio-pareto-top",
                &[
                    ("customers", &x.top_customers.to_string()),
                    ("share", &share(x.top_profit_share)),
                    ("total", &text::money(x.total_profit)),
                ],
            ),
            w,
            theme.base,
            theme,
        ),
        line(
            &tr(
                "portfolio-pareto-bottom",
                &[
                    ("customers", &x.bottom_customers.to_string()),
                    ("share", &share(x.bottom_profit_share)),
                    ("amount", &text::money(x.bottom_profit)),
                ],
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
        (
            tr(
                "portfolio-row-many",
                &[("n", &c.many_customers.to_string())],
            ),
            c.many_customers + 1,
        ),
        (
            tr(
                "portfolio-row-some",
                &[
                    ("from", &(c.few_customers + 1).to_string()),
                    ("to", &c.many_customers.to_string()),
                ],
            ),
            c.few_customers + 1,
        ),
        (
            tr("portfolio-row-few", &[("n", &c.few_customers.to_string())]),
            c.few_customers,
        ),
    ];
    let rates = [
        c.low_margin_rate / 2.0,
        c.low_margin_rate,
        c.high_margin_rate,
    ];
    let label_w = 12;
    let cell_w = 12;
    let mut out = vec![
        heading(&t("portfolio-kotler"), w, theme),
        Line::from(vec![
            Span::raw("  "),
            cell("", label_w, theme.header, theme),
            cell(
                &format!("<{}", text::percent(c.low_margin_rate)),
                cell_w,
                theme.header,
                theme,
            ),
            cell(&t("portfolio-medium"), cell_w, theme.header, theme),
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
            spans.push(cell(&relationship_label(kind), cell_w, theme.base, theme));
        }
        out.push(Line::from(spans));
    }
    let placed: Vec<String> = owners
        .iter()
        .map(|(owner, n)| {
            let band = t(if *n > c.many_customers {
                "portfolio-band-many"
            } else if *n > c.few_customers {
                "portfolio-band-some"
            } else {
                "portfolio-band-few"
            });
            tr(
                "portfolio-owner-band",
                &[("owner", owner), ("n", &n.to_string()), ("band", &band)],
            )
        })
        .collect();
    if !placed.is_empty() {
        for l in text::wrap(
            &tr("portfolio-owners", &[("owners", &placed.join(", "))]),
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
    let mut out = vec![heading(&t("portfolio-capacity"), w, theme)];
    for plan in &p.capacity {
        out.push(line(
            &tr(
                "portfolio-capacity-line",
                &[
                    ("owner", &plan.owner),
                    ("chosen", &plan.chosen.len().to_string()),
                    ("candidates", &plan.candidates.to_string()),
                    ("used", &format!("{:.1}", plan.used_hours)),
                    ("hours", &format!("{:.0}", plan.capacity_hours)),
                    ("crv", &text::compact(plan.chosen_crv)),
                ],
            ),
            w,
            theme.base,
            theme,
        ));
    }
    out
}
