//! Settings from a TOML file (`--config`, `DVOR_CONFIG`), for a city's server set up once by
//! its admin: each key is a flag's name without its dashes (`data-dir = "/var/lib/dvor"`),
//! and a flag or an environment variable given as well overrides the file's value.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches};

use crate::config::Cli;

/// Why the settings could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read.
    #[error("cannot read the settings in {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("{path} is not a TOML file: {source}")]
    Syntax {
        /// The file.
        path: String,
        /// Where and why.
        source: Box<toml::de::Error>,
    },
    /// A key that names no setting, or a value of a kind no flag takes.
    #[error("{path}: {reason}")]
    Setting {
        /// The file.
        path: String,
        /// Which key and why.
        reason: String,
    },
    /// The settings, with the file's added, are not valid (clap's own message).
    #[error("{0}")]
    Invalid(#[from] clap::Error),
}

/// The command line of `args`, with the values of the settings file it names (`--config` or
/// `DVOR_CONFIG`) for every setting that neither a flag nor an environment variable gives.
pub fn parse(args: Vec<OsString>) -> Result<Cli, ConfigFileError> {
    let matches = Cli::command().try_get_matches_from(&args)?;
    let Some(path) = matches.get_one::<PathBuf>("config_file") else {
        return Ok(Cli::from_arg_matches(&matches)?);
    };
    let from_file = arguments(path, &matches)?;
    let mut args = args.into_iter();
    // The file's settings go right after the program's name, before any subcommand.
    let program = args.next().into_iter();
    let combined: Vec<OsString> = program.chain(from_file).chain(args).collect();
    Ok(Cli::from_arg_matches(
        &Cli::command().try_get_matches_from(combined)?,
    )?)
}

/// The flags that carry the file's settings not given otherwise.
fn arguments(path: &Path, matches: &ArgMatches) -> Result<Vec<OsString>, ConfigFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read {
        path: shown.clone(),
        source,
    })?;
    let table: toml::Table = toml::from_str(&text).map_err(|source| ConfigFileError::Syntax {
        path: shown.clone(),
        source: Box::new(source),
    })?;
    let command = Cli::command();
    let setting_error = |reason: String| ConfigFileError::Setting {
        path: shown.clone(),
        reason,
    };
    let mut flags = Vec::new();
    for (key, value) in table {
        let argument = command
            .get_arguments()
            .find(|argument| argument.get_long() == Some(key.as_str()) && key != "config")
            .ok_or_else(|| setting_error(format!("no setting is called `{key}`")))?;
        let given = matches!(
            matches.value_source(argument.get_id().as_str()),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        );
        if given {
            continue;
        }
        let text = match value {
            toml::Value::String(text) => text,
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    toml::Value::String(text) => Ok(text),
                    other => Err(setting_error(format!(
                        "`{key}` lists {other}, where a text in quotes is expected"
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?
                .join(","),
            other => {
                return Err(setting_error(format!(
                    "`{key}` is {other}, where a text in quotes or a number is expected"
                )));
            }
        };
        flags.push(OsString::from(format!("--{key}")));
        flags.push(OsString::from(text));
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        std::iter::once("dvor-server")
            .chain(list.iter().copied())
            .map(OsString::from)
            .collect()
    }

    fn file(text: &str) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("dvor.toml");
        std::fs::write(&path, text).expect("written");
        (dir, path.display().to_string())
    }

    #[test]
    fn the_file_sets_what_no_flag_gives_and_a_flag_wins() {
        let (_dir, path) = file(
            "addr = \"0.0.0.0:443\"\ndata-dir = \"/var/lib/dvor\"\nborrower-keep-days = 14\n\
             trusted-proxies = [\"10.0.0.5\", \"10.1.0.0/24\"]\n",
        );
        let cli = parse(args(&["--config", &path, "--data-dir", "/srv/dvor"])).expect("parsed");
        assert_eq!(
            cli.config.addr,
            "0.0.0.0:443".parse::<SocketAddr>().expect("an address")
        );
        assert_eq!(cli.config.data_dir, PathBuf::from("/srv/dvor"));
        assert_eq!(cli.config.borrower_keep_days, 14);
        assert_eq!(cli.config.trusted_proxies.len(), 2);
    }

    #[test]
    fn settings_reach_a_subcommand_too() {
        let (_dir, path) = file("data-dir = \"/var/lib/dvor\"\n");
        let cli = parse(args(&["--config", &path, "setup"])).expect("parsed");
        assert_eq!(cli.config.data_dir, PathBuf::from("/var/lib/dvor"));
        assert!(cli.command.is_some());
    }

    #[test]
    fn an_unknown_key_a_wrong_kind_and_a_bad_value_are_named() {
        for (text, expected) in [
            ("data_dir = \"x\"\n", "no setting is called `data_dir`"),
            ("tls-check-secs = true\n", "`tls-check-secs` is true"),
            ("addr = \"here\"\n", "addr"),
            ("addr = \n", "not a TOML file"),
        ] {
            let (_dir, path) = file(text);
            let error = parse(args(&["--config", &path]))
                .expect_err(text)
                .to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn without_a_file_the_command_line_is_as_it_was() {
        let cli = parse(args(&["--data-dir", "/srv/dvor"])).expect("parsed");
        assert_eq!(cli.config.data_dir, PathBuf::from("/srv/dvor"));
    }
}
