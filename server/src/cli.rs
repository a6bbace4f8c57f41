//! The command line: `serve` (default), `migrate`, `token`, `expire`, `run-job`, `import`,
//! `recs`, `admin`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

use crate::config::{Config, Settings};
use crate::store::Store;
use crate::{app, routes, AppState};

/// The Comeback backend.
#[derive(Debug, Parser)]
#[command(name = "comeback-server", version, about)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        long,
        global = true,
        env = "COMEBACK_CONFIG",
        default_value = "comeback.toml"
    )]
    pub config: PathBuf,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations, then serve HTTP on HOST:PORT.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print a customer token signed with a shop's first token secret.
    Token {
        /// The shop id.
        #[arg(long)]
        shop: String,
        /// The customer id (`sub`).
        #[arg(long)]
        customer: String,
        /// The customer's name (`name`).
        #[arg(long)]
        name: Option<String>,
        /// Seconds until the token expires; at most the shop's
        /// `max_token_lifetime_seconds`.
        #[arg(long, default_value_t = 3600)]
        ttl_seconds: i64,
    },
    /// Apply migrations, expire the points due today in every shop that sets
    /// `points_expire_after_days`, give the birthday rewards due today in every shop
    /// that sets `birthday_points`, print how many, and exit (`serve` also does this
    /// every hour).
    Expire,
    /// Apply migrations, run one periodic job once (such as `referral_rewards`) with the
    /// clock at `--at`, print what it did, and exit.
    RunJob {
        /// The job's name (`referral_rewards`, `subscription_renewals`, …).
        name: String,
        /// The instant the job runs as of, RFC 3339 (default now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Import data the shop's backend would otherwise sync by webhook.
    Import {
        /// What to import.
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Recommendations offline: evaluate the engine on an order history.
    Recs {
        /// What to do.
        #[command(subcommand)]
        what: crate::recs_cli::RecsCommand,
    },
    /// Staff accounts of a shop's dashboard: add, set a password, remove, list.
    Admin {
        /// What to do.
        #[command(subcommand)]
        what: crate::staff_cli::AdminCommand,
    },
}

/// What `import` loads.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Products from a CSV file (`.csv`) or JSON lines (one product per line); checked
    /// whole first, nothing imported if a row is bad; importing again changes nothing.
    Products {
        /// The file.
        file: PathBuf,
        /// The shop the products belong to.
        #[arg(long)]
        shop: String,
    },
    /// Past orders from a CSV file or an Excel workbook (`.xlsx`), one row per line:
    /// `customer_id,order_id,product_id,created_at` and optional `quantity`,
    /// `unit_price`; checked whole first, nothing imported if a row is bad; they earn no
    /// points; importing again changes nothing.
    Orders {
        /// The file.
        file: PathBuf,
        /// The shop the orders belong to.
        #[arg(long)]
        shop: String,
    },
}

