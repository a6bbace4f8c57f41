//! The features of the server, one module each. A feature owns its HTTP routes (with
//! their OpenAPI entries), reads its optional section of a shop's config, and lists the
//! periodic jobs it needs; the app and the scheduler are assembled from this list.

pub mod loyalty;
