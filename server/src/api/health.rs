//! `GET /api/v1/health`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dvor_core::protocol::{DatabaseStatus, Health, Serving};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// 200 with the version when the process takes work and its database answers; 503 with the
/// same body when the database does not answer or the process is draining (told to stop, it
/// finishes what it has), so a load balancer takes the instance out. A process answers only
/// once its migrations and start-up work are done: answering is being ready.
#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "The process takes work and its database answers", body = Health),
        (status = 503, description = "The database does not answer, or the process is draining", body = Health)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = if state.db.is_healthy().await {
        DatabaseStatus::Ok
    } else {
        DatabaseStatus::Unavailable
    };
    let serving = if state.draining.is_draining() {
        Serving::Draining
    } else {
        Serving::Ready
    };
    let status = if database == DatabaseStatus::Ok && serving == Serving::Ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(Health {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database,
            serving,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[tokio::test]
    async fn an_unreachable_database_is_reported_with_503() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&crate::db::Location::Sqlite(
            dir.path().join("dvor.sqlite3"),
        ))
        .await
        .expect("opens");
        db.close().await;
        let blobs = std::sync::Arc::new(crate::blobs::DiskBlobs::new(dir.path().join("blobs")));
        let (status, Json(body)) = health(State(
            AppState::new(
                db,
                blobs,
                crate::auth::hasher::HasherSize {
                    workers: 1,
                    queue: 1,
                },
            )
            .expect("state"),
        ))
        .await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(body.database, DatabaseStatus::Unavailable);
    }
}
