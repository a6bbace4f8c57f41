//! What the shop reads of its surveys: times shown and dismissed, the responses a
//! page at a time (newest first), and the scores counted per version, week and score,
//! for the report to sum.

use comeback_core::date::Date;
use sqlx::Row;

use super::surveys::{answer_from, Scores, SurveyAnswer, ANSWER_COLUMNS};
use super::{Store, StoreError};

/// How often a survey met shoppers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SurveyCounts {
    /// Times shown.
    pub shown: i64,
    /// Times dismissed.
    pub dismissed: i64,
    /// Responses.
    pub responses: i64,
}

/// Responses of one version and week with the same scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreCount {
    /// The version.
    pub version: u32,
    /// The Monday of the week.
    pub week: Date,
    /// The scores.
    pub scores: Scores,
    /// Responses with them.
    pub count: u64,
}

impl Store {
    /// How often the survey was shown, dismissed and answered (every version).
    pub async fn survey_counts(
        &self,
        shop_id: &str,
        survey_id: &str,
    ) -> Result<SurveyCounts, StoreError> {
        let mut connection = self.pool.acquire().await?;
        let mut counts = SurveyCounts::default();
        for row in sqlx::query(
            "SELECT outcome, CAST(COUNT(*) AS BIGINT) AS n FROM survey_contacts \
             WHERE shop_id = $1 AND survey_id = $2 GROUP BY outcome",
        )
        .bind(shop_id)
        .bind(survey_id)
        .fetch_all(&mut *connection)
        .await?
        {
            let outcome: String = row.try_get("outcome")?;
            let n: i64 = row.try_get("n")?;
            match outcome.as_str() {
                "shown" => counts.shown = n,
                "dismissed" => counts.dismissed = n,
                _ => {}
            }
        }
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM survey_responses \
             WHERE shop_id = $1 AND survey_id = $2",
        )
        .bind(shop_id)
        .bind(survey_id)
        .fetch_one(&mut *connection)
        .await?;
        counts.responses = row.try_get("n")?;
        Ok(counts)
    }

    /// The survey's responses (of one version, or all), newest first, after the one
    /// `before` names (its `answered_at` and id), at most `limit`.
    pub async fn survey_responses_page(
        &self,
        shop_id: &str,
        survey_id: &str,
        version: Option<u32>,
        before: Option<(i64, String)>,
        limit: i64,
    ) -> Result<Vec<SurveyAnswer>, StoreError> {
        let (time, id) = before.unwrap_or((i64::MAX, String::new()));
        let rows = sqlx::query(&format!(
            "SELECT {ANSWER_COLUMNS} FROM survey_responses \
             WHERE shop_id = $1 AND survey_id = $2 AND ($3 = 0 OR version = $3) \
             AND (answered_at < $4 OR (answered_at = $4 AND ($5 = '' OR id < $5))) \
             ORDER BY answered_at DESC, id DESC LIMIT $6"
        ))
        .bind(shop_id)
        .bind(survey_id)
        .bind(version.map_or(0, i64::from))
        .bind(time)
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(answer_from).collect()
    }

    /// The survey's responses counted per version, week and scores.
    pub async fn survey_score_counts(
        &self,
        shop_id: &str,
        survey_id: &str,
        version: Option<u32>,
    ) -> Result<Vec<ScoreCount>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, week, nps, csat, effort, CAST(COUNT(*) AS BIGINT) AS n \
             FROM survey_responses WHERE shop_id = $1 AND survey_id = $2 \
             AND ($3 = 0 OR version = $3) \
             GROUP BY version, week, nps, csat, effort",
        )
        .bind(shop_id)
        .bind(survey_id)
        .bind(version.map_or(0, i64::from))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let version: i64 = row.try_get("version")?;
                let week: String = row.try_get("week")?;
                let count: i64 = row.try_get("n")?;
                Ok(ScoreCount {
                    version: u32::try_from(version)
                        .map_err(|_| StoreError::Corrupt(format!("survey version {version}")))?,
                    week: Date::parse(&week)
                        .ok_or_else(|| StoreError::Corrupt(format!("survey week {week}")))?,
                    scores: Scores {
                        nps: row.try_get("nps")?,
                        csat: row.try_get("csat")?,
                        effort: row.try_get("effort")?,
                    },
                    count: u64::try_from(count).unwrap_or(0),
                })
            })
            .collect()
    }
}
