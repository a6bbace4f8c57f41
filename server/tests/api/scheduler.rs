//! The scheduler: a panicking job does not stop the others nor its own next run; a job
//! runs once per interval however many schedulers share the database; a customer that
//! fails is skipped without stopping the customers after it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use comeback_server::scheduler::{Job, JobFuture, JobReport, RunOutcome, Scheduler};
use comeback_server::AppState;

use crate::helpers::{Backend, TestApp};

/// Panics every time it runs.
struct Panics;

impl Job for Panics {
    fn name(&self) -> &'static str {
        "test_panics"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(3600)
    }

    fn run(&self, _state: AppState) -> JobFuture {
        Box::pin(async { panic!("a bug in a job") })
    }
}

/// Counts its runs.
struct Counts(Arc<AtomicU64>);

impl Job for Counts {
    fn name(&self) -> &'static str {
        "test_counts"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(3600)
    }

    fn run(&self, _state: AppState) -> JobFuture {
        let runs = Arc::clone(&self.0);
        Box::pin(async move {
            let run = runs.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(JobReport::new(
                vec![("runs", i64::try_from(run).unwrap_or(0))],
                0,
            ))
        })
    }
}

pub async fn a_panicking_job_stops_nothing_and_jobs_run_once_per_interval(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let runs = Arc::new(AtomicU64::new(0));
    let jobs =
        || -> Vec<Arc<dyn Job>> { vec![Arc::new(Panics), Arc::new(Counts(Arc::clone(&runs)))] };
    let first = Scheduler::new(jobs());
    let second = Scheduler::new(jobs());

    let outcomes = first.run_due(&app.state).await;
    assert_eq!(outcomes[0], ("test_panics", RunOutcome::Panicked));
    assert!(matches!(outcomes[1], ("test_counts", RunOutcome::Ran(_))));
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // Within the interval neither scheduler (another process) runs them again.
    for scheduler in [&first, &second] {
        let outcomes = scheduler.run_due(&app.state).await;
        assert!(
            outcomes
                .iter()
                .all(|(_, outcome)| *outcome == RunOutcome::NotDue),
            "{outcomes:?}"
        );
    }
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // An hour later the job is due again, even after its own panic, and runs in one of
    // two schedulers racing for it.
    app.state.clock.advance(3600);
    let (a, b) = tokio::join!(first.run_due(&app.state), second.run_due(&app.state));
    let panicked = a
        .iter()
        .chain(&b)
        .filter(|(_, outcome)| *outcome == RunOutcome::Panicked)
        .count();
    assert_eq!(panicked, 1);
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

pub async fn a_failing_customer_does_not_stop_the_others(backend: Backend) {
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    app.pay("c-a", "o-1", 1_000).await;
    app.pay("c-b", "o-2", 1_000).await;
    // `c-a` (reviewed first) has an unreadable stored tier hold; `c-b` was never
    // evaluated, so both are due for the tier review.
    app.execute(
        "UPDATE customers SET tier_held_until = '0000-broken', tier_evaluated_at = 1 \
         WHERE shop_id = 'demo' AND customer_id = 'c-a'",
    )
    .await;
    app.execute(
        "UPDATE customers SET tier_evaluated_at = NULL \
         WHERE shop_id = 'demo' AND customer_id = 'c-b'",
    )
    .await;
    let (run, failures) = comeback_server::tier_review::run_counted(&app.state)
        .await
        .expect("the job runs past the failing customer");
    assert_eq!((run.reviewed, failures), (1, 1));
    // `c-b` was reviewed: no longer due.
    let (run, failures) = comeback_server::tier_review::run_counted(&app.state)
        .await
        .unwrap();
    assert_eq!((run.reviewed, failures), (0, 1));
}
