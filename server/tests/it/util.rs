//! A real server on 127.0.0.1 with a SQLite file in a temporary directory, and the records
//! and mutations the tests send it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Stdio};

use dvor_core::access::{CommitteeId, Owner};
use dvor_core::account::{SignedIn, UserId};
use dvor_core::hlc::{Hlc, NodeId};
use dvor_core::id::{MutationId, RecordId};
use dvor_core::protocol::{
    Mutation, PROTOCOL_HEADER, PROTOCOL_VERSION, PullPage, PushRequest, PushResponse,
};
use dvor_core::record::{AuthorId, Envelope, RecordKind};
use dvor_server::config::Config;
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A server process of the built binary on the data of `app`, killed when dropped.
pub struct Process {
    child: Child,
    /// Where it serves the app.
    pub addr: SocketAddr,
    /// What it logged before it said so.
    pub said: Vec<String>,
    /// What it logs after, line by line.
    pub log: std::sync::mpsc::Receiver<String>,
}

impl Process {
    /// Starts `dvor-server` with `args` on a free port, on the data of `app`.
    pub async fn start(app: &TestApp, args: &[&str]) -> Self {
        let mut child = crate::database::server_command(app.data_dir())
            .await
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dvor-server starts");
        let stdout = child.stdout.take().expect("its output");
        let (sender, log) = std::sync::mpsc::channel();
        let (addr, said) = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            let mut said = Vec::new();
            let addr = lines
                .by_ref()
                .map_while(Result::ok)
                .find_map(|line| {
                    let addr = line
                        .split_once("listening on http")
                        .and_then(|(_, rest)| rest.split_once("://"))
                        // The address ends the word, or the JSON string of a JSON log.
                        .and_then(|(_, rest)| {
                            rest.split(|c: char| c.is_whitespace() || c == '"')
                                .next()?
                                .parse()
                                .ok()
                        });
                    said.push(line);
                    addr
                })
                .unwrap_or_else(|| panic!("the server says where it listens: {said:?}"));
            // Keep reading, so a full pipe never stops the server.
            std::thread::spawn(move || {
                for line in lines.map_while(Result::ok) {
                    // A test that does not read its log has dropped the receiver.
                    let _ = sender.send(line);
                }
            });
            (addr, said)
        })
        .await
        .expect("read");
        Self {
            child,
            addr,
            said,
            log,
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// The session `push` and `pull` send, if any.
    pub token: Option<String>,
    data_dir: PathBuf,
    _temp: Option<TempDir>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestApp {
    pub async fn start() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = temp.path().join("data");
        let mut app = Self::start_in(crate::database::config(data_dir).await).await;
        app._temp = Some(temp);
        app
    }

    pub async fn start_with_static(static_dir: PathBuf) -> Self {
        Self::start_configured(|config| config.static_dir = Some(static_dir)).await
    }

    /// A server with a fresh data directory and the configuration `configure` makes.
    pub async fn start_configured(configure: impl FnOnce(&mut Config)) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut config = crate::database::config(temp.path().join("data")).await;
        configure(&mut config);
        let mut app = Self::start_in(config).await;
        app._temp = Some(temp);
        app
    }

    /// A server on an existing data directory, e.g. one prepared by an older version.
    pub async fn start_on(data_dir: PathBuf) -> Self {
        Self::start_in(crate::database::config(data_dir).await).await
    }

    /// A server on a free port, bound here and handed over bound, so no other process can take
    /// the port between learning it and serving on it.
    pub async fn start_in(config: Config) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bound");
        let addr = listener.local_addr().expect("address");
        let data_dir = config.data_dir.clone();
        let config = Config { addr, ..config };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            dvor_server::serve_on(listener, config, async {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client
                .get(format!("http://{addr}/api/v1/health"))
                .send()
                .await
                .is_ok()
            {
                return Self {
                    addr,
                    client,
                    token: None,
                    data_dir,
                    _temp: None,
                    stop: Some(stop),
                    task: Some(task),
                };
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("server did not start on {addr}");
    }

    /// Stops the server gracefully and starts a new one on the same data directory.
    pub async fn restart(mut self) -> Self {
        self.shutdown().await;
        let mut next = Self::start_in(crate::database::config(self.data_dir.clone()).await).await;
        next._temp = self._temp.take();
        next.token = self.token.take();
        next
    }

    /// Stops the server gracefully.
    pub async fn stop(mut self) {
        self.shutdown().await;
    }

    /// Tells the server to stop, as SIGTERM does, without waiting for it to.
    pub fn tell_to_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server stopped cleanly");
        }
    }

    /// The same person's client talking to another server, at `addr`, on the same data: a
    /// second process of a deployment.
    pub fn at(&self, addr: SocketAddr) -> Self {
        Self {
            addr,
            client: self.client.clone(),
            token: self.token.clone(),
            data_dir: self.data_dir.clone(),
            _temp: None,
            stop: None,
            task: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        &self.data_dir
    }

    /// A request to `/api/v1{path}` carrying the app's session, if it has one.
    fn api(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .request(method, self.url(&format!("/api/v1{path}")))
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION.to_string());
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }
}

