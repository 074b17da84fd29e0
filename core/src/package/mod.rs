//! The sealed package: [`seal`] writes the files and the [`manifest`] (its digest over
//! [`canonical`](crate::canonical) JSON, optionally a [`signature`]); [`verify`] checks a package as a server
//! receives it.

pub mod manifest;
pub mod seal;
pub mod signature;
pub mod verify;
