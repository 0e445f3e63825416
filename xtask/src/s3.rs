//! An S3-protocol server on this machine for the server's tests: moto's, from PyPI
//! (`toolchain::ensure_moto`), on a free port of 127.0.0.1 with the tests' bucket made, stopped
//! when dropped. moto keeps the objects in memory and accepts any credentials.

use std::net::TcpListener;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::cmd::command;
use crate::toolchain::ensure_moto;

/// The bucket the server's tests keep photos in (`server/tests/it/database.rs`).
const BUCKET: &str = "dvor-test";

/// A running S3 server.
pub struct S3Server {
    child: Child,
    endpoint: String,
}

impl S3Server {
    /// Installs moto if needed, starts its server and makes the tests' bucket.
    pub fn start() -> Result<Self, String> {
        let bin = ensure_moto()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = command(&bin.join("moto_server").to_string_lossy())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start moto_server: {e}"))?;
        let server = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let make_bucket = format!(
            "import boto3; boto3.client('s3', endpoint_url='{}', aws_access_key_id='test', \
             aws_secret_access_key='test', region_name='us-east-1').create_bucket(Bucket='{BUCKET}')",
            server.endpoint
        );
        loop {
            let made = command(&bin.join("python").to_string_lossy())
                .args(["-c", &make_bucket])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if made {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!("moto_server did not answer on {}", server.endpoint));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// Sets the variables with which `command`'s servers (and the tests) reach the bucket.
    pub fn configure(&self, command: &mut std::process::Command) {
        command
            .env("DVOR_TEST_S3", &self.endpoint)
            // moto accepts any credentials; the server reads them as it would Amazon's.
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "test");
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
