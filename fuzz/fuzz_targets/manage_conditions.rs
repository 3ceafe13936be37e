//! Manage conditions built from an arbitrary tree with arbitrary string values: the rendered text,
//! tokenised, is exactly the tree's token sequence (no value adds an operator, keyword or bracket), and
//! it renders exactly when the tree is well-formed.
#![no_main]
use psa_rmm_fuzz::conditions::{Tree, check};

libfuzzer_sys::fuzz_target!(|tree: Tree| check(&tree));
