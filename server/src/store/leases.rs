//! Leases on periodic jobs (`job_leases`), so that a job due on a database shared by
//! several server processes runs in one of them.

use super::{Store, StoreError};

impl Store {
    /// Claims the lease of job `name` for `owner` until `until` if nobody holds it at
    /// `now`; true if claimed. Two processes claiming at once: one wins (the upsert's
    /// condition is re-checked on the row the other one wrote).
    pub async fn claim_job(
        &self,
        name: &str,
        owner: &str,
        now: i64,
        until: i64,
    ) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "INSERT INTO job_leases (name, owner, locked_until) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET owner = $2, locked_until = $3 \
             WHERE job_leases.locked_until <= $4",
        )
        .bind(name)
        .bind(owner)
        .bind(until)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Keeps the lease of job `name` (if `owner` still holds it) until `next_due`, when
    /// the job is due again.
    pub async fn finish_job(
        &self,
        name: &str,
        owner: &str,
        next_due: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE job_leases SET locked_until = $3 WHERE name = $1 AND owner = $2")
            .bind(name)
            .bind(owner)
            .bind(next_due)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
