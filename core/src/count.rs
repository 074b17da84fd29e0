//! Counts as hexin's records show them: signed, as Kotlin and Swift count (`Long`/`Int64`,
//! `Int`/`Int32`), where the Rust side counts in unsigned sizes.

/// A byte count or size as `i64`. No file or image comes near `i64::MAX`; one past it would
/// read as `i64::MAX`.
pub fn signed<T: TryInto<i64>>(n: T) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}
