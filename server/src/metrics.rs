//! Prometheus metrics, served at `/metrics` on an address of their own (`--metrics-addr`) so
//! that only the city's monitoring reaches them: requests and their time by route and status,
//! sync mutations by outcome, pull pages, photos stored, sign-in failures, background jobs, and
//! at each scrape the open sessions and the database's size.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use dvor_core::protocol::{MutationResult, Outcome};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::db::Db;

/// A request's route (its template, `/api/v1/blobs/{hash}`, so one series per route, not per
/// photo), method and status.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

/// What became of a pushed mutation: `applied`, or `refused` with the refusal's code.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MutationLabels {
    outcome: &'static str,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobLabels {
    job: &'static str,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct JobName {
    job: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Seconds, from a millisecond to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Why a sign-in failed.
#[derive(Clone, Copy, Debug)]
pub enum SignInFailure {
    /// A wrong login or password.
    Wrong,
    /// Refused before checking: too many failures for the address or the account.
    Braked,
}

/// A background job.
#[derive(Clone, Copy, Debug)]
pub enum Job {
    /// Erasing borrowers whose loans came back long enough ago.
    EraseBorrowers,
    /// Forgetting the sign-in attempts that no longer count.
    ForgetAttempts,
    /// Taking a scheduled backup.
    Backup,
    /// Removing audit entries past the kept time.
    PruneAudit,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Self::EraseBorrowers => "erase_borrowers",
            Self::ForgetAttempts => "forget_sign_in_attempts",
            Self::Backup => "backup",
            Self::PruneAudit => "prune_audit_log",
        }
    }
}

/// The process's metrics; cheap to share.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    mutations: Family<MutationLabels, Counter>,
    pull_pages: Counter,
    photos_stored: Counter,
    photo_bytes_stored: Counter,
    sign_in_failures: Family<ReasonLabels, Counter>,
    jobs: Family<JobLabels, Counter>,
    job_last_success: Family<JobName, Gauge>,
    sessions: Gauge,
    database_bytes: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Every metric at zero, registered under `dvor_`.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("dvor");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: Latency = Family::new_with_constructor(latency_histogram);
        let mutations = Family::<MutationLabels, Counter>::default();
        let pull_pages = Counter::default();
        let photos_stored = Counter::default();
        let photo_bytes_stored = Counter::default();
        let sign_in_failures = Family::<ReasonLabels, Counter>::default();
        let jobs = Family::<JobLabels, Counter>::default();
        let job_last_success = Family::<JobName, Gauge>::default();
        let sessions = Gauge::default();
        let database_bytes = Gauge::default();
        registry.register(
            "http_requests",
            "Requests answered, by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's head to its answer, by route and method",
            latency.clone(),
        );
        registry.register(
            "sync_mutations",
            "Pushed mutations, applied or refused (with the refusal's code)",
            mutations.clone(),
        );
        registry.register("sync_pull_pages", "Pull pages served", pull_pages.clone());
        registry.register(
            "photos_stored",
            "Photos stored that the store did not hold",
            photos_stored.clone(),
        );
        registry.register(
            "photo_bytes_stored",
            "Bytes of the photos stored",
            photo_bytes_stored.clone(),
        );
        registry.register(
            "sign_in_failures",
            "Failed sign-ins: a wrong login or password, or braked before checking",
            sign_in_failures.clone(),
        );
        registry.register(
            "background_jobs",
            "Runs of the background jobs, by result",
            jobs.clone(),
        );
        registry.register(
            "background_job_last_success_timestamp_seconds",
            "When each background job last succeeded, in seconds since the epoch",
            job_last_success.clone(),
        );
        registry.register(
            "sessions_open",
            "Sessions neither ended nor expired, in the whole database",
            sessions.clone(),
        );
        registry.register(
            "database_size_bytes",
            "The database's size",
            database_bytes.clone(),
        );
        Self {
            registry,
            requests,
            latency,
            mutations,
            pull_pages,
            photos_stored,
            photo_bytes_stored,
            sign_in_failures,
            jobs,
            job_last_success,
            sessions,
            database_bytes,
        }
    }

    /// A request answered.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_owned(),
                method: method.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_owned(),
                method: method.to_owned(),
            })
            .observe(seconds);
    }

    /// The outcomes of a push.
    pub fn pushed(&self, results: &[MutationResult]) {
        for result in results {
            let labels = match &result.outcome {
                Outcome::Applied => MutationLabels {
                    outcome: "applied",
                    reason: String::new(),
                },
                Outcome::Rejected { code, .. } => MutationLabels {
                    outcome: "refused",
                    reason: serde_json::to_value(code)
                        .ok()
                        .and_then(|code| code.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                },
            };
            self.mutations.get_or_create(&labels).inc();
        }
    }

    /// A pull page served.
    pub fn pulled(&self) {
        self.pull_pages.inc();
    }

    /// A photo of `bytes` the store did not hold was stored.
    pub fn photo_stored(&self, bytes: usize) {
        self.photos_stored.inc();
        self.photo_bytes_stored
            .inc_by(u64::try_from(bytes).unwrap_or(u64::MAX));
    }

    /// A sign-in failed.
    pub fn sign_in_failed(&self, failure: SignInFailure) {
        let reason = match failure {
            SignInFailure::Wrong => "wrong_credentials",
            SignInFailure::Braked => "too_many_attempts",
        };
        self.sign_in_failures
            .get_or_create(&ReasonLabels { reason })
            .inc();
    }

    /// A background job ran, at `now_secs`, and succeeded or not.
    pub fn job_ran(&self, job: Job, succeeded: bool, now_secs: i64) {
        let result = if succeeded { "ok" } else { "failed" };
        self.jobs
            .get_or_create(&JobLabels {
                job: job.name(),
                result,
            })
            .inc();
        if succeeded {
            self.job_last_success
                .get_or_create(&JobName { job: job.name() })
                .set(now_secs);
        }
    }

    /// The text Prometheus reads, with the database's figures read now.
    async fn scrape(&self, db: &Db) -> Result<String, String> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let sessions = db.open_sessions(now_ms).await.map_err(|e| e.to_string())?;
        let size = db.size_bytes().await.map_err(|e| e.to_string())?;
        self.sessions.set(sessions);
        self.database_bytes.set(size);
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|e| e.to_string())?;
        Ok(text)
    }
}

/// The router of the metrics listener.
pub fn router(metrics: Arc<Metrics>, db: Db) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state((metrics, db))
}

async fn scrape(State((metrics, db)): State<(Arc<Metrics>, Db)>) -> Response {
    match metrics.scrape(&db).await {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, "metrics could not be read");
            (StatusCode::SERVICE_UNAVAILABLE, error).into_response()
        }
    }
}
