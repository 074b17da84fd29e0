//! The error type for input hexin refuses before any check can run.

use crate::code::{Code, Message};
use crate::material::MaterialKind;
use crate::problem::Problem;

/// Why an input or a policy could not be used. Every variant maps to a stable [`Code`].
///
/// Counts are signed (`i64`, `i32`: Kotlin's `Long` and `Int`, Swift's `Int64` and `Int32`) and
/// made with [`crate::count::signed`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error))]
#[cfg_attr(feature = "uniffi", uniffi(name = "HexinError"))]
#[non_exhaustive]
pub enum Error {
    #[error("unsupported_format: {format} is not accepted here")]
    UnsupportedFormat { format: String },
    #[error("input_too_large: {bytes} bytes exceeds the limit of {limit}")]
    InputTooLarge { bytes: i64, limit: i64 },
    #[error("dimensions_too_large: {width}x{height} exceeds the limit of {limit_pixels} pixels or {limit_side} per side")]
    DimensionsTooLarge { width: i64, height: i64, limit_pixels: i64, limit_side: i64 },
    #[error("not_a_file: {path} is a {kind}, not a regular file")]
    NotAFile { path: String, kind: String },
    #[error("corrupt_image: {reason}")]
    CorruptImage { reason: String },
    #[error("invalid_policy: {field}: {reason}")]
    InvalidPolicy { field: String, reason: String },
    #[error("invalid_fields: {reason}")]
    InvalidFields { reason: String },
    /// A malformed argument from the host app; `name` says which (`key`, `package_id`, …).
    #[error("invalid_argument: {name}: {reason}")]
    InvalidArgument { name: String, reason: String },
    #[error("unknown_province: {province}")]
    UnknownProvince { province: String },
    /// The policy wants this material taken with the app's camera, and it came from the gallery.
    #[error("capture_source_not_allowed: {kind} must be photographed in the app")]
    CaptureSourceNotAllowed { kind: MaterialKind },
    #[error("seal_refused: {}", list(problems))]
    SealRefused { problems: Vec<Problem> },
    #[error("signing_failed: {reason}")]
    SigningFailed { reason: String },
    #[error("manifest_invalid: {reason}")]
    ManifestInvalid { reason: String },
    #[error("outbox_full: {bytes} bytes would exceed the cap of {limit}")]
    OutboxFull { bytes: i64, limit: i64 },
    #[error("outbox_key_required: the outbox is encrypted")]
    OutboxKeyRequired,
    #[error("outbox_key_mismatch: {reason}")]
    OutboxKeyMismatch { reason: String },
    #[error("outbox_locked: another process has {path} open")]
    OutboxLocked { path: String },
    #[error("outbox_foreign: {path} holds files but is not an outbox")]
    OutboxForeign { path: String },
    #[error("outbox_corrupt: {reason}")]
    OutboxCorrupt { reason: String },
    #[error("package_not_found: {id}")]
    PackageNotFound { id: String },
    #[error("package_conflict: {id}: {reason}")]
    PackageConflict { id: String, reason: String },
    #[error("draft_changed: {id}")]
    DraftChanged { id: String },
    #[error("invalid_state: package {id} is {state}; {action} is not allowed")]
    InvalidState { id: String, state: String, action: String },
    #[error("storage_error: {op}: {reason}")]
    Storage { op: String, reason: String },
    #[error("invalid_endpoint: {reason}")]
    InvalidEndpoint { reason: String },
    #[error("upload_rejected: HTTP {status}: {reason}")]
    UploadRejected { status: i32, reason: String },
    #[error("upload_failed ({kind}) after {attempts} attempts: {reason}")]
    UploadFailed { attempts: i32, kind: FailureKind, reason: String },
    #[error("upload_cancelled")]
    UploadCancelled,
    #[error("protocol_violation: {reason}")]
    ProtocolViolation { reason: String },
    #[error("upload_url_refused: {reason}")]
    UploadUrlRefused { reason: String },
    #[error("commit_rejected: HTTP {status}: {reason}")]
    CommitRejected { status: i32, reason: String },
    /// A panic inside hexin, caught at the FFI boundary; the app keeps running.
    #[error("internal_error: {reason}")]
    Internal { reason: String },
}

