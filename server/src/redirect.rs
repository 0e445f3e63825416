//! The plain-HTTP listener of a server that serves HTTPS itself: every request is answered
//! with the same address over HTTPS (308, which keeps the method and body), so a link typed
//! without `https://` still reaches the app, and nothing else is served in the clear.

use axum::Router;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use dvor_core::i18n::{Lang, strings};

/// The router of the redirecting listener, for an HTTPS server on `https_port`.
pub fn router(https_port: u16) -> Router {
    Router::new().fallback(move |headers: HeaderMap, uri: Uri| async move {
        let host = headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok());
        match host.and_then(|host| target(https_port, host, &uri)) {
            Some(location) => (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
            None => bad_host(),
        }
    })
}

fn bad_host() -> Response {
    (
        StatusCode::BAD_REQUEST,
        strings(Lang::Ru).common.https_only.to_owned(),
    )
        .into_response()
}

/// The HTTPS address of a request for `uri` sent to `host` (its port dropped, the HTTPS port
/// named unless it is 443); none for a host that is not one.
fn target(https_port: u16, host: &str, uri: &Uri) -> Option<String> {
    let authority: Authority = host.parse().ok()?;
    let port = if https_port == 443 {
        String::new()
    } else {
        format!(":{https_port}")
    };
    let path = uri.path_and_query().map_or("/", |path| path.as_str());
    Some(format!("https://{}{port}{path}", authority.host()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> Uri {
        text.parse().expect("a URI")
    }

    #[test]
    fn the_same_host_and_path_over_https_on_its_port() {
        assert_eq!(
            target(443, "dvor.example.ru", &uri("/records?x=1")).as_deref(),
            Some("https://dvor.example.ru/records?x=1")
        );
        assert_eq!(
            target(8443, "dvor.example.ru:80", &uri("/")).as_deref(),
            Some("https://dvor.example.ru:8443/")
        );
        assert_eq!(
            target(8443, "[::1]:8080", &uri("/a")).as_deref(),
            Some("https://[::1]:8443/a")
        );
    }

    #[test]
    fn a_host_header_that_is_no_host_is_refused() {
        assert_eq!(target(443, "evil.example/path", &uri("/")), None);
        assert_eq!(target(443, "", &uri("/")), None);
    }
}
