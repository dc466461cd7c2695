//! The PDCA forms: plan a new cycle (its baseline measured live as the metric and scope
//! change), add an action, record the act decision, edit the plan.

use crate::i18n::{decision_label, goal_direction_label, metric_words, t, tr};
use jiff::civil::Date;

use super::{
    labels, parse, position, Ctx, Field, FieldErrors, FieldValue, Form, FormKind, Known, Pick,
    PickOption,
};
use crate::book::pdca::PlanEdit;
use crate::domain::model::{ActDecision, Cycle, GoalDirection, Metric, Phase, Scope};
use crate::domain::pdca::{parse_scope, scope_label, Plan};
use crate::domain::pdca_metrics::{check_target, format_value};

/// The metric a new cycle starts with: satisfaction reads well for one customer and a book.
const DEFAULT_METRIC: Metric = Metric::AvgSatisfaction;

/// The way a metric should move: counts of trouble go down, everything else up.
pub fn natural_direction(metric: Metric) -> GoalDirection {
    match metric {
        Metric::DeclineCount | Metric::ChurnedCount | Metric::OverdueFollowups => {
            GoalDirection::Lower
        }
        _ => GoalDirection::Raise,
    }
}

fn target_hint(metric: Metric) -> String {
    t(match metric {
        Metric::RetentionRate | Metric::ShareOfWallet => "form-hint-share",
        Metric::AvgSatisfaction => "form-hint-one-to-five",
        Metric::Margin12m => "form-hint-amount",
        _ => "form-hint-count",
    })
}

/// The scopes a cycle can have (DOMAIN.md §7), in words: the customer the form is about,
/// the whole book, each owner's book (the user's first), each segment of the book. The
/// option's value is the scope's code (`customer:ID`), read back by `parse_scope`.
pub fn scope_pick(scope: &Scope, known: &Known) -> Pick {
    let customer = |id: &str, name: &str| {
        PickOption::new(
            scope_label(&Scope::Customer(id.to_string())),
            tr("pick-scope-customer", &[("name", name), ("id", id)]),
        )
    };
    let owner = |login: &str| {
        PickOption::new(
            scope_label(&Scope::Owner(login.to_string())),
            tr("pick-scope-owner", &[("login", login)]),
        )
    };
    let segment = |name: &str| {
        PickOption::new(
            scope_label(&Scope::Segment(name.to_string())),
            tr("pick-scope-segment", &[("name", name)]),
        )
    };
    let mut options = Vec::new();
    if let Some((id, name)) = &known.customer {
        options.push(customer(id, name));
    }
    options.push(PickOption::new(
        scope_label(&Scope::Book),
        t("pick-scope-book"),
    ));
    if !known.actor.is_empty() {
        options.push(owner(&known.actor));
    }
    for (login, _) in known.owners.iter().filter(|(l, _)| *l != known.actor) {
        if !login.trim().is_empty() {
            options.push(owner(login));
        }
    }
    options.extend(known.segments.iter().map(|name| segment(name)));
    // The scope the form starts with is always offered (a customer not in view, say).
    let code = scope_label(scope);
    if !options.iter().any(|o| o.value == code) {
        options.insert(
            0,
            match scope {
                Scope::Customer(id) => customer(id, id),
                Scope::Owner(login) => owner(login),
                Scope::Segment(name) => segment(name),
                Scope::Book => PickOption::new(code.clone(), t("pick-scope-book")),
            },
        );
    }
    let chosen = options.iter().position(|o| o.value == code);
    Pick::new(options, chosen, t("pick-choose-scope"))
}

/// The scope chosen in the form: `Err` says why there is none.
fn scope_of(form: &Form) -> Result<Scope, String> {
    match form.picked("scope") {
        Some(code) => parse_scope(code).map_err(|_| crate::i18n::scope_error(code)),
        None => Err(t("pick-err-scope")),
    }
}

