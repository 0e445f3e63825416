//! Serving HTTPS with the city's own certificate: PEM files read at start and read again when
//! a renewal job replaces them, with no restart and no connection dropped. HTTP/2 is offered
//! to clients that speak it (ALPN), HTTP/1.1 to the rest.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio_rustls::TlsAcceptor;

/// Why a certificate could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: io::Error,
    },
    /// The certificate file holds no certificate, or one that is not PEM.
    #[error("{path} holds no PEM certificate: {reason}")]
    Certificate {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The key file holds no private key, or one rustls cannot use.
    #[error("{path} holds no usable private key: {reason}")]
    Key {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// The key is not the certificate's (a renewal caught between writing the two files).
    #[error("the key in {key} does not belong to the certificate in {cert}")]
    Mismatch {
        /// The certificate file.
        cert: String,
        /// The key file.
        key: String,
    },
    /// rustls refused the configuration.
    #[error("cannot set up TLS: {0}")]
    Config(#[from] rustls::Error),
}

/// Where the certificate (with its chain) and its private key are, both PEM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate, then the intermediates (Let's Encrypt's `fullchain.pem`).
    pub cert: PathBuf,
    /// The private key (`privkey.pem`): PKCS#8, PKCS#1 or SEC1.
    pub key: PathBuf,
}

/// The TLS side of the listener: what accepts a handshake, and the certificate it presents.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
    certificate: Arc<Reloading>,
}

impl Tls {
    /// Reads the certificate and key at `files` and prepares the handshake.
    pub fn load(files: TlsFiles) -> Result<Self, TlsError> {
        // ring, which the object store's client already builds, rather than aws-lc-rs and its
        // C toolchain: rustls marks it deprecated for lacking the post-quantum key exchange
        // (X25519MLKEM768), which browsers offer but do not require; X25519 serves them.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let (key, stamp) = read(&files, &provider)?;
        let certificate = Arc::new(Reloading {
            files,
            provider: provider.clone(),
            current: RwLock::new(Arc::new(key)),
            stamp: Mutex::new(stamp),
        });
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(certificate.clone());
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Self {
            acceptor: TlsAcceptor::from(Arc::new(config)),
            certificate,
        })
    }

    /// What performs a connection's handshake.
    pub fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }

    /// Looks at the files every `every` and, when they changed, presents the new certificate
    /// to the next handshakes. A pair that cannot be used (a renewal half written) is logged
    /// and the one in use kept, until the files change again. Runs until dropped.
    pub async fn watch(self, every: Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            match self.certificate.reload_if_changed() {
                Ok(true) => tracing::info!(
                    cert = %self.certificate.files.cert.display(),
                    "the TLS certificate was read again"
                ),
                Ok(false) => {}
                Err(error) => {
                    tracing::warn!(%error, "the changed TLS files were not used; the certificate in use stays");
                }
            }
        }
    }
}

/// When the two files were last written and how long they were: a renewal changes at least
/// one of these.
type Stamp = [Option<(SystemTime, u64)>; 2];

fn stamp_of(files: &TlsFiles) -> Stamp {
    let of = |path: &Path| {
        fs::metadata(path)
            .ok()
            .and_then(|meta| Some((meta.modified().ok()?, meta.len())))
    };
    [of(&files.cert), of(&files.key)]
}

/// The certificate presented, replaced when its files change.
struct Reloading {
    files: TlsFiles,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
    /// The files' stamp when last read, usable or not: a pair that failed is not read again
    /// until it changes.
    stamp: Mutex<Stamp>,
}

impl Reloading {
    /// Reads the files again if they changed since the last look; whether a new certificate
    /// is now presented.
    fn reload_if_changed(&self) -> Result<bool, TlsError> {
        let now = stamp_of(&self.files);
        {
            let mut seen = self.stamp.lock().unwrap_or_else(PoisonError::into_inner);
            if *seen == now {
                return Ok(false);
            }
            *seen = now;
        }
        let (key, _) = read(&self.files, &self.provider)?;
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(key);
        Ok(true)
    }
}

impl std::fmt::Debug for Reloading {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reloading")
            .field("files", &self.files)
            .finish_non_exhaustive()
    }
}

impl ResolvesServerCert for Reloading {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        )
    }
}

/// The certificate and key at `files`, checked to belong together, and the files' stamp from
/// before they were read (so a change while reading is seen at the next look).
fn read(files: &TlsFiles, provider: &CryptoProvider) -> Result<(CertifiedKey, Stamp), TlsError> {
    let stamp = stamp_of(files);
    let cert_path = files.cert.display().to_string();
    let key_path = files.key.display().to_string();
    let cert_pem = fs::read(&files.cert).map_err(|source| TlsError::Read {
        path: cert_path.clone(),
        source,
    })?;
    let key_pem = fs::read(&files.key).map_err(|source| TlsError::Read {
        path: key_path.clone(),
        source,
    })?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| TlsError::Certificate {
            path: cert_path.clone(),
            reason: e.to_string(),
        })?;
    if chain.is_empty() {
        return Err(TlsError::Certificate {
            path: cert_path,
            reason: "the file is empty".to_owned(),
        });
    }
    let key_error = |reason: String| TlsError::Key {
        path: key_path.clone(),
        reason,
    };
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| key_error(e.to_string()))?;
    let signing = provider
        .key_provider
        .load_private_key(key)
        .map_err(|e| key_error(e.to_string()))?;
    let certified = CertifiedKey::new(chain, signing);
    certified.keys_match().map_err(|_| TlsError::Mismatch {
        cert: cert_path,
        key: key_path,
    })?;
    Ok((certified, stamp))
}
