//! `comeback-server admin …` run as a process on a SQLite file: accounts are added with
//! a generated or a given password, updated, listed and removed, and bad input is
//! refused with a message naming it.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use comeback_core::dashboard::StaffRole;
use comeback_server::auth::password::verify_password;
use comeback_server::store::Store;

struct Cli {
    config: String,
    database_url: String,
    _dir: tempfile::TempDir,
}

impl Cli {
    fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        Cli {
            config: format!("{}/../comeback.demo.toml", env!("CARGO_MANIFEST_DIR")),
            database_url: format!("sqlite://{}", dir.path().join("cli.db").display()),
            _dir: dir,
        }
    }

    /// Runs `admin <args>` with `stdin` on its standard input.
    fn admin(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_comeback-server"))
            .args(["--config", &self.config, "admin"])
            .args(args)
            .env("DATABASE_URL", &self.database_url)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary runs");
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).unwrap();
        }
        drop(input);
        child.wait_with_output().unwrap()
    }

    async fn store(&self) -> Store {
        Store::connect(&self.database_url).await.unwrap()
    }
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Asserts the command failed with `needle` in its error.
#[track_caller]
fn refused(output: &Output, needle: &str) {
    assert!(
        !output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
}

#[tokio::test]
async fn admin_commands_keep_the_staff_accounts() {
    let cli = Cli::new();
    let owner = ["--shop", "demo", "--email", "Lin@Example.com"];

    let added = stdout(&cli.admin(
        &[
            "add-user", owner[0], owner[1], owner[2], owner[3], "--role", "owner",
        ],
        None,
    ));
    assert!(
        added.contains("Added lin@example.com of demo: role owner"),
        "{added}"
    );
    let generated = added
        .lines()
        .find_map(|line| line.strip_prefix("Password (shown once): "))
        .unwrap()
        .to_owned();
    assert_eq!(generated.chars().count(), 24);
    let store = cli.store().await;
    let user = store
        .staff_user("demo", "lin@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, StaffRole::Owner);
    assert!(verify_password(generated.clone(), Some(user.password_hash.clone())).await);

    // Adding again without a password changes the role only.
    let demoted = stdout(&cli.admin(
        &[
            "add-user",
            "--shop",
            "demo",
            "--email",
            "lin@example.com",
            "--role",
            "staff",
        ],
        None,
    ));
    assert!(demoted.contains("password unchanged"), "{demoted}");
    assert!(!demoted.contains("Password"), "{demoted}");
    let user = store
        .staff_user("demo", "lin@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, StaffRole::Staff);
    assert!(verify_password(generated.clone(), Some(user.password_hash.clone())).await);

    // With --password-stdin, the password of the first line.
    let given = stdout(&cli.admin(
        &[
            "add-user",
            "--shop",
            "demo",
            "--email",
            "mei@example.com",
            "--role",
            "staff",
            "--password-stdin",
        ],
        Some("a password from stdin\nignored\n"),
    ));
    assert!(
        !given.contains("Password"),
        "a given password is not printed: {given}"
    );
    let mei = store
        .staff_user("demo", "mei@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(verify_password("a password from stdin".into(), Some(mei.password_hash)).await);

    // Adding again with a password changes both.
    let both = stdout(&cli.admin(
        &[
            "add-user",
            "--shop",
            "demo",
            "--email",
            "mei@example.com",
            "--role",
            "owner",
            "--password-stdin",
        ],
        Some("a second stdin password\n"),
    ));
    assert!(
        both.contains("Updated mei@example.com of demo: role owner; new password"),
        "{both}"
    );
    let mei = store
        .staff_user("demo", "mei@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mei.role, StaffRole::Owner);
    assert!(verify_password("a second stdin password".into(), Some(mei.password_hash)).await);

    let set = stdout(&cli.admin(
        &[
            "set-password",
            "--shop",
            "demo",
            "--email",
            "lin@example.com",
            "--password-stdin",
        ],
        Some("another long password\n"),
    ));
    assert!(set.contains("Set the password of lin@example.com"), "{set}");
    let user = store
        .staff_user("demo", "lin@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(
        verify_password(
            "another long password".into(),
            Some(user.password_hash.clone())
        )
        .await
    );
    assert!(!verify_password(generated, Some(user.password_hash)).await);
    let reset = stdout(&cli.admin(
        &[
            "set-password",
            "--shop",
            "demo",
            "--email",
            "lin@example.com",
        ],
        None,
    ));
    assert!(reset.contains("Password (shown once): "), "{reset}");

    let listed = stdout(&cli.admin(&["list-users", "--shop", "demo"], None));
    assert_eq!(listed, "lin@example.com\tstaff\nmei@example.com\towner\n");

    let removed = stdout(&cli.admin(
        &[
            "remove-user",
            "--shop",
            "demo",
            "--email",
            "mei@example.com",
        ],
        None,
    ));
    assert!(removed.contains("Removed mei@example.com"), "{removed}");
    assert!(store
        .staff_user("demo", "mei@example.com")
        .await
        .unwrap()
        .is_none());
    store.close().await;

    refused(
        &cli.admin(
            &[
                "remove-user",
                "--shop",
                "demo",
                "--email",
                "mei@example.com",
            ],
            None,
        ),
        "has no account",
    );
    refused(
        &cli.admin(
            &[
                "set-password",
                "--shop",
                "demo",
                "--email",
                "nobody@example.com",
            ],
            None,
        ),
        "has no account",
    );
    refused(
        &cli.admin(&["list-users", "--shop", "nope"], None),
        "there is no shop `nope`",
    );
    refused(
        &cli.admin(
            &[
                "add-user",
                "--shop",
                "demo",
                "--email",
                "not-an-email",
                "--role",
                "owner",
            ],
            None,
        ),
        "not an email address",
    );
    refused(
        &cli.admin(
            &[
                "add-user",
                "--shop",
                "demo",
                "--email",
                "a@example.com",
                "--role",
                "boss",
            ],
            None,
        ),
        "--role must be `owner` or `staff`",
    );
    refused(
        &cli.admin(
            &[
                "add-user",
                "--shop",
                "demo",
                "--email",
                "a@example.com",
                "--role",
                "owner",
                "--password-stdin",
            ],
            Some("too short\n"),
        ),
        "12 to 256 characters",
    );
    let store = cli.store().await;
    assert!(store
        .staff_user("demo", "a@example.com")
        .await
        .unwrap()
        .is_none());
    store.close().await;
}
