//! Versions are immutable: at start, each configured survey version's structure (its
//! questions with every text blanked) is recorded in the database the first time, and
//! compared with what was recorded after that. A version whose questions changed, or
//! one lower than a version recorded before, stops the start with a message naming
//! the survey: answers to a changed question must never mix with the old ones.

use crate::config::ShopConfig;
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
    for (shop_id, shop) in shops.iter() {
        if let Some(refused) = publish_shop(state, shop_id, shop).await? {
            anyhow::bail!(
                "shops.{shop_id}.{} (`{}`): {}",
                refused.field,
                refused.survey,
                refused.message
            );
        }
    }
    Ok(())
}

/// A survey whose version cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRefused {
    /// Its key in the shop's table (`surveys[0]`).
    pub field: String,
    /// Its id.
    pub survey: String,
    /// Why, and what to do.
    pub message: String,
}

/// Records or checks the survey versions of one shop's settings; the first survey
/// whose version cannot be used, if any.
pub async fn publish_shop(
    state: &AppState,
    shop_id: &str,
    shop: &ShopConfig,
) -> Result<Option<VersionRefused>, anyhow::Error> {
    let now = state.clock.now();
    for (index, survey) in shop.surveys.iter().enumerate() {
        let structure = serde_json::to_string(&survey.structure())?;
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
        return Ok(Some(VersionRefused {
            field: format!("surveys[{index}]"),
            survey: survey.id.clone(),
            message,
        }));
    }
    Ok(None)
}
