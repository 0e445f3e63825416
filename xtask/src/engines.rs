//! The three browser engines the tests run in — Chromium, Firefox and WebKit (Safari's engine,
//! as WebKitGTK) — and how each is driven on this machine: docs/toolchain.md.

use std::process::Command;

use crate::cmd::command;

/// A browser engine a person may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Chromium,
    Firefox,
    WebKit,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The name the end-to-end tests read from `DVOR_ENGINE`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    pub fn parse(name: &str) -> Result<Engine, String> {
        Engine::ALL
            .into_iter()
            .find(|engine| engine.name() == name)
            .ok_or_else(|| format!("unknown engine `{name}`: chromium, firefox or webkit"))
    }

    /// The WebDriver server wasm-bindgen-test-runner starts, as the variable that names it.
    /// WebKitGTK's driver speaks W3C WebDriver like geckodriver, and the runner sends it the
    /// `webkitgtk:browserOptions` of webdriver.json only under that name.
    pub fn wasm_test_driver(self) -> (&'static str, &'static str) {
        match self {
            Engine::Chromium => ("CHROMEDRIVER", "/usr/bin/chromedriver"),
            Engine::Firefox => ("GECKODRIVER", "geckodriver"),
            Engine::WebKit => ("GECKODRIVER", "/usr/bin/WebKitWebDriver"),
        }
    }

    /// `program` run so that this engine can start: WebKitGTK has no headless mode and needs
    /// an X display, a virtual one here.
    pub fn command(self, program: &str) -> Command {
        match self {
            Engine::WebKit => {
                let mut c = command("xvfb-run");
                c.args([
                    "--auto-servernum",
                    "--server-args=-screen 0 1280x1024x24",
                    program,
                ]);
                // Skia's painting threads crash now and then on Mesa's software GL under Xvfb
                // (segfaults in SkiaGPUWorker): paint on the CPU, as a machine without a GPU
                // would. Compositing stays on: turning it off stops requestAnimationFrame.
                c.env("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1");
                c
            }
            Engine::Chromium | Engine::Firefox => command(program),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_engine_parses_back_from_its_name() {
        for engine in Engine::ALL {
            assert_eq!(Engine::parse(engine.name()), Ok(engine));
        }
        assert!(Engine::parse("safari").is_err());
    }
}
