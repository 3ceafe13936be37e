//! The `manage_conditions` property over `Arbitrary` trees, using the independent model of Manage's
//! condition grammar that `cw-manage-client/tests/prop_injection.rs` also uses.

#[path = "../../test-support/conditions_model.rs"]
mod model;

pub use model::Tree;

/// Renders `tree` through the builder and panics unless the rendered text tokenises to exactly the tree's
/// token sequence (and renders exactly when the tree is well-formed).
pub fn check(tree: &Tree) {
    if let Err(e) = model::check(tree) {
        panic!("{e}");
    }
}
