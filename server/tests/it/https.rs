//! HTTPS served by the server itself, over real TLS on 127.0.0.1 with certificates made here:
//! HTTP/2 and HTTP/1.1, HSTS, plain HTTP sent on to HTTPS, a renewed certificate taken up
//! with no restart (and a half-written renewal refused), and whose forwarded address the
//! sign-in brake believes.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::Empty;
use hyper::body::Bytes;
use hyper::{Request, StatusCode, Version, header};
use hyper_util::rt::{TokioExecutor, TokioIo};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::RootCertStore;
use rustls::pki_types::ServerName;
use serde_json::json;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::util::{Process, TestApp};

/// The name the test certificates are for; the client connects to the server's address under it.
const HOST: &str = "dvor.test";

/// A certificate authority of the test's own.
struct Authority(CertifiedIssuer<'static, KeyPair>);

impl Authority {
    fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("a key");
        Self(CertifiedIssuer::self_signed(params, key).expect("a CA"))
    }

    /// A certificate for `HOST` and its key, both PEM.
    fn issue(&self) -> (String, String) {
        let key = KeyPair::generate().expect("a key");
        let cert = CertificateParams::new(vec![HOST.to_owned()])
            .expect("params")
            .signed_by(&key, &self.0)
            .expect("signed");
        (cert.pem(), key.serialize_pem())
    }

    fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots.add(self.0.der().clone()).expect("a root");
        roots
    }
}

/// Writes a certificate and key where the server reads them.
fn install(dir: &Path, (cert, key): &(String, String)) {
    // Each file replaced whole, as a renewal job does: written aside, then renamed.
    for (name, text) in [("cert.pem", cert), ("key.pem", key)] {
        let aside = dir.join(format!("{name}.new"));
        std::fs::write(&aside, text).expect("written");
        std::fs::rename(&aside, dir.join(name)).expect("renamed");
    }
}

/// What a GET of `path` over TLS to `addr` met: the HTTP version agreed, the status and the
/// headers; or why the handshake failed. `alpn`: the protocols the client offers.
async fn get(
    addr: SocketAddr,
    roots: RootCertStore,
    alpn: &[&[u8]],
    path: &str,
) -> Result<(Version, StatusCode, hyper::HeaderMap), String> {
    // The server's provider (server/src/tls.rs says why ring).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let tls = TlsConnector::from(Arc::new(config))
        .connect(ServerName::try_from(HOST).expect("a name"), tcp)
        .await
        .map_err(|e| e.to_string())?;
    let h2 = tls.get_ref().1.alpn_protocol() == Some(b"h2");
    let request = Request::get(format!("https://{HOST}{path}"))
        .header(header::HOST, HOST)
        .body(Empty::<Bytes>::new())
        .expect("a request");
    let io = TokioIo::new(tls);
    let response = if h2 {
        let (mut sender, connection) =
            hyper::client::conn::http2::handshake(TokioExecutor::new(), io)
                .await
                .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        sender.send_request(request).await
    } else {
        let (mut sender, connection) = hyper::client::conn::http1::handshake(io)
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        sender.send_request(request).await
    }
    .map_err(|e| e.to_string())?;
    Ok((
        response.version(),
        response.status(),
        response.headers().clone(),
    ))
}

/// A server process on `app`'s data serving HTTPS with the files in `dir`, also listening for
/// plain HTTP; and where that plain listener is.
async fn https_server(app: &TestApp, dir: &Path) -> (Process, SocketAddr) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let process = Process::start(
        app,
        &[
            "--tls-cert",
            cert.to_str().expect("a path"),
            "--tls-key",
            key.to_str().expect("a path"),
            "--tls-check-secs",
            "1",
            "--redirect-http-from",
            "127.0.0.1:0",
        ],
    )
    .await;
    let plain = process
        .said
        .iter()
        .find_map(|line| {
            let (_, rest) = line.split_once("redirecting http://")?;
            rest.split_whitespace().next()?.parse().ok()
        })
        .unwrap_or_else(|| panic!("the server names its plain listener: {:?}", process.said));
    assert!(
        process
            .said
            .iter()
            .any(|line| line.contains("listening on https://")),
        "{:?}",
        process.said
    );
    (process, plain)
}

