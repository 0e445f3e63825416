//! `cargo xtask soak N [--engine NAME] [--seed S]`: N randomized fault schedules of two devices
//! (`tests/e2e/soak.test.mjs`) in one engine, outside CI, each run recorded in docs/sync.md —
//! the engine, the first seed, how many schedules, the result and how long it took. A failure
//! names its seed; `cargo xtask soak 1 --seed <seed>` replays that schedule alone.

use std::fs;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::cmd::root;
use crate::engines::Engine;
use crate::test::{run_node_tests, test_output};

const LOG: (&str, &str) = ("<!-- soak:begin -->", "<!-- soak:end -->");

/// What `cargo xtask soak` was asked.
#[derive(Debug, PartialEq, Eq)]
struct Request {
    schedules: u64,
    engine: Engine,
    seed: Option<u64>,
}

fn parse(args: &[String]) -> Result<Request, String> {
    let usage = "usage: cargo xtask soak N [--engine chromium|firefox|webkit] [--seed S]";
    let mut request = Request {
        schedules: 0,
        engine: Engine::Chromium,
        seed: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| usage.to_owned());
        match arg.as_str() {
            "--engine" => request.engine = Engine::parse(value()?)?,
            "--seed" => request.seed = Some(value()?.parse().map_err(|_| usage.to_owned())?),
            number => request.schedules = number.parse().map_err(|_| usage.to_owned())?,
        }
    }
    if request.schedules == 0 {
        return Err(usage.to_owned());
    }
    Ok(request)
}

pub fn run(args: &[String]) -> Result<(), String> {
    let request = parse(args)?;
    // Seeds from the clock, as the test would choose, but known here to be written down.
    let seed = request.seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_secs() % 1_000_000_000)
    });
    let begun = Instant::now();
    let result = run_node_tests(
        request.engine,
        &["tests/e2e/soak.test.mjs".to_owned()],
        &[
            ("DVOR_SOAK_SCHEDULES", request.schedules.to_string()),
            ("DVOR_SOAK_SEED", seed.to_string()),
        ],
    );
    let outcome = match &result {
        Ok(()) => "all passed".to_owned(),
        Err(_) => failed_schedule(request.engine),
    };
    let minutes = begun.elapsed().as_secs_f64() / 60.0;
    let row = format!(
        "| {} | {} | {seed} | {} | {outcome} | {minutes:.0} min |\n",
        today()?,
        request.engine.name(),
        request.schedules,
    );
    record(&row)?;
    result
}

/// The failed schedule's seed and place, from the report the test wrote.
fn failed_schedule(engine: Engine) -> String {
    let report = fs::read_to_string(test_output(engine).join("soak-failure.json"));
    let field = |text: &str, name: &str| {
        let after = text.split_once(&format!("\"{name}\": "))?.1;
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty()).then_some(digits)
    };
    match report {
        Ok(text) => match (field(&text, "schedule"), field(&text, "seed")) {
            (Some(schedule), Some(seed)) => {
                format!("FAILED at schedule {schedule} (seed {seed})")
            }
            _ => "FAILED (see soak-failure.json)".to_owned(),
        },
        Err(_) => "FAILED before a schedule ran".to_owned(),
    }
}

fn today() -> Result<String, String> {
    crate::cmd::output(crate::cmd::command("date").args(["-u", "+%F"]))
        .map(|d| d.trim().to_owned())
        .ok_or_else(|| "`date` failed".to_owned())
}

/// Adds `row` to the soak log in docs/sync.md.
fn record(row: &str) -> Result<(), String> {
    let path = root().join("docs").join("sync.md");
    let doc = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (begin, end) = LOG;
    let (Some(_), Some(stop)) = (doc.find(begin), doc.find(end)) else {
        return Err(format!(
            "{} lacks the {begin} … {end} markers",
            path.display()
        ));
    };
    let updated = format!("{}{row}{}", &doc[..stop], &doc[stop..]);
    fs::write(&path, updated).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("recorded in {}: {}", path.display(), row.trim());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn a_count_an_engine_and_a_seed_are_read_in_any_order() {
        assert_eq!(
            parse(&args("--engine webkit 300 --seed 42")),
            Ok(Request {
                schedules: 300,
                engine: Engine::WebKit,
                seed: Some(42)
            })
        );
        assert_eq!(
            parse(&args("1000")),
            Ok(Request {
                schedules: 1000,
                engine: Engine::Chromium,
                seed: None
            })
        );
        for bad in [
            "",
            "0",
            "ten",
            "5 --engine",
            "5 --engine opera",
            "5 --seed x",
        ] {
            assert!(parse(&args(bad)).is_err(), "{bad:?}");
        }
    }
}
