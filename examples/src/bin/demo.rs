//! The psa-rmm demo (being built).
fn main() {
    println!("psa-rmm demo: under construction");
}