/// Sets up logging: `RUST_LOG` (default `info,sqlx=warn`), `LOG_FORMAT=json` for JSON.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("LOG_FORMAT").is_ok_and(|format| format.eq_ignore_ascii_case("json")) {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&cli.config).await,
        Command::Migrate => {
            let settings = Settings::from_env()?;
            let store = Store::connect_with(&settings.database_url, settings.pool())
                .await
                .with_context(|| format!("cannot open the database {}", settings.database_url))?;
            store.migrate().await?;
            println!("Migrations applied to {}", settings.database_url);
            Ok(())
        }
        Command::Token {
            shop,
            customer,
            name,
            ttl_seconds,
        } => {
            let config = Config::load(&cli.config)?;
            let shop_config = config.shop(&shop).with_context(|| {
                format!("there is no shop `{shop}` in {}", cli.config.display())
            })?;
            anyhow::ensure!(
                crate::auth::token::is_valid_sub(&customer),
                "--customer must be 1 to 128 bytes without control characters"
            );
            anyhow::ensure!(
                ttl_seconds > 0 && ttl_seconds <= shop_config.max_token_lifetime_seconds,
                "--ttl-seconds must be 1 to {} (the shop's max_token_lifetime_seconds)",
                shop_config.max_token_lifetime_seconds
            );
            let secret = shop_config
                .token_signing_key()
                .context("the shop has no token secret")?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let token = crate::auth::mint_token(
                secret.expose(),
                &customer,
                name.as_deref(),
                now,
                ttl_seconds,
            )?;
            println!("{token}");
            Ok(())
        }
        Command::Expire => expire(&cli.config).await,
        Command::RunJob { name, at } => run_job(&cli.config, &name, at.as_deref()).await,
        Command::Recs { what } => crate::recs_cli::run(what),
        Command::Admin { what } => {
            let config = Config::load(&cli.config)?;
            anyhow::ensure!(
                config.shop(what.shop()).is_some(),
                "there is no shop `{}` in {}",
                crate::error::excerpt(what.shop()),
                cli.config.display()
            );
            let store = open_store().await?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let done = crate::staff_cli::run(what, &store, now).await;
            store.close().await;
            done
        }
        Command::Import {
            what: ImportCommand::Products { file, shop },
        } => {
            let config = Config::load(&cli.config)?;
            anyhow::ensure!(
                config.shop(&shop).is_some(),
                "there is no shop `{shop}` in {}",
                cli.config.display()
            );
            let store = open_store().await?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let run = crate::import::import_products(&store, &shop, &file, now).await;
            store.close().await;
            let run = run?;
            println!(
                "Read {} products from {}; {} changed the catalogue",
                run.read,
                file.display(),
                run.changed
            );
            Ok(())
        }
        Command::Import {
            what: ImportCommand::Orders { file, shop },
        } => {
            let config = Config::load(&cli.config)?;
            let currency = config
                .shop(&shop)
                .map(|shop| shop.currency.clone())
                .with_context(|| {
                    format!("there is no shop `{shop}` in {}", cli.config.display())
                })?;
            let store = open_store().await?;
            let now = time::OffsetDateTime::now_utc().unix_timestamp();
            let run =
                crate::import_orders::import_orders(&store, &shop, &currency, &file, now).await;
            store.close().await;
            let run = run?;
            println!(
                "Read {} lines of {} orders from {}; {} were new",
                run.lines,
                run.orders,
                file.display(),
                run.stored
            );
            Ok(())
        }
    }
}

/// The database of the environment's settings, migrated.
async fn open_store() -> anyhow::Result<Store> {
    let settings = Settings::from_env()?;
    let store = Store::connect_with(&settings.database_url, settings.pool())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    store.migrate().await.context("cannot apply migrations")?;
    Ok(store)
}

async fn expire(config_path: &std::path::Path) -> anyhow::Result<()> {
    let config = Config::load(config_path)?;
    let settings = Settings::from_env()?;
    let store = Store::connect_with(&settings.database_url, settings.pool())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    store.migrate().await.context("cannot apply migrations")?;
    let state = AppState::new(config, settings, store.clone());
    crate::shop_settings::start(&state).await?;
    let run = crate::expiry::run_once(&state)
        .await
        .context("cannot expire points")?;
    let tiers = crate::tier_review::run_once(&state)
        .await
        .context("cannot review tiers")?;
    let birthdays = crate::birthday::run_once(&state)
        .await
        .context("cannot give birthday rewards")?;
    let anniversaries = crate::anniversary::run_once(&state)
        .await
        .context("cannot give anniversary rewards")?;
    store.close().await;
    println!(
        "Gave back {} points of {} expired codes",
        run.points_returned, run.codes_returned
    );
    println!(
        "Expired {} points of {} customers",
        run.points, run.customers
    );
    println!(
        "Reviewed the tier of {} customers, {} moved",
        tiers.reviewed, tiers.moved
    );
    println!(
        "Gave {} birthday points to {} customers",
        birthdays.points, birthdays.customers
    );
    println!(
        "Gave {} anniversary points to {} customers",
        anniversaries.points, anniversaries.customers
    );
    Ok(())
}

/// Runs the job `name` once as of `at` (RFC 3339; now when absent), outside the
/// scheduler (no lease is taken), and prints its report.
async fn run_job(
    config_path: &std::path::Path,
    name: &str,
    at: Option<&str>,
) -> anyhow::Result<()> {
    let jobs = crate::features::jobs();
    let job = jobs
        .iter()
        .find(|job| job.name() == name)
        .with_context(|| {
            let names: Vec<_> = jobs.iter().map(|job| job.name()).collect();
            format!(
                "there is no job `{name}`; the jobs are {}",
                names.join(", ")
            )
        })?;
    let at = at
        .map(|at| {
            time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
                .map(time::OffsetDateTime::unix_timestamp)
                .with_context(|| {
                    format!(
                        "--at must be an RFC 3339 instant such as 2027-02-01T00:00:00Z, not `{at}`"
                    )
                })
        })
        .transpose()?;
    let config = Config::load(config_path)?;
    let store = open_store().await?;
    let state = AppState::new(config, Settings::from_env()?, store.clone());
    crate::shop_settings::start(&state).await?;
    if let Some(at) = at {
        state.clock.freeze();
        state.clock.advance(at - state.clock.now());
    }
    let report = job.run(state).await;
    store.close().await;
    let report = report.with_context(|| format!("job `{name}` failed"))?;
    let counts: Vec<String> = report
        .counts
        .iter()
        .map(|(what, count)| format!("{what}={count}"))
        .collect();
    println!(
        "Ran {name}: {} failures={}",
        counts.join(" "),
        report.failures
    );
    Ok(())
}

