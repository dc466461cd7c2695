//! The two small charts of the PDCA review: the goal metric's baseline, target, today's
//! value and the checked result as bars on one scale; and the metric across a chain of
//! cycles (the spiral) as columns, so a trend reads at a glance.

use crate::i18n::t;
use crate::tui::pdca::words::{full, met_words, short};
use ratatui::style::Style;
use ratatui::text::Line;

use crate::domain::model::{Cycle, CycleId, Metric};
use crate::tui::text;
use crate::tui::theme::Theme;

/// Bars for baseline, target, now and result, scaled to the largest of them.
pub fn goal_bars(
    cycle: &Cycle,
    measured_now: Option<f64>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let metric = cycle.metric;
    let result = cycle.result.as_ref();
    let rows: [(String, Option<f64>, Style, String); 4] = [
        (
            t("chart-baseline"),
            cycle.baseline,
            theme.muted,
            String::new(),
        ),
        (t("chart-target"), cycle.target, theme.header, String::new()),
        (t("chart-now"), measured_now, theme.bar, String::new()),
        (
            t("chart-result"),
            result.map(|r| r.value),
            if result.is_some_and(|r| r.met) {
                theme.good
            } else {
                theme.bad
            },
            result
                .map(|r| format!(" {} {}", met_words(r.met), r.on))
                .unwrap_or_default(),
        ),
    ];
    let max = rows
        .iter()
        .filter_map(|(_, v, _, _)| *v)
        .fold(0.0_f64, f64::max);
    let shown: Vec<String> = rows
        .iter()
        .map(|(_, v, _, note)| match v {
            Some(v) => format!("{}{note}", full(metric, *v)),
            None => "-".to_string(),
        })
        .collect();
    let value_w = shown.iter().map(|s| text::width(s)).max().unwrap_or(1);
    const LABEL: usize = 9;
    // Longer bars add no precision and push the numbers away from them.
    const MAX_BAR: usize = 40;
    let bar_w = width
        .saturating_sub(2 + LABEL + 1 + value_w + 1)
        .min(MAX_BAR);
    let mut out = Vec::new();
    for (i, ((label, value, style, _), shown)) in rows.iter().zip(shown).enumerate() {
        // The result row shows only once there is a result.
        if i == 3 && value.is_none() {
            continue;
        }
        let cells = match value {
            Some(v) if max > 0.0 && bar_w > 0 => {
                ((v.max(0.0) / max) * bar_w as f64).round() as usize
            }
            _ => 0,
        };
        let bar = theme.full_block().repeat(cells.min(bar_w));
        let line = format!(
            "  {} {} {}",
            text::fit(label, LABEL, theme.ellipsis()),
            text::fit(&bar, bar_w, theme.ellipsis()),
            shown
        );
        out.push(Line::styled(
            text::truncate(&line, width, theme.ellipsis()),
            *style,
        ));
    }
    out
}

/// One point of the spiral's trend: where the chain started, then each cycle's result,
/// then today's value for a cycle still under way.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub label: String,
    pub value: f64,
}

pub fn points(chain: &[Cycle], current: CycleId, measured_now: Option<f64>) -> Vec<Point> {
    let mut out = Vec::new();
    if let Some(start) = chain.first().and_then(|c| c.baseline) {
        out.push(Point {
            label: t("chart-start"),
            value: start,
        });
    }
    for c in chain {
        match (&c.result, measured_now) {
            (Some(r), _) => out.push(Point {
                label: format!("#{}", c.id),
                value: r.value,
            }),
            (None, Some(now)) if c.id == current => out.push(Point {
                label: t("chart-now"),
                value: now,
            }),
            _ => {}
        }
    }
    out
}