impl TestApp {
    /// Pushes `mutations` as a device of the current protocol does.
    pub async fn push(&self, mutations: &[Mutation]) -> PushResponse {
        let response = self
            .api(reqwest::Method::POST, "/sync/push")
            .json(&PushRequest {
                mutations: mutations.to_vec(),
            })
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        response.json().await.expect("push response")
    }

    /// Pushes `mutations`, every one of which must be applied.
    pub async fn push_applied(&self, mutations: &[Mutation]) {
        let refused: Vec<_> = self
            .push(mutations)
            .await
            .results
            .into_iter()
            .filter(|r| !matches!(r.outcome, dvor_core::protocol::Outcome::Applied))
            .collect();
        assert!(refused.is_empty(), "{refused:?}");
    }

    /// One page of changes after `after`.
    pub async fn pull(&self, after: u64, limit: u32) -> PullPage {
        let response = self
            .api(
                reqwest::Method::GET,
                &format!("/sync/pull?after={after}&limit={limit}"),
            )
            .send()
            .await
            .expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(status, reqwest::StatusCode::OK, "{text}");
        serde_json::from_str(&text).expect("pull page")
    }

    /// Every record, as a new device pulls them.
    pub async fn pull_all(&self) -> Vec<Envelope> {
        let (mut all, mut cursor) = (Vec::new(), 0);
        loop {
            let page = self.pull(cursor, 100).await;
            all.extend(page.changes);
            cursor = page.cursor;
            if !page.has_more {
                return all;
            }
        }
    }
}

/// A device: its node id and author.
pub fn node(n: u64) -> NodeId {
    NodeId::from_bits(n)
}

/// Now by the test's clock, in ms.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// The n-th record id.
pub fn record(n: u16) -> RecordId {
    RecordId::from_parts(
        1_764_028_800_000,
        [
            n.to_be_bytes()[0],
            n.to_be_bytes()[1],
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1,
        ],
    )
}

/// A fresh mutation id, distinct for each (device, counter).
pub fn mutation_id(device: u64, n: u64) -> MutationId {
    let mut random = [0u8; 10];
    random[..8].copy_from_slice(&(device << 32 | n).to_be_bytes());
    MutationId::from_parts(1_764_028_800_000, random)
}

