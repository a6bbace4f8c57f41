//! Friends' claims of their reward: one per mailbox per shop, each issuing a discount
//! code through the one code issuer, never to the advocate themself nor to someone who
//! has ordered; and the reads the order pipeline makes of them.

use comeback_core::api::RewardKind;
use comeback_core::referral::rules::mailbox;
use sqlx::AnyConnection;
use sqlx::Row;

use super::codes::{self, DiscountCode};
use super::referrals::{advocate_of, email_of, has_paid_order, FRIEND_REWARD_ID};
use super::{Store, StoreError};

/// A friend's claim, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// The advocate.
    pub advocate_id: String,
    /// The email claimed with, normalised.
    pub email: String,
    /// The friend's discount code.
    pub code: String,
    /// When the code expires, Unix seconds.
    pub expires_at: i64,
    /// The claim's network address, when known.
    pub address: Option<String>,
}

/// The claim that issued a friend code (in the caller's transaction).
pub(super) async fn claim_of_code(
    connection: &mut AnyConnection,
    shop_id: &str,
    code: &str,
) -> Result<Option<Claim>, StoreError> {
    let row = sqlx::query(
        "SELECT advocate_id, email, code, expires_at, address FROM referral_claims \
         WHERE shop_id = $1 AND code = $2",
    )
    .bind(shop_id)
    .bind(code)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| claim_from(&row)).transpose()
}

/// The newest claim of a customer (in the caller's transaction).
pub(super) async fn claim_of_customer(
    connection: &mut AnyConnection,
    shop_id: &str,
    customer_id: &str,
) -> Result<Option<Claim>, StoreError> {
    let row = sqlx::query(
        "SELECT advocate_id, email, code, expires_at, address FROM referral_claims \
         WHERE shop_id = $1 AND customer_id = $2 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(shop_id)
    .bind(customer_id)
    .fetch_optional(&mut *connection)
    .await?;
    row.map(|row| claim_from(&row)).transpose()
}

fn claim_from(row: &sqlx::any::AnyRow) -> Result<Claim, StoreError> {
    Ok(Claim {
        advocate_id: row.try_get("advocate_id")?,
        email: row.try_get("email")?,
        code: row.try_get("code")?,
        expires_at: row.try_get("expires_at")?,
        address: row.try_get("address")?,
    })
}

/// A friend's claim to make.
#[derive(Debug, Clone)]
pub struct ClaimInput<'a> {
    /// The shop.
    pub shop_id: &'a str,
    /// The advocate's code, canonical.
    pub advocate_code: &'a str,
    /// The friend's email, normalised.
    pub email: &'a str,
    /// The signed-in shopper, when the claim came with a token.
    pub customer_id: Option<&'a str>,
    /// The claim's network address, when known.
    pub address: Option<&'a str>,
    /// The friend's reward.
    pub kind: RewardKind,
    /// Its value.
    pub value: i64,
    /// The shop's currency.
    pub currency: &'a str,
    /// Prefix of the code.
    pub prefix: &'a str,
    /// Seconds the code stays valid.
    pub valid_for: i64,
    /// Now, Unix seconds.
    pub now: i64,
}

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// The friend's code: issued now, or by an earlier claim of the same mailbox.
    Issued(Claim),
    /// No advocate has this code.
    UnknownCode,
    /// The email's mailbox is the advocate's, or the shopper is the advocate.
    SelfReferral,
    /// The email, or the shopper, has a paid order.
    AlreadyCustomer,
}

impl Store {
    /// A friend claims their reward with an email: the code issued once per mailbox
    /// (claiming again answers the same code), refused for the advocate themself and
    /// for someone who has ordered.
    pub async fn claim_friend_reward(
        &self,
        claim: &ClaimInput<'_>,
    ) -> Result<ClaimOutcome, StoreError> {
        let mut tx = self.begin_write().await?;
        let Some(advocate_id) = advocate_of(&mut tx, claim.shop_id, claim.advocate_code).await?
        else {
            return Ok(ClaimOutcome::UnknownCode);
        };
        let friend_mailbox = mailbox(claim.email);
        let advocate_email = email_of(&mut tx, claim.shop_id, &advocate_id).await?;
        if claim.customer_id == Some(advocate_id.as_str())
            || advocate_email.is_some_and(|email| mailbox(&email) == friend_mailbox)
        {
            return Ok(ClaimOutcome::SelfReferral);
        }
        let existing = sqlx::query(
            "SELECT advocate_id, email, code, expires_at, address FROM referral_claims \
             WHERE shop_id = $1 AND mailbox = $2",
        )
        .bind(claim.shop_id)
        .bind(&friend_mailbox)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            return Ok(ClaimOutcome::Issued(claim_from(&row)?));
        }
        if has_paid_order(
            &mut tx,
            claim.shop_id,
            claim.customer_id,
            Some(claim.email),
            "",
        )
        .await?
        {
            return Ok(ClaimOutcome::AlreadyCustomer);
        }
        let code = codes::unique_code(&mut tx, claim.shop_id, claim.prefix).await?;
        let expires_at = claim.now.saturating_add(claim.valid_for);
        // The claim first: of two concurrent claims of one mailbox, the second meets
        // the first's row and answers its code.
        let inserted = sqlx::query(
            "INSERT INTO referral_claims (shop_id, mailbox, email, advocate_id, code, \
             customer_id, address, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (shop_id, mailbox) DO NOTHING",
        )
        .bind(claim.shop_id)
        .bind(&friend_mailbox)
        .bind(claim.email)
        .bind(&advocate_id)
        .bind(&code)
        .bind(claim.customer_id)
        .bind(claim.address)
        .bind(claim.now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            tx.rollback().await?;
            let row = sqlx::query(
                "SELECT advocate_id, email, code, expires_at, address FROM referral_claims \
                 WHERE shop_id = $1 AND mailbox = $2",
            )
            .bind(claim.shop_id)
            .bind(&friend_mailbox)
            .fetch_one(&self.pool)
            .await?;
            return Ok(ClaimOutcome::Issued(claim_from(&row)?));
        }
        let discount = DiscountCode {
            code: code.clone(),
            // A guest's code names the email it was claimed with as its customer.
            customer_id: claim.customer_id.unwrap_or(claim.email).to_owned(),
            reward_id: FRIEND_REWARD_ID.to_owned(),
            kind: claim.kind,
            value: claim.value,
            points_spent: 0,
            currency: claim.currency.to_owned(),
            created_at: claim.now,
            expires_at,
            used_by_order: None,
            released_at: None,
            revoked_at: None,
        };
        codes::insert(&mut tx, claim.shop_id, &discount).await?;
        tx.commit().await?;
        Ok(ClaimOutcome::Issued(Claim {
            advocate_id,
            email: claim.email.to_owned(),
            code,
            expires_at,
            address: claim.address.map(str::to_owned),
        }))
    }
}
