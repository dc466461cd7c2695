//! The shape a customer's histories were stored in before corrections (format 1): frozen
//! here so old indexes keep loading (bincode writes a struct by its fields, in order).

use serde::{Deserialize, Serialize};

use super::apply::Histories;
use crate::domain::model::{Bond, Interaction, Order, Task};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct HistoriesV1 {
    pub seq: u64,
    pub interactions: Vec<Interaction>,
    pub orders: Vec<Order>,
    pub bonds: Vec<Bond>,
    pub tasks: Vec<Task>,
}

impl From<HistoriesV1> for Histories {
    fn from(old: HistoriesV1) -> Self {
        Histories {
            seq: old.seq,
            interactions: old.interactions,
            orders: old.orders,
            bonds: old.bonds,
            tasks: old.tasks,
            corrections: Vec::new(),
        }
    }
}
