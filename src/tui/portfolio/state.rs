//! The portfolio view's state: book-level figures as computed for `as_of`.

use crate::domain::portfolio::Portfolio;

#[derive(Debug, Default)]
pub struct PortfolioState {
    /// `None` until first shown, and again after a write made it stale.
    pub portfolio: Option<Portfolio>,
    /// Asked for and not computed yet: the screen says so until it is.
    pub loading: bool,
}