/// The new-cycle form for `scope` (what was on screen: a customer, the user's book...).
pub fn new_cycle(scope: &Scope, known: &Known) -> Form {
    let fields = vec![
        Field::text("title", "form-title", "", &t("form-hint-cycle-title")),
        Field::pick("scope", "form-scope", scope_pick(scope, known)),
        Field::choice(
            "metric",
            "form-metric",
            labels(Metric::ALL, metric_words),
            position(Metric::ALL, &DEFAULT_METRIC),
        ),
        Field::choice(
            "direction",
            "form-direction",
            labels(GoalDirection::ALL, goal_direction_label),
            position(GoalDirection::ALL, &natural_direction(DEFAULT_METRIC)),
        ),
        // Shown, not edited: the baseline the plan will record (focus passes it by).
        Field::shown("baseline", "form-baseline", "-"),
        Field::text("target", "form-target", "", &target_hint(DEFAULT_METRIC)),
        Field::text("check_date", "form-check-date", "", &t("form-hint-date")).echoing_dates(),
        Field::multiline("notes", "form-plan-notes", "", &t("form-hint-plan-notes")),
        Field::text(
            "action",
            "form-first-action",
            "",
            &t("form-hint-first-action"),
        ),
    ];
    Form::new(
        FormKind::NewCycle,
        t("form-plan-cycle-title"),
        fields,
        "title",
    )
}

fn metric_of(form: &Form) -> Metric {
    Metric::ALL[form.choice("metric").min(Metric::ALL.len() - 1)]
}

/// What the baseline is measured for: the chosen metric and scope (`Err`: why there is no
/// scope). `None` for any other form.
pub fn baseline_inputs(form: &Form) -> Option<(Metric, Result<Scope, String>)> {
    if form.kind != FormKind::NewCycle {
        return None;
    }
    Some((metric_of(form), scope_of(form)))
}

/// Shows the baseline measured for the current inputs (`Err`: why there is none), and
/// makes the target hint and, until the user picked one, the direction follow the metric.
pub fn show_baseline(form: &mut Form, measured: Result<Option<f64>, String>) {
    let metric = metric_of(form);
    let shown = match measured {
        Ok(Some(value)) => tr(
            "form-measured-now",
            &[("value", &format_value(metric, value))],
        ),
        Ok(None) => t("form-baseline-none"),
        Err(why) => tr("form-baseline-none-why", &[("why", &why)]),
    };
    let direction_touched = form.field("direction").is_some_and(|f| f.touched);
    for field in &mut form.fields {
        match field.name {
            "baseline" => field.value = FieldValue::Shown(shown.clone()),
            "target" => field.hint = target_hint(metric),
            "direction" if !direction_touched => {
                field.value = FieldValue::Choice {
                    options: labels(GoalDirection::ALL, goal_direction_label),
                    index: position(GoalDirection::ALL, &natural_direction(metric)),
                }
            }
            _ => {}
        }
    }
}

/// A target as typed: a number, or for shares also a percentage ("85%").
fn target(metric: Metric, text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    let share = matches!(metric, Metric::RetentionRate | Metric::ShareOfWallet);
    let value = match text.strip_suffix('%') {
        Some(_) if !share => {
            return Err(tr(
                "form-err-not-a-share",
                &[("metric", &metric_words(metric))],
            ))
        }
        Some(number) => parse::amount(number)?.map(|v| v / 100.0),
        None => parse::amount(text)?,
    };
    if let Some(v) = value {
        check_target(metric, v).map_err(|why| crate::i18n::say_words(&why.said))?;
    }
    Ok(value)
}

/// A date that may be empty but not before `as_of`.
fn future_date(text: &str, as_of: Date) -> Result<Option<Date>, String> {
    match parse::date(text, as_of)? {
        Some(date) if date < as_of => {
            Err(tr("form-err-in-the-past", &[("date", &date.to_string())]))
        }
        date => Ok(date),
    }
}

