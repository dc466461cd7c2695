//! Keys of the index trees. Profiles, histories and summaries are keyed by the customer
//! id's bytes (so the trees share one order and can be walked side by side), users by
//! login, cycles by big-endian id (numeric order).

pub(crate) fn cycle_key(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub(crate) mod meta {
    /// The last journal sequence whose change the index holds.
    pub const APPLIED_SEQ: &[u8] = b"applied_seq";
    pub const NEXT_TASK: &[u8] = b"next_task_id";
    pub const NEXT_CYCLE: &[u8] = b"next_cycle_id";
    /// The clock and version vector of the events applied (`apply::SyncState`); missing
    /// in an index written before events had ids, then computed from the journal once.
    pub const SYNC: &[u8] = b"sync";
    /// The layout of the index; a different value means "rebuild from the journal".
    pub const LAYOUT: &[u8] = b"layout";
    pub const LAYOUT_VERSION: u64 = 1;
}

#[cfg(test)]
mod tests {
    #[test]
    fn cycle_keys_sort_numerically() {
        assert!(super::cycle_key(9) < super::cycle_key(10));
        assert!(super::cycle_key(255) < super::cycle_key(256));
    }
}
