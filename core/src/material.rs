//! The kinds of material an applicant hands in.

use serde::{Deserialize, Serialize};

/// A kind of material. The kebab-case names are the CLI's and the policy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum MaterialKind {
    IdCardFront,
    IdCardBack,
    BusinessLicense,
    FacePhoto,
    VerificationForm,
    AuthorizationLetter,
    DomainCertificate,
    ResidencePermit,
    PreApproval,
    Other,
}

impl MaterialKind {
    /// Every kind, in a stable order.
    pub const ALL: [MaterialKind; 10] = [
        MaterialKind::IdCardFront,
        MaterialKind::IdCardBack,
        MaterialKind::BusinessLicense,
        MaterialKind::FacePhoto,
        MaterialKind::VerificationForm,
        MaterialKind::AuthorizationLetter,
        MaterialKind::DomainCertificate,
        MaterialKind::ResidencePermit,
        MaterialKind::PreApproval,
        MaterialKind::Other,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            MaterialKind::IdCardFront => "id-card-front",
            MaterialKind::IdCardBack => "id-card-back",
            MaterialKind::BusinessLicense => "business-license",
            MaterialKind::FacePhoto => "face-photo",
            MaterialKind::VerificationForm => "verification-form",
            MaterialKind::AuthorizationLetter => "authorization-letter",
            MaterialKind::DomainCertificate => "domain-certificate",
            MaterialKind::ResidencePermit => "residence-permit",
            MaterialKind::PreApproval => "pre-approval",
            MaterialKind::Other => "other",
        }
    }
}

impl MaterialKind {
    /// The name an applicant reads, in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            MaterialKind::IdCardFront => "身份证人像面",
            MaterialKind::IdCardBack => "身份证国徽面",
            MaterialKind::BusinessLicense => "营业执照",
            MaterialKind::FacePhoto => "人脸照片",
            MaterialKind::VerificationForm => "网站备案信息真实性核验单",
            MaterialKind::AuthorizationLetter => "授权书",
            MaterialKind::DomainCertificate => "域名证书",
            MaterialKind::ResidencePermit => "居住证",
            MaterialKind::PreApproval => "前置审批文件",
            MaterialKind::Other => "其他材料",
        }
    }

    /// The name an applicant reads, in English.
    pub fn en(self) -> &'static str {
        match self {
            MaterialKind::IdCardFront => "ID card, photo side",
            MaterialKind::IdCardBack => "ID card, emblem side",
            MaterialKind::BusinessLicense => "business licence",
            MaterialKind::FacePhoto => "face photo",
            MaterialKind::VerificationForm => "signed verification form",
            MaterialKind::AuthorizationLetter => "authorization letter",
            MaterialKind::DomainCertificate => "domain certificate",
            MaterialKind::ResidencePermit => "residence permit",
            MaterialKind::PreApproval => "pre-approval document",
            MaterialKind::Other => "other document",
        }
    }
}

impl MaterialKind {
    /// The file the `nth` capture of this kind (0 for the first) is kept under, in the outbox
    /// and in a sealed package: `id-card-front.jpg`, then `id-card-front-2.jpg`, ….
    pub fn file_name(self, nth: usize) -> String {
        match nth {
            0 => format!("{self}.jpg"),
            n => format!("{self}-{}.jpg", n + 1),
        }
    }
}

impl std::fmt::Display for MaterialKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for MaterialKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MaterialKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<_> = MaterialKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown material `{s}`; expected one of: {}", names.join(", "))
            })
    }
}