pub fn check_plan(form: &Form, ctx: &Ctx) -> Result<Plan, FieldErrors> {
    let mut errors = FieldErrors::new();
    let title = form.text("title").trim().to_string();
    if title.is_empty() {
        errors.push(("title", t("form-err-cycle-title")));
    }
    let scope = scope_of(form).map_err(|e| errors.push(("scope", e)));
    let metric = metric_of(form);
    let target = target(metric, form.text("target")).map_err(|e| errors.push(("target", e)));
    let check_date =
        future_date(form.text("check_date"), ctx.as_of).map_err(|e| errors.push(("check_date", e)));
    let (Ok(scope), Ok(target), Ok(check_date), true) =
        (scope, target, check_date, errors.is_empty())
    else {
        return Err(errors);
    };
    let action = form.text("action").trim();
    Ok(Plan {
        title,
        scope,
        metric,
        direction: GoalDirection::ALL[form.choice("direction").min(GoalDirection::ALL.len() - 1)],
        target,
        check_date,
        notes: form.text("notes").trim().to_string(),
        actions: if action.is_empty() {
            Vec::new()
        } else {
            vec![(action.to_string(), None)]
        },
    })
}

pub fn add_action(cycle: &Cycle) -> Form {
    let fields = vec![
        Field::text("text", "form-action", "", &t("form-hint-action")),
        Field::text("due", "form-due", "", &t("form-hint-date")),
    ];
    Form::new(
        FormKind::CycleAction { cycle: cycle.id },
        tr(
            "form-add-action-title",
            &[("id", &cycle.id.to_string()), ("title", &cycle.title)],
        ),
        fields,
        "text",
    )
}

pub fn check_action(form: &Form, ctx: &Ctx) -> Result<(String, Option<Date>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let text = form.text("text").trim().to_string();
    if text.is_empty() {
        errors.push(("text", t("form-err-action-text")));
    }
    let due = future_date(form.text("due"), ctx.as_of).map_err(|e| errors.push(("due", e)));
    match due {
        Ok(due) if errors.is_empty() => Ok((text, due)),
        _ => Err(errors),
    }
}

/// The act form. The decision starts where the check points: standardise what met its
/// target, adjust what did not.
pub fn act(cycle: &Cycle) -> Form {
    let met = cycle.result.as_ref().is_some_and(|r| r.met);
    let decision = if met {
        ActDecision::Standardise
    } else {
        ActDecision::Adjust
    };
    let mut decision_field = Field::choice(
        "decision",
        "form-decision",
        labels(ActDecision::ALL, decision_label),
        position(ActDecision::ALL, &decision),
    );
    decision_field.hint = t("form-hint-decision");
    let fields = vec![
        decision_field,
        Field::multiline(
            "lessons",
            "form-lessons",
            &cycle.lessons,
            &t("form-hint-lessons"),
        ),
    ];
    Form::new(
        FormKind::ActCycle { cycle: cycle.id },
        tr(
            "form-act-title",
            &[("id", &cycle.id.to_string()), ("title", &cycle.title)],
        ),
        fields,
        "decision",
    )
}

pub fn check_act(form: &Form) -> Result<(ActDecision, String), FieldErrors> {
    let decision = ActDecision::ALL[form.choice("decision").min(ActDecision::ALL.len() - 1)];
    Ok((decision, form.text("lessons").trim().to_string()))
}

/// The plan edit form: only what the cycle's phase still lets change (the goal until the
/// check, notes until it closes, lessons always).
pub fn edit_plan(cycle: &Cycle) -> Form {
    let mut fields = Vec::new();
    if matches!(cycle.phase, Phase::Plan | Phase::Do) {
        let metric = cycle.metric.unwrap_or(DEFAULT_METRIC);
        let target = cycle.target.map(|t| t.to_string()).unwrap_or_default();
        let check = cycle.check_date.map(|d| d.to_string()).unwrap_or_default();
        fields.push(Field::text(
            "target",
            "form-target",
            &target,
            &target_hint(metric),
        ));
        fields.push(Field::text(
            "check_date",
            "form-check-date",
            &check,
            &t("form-hint-date"),
        ));
    }
    if cycle.phase != Phase::Closed {
        fields.push(Field::multiline(
            "notes",
            "form-plan-notes",
            &cycle.plan_notes,
            "",
        ));
    }
    fields.push(Field::multiline(
        "lessons",
        "form-lessons",
        &cycle.lessons,
        &t("form-hint-lessons"),
    ));
    let focus = fields.first().map_or("lessons", |f| f.name);
    Form::new(
        FormKind::EditCycle {
            original: Box::new(cycle.clone()),
        },
        tr(
            "form-edit-plan-title",
            &[("id", &cycle.id.to_string()), ("title", &cycle.title)],
        ),
        fields,
        focus,
    )
}