/// The points as columns three rows high, their values and labels underneath. The scale
/// starts a little below the smallest value so a small change still shows.
pub fn trend(
    points: &[Point],
    metric: Option<Metric>,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    const HEIGHT: usize = 3;
    if points.len() < 2 {
        return vec![Line::styled(t("chart-no-trend"), theme.muted)];
    }
    let values: Vec<String> = points.iter().map(|p| short(metric, p.value)).collect();
    let col = points
        .iter()
        .zip(&values)
        .map(|(p, v)| text::width(&p.label).max(text::width(v)))
        .max()
        .unwrap_or(1)
        + 2;
    let fit = (width.saturating_sub(2) / col).max(1);
    // The newest points matter most when the chain is longer than the screen is wide.
    let skip = points.len().saturating_sub(fit);
    let (points, values) = (&points[skip..], &values[skip..]);
    let max = points.iter().map(|p| p.value).fold(f64::MIN, f64::max);
    let min = points.iter().map(|p| p.value).fold(f64::MAX, f64::min);
    let floor = (min - (max - min) / 3.0).max(0.0_f64.min(min));
    let span = max - floor;
    let glyphs = theme.bar_glyphs();
    let mut out = Vec::new();
    for row in 0..HEIGHT {
        let bottom = (HEIGHT - 1 - row) * 8;
        let mut s = String::from("  ");
        for p in points {
            let eighths = if span > 0.0 {
                (((p.value - floor) / span) * (HEIGHT * 8) as f64).round() as usize
            } else {
                HEIGHT * 4
            }
            .max(1);
            let glyph = glyphs[eighths.saturating_sub(bottom).min(8)];
            s.push_str(&glyph.repeat(2));
            s.push_str(&" ".repeat(col - 2));
        }
        out.push(Line::styled(s.trim_end().to_string(), theme.bar));
    }
    let row = |cells: Vec<&str>| {
        let mut s = String::from("  ");
        for c in cells {
            s.push_str(&text::fit(c, col, theme.ellipsis()));
        }
        s.trim_end().to_string()
    };
    out.push(Line::styled(
        row(values.iter().map(String::as_str).collect()),
        theme.base,
    ));
    out.push(Line::styled(
        row(points.iter().map(|p| p.label.as_str()).collect()),
        theme.muted,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{CheckResult, GoalDirection, Phase, Scope};
    use jiff::civil::date;

    fn cycle(id: CycleId, baseline: f64, result: Option<f64>) -> Cycle {
        Cycle {
            id,
            title: "t".into(),
            scope: Scope::Book,
            owner: "alice".into(),
            created: date(2026, 1, 1),
            phase: if result.is_some() {
                Phase::Closed
            } else {
                Phase::Do
            },
            metric: Some(Metric::DeclineCount),
            direction: GoalDirection::Lower,
            baseline: Some(baseline),
            target: Some(8.0),
            check_date: None,
            plan_notes: String::new(),
            actions: Vec::new(),
            result: result.map(|value| CheckResult {
                value,
                met: value <= 8.0,
                on: date(2026, 3, 1),
            }),
            decision: None,
            lessons: String::new(),
            previous: None,
            next: None,
        }
    }

    #[test]
    fn points_run_from_the_start_through_results_to_now() {
        let chain = vec![
            cycle(1, 12.0, Some(11.0)),
            cycle(2, 11.0, Some(10.0)),
            cycle(3, 10.0, None),
        ];
        let labels: Vec<(String, f64)> = points(&chain, 3, Some(9.0))
            .into_iter()
            .map(|p| (p.label, p.value))
            .collect();
        assert_eq!(
            labels,
            [
                ("start".to_string(), 12.0),
                ("#1".to_string(), 11.0),
                ("#2".to_string(), 10.0),
                ("now".to_string(), 9.0)
            ]
        );
        // Viewing an older cycle of the chain: today's value belongs to the open one only.
        assert_eq!(points(&chain, 1, Some(9.0)).len(), 3);
    }

    #[test]
    fn trend_columns_fall_with_the_values() {
        let theme = Theme::mono();
        let pts = vec![
            Point {
                label: t("chart-start"),
                value: 12.0,
            },
            Point {
                label: "#1".into(),
                value: 9.0,
            },
        ];
        let lines = trend(&pts, Some(Metric::DeclineCount), 40, &theme);
        let rows: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        // floor = 9 - 3/3 = 8, span 4: 12 fills 24 eighths, 9 fills 6 (one row and 6/8).
        assert_eq!(rows[0], "  ██");
        assert_eq!(rows[1], "  ██");
        assert_eq!(rows[2], "  ██     ▆▆");
        assert_eq!(rows[3], "  12     9");
        assert_eq!(rows[4], "  start  #1");
    }

    #[test]
    fn bars_share_one_scale() {
        let theme = Theme::mono();
        let c = cycle(1, 12.0, Some(6.0));
        let lines = goal_bars(&c, Some(6.0), 40, &theme);
        let rows: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        // value column: "6 met 2026-03-01" is 16 wide; bars get 40 - 2 - 9 - 1 - 16 - 1 = 11.
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0], format!("  baseline  {} 12", "█".repeat(11)));
        assert!(rows[1].starts_with(&format!("  target    {} ", "█".repeat(7))));
        assert!(rows[3].ends_with("6 met 2026-03-01"), "{}", rows[3]);
    }

    #[test]
    fn short_values() {
        assert_eq!(short(Some(Metric::RetentionRate), 0.854), "85%");
        assert_eq!(short(Some(Metric::Margin12m), 12_345.0), "12k");
        assert_eq!(short(Some(Metric::AvgSatisfaction), 3.2), "3.20");
        assert_eq!(short(Some(Metric::ChurnedCount), 4.0), "4");
    }
}