/// The values of a valid subbotnik.
pub fn subbotnik_values(bags: u32) -> BTreeMap<String, Value> {
    [
        ("kind", json!("cleanup_day")),
        ("date", json!("2024-05-18")),
        ("site_address", json!("ул. Стахановская, 27")),
        ("measures.participants", json!(25)),
        ("measures.bags", json!(bags)),
        ("measures.area_m2", Value::Null),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The first admin, whom the sync tests push as.
pub const ADMIN_ID: UserId = UserId(1);
/// The committee the sync tests' records belong to.
pub const COMMITTEE: Owner = Owner::Committee(CommitteeId(1));

/// A change to `record` (the admin's, kept by [`COMMITTEE`]) by device `device`, stamped
/// `wall` ms (counter `n`, so a device's changes within one ms still differ), writing `values`.
pub fn change(
    record: RecordId,
    device: u64,
    wall: u64,
    n: u16,
    values: BTreeMap<String, Value>,
    deleted: Option<bool>,
) -> Envelope {
    Envelope::change(
        record,
        RecordKind::Activity,
        AuthorId::user(ADMIN_ID),
        COMMITTEE,
        Hlc::new(wall, n, node(device)),
        values,
        deleted,
    )
}

/// `change` wrapped as a mutation with a fresh id.
pub fn mutation(device: u64, n: u64, change: Envelope) -> Mutation {
    Mutation {
        mutation_id: mutation_id(device, n),
        change,
    }
}

/// Device 1's mutation creating subbotnik `record(n)` with `bags` bags, stamped `wall` ms.
pub fn creation(n: u16, wall: u64, bags: u32) -> Mutation {
    mutation(
        1,
        u64::from(n),
        change(record(n), 1, wall, n, subbotnik_values(bags), Some(false)),
    )
}

/// The password of the people the account tests make.
pub const PASSWORD: &str = "субботник в мае";
/// The login of the first admin [`city_with_admin`] makes.
pub const ADMIN: &str = "admin@example.ru";

/// A server whose reference data is `districts` (a reference file's `districts`) and whose
/// first admin is [`ADMIN`]; the admin's session token, and the directory to keep alive.
pub async fn city_with_admin(districts: Value) -> (TestApp, String, TempDir) {
    let temp = tempfile::tempdir().expect("temp dir");
    let (app, token) = city_with_admin_in(temp.path().join("data"), districts).await;
    (app, token, temp)
}

/// [`city_with_admin`] on the data directory `data`, which may hold an older version's data.
pub async fn city_with_admin_in(data: PathBuf, districts: Value) -> (TestApp, String) {
    let config = crate::database::config(data.clone()).await;
    std::fs::create_dir_all(&data).expect("data dir");
    let file = data.join("reference.json");
    std::fs::write(&file, json!({ "districts": districts }).to_string()).expect("written");
    prepare_city(&config, &file).await;
    let app = TestApp::start_on(data).await;
    let token = admin_signs_in(&app).await;
    (app, token)
}

/// Imports the reference file `file` into the database of `config` and makes [`ADMIN`], as
/// `dvor-server setup` would.
pub async fn prepare_city(config: &Config, file: &std::path::Path) {
    dvor_server::commands::import_reference(config, file)
        .await
        .expect("imported");
    dvor_server::commands::create_admin(
        config,
        ADMIN,
        "Администратор",
        dvor_server::commands::PasswordSource::Given(PASSWORD.into()),
    )
    .await
    .expect("created");
}

/// [`ADMIN`] signs in on `app`: their session token.
pub async fn admin_signs_in(app: &TestApp) -> String {
    let signed_in: Value = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "login": ADMIN, "password": PASSWORD }))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    signed_in["token"].as_str().expect("signed in").to_owned()
}

/// A person joining by an invite `admin` makes for `grant` (a grant's JSON), signed in.
pub async fn join(app: &TestApp, admin: &str, grant: Value, login: &str) -> SignedIn {
    let invite: Value = app
        .client
        .post(app.url("/api/v1/invites"))
        .bearer_auth(admin)
        .json(&json!({"grant": grant, "uses": 1, "days": 1}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let response = app
        .client
        .post(app.url("/api/v1/invites/join"))
        .json(&json!({"consent": true, "code": invite["code"], "name": "Участник", "login": login, "password": PASSWORD}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), reqwest::StatusCode::CREATED, "{login}");
    response.json().await.expect("signed in")
}

/// A server with one district (committees 1 «Забойщик» and 2 «Рудник», centre 1) and its admin
/// signed in: what the sync tests push and pull as.
pub async fn signed_in_city() -> TestApp {
    let (mut app, token, temp) = city_with_admin(json!([
        {"name": "Рудничный", "committees": ["Забойщик", "Рудник"], "centres": ["ЦРН"]}
    ]))
    .await;
    app.token = Some(token);
    app._temp = Some(temp);
    app
}