async fn serve(config_path: &std::path::Path) -> anyhow::Result<()> {
    let config = Config::load(config_path)?;
    let settings = Settings::from_env()?;
    routes::demo::check_host(&config.demo, &settings.host)?;
    let store = Store::connect_with(&settings.database_url, settings.pool())
        .await
        .with_context(|| format!("cannot open the database {}", settings.database_url))?;
    store.migrate().await.context("cannot apply migrations")?;
    let demo = config.demo.enabled;
    let limits = crate::serve::ConnectionLimits::from(&config.server);
    let address = format!("{}:{}", settings.host, settings.port);
    let state = AppState::new(config, settings, store.clone());
    // Checks the survey versions of the settings in force (the file's, or a dashboard
    // shop's newest stored version) as it serves them.
    crate::shop_settings::start(&state).await?;
    let owner_password = if demo {
        routes::demo::seed(&state)
            .await
            .map_err(|error| anyhow::anyhow!("cannot seed the demo data: {error:?}"))?;
        let password = routes::demo::seed_owner(&state)
            .await
            .map_err(|error| anyhow::anyhow!("cannot add the demo owner: {error:?}"))?;
        Some(password)
    } else {
        None
    };
    let listener = TcpListener::bind(&address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let base = format!("http://{}/", listener.local_addr()?);
    println!("Comeback is listening on {base}");
    if demo {
        eprintln!("\n{}\n", routes::demo::WARNING);
        tracing::warn!(shop = %state.config.demo.shop, "{}", routes::demo::WARNING);
        println!("Demo shop:        {base}");
        println!("Loyalty widget:   {base}account.html (简体: ?lang=zh-Hans, 繁體: ?lang=zh-Hant)");
        println!("Theme playground: {base}theme.html");
        if let Some(password) = &owner_password {
            println!(
                "Dashboard:        {base}admin/ (sign in as {} / {password})",
                routes::demo::DEMO_OWNER_EMAIL
            );
        }
        let shop = &state.config.demo.shop;
        println!("Demo session:     {base}demo/session?shop={shop}");
        println!("Demo programme:   {base}v1/shops/{shop}/loyalty/programme");
    }
    println!("OpenAPI:          {base}v1/openapi.json");
    tracing::info!(address = %base, demo, "listening");
    let scheduler = crate::scheduler::Scheduler::new(crate::features::jobs());
    tracing::info!(jobs = ?scheduler.names(), "scheduler started");
    let jobs = scheduler.spawn(state.clone());
    let reloads = tokio::spawn(reload_on_hangup(state.clone(), config_path.to_owned()));
    let polls = tokio::spawn(crate::shop_settings::poll(state.clone()));
    crate::serve::serve(listener, app(state), limits, shutdown_signal()).await?;
    reloads.abort();
    polls.abort();
    for job in jobs {
        job.abort();
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Reads the configuration file again on every `SIGHUP` (`kill -HUP <pid>`, systemd's
/// `ExecReload`) and serves its shops from then on. A file that does not load, or that
/// would change a published survey version, is refused with the reason logged, and the
/// running configuration stays.
async fn reload_on_hangup(state: AppState, path: std::path::PathBuf) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(hangups) => hangups,
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGHUP: the configuration cannot be reloaded");
                return;
            }
        };
        while hangups.recv().await.is_some() {
            let outcome = match Config::load(&path) {
                Ok(config) => crate::shop_settings::reload_file(&state, config).await,
                Err(error) => Err(error.into()),
            };
            match outcome {
                Ok(()) => tracing::info!(path = %path.display(), "configuration reloaded"),
                Err(error) => tracing::error!(
                    path = %path.display(),
                    "the configuration was not reloaded, the running one stays: {error:#}"
                ),
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (state, path);
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
