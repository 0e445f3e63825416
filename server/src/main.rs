//! The `dvor-server` command: serve, or prepare a server (setup, admins, reference data).

use std::io::{IsTerminal, Write};

use dvor_server::backup::Manifest;
use dvor_server::commands::{NewAdmin, PasswordSource};
use dvor_server::config::{Command, Config, LogFormat};
use dvor_server::config_file::ConfigFileError;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = match dvor_server::config_file::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(ConfigFileError::Invalid(error)) => error.exit(),
        Err(error) => {
            eprintln!("dvor-server: {error}");
            return std::process::ExitCode::from(2);
        }
    };
    init_logging(cli.config.log_format);
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
        Some(Command::Migrate { to }) => dvor_server::commands::migrate(&cli.config, &to)
            .await
            .map(|moved| {
                let copied = moved.copied;
                let rows: u64 = copied.tables.iter().map(|(_, rows)| rows).sum();
                println!(
                    "copied {rows} row(s) of {} table(s); {} record(s) compared, all equal; \
                     {} photo(s) copied to the bucket",
                    copied.tables.len(),
                    copied.records_checked,
                    moved.photos
                );
            })
            .map_err(|e| e.to_string()),
        Some(Command::Backup { to }) => dvor_server::commands::backup(&cli.config, &to)
            .await
            .map(|manifest| told("copied", &to, &manifest, "fingerprinted in its manifest.json"))
            .map_err(|e| e.to_string()),
        Some(Command::Restore { from }) => dvor_server::commands::restore(&cli.config, &from)
            .await
            .map(|manifest| told("restored", &from, &manifest, "checked against the manifest"))
            .map_err(|e| e.to_string()),
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

/// Prints what a backup or a restore did, in one line.
fn told(done: &str, dir: &std::path::Path, manifest: &Manifest, tables: &str) {
    let rows = |table| manifest.rows(table).unwrap_or_default();
    println!(
        "{done} the city as of {} ({}): {} record(s), {} account(s), {} photo(s); every table \
         {tables}",
        manifest.taken_at,
        dir.display(),
        rows("records"),
        rows("users"),
        manifest.photos
    );
}

/// The log on standard output, filtered by RUST_LOG (by default `info,sqlx=warn`).
fn init_logging(format: LogFormat) {
    let logger = tracing_subscriber::fmt().with_env_filter(
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
    );
    match format {
        // Colour codes only for a person at a terminal, not in a file or a journal.
        LogFormat::Text => logger.with_ansi(std::io::stdout().is_terminal()).init(),
        // The request's id from its span, beside the event's own fields.
        LogFormat::Json => logger
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
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
/// person sits at the terminal. Every input is checked before anything is written.
async fn setup(config: &Config) -> Result<(), String> {
    let has_users = dvor_server::commands::has_users(config)
        .await
        .map_err(|e| e.to_string())?;
    let admin = if has_users { None } else { first_admin()? };
    let asked_for_none = !has_users && admin.is_none();
    let login = admin.as_ref().map(|admin| admin.login().to_string());
    let done = dvor_server::commands::setup(config, admin)
        .await
        .map_err(|e| e.to_string())?;
    if let Some(imported) = done.imported {
        println!(
            "loaded the reference data of Kemerovo: {} district(s)",
            imported.districts
        );
    }
    if let (Some(id), Some(login)) = (done.admin, login) {
        println!("administrator {login} created (user {})", id.0);
    }
    if asked_for_none {
        println!(
            "nobody can sign in yet: create the first administrator with \
             `dvor-server --data-dir {} create-admin --login <phone or e-mail> --name <name>` \
             (a password of at least 10 characters)",
            config.data_dir.display()
        );
    }
    Ok(())
}

/// The first administrator, checked: from DVOR_ADMIN_LOGIN, DVOR_ADMIN_NAME and
/// DVOR_ADMIN_PASSWORD (the password asked for if only it is missing), or asked for at the
/// terminal; none when there is neither.
fn first_admin() -> Result<Option<NewAdmin>, String> {
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let password =
        || std::env::var("DVOR_ADMIN_PASSWORD").map_or(PasswordSource::Ask, PasswordSource::Given);
    let (login, name) = match (from_env("DVOR_ADMIN_LOGIN"), from_env("DVOR_ADMIN_NAME")) {
        (Some(login), Some(name)) => (login, name),
        _ if std::io::stdin().is_terminal() => {
            println!("Первый запуск: создайте учётную запись администратора.");
            (ask("Телефон или e-mail: ")?, ask("Имя: ")?)
        }
        _ => return Ok(None),
    };
    NewAdmin::check(&login, &name, password())
        .map(Some)
        .map_err(|e| e.to_string())
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