/// The fields that changed, as a plan edit (empty when nothing did).
pub fn check_edit(form: &Form, original: &Cycle, ctx: &Ctx) -> Result<PlanEdit, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut edit = PlanEdit::default();
    if form.field("target").is_some() {
        let metric = original.metric.unwrap_or(DEFAULT_METRIC);
        match target(metric, form.text("target")) {
            Ok(Some(t)) if Some(t) != original.target => edit.target = Some(t),
            Ok(None) if original.target.is_some() => {
                errors.push(("target", t("form-err-target-removed")))
            }
            Ok(_) => {}
            Err(e) => errors.push(("target", e)),
        }
    }
    if form.field("check_date").is_some() {
        match parse::date(form.text("check_date"), ctx.as_of) {
            Ok(Some(d)) if Some(d) != original.check_date => edit.check_date = Some(d),
            Ok(None) if original.check_date.is_some() => {
                errors.push(("check_date", t("form-err-check-removed")))
            }
            Ok(_) => {}
            Err(e) => errors.push(("check_date", e)),
        }
    }
    let changed = |name: &str, before: &str| {
        let now = form.text(name).trim();
        (form.field(name).is_some() && now != before).then(|| now.to_string())
    };
    edit.notes = changed("notes", &original.plan_notes);
    edit.lessons = changed("lessons", &original.lessons);
    if errors.is_empty() {
        Ok(edit)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::CheckResult;
    use crate::tui::form::{Edit, Submit};
    use jiff::civil::date;

    fn ctx() -> Ctx<'static> {
        Ctx {
            as_of: date(2026, 11, 22),
            now: "2026-11-22T10:00:00Z".parse().unwrap(),
            author: "alice",
        }
    }

    fn known() -> Known {
        Known {
            actor: "alice".into(),
            owners: vec![
                ("alice".into(), String::new()),
                ("bob".into(), String::new()),
            ],
            segments: vec!["trade".into(), "制造业".into()],
            customer: Some(("acme".into(), "Acme Ltd".into())),
        }
    }

    fn focus(form: &mut Form, name: &str) {
        form.focus = form.fields.iter().position(|f| f.name == name).unwrap();
    }

    #[test]
    fn a_plan_from_typed_fields() {
        let mut form = new_cycle(&Scope::Customer("acme".into()), &known());
        assert_eq!(form.picked("scope"), Some("customer:acme"));
        form.set_text("title", "Happier buyer");
        form.set_text("target", "4.2");
        form.set_text("check_date", "+30");
        form.set_text("action", "monthly call");
        let Some(Submit::NewCycle(plan)) = form.check(&ctx(), true) else {
            panic!("a complete plan checks");
        };
        assert_eq!(plan.scope, Scope::Customer("acme".into()));
        assert_eq!(plan.metric, Metric::AvgSatisfaction);
        assert_eq!(plan.direction, GoalDirection::Raise);
        assert_eq!(plan.target, Some(4.2));
        assert_eq!(plan.check_date, Some(date(2026, 12, 22)));
        assert_eq!(plan.actions, vec![("monthly call".to_string(), None)]);
    }

    #[test]
    fn plan_errors_sit_on_their_fields() {
        let mut form = new_cycle(&Scope::Book, &known());
        form.pick_mut("scope").unwrap().chosen = None;
        form.set_text("target", "7");
        form.set_text("check_date", "2026-01-01");
        assert!(form.check(&ctx(), true).is_none());
        let error = |name: &str| form.field(name).unwrap().error.clone().unwrap_or_default();
        assert_eq!(error("title"), "a cycle needs a title");
        assert_eq!(error("scope"), "choose a scope");
        assert!(
            error("target").contains("from 1 to 5"),
            "{}",
            error("target")
        );
        assert_eq!(error("check_date"), "2026-01-01 is in the past");
        assert_eq!(form.focused().unwrap().name, "title");
    }

    #[test]
    fn plan_errors_in_chinese() {
        crate::i18n::set_for_thread(Some(crate::i18n::Lang::ZhCn));
        let mut form = new_cycle(&Scope::Book, &known());
        form.set_text("target", "7");
        form.set_text("check_date", "2026-01-01");
        let checked = form.check(&ctx(), true);
        let error = |name: &str| form.field(name).unwrap().error.clone().unwrap_or_default();
        let (target_error, date_error) = (error("target"), error("check_date"));
        let not_a_share = target(Metric::DeclineCount, "5%");
        let share = target(Metric::RetentionRate, "120%");
        crate::i18n::set_for_thread(None);
        assert!(checked.is_none());
        assert_eq!(
            target_error,
            "平均满意度的目标值 7 无效：必须是1 到 5 之间的数"
        );
        assert_eq!(date_error, "2026-01-01 已经过去");
        assert_eq!(not_a_share, Err("衰退客户数不是比例：不能用 %".to_string()));
        assert_eq!(
            share,
            Err("保持率的目标值 1.2 无效：必须是0 到 1 之间的比例（0.85 即 85 %）".to_string())
        );
    }

    #[test]
    fn shares_take_percentages_and_counts_do_not() {
        assert_eq!(target(Metric::RetentionRate, "85%"), Ok(Some(0.85)));
        assert_eq!(target(Metric::ShareOfWallet, "0.4"), Ok(Some(0.4)));
        assert!(target(Metric::DeclineCount, "5%").is_err());
        assert!(target(Metric::RetentionRate, "120%").is_err());
        assert_eq!(target(Metric::DeclineCount, ""), Ok(None));
    }

    #[test]
    fn the_metric_drives_baseline_hint_and_direction() {
        let mut form = new_cycle(&Scope::Book, &known());
        focus(&mut form, "metric");
        // Typing a letter picks the next metric starting with it.
        form.edit(Edit::Char('d'));
        assert_eq!(metric_of(&form), Metric::DeclineCount);
        show_baseline(&mut form, Ok(Some(7.0)));
        let baseline = |form: &Form| match &form.field("baseline").unwrap().value {
            FieldValue::Shown(value) => value.clone(),
            other => panic!("the baseline is shown, not {other:?}"),
        };
        assert_eq!(baseline(&form), "7 measured now");
        assert_eq!(form.field("target").unwrap().hint, "a count, 0 or more");
        assert_eq!(form.choice("direction"), 1, "decline_count is lowered");
        // A direction the user picked stays.
        focus(&mut form, "direction");
        form.edit(Edit::Left);
        focus(&mut form, "metric");
        form.edit(Edit::Char('c'));
        show_baseline(&mut form, Err("scope 'x': expected book".into()));
        assert_eq!(form.choice("direction"), 0);
        assert_eq!(baseline(&form), "none: scope 'x': expected book");
    }

    /// The baseline is shown, not edited: focus passes it by both ways, so what is typed
    /// after Tab from the direction lands in the target (it was swallowed by the baseline).
    #[test]
    fn focus_passes_the_baseline_by_and_typing_reaches_the_target() {
        let mut form = new_cycle(&Scope::Book, &known());
        focus(&mut form, "direction");
        form.next_field();
        assert_eq!(form.focused().unwrap().name, "target");
        for c in "4.5".chars() {
            assert!(form.edit(Edit::Char(c)));
        }
        assert_eq!(form.text("target"), "4.5");
        form.prev_field();
        assert_eq!(form.focused().unwrap().name, "direction");
        // A focus put on it (a draft's) moves on to the next field that takes it.
        let at = form
            .fields
            .iter()
            .position(|f| f.name == "baseline")
            .unwrap();
        form.focus_at(at);
        assert_eq!(form.focused().unwrap().name, "target");
        assert!(!form.field("baseline").unwrap().takes_focus());
    }

    #[test]
    fn scopes_are_offered_in_words_and_saved_as_scopes() {
        let mut form = new_cycle(&Scope::Customer("acme".into()), &known());
        let FieldValue::Pick(pick) = &form.field("scope").unwrap().value else {
            panic!("the scope is a picker");
        };
        let labels: Vec<&str> = pick.options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Customer Acme Ltd (acme)",
                "The whole book",
                "Owner alice's book",
                "Owner bob's book",
                "Segment trade",
                "Segment 制造业",
            ]
        );
        assert_eq!(pick.label(), Some("Customer Acme Ltd (acme)"));
        form.set_text("title", "Segment push");
        form.pick_mut("scope").unwrap().select("segment:制造业");
        let Some(Submit::NewCycle(plan)) = form.check(&ctx(), true) else {
            panic!("a plan checks");
        };
        assert_eq!(plan.scope, Scope::Segment("制造业".into()));
        // A scope no list holds (a customer away from its card) is still offered, chosen.
        let form = new_cycle(&Scope::Owner("zoe".into()), &Known::default());
        assert_eq!(form.picked("scope"), Some("owner:zoe"));
    }

    fn checked(phase: Phase, met: bool) -> Cycle {
        let mut form_cycle = Cycle {
            id: 4,
            title: "Fewer declines".into(),
            scope: Scope::Book,
            owner: "alice".into(),
            created: date(2026, 9, 1),
            phase,
            metric: Some(Metric::DeclineCount),
            direction: GoalDirection::Lower,
            baseline: Some(9.0),
            target: Some(6.0),
            check_date: Some(date(2026, 12, 1)),
            plan_notes: "calls".into(),
            actions: Vec::new(),
            result: None,
            decision: None,
            lessons: String::new(),
            previous: None,
            next: None,
        };
        if phase >= Phase::Check {
            form_cycle.result = Some(CheckResult {
                value: if met { 5.0 } else { 8.0 },
                met,
                on: date(2026, 11, 22),
            });
        }
        form_cycle
    }

    #[test]
    fn act_starts_from_the_check() {
        let form = act(&checked(Phase::Check, true));
        assert_eq!(check_act(&form).unwrap().0, ActDecision::Standardise);
        let mut form = act(&checked(Phase::Act, false));
        assert_eq!(check_act(&form).unwrap().0, ActDecision::Adjust);
        focus(&mut form, "lessons");
        for c in "more calls ".chars() {
            form.edit(Edit::Char(c));
        }
        assert_eq!(
            check_act(&form).unwrap(),
            (ActDecision::Adjust, "more calls".to_string())
        );
    }

    #[test]
    fn an_edit_holds_only_what_changed() {
        let cycle = checked(Phase::Do, false);
        let mut form = edit_plan(&cycle);
        let names: Vec<&str> = form.fields.iter().map(|f| f.name).collect();
        assert_eq!(names, ["target", "check_date", "notes", "lessons"]);
        assert_eq!(
            check_edit(&form, &cycle, &ctx()).unwrap(),
            PlanEdit::default()
        );
        form.set_text("target", "5");
        form.set_text("lessons", "call sooner");
        let edit = check_edit(&form, &cycle, &ctx()).unwrap();
        assert_eq!(
            edit,
            PlanEdit {
                target: Some(5.0),
                check_date: None,
                notes: None,
                lessons: Some("call sooner".into()),
            }
        );
        form.set_text("target", "");
        assert!(check_edit(&form, &cycle, &ctx()).is_err());
        // After the check the goal is fixed, and a closed cycle keeps only its lessons.
        let names = |c: &Cycle| -> Vec<&'static str> {
            edit_plan(c).fields.iter().map(|f| f.name).collect()
        };
        assert_eq!(names(&checked(Phase::Check, true)), ["notes", "lessons"]);
        assert_eq!(names(&checked(Phase::Closed, true)), ["lessons"]);
    }
}
