//! The filing's text and what it needs: [`fields`] validates each field, a [`submission`] holds
//! them with the subject and [`province`], and [`requirements`] says which materials they need.

pub mod fields;
pub mod province;
pub mod requirements;
pub mod submission;
