//! `comeback-server admin …`: the staff accounts of a shop's dashboard, kept from the
//! command line (there is no sign-up): add or update an account, set its password,
//! remove it, list them.
//!
//! A password is read from standard input with `--password-stdin` (its first line);
//! without it a strong random one is generated and printed once.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use comeback_core::dashboard::StaffRole;
use comeback_core::orders::normalize_email;

use crate::auth::password::{generate_password, hash_password};
use crate::store::Store;

/// What `admin` does.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Add a staff account, or change the role of an existing one (and its password,
    /// ending its sessions, when `--password-stdin` is given). A new account without
    /// `--password-stdin` gets a generated password, printed once.
    AddUser {
        /// The shop id.
        #[arg(long)]
        shop: String,
        /// The account's email (stored lowercased).
        #[arg(long)]
        email: String,
        /// `owner` (everything, settings included) or `staff` (customers, no settings).
        #[arg(long)]
        role: String,
        /// Read the password (12 to 256 characters) from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set an account's password (a generated one, printed once, without
    /// `--password-stdin`); ends its sessions and lifts a lock.
    SetPassword {
        /// The shop id.
        #[arg(long)]
        shop: String,
        /// The account's email.
        #[arg(long)]
        email: String,
        /// Read the password (12 to 256 characters) from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove an account and end its sessions.
    RemoveUser {
        /// The shop id.
        #[arg(long)]
        shop: String,
        /// The account's email.
        #[arg(long)]
        email: String,
    },
    /// List a shop's accounts: email, role, and whether it is locked now.
    ListUsers {
        /// The shop id.
        #[arg(long)]
        shop: String,
    },
}

impl AdminCommand {
    /// The shop the command is for.
    pub fn shop(&self) -> &str {
        match self {
            AdminCommand::AddUser { shop, .. }
            | AdminCommand::SetPassword { shop, .. }
            | AdminCommand::RemoveUser { shop, .. }
            | AdminCommand::ListUsers { shop } => shop,
        }
    }
}

/// The password a command sets: the first line of stdin, or a generated one (then
/// `true`: it must be printed).
fn new_password(from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if !from_stdin {
        return Ok((generate_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from stdin")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    Ok((password, false))
}

/// The email as stored, or a clear error.
fn email_of(email: &str) -> anyhow::Result<String> {
    normalize_email(email).with_context(|| {
        format!(
            "--email `{}` is not an email address",
            crate::error::excerpt(email)
        )
    })
}

/// The role named by `--role`, or a clear error.
fn role_of(name: &str) -> anyhow::Result<StaffRole> {
    StaffRole::parse(&name.trim().to_lowercase()).with_context(|| {
        format!(
            "--role must be `owner` or `staff`, not `{}`",
            crate::error::excerpt(name)
        )
    })
}

/// Hashes `password`, refusing one of the wrong length with the rule.
async fn hashed(password: String) -> anyhow::Result<String> {
    Ok(hash_password(password).await?)
}

/// Runs `command` on `store` (the shop already checked to exist) at `now`.
pub async fn run(command: AdminCommand, store: &Store, now: i64) -> anyhow::Result<()> {
    match command {
        AdminCommand::AddUser {
            shop,
            email,
            role,
            password_stdin,
        } => {
            let email = email_of(&email)?;
            let role = role_of(&role)?;
            let exists = store.staff_user(&shop, &email).await?.is_some();
            if exists {
                let password = if password_stdin {
                    let (password, _) = new_password(true)?;
                    Some(hashed(password).await?)
                } else {
                    None
                };
                store.set_staff_role(&shop, &email, role, now).await?;
                if let Some(hash) = &password {
                    store.set_staff_password(&shop, &email, hash, now).await?;
                }
                let what = if password.is_some() {
                    "new password; its sessions have ended"
                } else {
                    "password unchanged"
                };
                println!("Updated {email} of {shop}: role {}; {what}", role.as_str());
                return Ok(());
            }
            let (password, generated) = new_password(password_stdin)?;
            let hash = hashed(password.clone()).await?;
            store
                .put_staff_user(&shop, &email, role, &hash, now)
                .await?;
            println!("Added {email} of {shop}: role {}", role.as_str());
            if generated {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
        AdminCommand::SetPassword {
            shop,
            email,
            password_stdin,
        } => {
            let email = email_of(&email)?;
            anyhow::ensure!(
                store.staff_user(&shop, &email).await?.is_some(),
                "{email} has no account in {shop}; add it with `admin add-user`"
            );
            let (password, generated) = new_password(password_stdin)?;
            let hash = hashed(password.clone()).await?;
            store.set_staff_password(&shop, &email, &hash, now).await?;
            println!("Set the password of {email} of {shop}; its sessions have ended");
            if generated {
                println!("Password (shown once): {password}");
            }
            Ok(())
        }
        AdminCommand::RemoveUser { shop, email } => {
            let email = email_of(&email)?;
            anyhow::ensure!(
                store.remove_staff_user(&shop, &email).await?,
                "{email} has no account in {shop}"
            );
            println!("Removed {email} of {shop}; its sessions have ended");
            Ok(())
        }
        AdminCommand::ListUsers { shop } => {
            let users = store.staff_users(&shop).await?;
            if users.is_empty() {
                println!("{shop} has no staff accounts");
            }
            for user in users {
                let locked = if user.locked_until.is_some_and(|until| until > now) {
                    "  (locked)"
                } else {
                    ""
                };
                println!("{}\t{}{locked}", user.email, user.role.as_str());
            }
            Ok(())
        }
    }
}
