//! Every threshold and default the engine uses, in one place (DOMAIN.md *default* values).
//! Loaded from the TOML config file; every key is optional. Documented in docs/configuration.md.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// The interface's language, `en` or `zh-CN`; unset, the locale environment decides
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`). Read by the front ends only: no rule depends on it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    pub value: ValueConfig,
    pub lifecycle: LifecycleConfig,
    pub intensity: IntensityConfig,
    pub tiers: TierConfig,
    pub actions: ActionConfig,
    pub capacity: CapacityConfig,
    pub portfolio: PortfolioConfig,
    /// Where the book is kept when not in the data dir (team mode).
    #[serde(skip_serializing_if = "StoreConfig::is_unset")]
    pub store: StoreConfig,
}

/// `[store] url = "postgres://USER@HOST/DB"`: the book in PostgreSQL (docs/storage.md).
/// `--store` and `$CRM_STORE` come first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoreConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl StoreConfig {
    fn is_unset(&self) -> bool {
        self.url.is_none()
    }
}

/// §5 value: margins, retention, discounting, cost to serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ValueConfig {
    /// Margin rate assumed for an order whose margin is unknown.
    pub default_margin_rate: f64,
    /// Retention rate used when fewer than `retention_min_customers` were active a year earlier.
    pub default_retention_rate: f64,
    pub retention_min_customers: usize,
    /// Yearly discount rate d in CLV = m·r / (1 + d − r).
    pub discount_rate: f64,
    /// What one referral is worth: the acquisition cost it saves.
    pub referral_value: f64,
    pub cost_phone: f64,
    pub cost_email: f64,
    pub cost_chat: f64,
    pub cost_letter: f64,
    pub cost_meeting: f64,
    pub cost_event: f64,
    pub cost_other: f64,
    /// What a win-back campaign costs; a churned customer is worth winning back only when
    /// its second-lifecycle value exceeds this.
    pub win_back_cost: f64,
}

impl Default for ValueConfig {
    fn default() -> Self {
        ValueConfig {
            default_margin_rate: 0.30,
            default_retention_rate: 0.80,
            retention_min_customers: 30,
            discount_rate: 0.10,
            referral_value: 200.0,
            cost_phone: 5.0,
            cost_email: 1.0,
            cost_chat: 1.0,
            cost_letter: 2.0,
            cost_meeting: 50.0,
            cost_event: 30.0,
            cost_other: 5.0,
            win_back_cost: 400.0,
        }
    }
}

/// §4 lifecycle stage rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    /// Churned when no order for max(churn_min_days, churn_gap_multiple × expected gap).
    pub churn_min_days: i64,
    pub churn_gap_multiple: f64,
    /// A customer's own gap (median gap between purchase days) needs this many purchase days.
    #[serde(alias = "purchase_gap_min_orders")]
    pub own_gap_min_purchase_days: usize,
    /// The book rhythm (median own gap) is measured when at least this many customers have
    /// an own gap ...
    pub book_rhythm_min_customers: usize,
    /// ... else it is this many days.
    pub book_rhythm_days: f64,
    /// Length of the "last" and "prior" windows compared by value and satisfaction rules.
    pub window_days: i64,
    /// Value drop: last window margin <= this share of the prior window.
    pub value_drop_ratio: f64,
    /// A drop this large (or larger) scores 2.
    pub value_drop_severe_ratio: f64,
    /// Silence: days since the last order > this × expected gap scores 1; also the line
    /// past which a customer is overdue (no growth).
    #[serde(alias = "purchase_gap_multiple")]
    pub silence_ratio: f64,
    /// ... >= this × expected gap scores 2.
    pub silence_severe_ratio: f64,
    /// Unanswered: this many most recent outbound contacts all got no_response.
    pub unanswered_count: usize,
    /// Complaints or negative outcomes in the last window.
    pub complaint_count: usize,
    /// Mean satisfaction in the last window at or below this.
    pub satisfaction_floor: f64,
    /// ... or this many points below the prior window's mean.
    pub satisfaction_drop: f64,
    /// Decline when the score reaches this.
    pub decline_score: u32,
    /// Growth: first order (of this lifecycle) less than this many days ago.
    pub growth_days: i64,
    /// Growth: last window margin >= this share of the prior window.
    pub growth_ratio: f64,
    /// "Nearly fired" (shown as evidence, never scored): a value drop to at most this share.
    pub near_value_ratio: f64,
    /// ... a rise to at least this share.
    pub near_growth_ratio: f64,
    /// ... a gap (churn, silence) of more than this share of its threshold.
    pub near_gap_share: f64,
    /// ... a satisfaction within this many points of its threshold.
    pub near_satisfaction: f64,
}

impl Default for LifecycleConfig {
    fn default() -> Self {
        LifecycleConfig {
            churn_min_days: 365,
            churn_gap_multiple: 3.0,
            own_gap_min_purchase_days: 3,
            book_rhythm_min_customers: 30,
            book_rhythm_days: 90.0,
            window_days: 90,
            value_drop_ratio: 0.70,
            value_drop_severe_ratio: 0.50,
            silence_ratio: 1.5,
            silence_severe_ratio: 2.5,
            unanswered_count: 2,
            complaint_count: 2,
            satisfaction_floor: 2.0,
            satisfaction_drop: 1.0,
            decline_score: 2,
            growth_days: 365,
            growth_ratio: 1.20,
            near_value_ratio: 0.85,
            near_growth_ratio: 1.10,
            near_gap_share: 0.75,
            near_satisfaction: 0.5,
        }
    }
}

/// §3 Kotler's five levels: recommended by portfolio, actual from contacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IntensityConfig {
    /// Margin rate below this is "low".
    pub low_margin_rate: f64,
    /// Margin rate at or above this is "high".
    pub high_margin_rate: f64,
    /// More customers per owner than this is "many".
    pub many_customers: usize,
    /// At most this many customers per owner is "few".
    pub few_customers: usize,
    /// The actual type is read from this many days of interactions.
    pub window_days: i64,
    /// Outbound contacts in the window needed for "proactive" (monthly on average).
    pub proactive_outbound: usize,
}

impl Default for IntensityConfig {
    fn default() -> Self {
        IntensityConfig {
            low_margin_rate: 0.15,
            high_margin_rate: 0.40,
            many_customers: 200,
            few_customers: 20,
            window_days: 180,
            proactive_outbound: 6,
        }
    }
}

/// §5 the customer pyramid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TierConfig {
    pub platinum_share: f64,
    pub gold_share: f64,
}

impl Default for TierConfig {
    fn default() -> Self {
        TierConfig {
            platinum_share: 0.05,
            gold_share: 0.15,
        }
    }
}

/// §6 next-best-action timing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ActionConfig {
    /// diagnose_decline: contact within this many days.
    pub decline_contact_days: i64,
    /// check_in: no contact for this many days.
    pub check_in_days: i64,
    /// cross_sell: share of wallet below this.
    pub cross_sell_share: f64,
    /// Days given for actions that are not urgent.
    pub default_due_days: i64,
}

impl Default for ActionConfig {
    fn default() -> Self {
        ActionConfig {
            decline_contact_days: 2,
            check_in_days: 90,
            cross_sell_share: 0.50,
            default_due_days: 7,
        }
    }
}

/// §8 effort per month that each recommended relationship type needs, in hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CapacityConfig {
    pub basic_hours: f64,
    pub reactive_hours: f64,
    pub accountable_hours: f64,
    pub proactive_hours: f64,
    pub partnership_hours: f64,
    /// An owner's hours per month for one-to-one work when `--capacity` is not given.
    pub default_capacity_hours: f64,
    /// The exact knapsack needs candidates × (capacity in quarter hours + 1) cells; above
    /// this many an owner's plan is made greedily by CRV per hour and marked not exact.
    pub knapsack_max_cells: usize,
}

impl Default for CapacityConfig {
    fn default() -> Self {
        CapacityConfig {
            basic_hours: 0.25,
            reactive_hours: 0.5,
            accountable_hours: 1.0,
            proactive_hours: 2.0,
            partnership_hours: 4.0,
            default_capacity_hours: 40.0,
            knapsack_max_cells: 200_000_000,
        }
    }
}

/// §5/§8 book figures of `crm portfolio`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PortfolioConfig {
    /// The 80/20/30 check: share of customers counted as the top ...
    pub pareto_top_share: f64,
    /// ... and as the bottom.
    pub pareto_bottom_share: f64,
    /// Customers ranked by trailing-12-month revenue are split into this many equal bands.
    pub size_bands: usize,
    /// Each CRM queue lists at most this many customers by name.
    pub queue_list: usize,
}

impl Default for PortfolioConfig {
    fn default() -> Self {
        PortfolioConfig {
            pareto_top_share: 0.20,
            pareto_bottom_share: 0.30,
            size_bands: 5,
            queue_list: 10,
        }
    }
}

/// The values of the config's `language`.
pub const LANGUAGES: &[&str] = &["en", "zh-CN"];

impl Config {
    /// Parses a TOML config; unknown keys are errors so typos do not pass silently.
    pub fn from_toml(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }

    /// Checks the values a parse cannot: ranges and orderings the rules depend on. The
    /// error names the first offending key as `section.key`.
    pub fn validate(&self) -> Result<(), String> {
        let v = &self.value;
        let l = &self.lifecycle;
        let i = &self.intensity;
        let share = |x: f64| (0.0..=1.0).contains(&x);
        let non_negative = |x: f64| x.is_finite() && x >= 0.0;
        let checks: [(bool, &str, &str); 35] = [
            (
                share(v.default_margin_rate),
                "value.default_margin_rate",
                "a share between 0 and 1",
            ),
            (
                share(v.default_retention_rate) && v.default_retention_rate < 1.0,
                "value.default_retention_rate",
                "a share from 0 up to (not including) 1",
            ),
            (
                non_negative(v.discount_rate) && v.discount_rate > 0.0,
                "value.discount_rate",
                "greater than 0",
            ),
            (
                non_negative(v.referral_value),
                "value.referral_value",
                "0 or more",
            ),
            (
                non_negative(v.win_back_cost),
                "value.win_back_cost",
                "0 or more",
            ),
            (non_negative(v.cost_phone), "value.cost_phone", "0 or more"),
            (non_negative(v.cost_email), "value.cost_email", "0 or more"),
            (non_negative(v.cost_chat), "value.cost_chat", "0 or more"),
            (
                non_negative(v.cost_letter),
                "value.cost_letter",
                "0 or more",
            ),
            (
                non_negative(v.cost_meeting),
                "value.cost_meeting",
                "0 or more",
            ),
            (non_negative(v.cost_event), "value.cost_event", "0 or more"),
            (non_negative(v.cost_other), "value.cost_other", "0 or more"),
            (
                l.churn_min_days > 0,
                "lifecycle.churn_min_days",
                "at least 1",
            ),
            (
                non_negative(l.churn_gap_multiple),
                "lifecycle.churn_gap_multiple",
                "0 or more",
            ),
            (
                l.own_gap_min_purchase_days >= 2,
                "lifecycle.own_gap_min_purchase_days",
                "at least 2 (one gap)",
            ),
            (
                l.book_rhythm_min_customers > 0,
                "lifecycle.book_rhythm_min_customers",
                "at least 1",
            ),
            (
                non_negative(l.book_rhythm_days) && l.book_rhythm_days > 0.0,
                "lifecycle.book_rhythm_days",
                "greater than 0",
            ),
            (
                non_negative(l.silence_ratio) && l.silence_ratio > 0.0,
                "lifecycle.silence_ratio",
                "greater than 0",
            ),
            (
                non_negative(l.silence_severe_ratio) && l.silence_severe_ratio >= l.silence_ratio,
                "lifecycle.silence_severe_ratio",
                "no smaller than lifecycle.silence_ratio",
            ),
            (l.window_days > 0, "lifecycle.window_days", "at least 1"),
            (
                share(l.value_drop_severe_ratio) && l.value_drop_severe_ratio <= l.value_drop_ratio,
                "lifecycle.value_drop_severe_ratio",
                "a share no larger than lifecycle.value_drop_ratio",
            ),
            (
                share(l.value_drop_ratio) && l.value_drop_ratio <= l.near_value_ratio,
                "lifecycle.value_drop_ratio",
                "a share no larger than lifecycle.near_value_ratio",
            ),
            (
                non_negative(l.growth_ratio) && l.near_growth_ratio <= l.growth_ratio,
                "lifecycle.near_growth_ratio",
                "no larger than lifecycle.growth_ratio",
            ),
            (
                share(l.near_gap_share),
                "lifecycle.near_gap_share",
                "a share between 0 and 1",
            ),
            (
                non_negative(l.near_satisfaction),
                "lifecycle.near_satisfaction",
                "0 or more",
            ),
            (l.decline_score > 0, "lifecycle.decline_score", "at least 1"),
            (
                i.low_margin_rate <= i.high_margin_rate,
                "intensity.low_margin_rate",
                "no larger than intensity.high_margin_rate",
            ),
            (
                i.few_customers <= i.many_customers,
                "intensity.few_customers",
                "no larger than intensity.many_customers",
            ),
            (i.window_days > 0, "intensity.window_days", "at least 1"),
            (
                share(self.tiers.platinum_share),
                "tiers.platinum_share",
                "a share between 0 and 1",
            ),
            (
                share(self.tiers.gold_share)
                    && self.tiers.platinum_share + self.tiers.gold_share <= 1.0,
                "tiers.gold_share",
                "a share; platinum_share + gold_share at most 1",
            ),
            (
                non_negative(self.capacity.default_capacity_hours),
                "capacity.default_capacity_hours",
                "0 or more",
            ),
            (
                share(self.portfolio.pareto_top_share),
                "portfolio.pareto_top_share",
                "a share between 0 and 1",
            ),
            (
                share(self.portfolio.pareto_bottom_share),
                "portfolio.pareto_bottom_share",
                "a share between 0 and 1",
            ),
            (
                self.portfolio.size_bands > 0,
                "portfolio.size_bands",
                "at least 1",
            ),
        ];
        for (ok, key, expected) in checks {
            if !ok {
                return Err(format!("config key {key}: must be {expected}"));
            }
        }
        if let Some(language) = &self.language {
            if !LANGUAGES.contains(&language.as_str()) {
                return Err(format!(
                    "config key language: must be one of {} (not '{language}')",
                    LANGUAGES.join(", ")
                ));
            }
        }
        let c = &self.capacity;
        for (hours, key) in [
            (c.basic_hours, "capacity.basic_hours"),
            (c.reactive_hours, "capacity.reactive_hours"),
            (c.accountable_hours, "capacity.accountable_hours"),
            (c.proactive_hours, "capacity.proactive_hours"),
            (c.partnership_hours, "capacity.partnership_hours"),
        ] {
            if !non_negative(hours) {
                return Err(format!("config key {key}: must be 0 or more"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let cfg = Config::default();
        assert_eq!(cfg.validate(), Ok(()));
        let text = toml::to_string(&cfg).unwrap();
        assert_eq!(Config::from_toml(&text).unwrap(), cfg);
        assert_eq!(Config::from_toml("").unwrap(), cfg);
    }

    #[test]
    fn the_store_url_is_read_from_its_section() {
        let cfg = Config::from_toml("[store]\nurl = \"postgres://ann@db/sales\"").unwrap();
        assert_eq!(cfg.store.url.as_deref(), Some("postgres://ann@db/sales"));
        assert_eq!(Config::from_toml("").unwrap().store.url, None);
    }

    #[test]
    fn bad_values_name_their_key() {
        let cases = [
            ("[tiers]\ngold_share = 0.99", "tiers.gold_share"),
            ("[value]\ndiscount_rate = 0.0", "value.discount_rate"),
            (
                "[value]\ndefault_retention_rate = 1.0",
                "value.default_retention_rate",
            ),
            (
                "[lifecycle]\nvalue_drop_severe_ratio = 0.8",
                "lifecycle.value_drop_severe_ratio",
            ),
            (
                "[capacity]\nproactive_hours = -1.0",
                "capacity.proactive_hours",
            ),
            ("[portfolio]\nsize_bands = 0", "portfolio.size_bands"),
            (
                "[lifecycle]\nown_gap_min_purchase_days = 1",
                "lifecycle.own_gap_min_purchase_days",
            ),
            (
                "[lifecycle]\nbook_rhythm_min_customers = 0",
                "lifecycle.book_rhythm_min_customers",
            ),
            (
                "[lifecycle]\nbook_rhythm_days = 0.0",
                "lifecycle.book_rhythm_days",
            ),
            (
                "[lifecycle]\nsilence_ratio = 0.0",
                "lifecycle.silence_ratio",
            ),
            (
                "[lifecycle]\nsilence_ratio = 3.0",
                "lifecycle.silence_severe_ratio",
            ),
        ];
        for (text, key) in cases {
            let err = Config::from_toml(text).unwrap().validate().unwrap_err();
            assert!(
                err.starts_with(&format!("config key {key}:")),
                "{text}: {err}"
            );
        }
        assert!(Config::from_toml("[value]\nno_such_key = 1").is_err());
    }

    /// A config file written before the second revision of §4 keeps loading: the purchase
    /// gap's keys are the silence ratio's and the own gap's former names.
    #[test]
    fn former_purchase_gap_keys_still_load() {
        let cfg = Config::from_toml(
            "[lifecycle]\npurchase_gap_multiple = 2.0\npurchase_gap_min_orders = 4",
        )
        .unwrap();
        assert_eq!(cfg.lifecycle.silence_ratio, 2.0);
        assert_eq!(cfg.lifecycle.own_gap_min_purchase_days, 4);
        assert_eq!(cfg.validate(), Ok(()));
    }
}
