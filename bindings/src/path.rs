//! Paths and counts as the platforms spell them: a path is a Kotlin `java.io.File` and a Swift
//! file `URL` (the mapping is in uniffi.toml), a count is a Kotlin `Long`/`Int` (signed),
//! checked here on the way in.

use std::path::{Path, PathBuf};

use hexin_core::Error;

/// A file or directory on the device.
pub struct FilePath(PathBuf);

uniffi::custom_type!(FilePath, String, {
    lower: |path| path.0.to_string_lossy().into_owned(),
    try_lift: |text| Ok(FilePath(PathBuf::from(text))),
});

impl AsRef<Path> for FilePath {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

/// A count from the app (`Long`, `Int`) as the unsigned value core takes: a negative one (or one
/// too large for `T`) is `InvalidArgument` named `name`.
pub(crate) fn unsigned_arg<T: TryFrom<i64>>(name: &str, value: impl Into<i64>) -> Result<T, Error> {
    let value = value.into();
    T::try_from(value).map_err(|_| Error::InvalidArgument { name: name.into(), reason: format!("{value} is out of range") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_counts_are_invalid_arguments() {
        assert_eq!(unsigned_arg::<u64>("max_bytes", 5i64).unwrap(), 5);
        let err = unsigned_arg::<u32>("keep_days", -1i32).unwrap_err();
        assert!(matches!(&err, Error::InvalidArgument { name, .. } if name == "keep_days"), "{err:?}");
        assert!(unsigned_arg::<u32>("keep_days", i64::MAX).is_err());
    }
}
