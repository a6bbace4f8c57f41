//! Comeback widgets.
