//! The one scheduler of every periodic job.
//!
//! A feature lists its jobs ([`Job`]); `serve` hands them all to [`Scheduler::spawn`].
//! Each job runs on its own tick. Before a run the scheduler claims the job's lease in
//! the database (`job_leases`), so however many server processes share one database a
//! due job runs in one of them, once per interval; a process that dies mid-run loses
//! the lease when it lapses. A run happens in its own task: an error is logged, a panic
//! is caught and logged, and neither stops the job's next tick nor any other job. Inside
//! a run, each customer is its own transaction and a failure for one is logged, counted
//! and skipped (see each job's `run_once`).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::store::StoreError;
use crate::AppState;

/// A boxed future of a job's run.
pub type JobFuture = Pin<Box<dyn Future<Output = Result<JobReport, StoreError>> + Send>>;

/// What one run of a job did, for the log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    /// Named counts (`("customers", 3)`), logged as they are.
    pub counts: Vec<(&'static str, i64)>,
    /// Items (customers, codes, events) that failed and were skipped.
    pub failures: u64,
}

impl JobReport {
    /// A report with these counts and failures.
    pub fn new(counts: Vec<(&'static str, i64)>, failures: u64) -> JobReport {
        JobReport { counts, failures }
    }

    /// Whether the run did nothing worth logging at `info`.
    pub fn is_idle(&self) -> bool {
        self.failures == 0 && self.counts.iter().all(|(_, count)| *count == 0)
    }
}

/// A periodic job.
pub trait Job: Send + Sync + 'static {
    /// Stable name: the lease's key and the log's `job` field.
    fn name(&self) -> &'static str;

    /// How often it runs.
    fn interval(&self) -> Duration;

    /// Whether one process at a time runs it (default): the scheduler then claims its
    /// lease first. A job that claims its own rows (webhook delivery) says `false`.
    fn exclusive(&self) -> bool {
        true
    }

    /// One run over every shop, as of the state's clock.
    fn run(&self, state: AppState) -> JobFuture;
}

/// Counts a per-item failure: logs it with the job and item, and adds one to `failures`.
pub fn skip_failed(job: &str, item: &str, error: &StoreError, failures: &mut u64) {
    *failures += 1;
    tracing::error!(job, item, %error, "job item failed; skipped");
}

/// How a run went, as [`Scheduler::run_due`] reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunOutcome {
    /// Another process holds the job's lease, or its interval has not passed.
    NotDue,
    /// It ran.
    Ran(JobReport),
    /// It returned an error (logged).
    Failed(String),
    /// It panicked (logged); the scheduler goes on.
    Panicked,
}

/// The longest a run may hold its lease before another process may take the job over.
pub const RUN_LEASE: Duration = Duration::from_secs(15 * 60);

/// How often each job's tick checks whether the job is due (at most its interval).
pub const CHECK_EVERY: Duration = Duration::from_secs(60);

/// The jobs of the server and the process's identity as a lease owner.
#[derive(Clone)]
pub struct Scheduler {
    jobs: Vec<Arc<dyn Job>>,
    owner: String,
}

impl std::fmt::Debug for Scheduler {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.jobs.iter().map(|job| job.name()).collect();
        formatter
            .debug_struct("Scheduler")
            .field("jobs", &names)
            .field("owner", &self.owner)
            .finish()
    }
}

impl Scheduler {
    /// A scheduler of `jobs`, owning leases under a fresh id.
    pub fn new(jobs: Vec<Arc<dyn Job>>) -> Scheduler {
        Scheduler {
            jobs,
            owner: uuid::Uuid::new_v4().to_string(),
        }
    }

    /// The jobs' names, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.jobs.iter().map(|job| job.name()).collect()
    }

    /// Runs `job` now if its lease can be claimed: the lease is held for [`RUN_LEASE`]
    /// during the run and then until the job's next run is due.
    pub async fn run_job(&self, state: &AppState, job: &Arc<dyn Job>) -> RunOutcome {
        let name = job.name();
        let started = state.clock.now();
        let lease = i64::try_from(RUN_LEASE.as_secs()).unwrap_or(i64::MAX);
        if job.exclusive() {
            match state
                .store
                .claim_job(name, &self.owner, started, started.saturating_add(lease))
                .await
            {
                Ok(true) => {}
                Ok(false) => return RunOutcome::NotDue,
                Err(error) => {
                    tracing::error!(job = name, %error, "cannot claim the job's lease");
                    return RunOutcome::Failed(error.to_string());
                }
            }
        }
        // Its own task: a panic ends that task only and comes back as a JoinError.
        let outcome = match tokio::spawn(job.run(state.clone())).await {
            Ok(Ok(report)) => {
                let counts: Vec<String> = report
                    .counts
                    .iter()
                    .map(|(name, count)| format!("{name}={count}"))
                    .collect();
                if report.is_idle() {
                    tracing::debug!(job = name, "job ran; nothing to do");
                } else {
                    tracing::info!(job = name, failures = report.failures, counts = %counts.join(" "), "job ran");
                }
                RunOutcome::Ran(report)
            }
            Ok(Err(error)) => {
                tracing::error!(job = name, %error, "job failed");
                RunOutcome::Failed(error.to_string())
            }
            Err(join) if join.is_panic() => {
                tracing::error!(job = name, "job panicked");
                RunOutcome::Panicked
            }
            Err(join) => {
                tracing::error!(job = name, error = %join, "job was cancelled");
                RunOutcome::Failed(join.to_string())
            }
        };
        let interval = i64::try_from(job.interval().as_secs()).unwrap_or(i64::MAX);
        if !job.exclusive() {
            return outcome;
        }
        if let Err(error) = state
            .store
            .finish_job(name, &self.owner, started.saturating_add(interval))
            .await
        {
            tracing::error!(job = name, %error, "cannot record the job's next run");
        }
        outcome
    }

    /// Runs every job that is due now, one after the other (for `expire` and tests).
    pub async fn run_due(&self, state: &AppState) -> Vec<(&'static str, RunOutcome)> {
        let mut outcomes = Vec::with_capacity(self.jobs.len());
        for job in &self.jobs {
            outcomes.push((job.name(), self.run_job(state, job).await));
        }
        outcomes
    }

    /// Starts one task per job that checks every [`CHECK_EVERY`] (or the job's interval,
    /// when shorter) whether it is due and runs it; the tasks end with the process.
    pub fn spawn(&self, state: AppState) -> Vec<tokio::task::JoinHandle<()>> {
        self.jobs
            .iter()
            .map(|job| {
                let job = Arc::clone(job);
                let state = state.clone();
                let scheduler = self.clone();
                tokio::spawn(async move {
                    let mut ticks = tokio::time::interval(job.interval().min(CHECK_EVERY));
                    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    loop {
                        ticks.tick().await;
                        scheduler.run_job(&state, &job).await;
                    }
                })
            })
            .collect()
    }
}
