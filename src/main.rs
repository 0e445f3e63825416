//! The web client's entry point: the app starts once the wasm is loaded.

fn main() {
    dvor::app::start();
}
