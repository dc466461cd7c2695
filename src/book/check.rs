//! `crm check`'s reports, for the front ends (which never see the store); the checks
//! themselves are `Shelf::check` and `Shelf::repair`.

pub use crate::store::{BadRecord, CheckReport, IndexState, RepairReport, Restored};
