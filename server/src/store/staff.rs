//! Staff accounts of the shop-owner dashboard and their sessions: the accounts with
//! their password hash, role and run of failed sign-ins, and the sessions keyed by the
//! SHA-256 of their cookie token. Hashing, tokens and the rules (how many failures lock,
//! how long a session lives) belong to the caller; this module only keeps the rows.

use comeback_core::dashboard::StaffRole;

use super::{Store, StoreError};

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// The shop.
    pub shop_id: String,
    /// The email, lowercased.
    pub email: String,
    /// The Argon2id PHC string of the password.
    pub password_hash: String,
    /// What the account may do.
    pub role: StaffRole,
    /// Failed sign-ins in a row since the last success or lock.
    pub failed_attempts: i64,
    /// Sign-ins are refused until this time, Unix seconds.
    pub locked_until: Option<i64>,
    /// When the account was created, Unix seconds.
    pub created_at: i64,
    /// When it last changed, Unix seconds.
    pub updated_at: i64,
}

/// A `staff_users` row as the database has it.
#[derive(Debug, sqlx::FromRow)]
struct StaffUserRow {
    shop_id: String,
    email: String,
    password_hash: String,
    role: String,
    failed_attempts: i64,
    locked_until: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

/// The columns of [`StaffUserRow`], for `SELECT`.
const USER_COLUMNS: &str = "shop_id, email, password_hash, role, failed_attempts, \
    locked_until, created_at, updated_at";

/// `role` read back, or [`StoreError::Corrupt`].
fn role(name: &str) -> Result<StaffRole, StoreError> {
    StaffRole::parse(name).ok_or_else(|| StoreError::Corrupt(format!("staff role `{name}`")))
}

impl TryFrom<StaffUserRow> for StaffUser {
    type Error = StoreError;

    fn try_from(row: StaffUserRow) -> Result<StaffUser, StoreError> {
        Ok(StaffUser {
            role: role(&row.role)?,
            shop_id: row.shop_id,
            email: row.email,
            password_hash: row.password_hash,
            failed_attempts: row.failed_attempts,
            locked_until: row.locked_until,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// A new session, as signing in makes it.
#[derive(Debug, Clone, Copy)]
pub struct NewStaffSession<'a> {
    /// SHA-256 (hex) of the cookie's token.
    pub token_hash: &'a str,
    /// The shop.
    pub shop_id: &'a str,
    /// The account's email.
    pub email: &'a str,
    /// The token the session's changes must carry in `X-CSRF-Token`.
    pub csrf_token: &'a str,
    /// Now, Unix seconds.
    pub now: i64,
    /// When the session ends at the latest, Unix seconds.
    pub expires_at: i64,
}

/// A live session with its account's current role.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StaffSessionRecord {
    /// The shop.
    pub shop_id: String,
    /// The account's email.
    pub email: String,
    /// The account's role now (not at sign-in).
    #[sqlx(rename = "role")]
    pub role_name: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// When the session ends at the latest, Unix seconds.
    pub expires_at: i64,
    /// The last request seen, Unix seconds (kept to the minute).
    pub last_seen_at: i64,
}

impl StaffSessionRecord {
    /// The account's role now.
    pub fn role(&self) -> Result<StaffRole, StoreError> {
        role(&self.role_name)
    }
}

impl Store {
    /// Creates the account, or replaces the role and password of an existing one (its
    /// failed sign-ins and lock cleared; its sessions are the caller's to end).
    pub async fn put_staff_user(
        &self,
        shop_id: &str,
        email: &str,
        role: StaffRole,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO staff_users (shop_id, email, password_hash, role, failed_attempts, \
             locked_until, created_at, updated_at) VALUES ($1, $2, $3, $4, 0, NULL, $5, $5) \
             ON CONFLICT (shop_id, email) DO UPDATE SET password_hash = excluded.password_hash, \
             role = excluded.role, failed_attempts = 0, locked_until = NULL, \
             updated_at = excluded.updated_at",
        )
        .bind(shop_id)
        .bind(email)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Changes an account's role; `false` when there is no such account.
    pub async fn set_staff_role(
        &self,
        shop_id: &str,
        email: &str,
        role: StaffRole,
        now: i64,
    ) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "UPDATE staff_users SET role = $3, updated_at = $4 \
             WHERE shop_id = $1 AND email = $2",
        )
        .bind(shop_id)
        .bind(email)
        .bind(role.as_str())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Replaces an account's password, clears its failed sign-ins and lock, and ends
    /// its sessions; `false` when there is no such account.
    pub async fn set_staff_password(
        &self,
        shop_id: &str,
        email: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE staff_users SET password_hash = $3, failed_attempts = 0, \
             locked_until = NULL, updated_at = $4 WHERE shop_id = $1 AND email = $2",
        )
        .bind(shop_id)
        .bind(email)
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        delete_sessions_of(&mut tx, shop_id, email).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// Removes an account and ends its sessions; `false` when there was none.
    pub async fn remove_staff_user(&self, shop_id: &str, email: &str) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM staff_users WHERE shop_id = $1 AND email = $2")
            .bind(shop_id)
            .bind(email)
            .execute(&mut *tx)
            .await?;
        delete_sessions_of(&mut tx, shop_id, email).await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// One account.
    pub async fn staff_user(
        &self,
        shop_id: &str,
        email: &str,
    ) -> Result<Option<StaffUser>, StoreError> {
        sqlx::query_as::<_, StaffUserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM staff_users WHERE shop_id = $1 AND email = $2"
        ))
        .bind(shop_id)
        .bind(email)
        .fetch_optional(&self.pool)
        .await?
        .map(StaffUser::try_from)
        .transpose()
    }

