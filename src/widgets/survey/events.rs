//! The events `<comeback-survey>` fires on its element (they bubble and cross the shadow
//! root). Every `detail` has `survey` (its id) and `version`.

/// The survey is on screen (recorded once per time it is asked); `detail` also has
/// `order_id` (or `null`) and `placement`.
pub const SHOWN: &str = "comeback:survey:shown";
/// The shopper closed the survey without answering (it stays dismissed); `detail` also
/// has `order_id`.
pub const DISMISSED: &str = "comeback:survey:dismissed";
/// The shopper sent their answers; `detail` also has `answers` (per question id, only the
/// questions the branching showed) and `queued`: `true` when the backend could not take
/// them now and they wait on this device (the shopper sees "saved").
pub const ANSWERED: &str = "comeback:survey:answered";
/// A queued answer reached the server; `detail` also has `response_id`, `reward`
/// (`none`, `awarded`, `already_awarded`, `not_eligible`) and `points`.
pub const SENT: &str = "comeback:survey:sent";
/// A queued answer was refused for good (a 4xx other than 401, 408 and 429), or pushed
/// out of a full queue; `detail` also has `status` (the HTTP status, or `null`) and
/// `code` (the API's error code, or `queue_full`).
pub const DROPPED: &str = "comeback:survey:dropped";

/// Every event this widget fires.
pub const ALL: &[&str] = &[SHOWN, DISMISSED, ANSWERED, SENT, DROPPED];
