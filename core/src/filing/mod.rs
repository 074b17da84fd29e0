//! The filing's text and what it needs: [`form`] is the fields document (its first form in
//! [`legacy`]); [`fields`] validates each field, [`documents`] the ID documents' numbers,
//! [`filing_number`] ICP filing numbers and [`site_name`] website names, each refusal an
//! [`invalid::Invalid`]; a [`submission`] holds the document with the subject and [`province`]
//! and checks it as a whole, and [`requirements`] says which materials it needs and whose.

pub mod documents;
pub mod fields;
pub mod filing_number;
pub mod form;
pub mod legacy;
pub mod invalid;
pub mod province;
pub mod requirements;
pub mod site_name;
pub mod submission;
