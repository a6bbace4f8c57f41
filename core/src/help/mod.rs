//! The help centre's pure parts: the article search both sides share, and the
//! troubleshooting trees' shape and validation.
//!
//! The server builds the search [`Index`] once from the shop's articles (with the full
//! Traditional-to-Simplified table, feature `han-fold`) and ships it with the content;
//! the widget answers each keystroke from it without a round trip. Both call the same
//! tokenizer, so what the server indexed is what the widget looks up.

pub mod fold;
pub mod pages;
pub mod search;
pub mod tree;

pub use fold::Folding;
pub use pages::page_matches;
pub use search::{highlight, Doc, Field, Hit, Index};
pub use tree::{Answer, Step, Tree, TreeError};
