//! The hostile-input suite: each class of attack from a generator, each case asserting the
//! exact code, a bounded time and memory, and that nothing outside its working directory changed.
//! Every refusal with its limit and code: docs/refusals.md.

mod harness;

mod files;
mod sealing;
mod outbox;
mod transport;
mod images;
