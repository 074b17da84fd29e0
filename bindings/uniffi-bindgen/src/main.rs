//! uniffi's bindings generator, run by scripts/bindings.sh.

fn main() {
    uniffi::uniffi_bindgen_main()
}
