//! A real server on 127.0.0.1 with a SQLite file in a temporary directory.

use std::net::SocketAddr;
use std::path::PathBuf;

use dvor_server::config::Config;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    data_dir: PathBuf,
    _temp: Option<TempDir>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl TestApp {
    pub async fn start() -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let data_dir = temp.path().join("data");
        let mut app = Self::start_in(data_dir, None).await;
        app._temp = Some(temp);
        app
    }

    pub async fn start_with_static(static_dir: PathBuf) -> Self {
        let temp = tempfile::tempdir().expect("temp dir");
        let mut app = Self::start_in(temp.path().join("data"), Some(static_dir)).await;
        app._temp = Some(temp);
        app
    }

    async fn start_in(data_dir: PathBuf, static_dir: Option<PathBuf>) -> Self {
        // Bind first to learn a free port, then hand the address to the server.
        let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("free port");
        let addr = probe.local_addr().expect("address");
        drop(probe);
        let config = Config {
            addr,
            data_dir: data_dir.clone(),
            static_dir,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            dvor_server::serve(config, async {
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
        let mut next = Self::start_in(self.data_dir.clone(), None).await;
        next._temp = self._temp.take();
        next
    }

    async fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.await.expect("server stopped cleanly");
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}
