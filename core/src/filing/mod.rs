//! The filing's text and what it needs: [`fields`] validates each field, [`documents`] the ID
//! documents' numbers, [`filing_number`] ICP filing numbers and [`site_name`] website names; a
//! [`submission`] holds them with the subject and [`province`], and [`requirements`] says which
//! materials they need.

pub mod documents;
pub mod fields;
pub mod filing_number;
pub mod invalid;
pub mod province;
pub mod requirements;
pub mod site_name;
pub mod submission;
