//! Performance marks around the work a person waits for — a sync pass's phases (`dvor:push`,
//! with its outbox reads `dvor:push-read` and answers stored `dvor:push-answers`; `dvor:pull`,
//! `dvor:pull-write`), saving a change (`dvor:save`: its reads `dvor:save-read`, its writes
//! issued `dvor:save-write`, its commit `dvor:save-commit`), reading the records for the list
//! (`dvor:records-load`) — so the browser's performance tools and `cargo xtask bench` see how
//! long each takes and where the time goes.

/// A phase being timed. It is measured only when [`Span::end`] is called, so a phase that fails
/// half way (an early return through `?`) leaves no misleading measure.
pub struct Span(&'static str);

impl Span {
    /// Marks the start of phase `name`.
    pub fn start(name: &'static str) -> Self {
        if let Some(performance) = performance() {
            let _ = performance.mark(&start_mark(name));
        }
        Self(name)
    }

    /// Measures the phase from its start to now.
    pub fn end(self) {
        if let Some(performance) = performance() {
            let _ = performance.measure_with_start_mark(self.0, &start_mark(self.0));
        }
    }
}

fn start_mark(name: &str) -> String {
    format!("{name}:start")
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}