/// What an upload kept failing on, for [`Error::UploadFailed`]; its string form is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum FailureKind {
    /// Connections failed, were cut or timed out.
    Network,
    /// The server answered with errors (5xx, 429, 408) or conflicts, or kept losing the upload.
    Server,
    /// The server accepted requests but confirmed fewer bytes than were sent, until the retry
    /// budget or the byte budget (3x the file plus a fixed allowance) ran out.
    NoProgress,
}

impl FailureKind {
    /// `network`, `server` or `no_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Network => "network",
            FailureKind::Server => "server",
            FailureKind::NoProgress => "no_progress",
        }
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exception a Kotlin or Swift implementation of a hexin trait threw that was not a
/// `HexinError`: a bug in the app's signer, reported as its failure. (A listener's or a
/// logger's is dropped: the delivery goes on.)
#[cfg(feature = "uniffi")]
impl From<uniffi::UnexpectedUniFFICallbackError> for Error {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Error {
        Error::SigningFailed { reason: e.reason }
    }
}

/// `text` cut for an error message: each line to [`EXCERPT_LINE_CHARS`] characters and at most
/// [`EXCERPT_LINES`] lines, so quoted outside input (a 100 MB policy line) stays readable.
pub(crate) fn excerpt(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == EXCERPT_LINES {
            out.push_str("\n…");
            break;
        }
        if i > 0 {
            out.push('\n');
        }
        let mut chars = line.chars();
        out.extend(chars.by_ref().take(EXCERPT_LINE_CHARS));
        if chars.next().is_some() {
            out.push('…');
        }
    }
    out
}

/// How many characters of one line of quoted input an error message keeps.
pub(crate) const EXCERPT_LINE_CHARS: usize = 200;
/// How many lines of quoted input an error message keeps.
const EXCERPT_LINES: usize = 12;

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; ")
}

impl Error {
    /// A storage step `op` that failed with `cause` (an I/O, SQLite or random-source error).
    pub(crate) fn storage(op: impl Into<String>, cause: impl ToString) -> Error {
        Error::Storage { op: op.into(), reason: cause.to_string() }
    }

    /// The stable code of this error.
    pub fn code(&self) -> Code {
        match self {
            Error::UnsupportedFormat { .. } => Code::UnsupportedFormat,
            Error::InputTooLarge { .. } => Code::InputTooLarge,
            Error::DimensionsTooLarge { .. } => Code::DimensionsTooLarge,
            Error::NotAFile { .. } => Code::NotAFile,
            Error::CorruptImage { .. } => Code::CorruptImage,
            Error::InvalidPolicy { .. } => Code::InvalidPolicy,
            Error::InvalidFields { .. } => Code::InvalidFields,
            Error::InvalidArgument { .. } => Code::InvalidArgument,
            Error::UnknownProvince { .. } => Code::UnknownProvince,
            Error::CaptureSourceNotAllowed { .. } => Code::CaptureSourceNotAllowed,
            Error::SealRefused { .. } => Code::SealRefused,
            Error::SigningFailed { .. } => Code::SigningFailed,
            Error::ManifestInvalid { .. } => Code::ManifestInvalid,
            Error::OutboxFull { .. } => Code::OutboxFull,
            Error::OutboxKeyRequired => Code::OutboxKeyRequired,
            Error::OutboxKeyMismatch { .. } => Code::OutboxKeyMismatch,
            Error::OutboxLocked { .. } => Code::OutboxLocked,
            Error::OutboxForeign { .. } => Code::OutboxForeign,
            Error::OutboxCorrupt { .. } => Code::OutboxCorrupt,
            Error::PackageNotFound { .. } => Code::PackageNotFound,
            Error::PackageConflict { .. } => Code::PackageConflict,
            Error::DraftChanged { .. } => Code::DraftChanged,
            Error::InvalidState { .. } => Code::InvalidState,
            Error::Storage { .. } => Code::StorageError,
            Error::InvalidEndpoint { .. } => Code::InvalidEndpoint,
            Error::UploadRejected { .. } => Code::UploadRejected,
            Error::UploadFailed { .. } => Code::UploadFailed,
            Error::UploadCancelled => Code::UploadCancelled,
            Error::ProtocolViolation { .. } => Code::ProtocolViolation,
            Error::UploadUrlRefused { .. } => Code::UploadUrlRefused,
            Error::CommitRejected { .. } => Code::CommitRejected,
            Error::Internal { .. } => Code::InternalError,
        }
    }

