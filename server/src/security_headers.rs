//! Headers that tell browsers to trust nothing the app did not ship: a Content-Security-Policy
//! with no inline script except the app's own (allowed by hash), no framing, no sniffing, no
//! referrer.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;

/// The pages whose inline `<script>` and `<style>` are allowed, by hash: Trunk puts the code
/// that starts the wasm inline in `index.html`; `offline.html` carries its own style.
const PAGES: [&str; 2] = ["index.html", "offline.html"];

/// Adds the headers to every response of `router`; `tile_origin` is the other server the
/// map's tiles come from, if they do not come from this one.
pub fn apply<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    static_dir: Option<&Path>,
    tile_origin: Option<&str>,
) -> Router<S> {
    let pages: Vec<String> = static_dir
        .into_iter()
        .flat_map(|dir| PAGES.map(|page| dir.join(page)))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let policy = content_security_policy(&pages, tile_origin);
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, policy.as_str()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    fixed.into_iter().fold(
        router,
        |router, (name, value)| match HeaderValue::from_str(value) {
            Ok(value) => router.layer(SetResponseHeaderLayer::overriding(name, value)),
            Err(error) => {
                tracing::error!(%error, header = %name, "header not set");
                router
            }
        },
    )
}

/// Tells browsers to reach this host only over HTTPS for a year (HSTS), for a server that
/// serves HTTPS itself; sent over TLS only, where a browser heeds it. Subdomains are left to
/// the city: its other sites may not all serve HTTPS.
pub fn strict_transport<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.layer(SetResponseHeaderLayer::overriding(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    ))
}

/// The policy for a site whose pages are `pages` (their HTML), showing map tiles of
/// `tile_origin` (which the device also fetches, to keep an area for use with no network).
pub fn content_security_policy(pages: &[String], tile_origin: Option<&str>) -> String {
    let tiles = tile_origin.map(|o| format!(" {o}")).unwrap_or_default();
    let hashes = |tag| {
        pages
            .iter()
            .flat_map(|page| inline_blocks(page, tag))
            .map(|block| format!(" 'sha256-{}'", sha256_base64(block)))
            .collect::<String>()
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; \
         img-src 'self' data: blob:{tiles}; connect-src 'self'{tiles}; worker-src 'self'; \
         manifest-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        hashes("script"),
        hashes("style"),
    )
}

/// The contents of every `<tag>` element of `html` that has no `src`.
fn inline_blocks<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
    let mut blocks = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end_of_tag) = after.find('>') else {
            break;
        };
        let attributes = &after[..end_of_tag];
        let body = &after[end_of_tag + 1..];
        let Some(end) = body.find(&close) else {
            break;
        };
        if !attributes.contains("src=") {
            blocks.push(&body[..end]);
        }
        rest = &body[end + close.len()..];
    }
    blocks
}

fn sha256_base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_blocks_are_hashed() {
        let page = "<script type=module>start()</script><script src=/a.js></script>\
                    <style>b{}</style>";
        let policy = content_security_policy(&[page.to_owned()], None);
        assert!(policy.contains(&format!("'sha256-{}'", sha256_base64("start()"))));
        assert!(policy.contains(&format!(
            "style-src 'self' 'sha256-{}'",
            sha256_base64("b{}")
        )));
        assert_eq!(policy.matches("sha256-").count(), 2);
        assert!(policy.ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn without_pages_nothing_inline_is_allowed() {
        let policy = content_security_policy(&[], None);
        assert!(policy.starts_with(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';"
        ));
    }

    #[test]
    fn tiles_of_another_server_may_be_shown_and_fetched() {
        let policy = content_security_policy(&[], Some("https://tile.openstreetmap.org"));
        assert!(policy.contains("img-src 'self' data: blob: https://tile.openstreetmap.org;"));
        assert!(policy.contains("connect-src 'self' https://tile.openstreetmap.org;"));
    }
}