#[tokio::test]
async fn https_is_served_over_http2_and_http1_with_hsts_and_plain_http_is_sent_there() {
    let app = TestApp::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let authority = Authority::new();
    install(dir.path(), &authority.issue());
    let (server, plain) = https_server(&app, dir.path()).await;

    for (alpn, version) in [
        (&[b"h2".as_slice(), b"http/1.1"][..], Version::HTTP_2),
        (&[b"http/1.1".as_slice()][..], Version::HTTP_11),
    ] {
        let (agreed, status, headers) = get(server.addr, authority.roots(), alpn, "/api/v1/health")
            .await
            .expect("served over TLS");
        assert_eq!((agreed, status), (version, StatusCode::OK));
        assert_eq!(
            headers
                .get(header::STRICT_TRANSPORT_SECURITY)
                .and_then(|v| v.to_str().ok()),
            Some("max-age=31536000"),
            "{version:?}"
        );
    }

    // A client that does not trust the city's certificate is refused by its own TLS.
    let stranger = Authority::new();
    assert!(
        get(server.addr, stranger.roots(), &[b"h2"], "/api/v1/health")
            .await
            .is_err()
    );

    // Plain HTTP is sent on to the same address over HTTPS, keeping the method (308).
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let answer = client
        .post(format!("http://{plain}/api/v1/auth/login?from=link"))
        .header(header::HOST, format!("{HOST}:80"))
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        answer.headers()[header::LOCATION],
        format!(
            "https://{HOST}:{}/api/v1/auth/login?from=link",
            server.addr.port()
        )
        .as_str()
    );
    assert!(
        !answer
            .headers()
            .contains_key(header::STRICT_TRANSPORT_SECURITY)
    );
    // Nothing of the app is served in the clear.
    let health = client
        .get(format!("http://{plain}/api/v1/health"))
        .send()
        .await
        .expect("answered");
    assert_eq!(health.status(), StatusCode::PERMANENT_REDIRECT);
}

/// Asks until `done` holds for what a GET of health meets, for at most ten seconds.
async fn eventually(
    addr: SocketAddr,
    roots: impl Fn() -> RootCertStore,
    done: impl Fn(&Result<(Version, StatusCode, hyper::HeaderMap), String>) -> bool,
) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if done(&get(addr, roots(), &[b"h2"], "/api/v1/health").await) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    false
}

#[tokio::test]
async fn a_renewed_certificate_is_served_without_a_restart_and_a_half_written_one_is_not() {
    let app = TestApp::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let first = Authority::new();
    install(dir.path(), &first.issue());
    let (server, _plain) = https_server(&app, dir.path()).await;
    assert!(
        get(server.addr, first.roots(), &[b"h2"], "/api/v1/health")
            .await
            .is_ok()
    );

    let renewed = Authority::new();
    install(dir.path(), &renewed.issue());
    assert!(
        eventually(server.addr, || renewed.roots(), Result::is_ok).await,
        "the renewed certificate is presented"
    );
    assert!(
        get(server.addr, first.roots(), &[b"h2"], "/api/v1/health")
            .await
            .is_err()
    );

    // A renewal caught between its two files: the new certificate with the old key. The
    // server keeps presenting the pair that works.
    let (next_cert, _next_key) = Authority::new().issue();
    std::fs::write(dir.path().join("cert.pem"), next_cert).expect("written");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        get(server.addr, renewed.roots(), &[b"h2"], "/api/v1/health")
            .await
            .is_ok()
    );
}

/// A wrong sign-in sent by a client at `peer` naming `forwarded` in `X-Forwarded-For`.
async fn wrong_sign_in(app: &TestApp, peer: IpAddr, forwarded: &str, n: usize) -> StatusCode {
    reqwest::Client::builder()
        .local_address(peer)
        .build()
        .expect("a client")
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", forwarded)
        .json(&json!({"login": format!("guess{n}@mail.ru"), "password": "не тот пароль"}))
        .send()
        .await
        .expect("answered")
        .status()
}

#[tokio::test]
async fn the_sign_in_brake_counts_the_client_a_trusted_proxy_names_and_no_other_header() {
    let app = TestApp::start_configured(|config| {
        config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a network")];
    })
    .await;
    let proxy = IpAddr::from([127, 0, 0, 1]);
    let stranger = IpAddr::from([127, 0, 0, 2]);

    // Through the proxy: one client spends its budget, and another behind the same proxy
    // still has its own.
    let mut blocked = 0;
    for n in 0..22 {
        if wrong_sign_in(&app, proxy, "1.2.3.4, 198.51.100.1", n).await
            == StatusCode::TOO_MANY_REQUESTS
        {
            blocked += 1;
        }
    }
    assert_eq!(blocked, 2, "twenty failures counted for 198.51.100.1");
    assert_eq!(
        wrong_sign_in(&app, proxy, "198.51.100.1, 198.51.100.2", 100).await,
        StatusCode::UNAUTHORIZED,
        "198.51.100.2 is counted apart, whatever it forged before the proxy"
    );

    // Not from the proxy: the header is the client's own word and changes nothing.
    for n in 0..20 {
        wrong_sign_in(&app, stranger, &format!("198.51.100.{}", 10 + n), 200 + n).await;
    }
    assert_eq!(
        wrong_sign_in(&app, stranger, "198.51.100.99", 300).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a client beside the proxy is counted by its own address"
    );
}
