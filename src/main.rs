fn main() {
    dvor::app::start();
}