    /// The shop's accounts, by email.
    pub async fn staff_users(&self, shop_id: &str) -> Result<Vec<StaffUser>, StoreError> {
        sqlx::query_as::<_, StaffUserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM staff_users WHERE shop_id = $1 ORDER BY email"
        ))
        .bind(shop_id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(StaffUser::try_from)
        .collect()
    }

    /// Counts a failed sign-in; the `max_attempts`-th in a row locks the account until
    /// `locked_until` and starts the count again. Returns the lock now in force, if any
    /// (`None` too when there is no such account).
    pub async fn record_staff_failure(
        &self,
        shop_id: &str,
        email: &str,
        max_attempts: i64,
        locked_until: i64,
        now: i64,
    ) -> Result<Option<i64>, StoreError> {
        // One statement, so failures arriving together are all counted.
        sqlx::query(
            "UPDATE staff_users SET \
             locked_until = CASE WHEN failed_attempts + 1 >= $3 THEN $4 ELSE locked_until END, \
             failed_attempts = CASE WHEN failed_attempts + 1 >= $3 THEN 0 \
             ELSE failed_attempts + 1 END, \
             updated_at = $5 WHERE shop_id = $1 AND email = $2",
        )
        .bind(shop_id)
        .bind(email)
        .bind(max_attempts)
        .bind(locked_until)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(self
            .staff_user(shop_id, email)
            .await?
            .and_then(|user| user.locked_until)
            .filter(|until| *until > now))
    }

    /// Clears an account's failed sign-ins and lock, after a successful sign-in.
    pub async fn reset_staff_failures(&self, shop_id: &str, email: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE staff_users SET failed_attempts = 0, locked_until = NULL \
             WHERE shop_id = $1 AND email = $2 AND (failed_attempts <> 0 OR locked_until IS NOT NULL)",
        )
        .bind(shop_id)
        .bind(email)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Stores a new session, and drops the account's sessions that have ended (sessions
    /// idle since before `idle_before` or past their end).
    pub async fn create_staff_session(
        &self,
        session: &NewStaffSession<'_>,
        idle_before: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM staff_sessions WHERE shop_id = $1 AND email = $2 \
             AND (expires_at <= $3 OR last_seen_at <= $4)",
        )
        .bind(session.shop_id)
        .bind(session.email)
        .bind(session.now)
        .bind(idle_before)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, shop_id, email, csrf_token, created_at, \
             expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $5)",
        )
        .bind(session.token_hash)
        .bind(session.shop_id)
        .bind(session.email)
        .bind(session.csrf_token)
        .bind(session.now)
        .bind(session.expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The session of this token hash with its account's current role, if it has not
    /// ended (before `expires_at`, and seen after `idle_before`) and its account still
    /// exists.
    pub async fn staff_session(
        &self,
        token_hash: &str,
        now: i64,
        idle_before: i64,
    ) -> Result<Option<StaffSessionRecord>, StoreError> {
        Ok(sqlx::query_as::<_, StaffSessionRecord>(
            "SELECT s.shop_id, s.email, u.role, s.csrf_token, s.expires_at, s.last_seen_at \
             FROM staff_sessions s JOIN staff_users u \
             ON u.shop_id = s.shop_id AND u.email = s.email \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $3",
        )
        .bind(token_hash)
        .bind(now)
        .bind(idle_before)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Records a request of the session at `now`.
    pub async fn touch_staff_session(&self, token_hash: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE staff_sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends one session.
    pub async fn delete_staff_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Ends every session of an account.
    pub async fn delete_staff_sessions_of(
        &self,
        shop_id: &str,
        email: &str,
    ) -> Result<(), StoreError> {
        let mut connection = self.pool.acquire().await?;
        delete_sessions_of(&mut connection, shop_id, email).await
    }
}

/// Ends every session of an account, on `connection` (a transaction's, when the
/// account changes with it).
async fn delete_sessions_of(
    connection: &mut sqlx::AnyConnection,
    shop_id: &str,
    email: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM staff_sessions WHERE shop_id = $1 AND email = $2")
        .bind(shop_id)
        .bind(email)
        .execute(&mut *connection)
        .await?;
    Ok(())
}
