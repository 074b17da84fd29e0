//! The hostile-input suite: each class of attack from a generator, each case asserting the
//! exact code, a bounded time and memory, and that nothing outside its working directory changed.
//! See the README's "What hexin refuses".

mod harness;

mod files;
mod sealing;
mod outbox;
mod transport;
mod images;
