//! The one background runtime, and the guards that turn a panic into [`Error::Internal`].

use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

use hexin_core::Error;
use tokio::runtime::Runtime;
use tokio::task::JoinError;

/// Two workers: photo checks and sealing use the blocking pool, uploads are I/O.
fn runtime() -> Result<&'static Runtime, Error> {
    static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("hexin")
                .enable_all()
                .build()
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|reason| Error::Internal { reason: format!("tokio runtime: {reason}") })
}

/// Runs CPU or disk work on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, Error> + Send + 'static) -> Result<T, Error> {
    joined(runtime()?.spawn_blocking(work).await)
}

/// Runs async work on the runtime (reqwest needs a Tokio reactor, whoever polls the caller).
pub(crate) async fn spawn<T: Send + 'static>(work: impl Future<Output = Result<T, Error>> + Send + 'static) -> Result<T, Error> {
    joined(runtime()?.spawn(work).await)
}

/// Starts async work without waiting for it.
pub(crate) fn detach(work: impl Future<Output = ()> + Send + 'static) -> Result<(), Error> {
    runtime()?.spawn(work);
    Ok(())
}

/// Runs quick synchronous work, catching a panic.
pub(crate) fn guard<T>(work: impl FnOnce() -> Result<T, Error>) -> Result<T, Error> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|panic| Err(internal(panic)))
}

pub(crate) fn joined<T>(result: Result<Result<T, Error>, JoinError>) -> Result<T, Error> {
    match result {
        Ok(result) => result,
        Err(e) if e.is_panic() => Err(internal(e.into_panic())),
        Err(e) => Err(Error::Internal { reason: e.to_string() }),
    }
}

fn internal(panic: Box<dyn Any + Send>) -> Error {
    let reason = match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => (*s).to_string(),
        (_, Some(s)) => s.clone(),
        _ => "a panic without a message".into(),
    };
    Error::Internal { reason: format!("panic: {reason}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_internal_errors() {
        let err = guard::<()>(|| panic!("boom")).unwrap_err();
        assert!(matches!(&err, Error::Internal { reason } if reason == "panic: boom"), "{err:?}");
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let err = rt.block_on(blocking::<()>(|| panic!("{}", "in a task"))).unwrap_err();
        assert!(matches!(&err, Error::Internal { reason } if reason == "panic: in a task"), "{err:?}");
        let err = rt.block_on(spawn::<()>(async { panic!("async") })).unwrap_err();
        assert_eq!(err.code(), hexin_core::Code::InternalError);
        assert_eq!(rt.block_on(blocking(|| Ok(7))).unwrap(), 7);
    }
}
