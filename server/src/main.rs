use clap::Parser;
use dvor_server::commands::PasswordSource;
use dvor_server::config::{Cli, Command};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        None => dvor_server::serve(cli.config, shutdown_signal())
            .await
            .map_err(|e| e.to_string()),
        Some(Command::ImportReference { file }) => {
            dvor_server::commands::import_reference(&cli.config, &file)
                .await
                .map(|imported| {
                    println!(
                        "imported {} district(s), {} committee(s), {} centre(s); the rest were there already",
                        imported.districts, imported.committees, imported.centres
                    );
                })
                .map_err(|e| e.to_string())
        }
        Some(Command::CreateAdmin { login, name }) => {
            let password = std::env::var("DVOR_ADMIN_PASSWORD")
                .map_or(PasswordSource::Ask, PasswordSource::Given);
            dvor_server::commands::create_admin(&cli.config, &login, &name, password)
                .await
                .map(|id| println!("administrator {login} created (user {})", id.0))
                .map_err(|e| e.to_string())
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("dvor-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {error}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!("cannot listen for SIGTERM: {error}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
