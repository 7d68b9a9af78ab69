//! Aid mobilisation by stage.

pub mod activities;
