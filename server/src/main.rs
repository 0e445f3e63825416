//! The `dvor-server` command: serve, or prepare a server (setup, admins, reference data).

use std::io::{IsTerminal, Write};

use clap::Parser;
use dvor_server::commands::PasswordSource;
use dvor_server::config::{Cli, Command, Config};
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
            create_admin(&cli.config, &login, &name).await
        }
        Some(Command::Setup) => setup(&cli.config).await,
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

/// `create-admin`, with the password from DVOR_ADMIN_PASSWORD or asked for.
async fn create_admin(config: &Config, login: &str, name: &str) -> Result<(), String> {
    let password =
        std::env::var("DVOR_ADMIN_PASSWORD").map_or(PasswordSource::Ask, PasswordSource::Given);
    dvor_server::commands::create_admin(config, login, name, password)
        .await
        .map(|id| println!("administrator {login} created (user {})", id.0))
        .map_err(|e| e.to_string())
}

/// `setup`: the bundled reference data for a city without districts, and the first
/// administrator for a server without accounts — from the environment, or asked for when a
/// person sits at the terminal.
async fn setup(config: &Config) -> Result<(), String> {
    let found = dvor_server::commands::prepare(config)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(imported) = found.imported {
        println!(
            "loaded the reference data of Kemerovo: {} district(s)",
            imported.districts
        );
    }
    if found.has_users {
        return Ok(());
    }
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let (Some(login), Some(name)) = (from_env("DVOR_ADMIN_LOGIN"), from_env("DVOR_ADMIN_NAME")) {
        return create_admin(config, &login, &name).await;
    }
    if !std::io::stdin().is_terminal() {
        println!(
            "nobody can sign in yet: create the first administrator with \
             `dvor-server --data-dir {} create-admin --login <phone or e-mail> --name <name>`",
            config.data_dir.display()
        );
        return Ok(());
    }
    println!("Первый запуск: создайте учётную запись администратора.");
    let login = ask("Телефон или e-mail: ")?;
    let name = ask("Имя: ")?;
    create_admin(config, &login, &name).await
}

/// A line typed at the terminal after `prompt`.
fn ask(prompt: &str) -> Result<String, String> {
    print!("{prompt}");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    Ok(line.trim().to_owned())
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
