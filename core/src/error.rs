//! The error type for input hexin refuses before any check can run.

use crate::code::{Code, Message};

/// Why an input or a policy could not be used. Every variant maps to a stable [`Code`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("unsupported_format: {format} is not accepted here")]
    UnsupportedFormat { format: String },
    #[error("input_too_large: {bytes} bytes exceeds the limit of {limit}")]
    InputTooLarge { bytes: u64, limit: u64 },
    #[error("dimensions_too_large: {width}x{height} exceeds the limit of {limit_pixels} pixels or {limit_side} per side")]
    DimensionsTooLarge { width: u32, height: u32, limit_pixels: u64, limit_side: u32 },
    #[error("corrupt_image: {reason}")]
    CorruptImage { reason: String },
    #[error("invalid_policy: {field}: {reason}")]
    InvalidPolicy { field: String, reason: String },
}

impl Error {
    /// The stable code of this error.
    pub fn code(&self) -> Code {
        match self {
            Error::UnsupportedFormat { .. } => Code::UnsupportedFormat,
            Error::InputTooLarge { .. } => Code::InputTooLarge,
            Error::DimensionsTooLarge { .. } => Code::DimensionsTooLarge,
            Error::CorruptImage { .. } => Code::CorruptImage,
            Error::InvalidPolicy { .. } => Code::InvalidPolicy,
        }
    }

    /// The measured value and the limit it broke, where there are numbers to show.
    pub fn measured_and_limit(&self) -> Option<(f64, f64)> {
        match self {
            Error::InputTooLarge { bytes, limit } => Some((*bytes as f64, *limit as f64)),
            Error::DimensionsTooLarge { width, height, limit_pixels, .. } => {
                Some((*width as f64 * *height as f64, *limit_pixels as f64))
            }
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
            Error::CorruptImage { .. } => Message::new(
                "图片文件已损坏或不完整，请重新拍摄。",
                "The image file is damaged or incomplete: take the photo again.",
            ),
            Error::InvalidPolicy { field, reason } => Message::new(
                format!("核验策略配置错误：{field}：{reason}"),
                format!("The verification policy is invalid: {field}: {reason}"),
            ),
        }
    }
}
