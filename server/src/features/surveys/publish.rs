//! Versions are immutable: at start, each configured survey version's structure (its
//! questions with every text blanked) is recorded in the database the first time, and
//! compared with what was recorded after that. A version whose questions changed, or
//! one lower than a version recorded before, stops the start with a message naming
//! the survey: answers to a changed question must never mix with the old ones.

use crate::shops::ShopMap;
use crate::store::Published;
use crate::AppState;

/// Records or checks every shop's survey versions; the error names the survey's key.
pub async fn publish(state: &AppState) -> Result<(), anyhow::Error> {
    publish_shops(state, &state.shops.snapshot()).await
}

/// Records or checks the survey versions of `shops` (a configuration about to be
/// loaded); the error names the survey's key.
pub async fn publish_shops(state: &AppState, shops: &ShopMap) -> Result<(), anyhow::Error> {
    let now = state.clock.now();
    for (shop_id, shop) in shops.iter() {
        for (index, survey) in shop.surveys.iter().enumerate() {
            let structure = serde_json::to_string(&survey.structure())?;
            let key = format!("shops.{shop_id}.surveys[{index}]");
            let published = state
                .store
                .publish_survey_version(shop_id, &survey.id, survey.version, &structure, now)
                .await?;
            let message = match published {
                Published::Current => continue,
                Published::Changed => format!(
                    "its questions changed since version {} was published; raise `version`",
                    survey.version
                ),
                Published::Older { highest } => format!(
                    "version {highest} was published before, so version {} cannot be used again; raise `version` above {highest}",
                    survey.version
                ),
            };
            anyhow::bail!("{key} (`{}`): {message}", survey.id);
        }
    }
    Ok(())
}
