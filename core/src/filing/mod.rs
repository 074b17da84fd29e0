//! The filing's text and what it needs: [`fields`] validates each field and [`documents`] each
//! ID document, [`filing_number`] the ICP numbers, [`form`] is the fields document (its first
//! form in [`legacy`]), a [`submission`] holds it with the subject and [`province`] and checks
//! it as a whole, and [`requirements`] says which materials it needs and whose.

pub mod documents;
pub mod fields;
pub mod filing_number;
pub mod form;
pub mod legacy;
pub mod province;
pub mod requirements;
pub mod submission;
