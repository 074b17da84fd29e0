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
    PublicInstitutionCertificate,
    SocialOrganizationCertificate,
    PrivateNonEnterpriseCertificate,
    FoundationCertificate,
    LawFirmLicense,
    CreditCodeCertificate,
    UnitCertificate,
    HmtResidencePermitFront,
    HmtResidencePermitBack,
    HkMacaoPermitFront,
    HkMacaoPermitBack,
    TaiwanPermitFront,
    TaiwanPermitBack,
    PermanentResidenceFront,
    PermanentResidenceBack,
    PassportPhotoPage,
}

impl MaterialKind {
    /// Every kind, in a stable order.
    pub const ALL: [MaterialKind; 26] = [
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
        MaterialKind::PublicInstitutionCertificate,
        MaterialKind::SocialOrganizationCertificate,
        MaterialKind::PrivateNonEnterpriseCertificate,
        MaterialKind::FoundationCertificate,
        MaterialKind::LawFirmLicense,
        MaterialKind::CreditCodeCertificate,
        MaterialKind::UnitCertificate,
        MaterialKind::HmtResidencePermitFront,
        MaterialKind::HmtResidencePermitBack,
        MaterialKind::HkMacaoPermitFront,
        MaterialKind::HkMacaoPermitBack,
        MaterialKind::TaiwanPermitFront,
        MaterialKind::TaiwanPermitBack,
        MaterialKind::PermanentResidenceFront,
        MaterialKind::PermanentResidenceBack,
        MaterialKind::PassportPhotoPage,
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
            MaterialKind::PublicInstitutionCertificate => "public-institution-certificate",
            MaterialKind::SocialOrganizationCertificate => "social-organization-certificate",
            MaterialKind::PrivateNonEnterpriseCertificate => "private-non-enterprise-certificate",
            MaterialKind::FoundationCertificate => "foundation-certificate",
            MaterialKind::LawFirmLicense => "law-firm-license",
            MaterialKind::CreditCodeCertificate => "credit-code-certificate",
            MaterialKind::UnitCertificate => "unit-certificate",
            MaterialKind::HmtResidencePermitFront => "hmt-residence-permit-front",
            MaterialKind::HmtResidencePermitBack => "hmt-residence-permit-back",
            MaterialKind::HkMacaoPermitFront => "hk-macao-permit-front",
            MaterialKind::HkMacaoPermitBack => "hk-macao-permit-back",
            MaterialKind::TaiwanPermitFront => "taiwan-permit-front",
            MaterialKind::TaiwanPermitBack => "taiwan-permit-back",
            MaterialKind::PermanentResidenceFront => "permanent-residence-front",
            MaterialKind::PermanentResidenceBack => "permanent-residence-back",
            MaterialKind::PassportPhotoPage => "passport-photo-page",
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
            MaterialKind::PublicInstitutionCertificate => "事业单位法人证书",
            MaterialKind::SocialOrganizationCertificate => "社会团体法人登记证书",
            MaterialKind::PrivateNonEnterpriseCertificate => "民办非企业单位登记证书",
            MaterialKind::FoundationCertificate => "基金会法人登记证书",
            MaterialKind::LawFirmLicense => "律师事务所执业许可证",
            MaterialKind::CreditCodeCertificate => "统一社会信用代码证书",
            MaterialKind::UnitCertificate => "单位证件",
            MaterialKind::HmtResidencePermitFront => "港澳台居民居住证人像面",
            MaterialKind::HmtResidencePermitBack => "港澳台居民居住证国徽面",
            MaterialKind::HkMacaoPermitFront => "港澳居民来往内地通行证正面",
            MaterialKind::HkMacaoPermitBack => "港澳居民来往内地通行证背面",
            MaterialKind::TaiwanPermitFront => "台湾居民来往大陆通行证正面",
            MaterialKind::TaiwanPermitBack => "台湾居民来往大陆通行证背面",
            MaterialKind::PermanentResidenceFront => "外国人永久居留身份证正面",
            MaterialKind::PermanentResidenceBack => "外国人永久居留身份证背面",
            MaterialKind::PassportPhotoPage => "护照个人资料页",
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
            MaterialKind::PublicInstitutionCertificate => "public institution legal person certificate",
            MaterialKind::SocialOrganizationCertificate => "social organization registration certificate",
            MaterialKind::PrivateNonEnterpriseCertificate => "private non-enterprise unit registration certificate",
            MaterialKind::FoundationCertificate => "foundation registration certificate",
            MaterialKind::LawFirmLicense => "law firm practice licence",
            MaterialKind::CreditCodeCertificate => "unified social credit code certificate",
            MaterialKind::UnitCertificate => "the unit's certificate",
            MaterialKind::HmtResidencePermitFront => "residence permit for Hong Kong, Macao and Taiwan residents, photo side",
            MaterialKind::HmtResidencePermitBack => "residence permit for Hong Kong, Macao and Taiwan residents, emblem side",
            MaterialKind::HkMacaoPermitFront => "mainland travel permit for Hong Kong and Macao residents, photo side",
            MaterialKind::HkMacaoPermitBack => "mainland travel permit for Hong Kong and Macao residents, back",
            MaterialKind::TaiwanPermitFront => "mainland travel permit for Taiwan residents, photo side",
            MaterialKind::TaiwanPermitBack => "mainland travel permit for Taiwan residents, back",
            MaterialKind::PermanentResidenceFront => "foreigner's permanent residence ID card, photo side",
            MaterialKind::PermanentResidenceBack => "foreigner's permanent residence ID card, back",
            MaterialKind::PassportPhotoPage => "passport, photo page",
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

/// A material's place in a filing: its kind and what it belongs to, the subject (`subject`) or
/// a person's or website's id in the fields. Written `kind@owner`: `id-card-front@p2`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Slot {
    pub kind: MaterialKind,
    pub owner: String,
}

impl Slot {
    pub fn new(kind: MaterialKind, owner: impl Into<String>) -> Slot {
        Slot { kind, owner: owner.into() }
    }

    /// The file the `nth` capture of this slot (0 for the first) is kept under, in the outbox
    /// and in a sealed package: `id-card-front.p2.jpg`, then `id-card-front.p2_2.jpg`, … (an
    /// owner's id has no `_`, so no two slots share a name).
    pub fn file_name(&self, nth: usize) -> String {
        match nth {
            0 => format!("{}.{}.jpg", self.kind, self.owner),
            n => format!("{}.{}_{}.jpg", self.kind, self.owner, n + 1),
        }
    }
}

impl std::fmt::Display for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.kind, self.owner)
    }
}

impl std::str::FromStr for Slot {
    type Err = String;

    /// `kind@owner`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kind, owner) = s.split_once('@').ok_or_else(|| format!("`{s}` is not KIND@OWNER"))?;
        Ok(Slot { kind: kind.parse()?, owner: owner.to_owned() })
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