    /// The measured value and the limit it broke, where there are numbers to show.
    pub fn measured_and_limit(&self) -> Option<(f64, f64)> {
        match self {
            Error::InputTooLarge { bytes, limit } => Some((*bytes as f64, *limit as f64)),
            Error::DimensionsTooLarge { width, height, limit_pixels, .. } => {
                Some((*width as f64 * *height as f64, *limit_pixels as f64))
            }
            Error::OutboxFull { bytes, limit } => Some((*bytes as f64, *limit as f64)),
            _ => None,
        }
    }

    /// What to tell the person holding the phone, in zh and en.
    pub fn message(&self) -> Message {
        match self {
            Error::UnsupportedFormat { format } => Message::new(
                format!("不支持 {format} 格式，请在手机上转换为 JPEG 后重新上传（iPhone：设置 > 相机 > 格式 > 兼容性最佳）。"),
                format!("{format} is not supported: convert the photo to JPEG on the device and try again (iPhone: Settings > Camera > Formats > Most Compatible)."),
            ),
            Error::InputTooLarge { limit, .. } => Message::new(
                format!("文件过大（上限 {} MB），请降低相机分辨率后重拍。", limit / 1_000_000),
                format!("The file is too large (limit {} MB): lower the camera resolution and retake.", limit / 1_000_000),
            ),
            Error::DimensionsTooLarge { .. } => Message::new(
                "图片像素尺寸过大，请使用手机相机的常规分辨率重拍。",
                "The image has too many pixels: retake it at the camera's normal resolution.",
            ),
            Error::NotAFile { kind, .. } => Message::new(
                format!("所选文件是{}，不是普通文件，请选择照片或文档文件本身。", match kind.as_str() { "symlink" => "符号链接", "fifo" => "管道", "directory" => "文件夹", "device" => "设备文件", _ => "特殊文件" }),
                format!("The chosen file is a {kind}, not a regular file: choose the photo or document file itself."),
            ),
            Error::CorruptImage { .. } => Message::new(
                "图片文件已损坏或不完整，请重新拍摄。",
                "The image file is damaged or incomplete: take the photo again.",
            ),
            Error::InvalidPolicy { field, reason } => Message::new(
                format!("核验策略配置错误：{field}：{reason}"),
                format!("The verification policy is invalid: {field}: {reason}"),
            ),
            Error::InvalidFields { reason } => Message::new(
                format!("填写的信息无法读取：{reason}"),
                format!("The submitted fields cannot be read: {reason}"),
            ),
            Error::InvalidArgument { name, reason } => Message::new(
                format!("应用传入的参数 {name} 无效：{reason}。这是应用的问题，请联系应用开发者。"),
                format!("The app passed an invalid {name}: {reason}. This is a problem in the app: contact its developer."),
            ),
            Error::UnknownProvince { province } => Message::new(
                format!("未知的备案省份代码“{province}”，请使用行政区划代码前两位（如 32 江苏）。"),
                format!("Unknown filing province \"{province}\": use the first two digits of the region code (for example 32, Jiangsu)."),
            ),
            Error::CaptureSourceNotAllowed { kind } => Message::new(
                format!("{}须在应用内用相机现场拍摄，不能从相册选取。", kind.zh()),
                format!("The {} must be photographed with the app's camera, not picked from the gallery.", kind.en()),
            ),
            Error::SealRefused { problems } => Message::new(
                format!("资料不完整或未通过检查，无法封装：{}", problems.iter().map(|p| p.message.zh.as_str()).collect::<Vec<_>>().join("；")),
                format!("The submission cannot be sealed: {}", problems.iter().map(|p| p.message.en.as_str()).collect::<Vec<_>>().join("; ")),
            ),
            Error::SigningFailed { .. } => Message::new(
                "无法使用设备密钥签名，请重试；若持续失败，请重新安装应用。",
                "The device key could not sign the package: try again, and reinstall the app if it keeps failing.",
            ),
            Error::ManifestInvalid { reason } => Message::new(
                format!("资料包清单无效：{reason}"),
                format!("The package manifest is invalid: {reason}"),
            ),
            Error::OutboxFull { limit, .. } => Message::new(
                format!("待上传资料已占满存储上限（{} MB），请先上传或删除已有资料。", limit / 1_000_000),
                format!("The outbox is full ({} MB cap): upload or delete stored packages first.", limit / 1_000_000),
            ),
            Error::OutboxKeyRequired | Error::OutboxKeyMismatch { .. } => Message::new(
                "无法解密本地保存的资料，请重新登录后重试。",
                "The stored materials cannot be decrypted: sign in again and retry.",
            ),
            Error::OutboxLocked { .. } => Message::new(
                "资料正在被另一个进程使用，请稍后重试。",
                "The stored materials are in use by another process: try again shortly.",
            ),
            Error::OutboxForeign { path } => Message::new(
                format!("{path} 不是资料存储目录，其中的文件未做任何改动；请指定一个空目录或已有的资料存储目录。"),
                format!("{path} is not an outbox and its files were left untouched: name an empty directory or an existing outbox."),
            ),
            Error::OutboxCorrupt { .. } => Message::new(
                "本地保存的资料已损坏，请重新拍摄。",
                "A stored material is damaged: capture it again.",
            ),
            Error::PackageNotFound { .. } => Message::new(
                "找不到该资料包，可能已上传完成并被清理。",
                "The package was not found: it may have been delivered and cleaned up.",
            ),
            Error::PackageConflict { id, .. } => Message::new(
                format!("本地已保存另一个编号同为 {id} 的资料包，内容不同；请重新封装以获得新编号。"),
                format!("The outbox already holds a different package with the id {id}: seal the package again to get a new id."),
            ),
            Error::DraftChanged { .. } => Message::new(
                "签名期间资料有改动，请重新封装。",
                "The application changed while it was being signed: seal it again.",
            ),
            Error::InvalidState { .. } => Message::new(
                "资料包当前状态不允许此操作。",
                "The package's current state does not allow this step.",
            ),
            Error::Storage { .. } => Message::new(
                "手机存储读写失败，请检查剩余空间后重试。",
                "The phone's storage failed: check free space and try again.",
            ),
            Error::InvalidEndpoint { .. } => Message::new(
                "上传服务地址无效，请更新应用或联系服务商。",
                "The upload address is not usable: update the app or contact the provider.",
            ),
            Error::UploadRejected { status, .. } => Message::new(
                format!("服务器拒绝了上传（HTTP {status}），请联系服务商。"),
                format!("The server refused the upload (HTTP {status}): contact the provider."),
            ),
            Error::UploadFailed { kind: FailureKind::Network, .. } => Message::new(
                "网络不稳定，上传暂停；资料已安全保存在手机上，网络恢复后会自动继续。",
                "The network is unstable and the upload paused; your materials are safe on the phone and will continue when the network is back.",
            ),
            Error::UploadFailed { kind: FailureKind::Server, .. } => Message::new(
                "上传服务器持续出错，上传暂停；资料已安全保存在手机上，稍后会自动继续。",
                "The upload server keeps failing and the upload paused; your materials are safe on the phone and will continue later.",
            ),
            Error::UploadFailed { kind: FailureKind::NoProgress, .. } => Message::new(
                "上传服务器没有确认收到数据，上传已停止；资料已安全保存在手机上。如反复出现，请联系服务商。",
                "The upload server did not confirm receiving the data, so the upload stopped; your materials are safe on the phone. If this keeps happening, contact the provider.",
            ),
            Error::UploadCancelled => Message::new(
                "上传已暂停，资料已安全保存在手机上，可随时继续。",
                "The upload is paused; your materials are safe on the phone and can continue at any time.",
            ),
            Error::ProtocolViolation { .. } => Message::new(
                "上传服务器的回应不符合 tus 协议，上传已停止；资料已安全保存在手机上。请联系服务商。",
                "The upload server broke the tus protocol, so the upload stopped; your materials are safe on the phone. Contact the provider.",
            ),
            Error::UploadUrlRefused { .. } => Message::new(
                "上传服务器要求把资料发往未获准的地址，已拒绝；资料已安全保存在手机上。请联系服务商。",
                "The upload server asked for the materials to go to an address that is not allowed, so nothing was sent there; your materials are safe on the phone. Contact the provider.",
            ),
            Error::CommitRejected { .. } => Message::new(
                "服务器核对资料包未通过，请重新提交。",
                "The server could not confirm the package: submit it again.",
            ),
            Error::Internal { .. } => Message::new(
                "核验组件出现内部错误，资料已保存在手机上；请重试，如仍失败请联系客服。",
                "hexin hit an internal error; your materials are saved on the phone. Try again, and contact support if it persists.",
            ),
        }
    }
}
