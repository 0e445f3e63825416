//! `GET /api/v1/health`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dvor_core::protocol::{DatabaseStatus, Health};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// 200 with the version when the database answers; 503 with the same body when it does not,
/// so a load balancer takes the instance out.
#[utoipa::path(get, path = "/health", tag = "server",
    responses((status = 200, description = "The server and its database answer", body = Health),
        (status = 503, description = "The database does not answer", body = Health)))]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let healthy = state.db.is_healthy().await;
    let (status, database) = if healthy {
        (StatusCode::OK, DatabaseStatus::Ok)
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, DatabaseStatus::Unavailable)
    };
    (
        status,
        Json(Health {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            database,
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
