//! Aid mobilisation by stage.

pub mod activities;
pub mod activities_views;
