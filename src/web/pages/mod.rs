//! Server-rendered pages. Handlers call the same domain functions as the API.

pub mod account;
pub mod assets;
pub mod auth;
pub mod contacts;
pub mod employers;
mod views;
