//! The filing's text and what it needs: [`fields`] validates each field and [`documents`] the ID
//! documents' numbers; a [`submission`] holds them with the subject and [`province`], and
//! [`requirements`] says which materials they need.

pub mod documents;
pub mod fields;
pub mod invalid;
pub mod province;
pub mod requirements;
pub mod submission;
