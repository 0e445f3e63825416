//! Accepting connections and reading requests, with the time limits axum's own `serve` lacks:
//! a client gets [`Timeouts::header`] to send a request's head and may leave its body idle for
//! at most [`Timeouts::body_idle`] (applied by the API's layers), so slow or silent
//! connections cannot pile up and hold the server's memory and sockets. Over TLS the handshake
//! has the header's time limit too.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::extract::ClientAddress;
use crate::forwarded::TrustedProxies;
use crate::tls::Tls;

/// How long a client may keep the server waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// For a request's line and headers, counted from when the server waits for them (also
    /// on a kept-alive connection between requests): then the connection is closed.
    pub header: Duration,
    /// For the next bytes of a request's body: then the request is answered 408.
    pub body_idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            header: Duration::from_secs(15),
            body_idle: Duration::from_secs(30),
        }
    }
}

/// How long shutting down waits for requests in flight before it closes their connections.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests one HTTP/2 connection may have in flight: a device sends a few at a time.
const MAX_STREAMS: u32 = 100;

/// How connections arrive: as they are, or over TLS.
#[derive(Clone, Default)]
pub enum Transport {
    /// Plain HTTP/1.1 (on loopback behind a proxy, or the redirect to HTTPS).
    #[default]
    Plain,
    /// HTTPS: a TLS handshake first (within the header timeout), then HTTP/2 or HTTP/1.1 as
    /// the client and the handshake agreed.
    Tls(Tls),
}

/// How each connection is served.
#[derive(Clone, Default)]
pub struct Listening {
    /// Plain or TLS.
    pub transport: Transport,
    /// Whose `X-Forwarded-For` names the client.
    pub proxies: TrustedProxies,
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish.
/// Each request carries the client's address (the peer's, or behind a trusted proxy the one it
/// forwarded for) as [`ClientAddress`].
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_timeout: Duration,
    listening: Listening,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    let proxies = Arc::new(listening.proxies);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // the listener itself is fine, so keep it and breathe.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Requests and answers are small and interactive: send each as soon as it is written.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
        let app = app.clone();
        let proxies = proxies.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            let client = proxies.client(peer.ip(), request.headers());
            request.extensions_mut().insert(ClientAddress(client));
            app.clone().oneshot(request)
        });
        match &listening.transport {
            Transport::Plain => {
                let connection = http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_timeout)
                    .serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, %peer, "connection closed with an error");
                    }
                });
            }
            Transport::Tls(tls) => {
                let acceptor = tls.acceptor().clone();
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let stream =
                        match tokio::time::timeout(header_timeout, acceptor.accept(stream)).await {
                            Ok(Ok(stream)) => stream,
                            Ok(Err(error)) => {
                                tracing::debug!(%error, %peer, "TLS handshake failed");
                                return;
                            }
                            Err(_) => {
                                tracing::debug!(%peer, "TLS handshake timed out");
                                return;
                            }
                        };
                    let mut builder = auto::Builder::new(TokioExecutor::new());
                    builder
                        .http1()
                        .timer(TokioTimer::new())
                        .header_read_timeout(header_timeout);
                    builder
                        .http2()
                        .timer(TokioTimer::new())
                        .max_concurrent_streams(MAX_STREAMS)
                        .keep_alive_interval(Some(header_timeout));
                    let connection =
                        watcher.watch(builder.serve_connection(TokioIo::new(stream), service));
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, %peer, "connection closed with an error");
                    }
                });
            }
        }
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_TIMEOUT, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after {DRAIN_TIMEOUT:?} were cut off");
    }
    Ok(())
}
