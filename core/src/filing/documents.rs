//! The identity documents a responsible person files with.

use serde::{Deserialize, Serialize};

use crate::material::MaterialKind;

/// An identity document a responsible person can file with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "kebab-case")]
pub enum DocumentType {
    ResidentId,
    HmtResidencePermit,
    HkMacaoPermit,
    TaiwanPermit,
    PermanentResidence,
    Passport,
}

impl DocumentType {
    pub const ALL: [DocumentType; 6] = [
        DocumentType::ResidentId,
        DocumentType::HmtResidencePermit,
        DocumentType::HkMacaoPermit,
        DocumentType::TaiwanPermit,
        DocumentType::PermanentResidence,
        DocumentType::Passport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident-id",
            DocumentType::HmtResidencePermit => "hmt-residence-permit",
            DocumentType::HkMacaoPermit => "hk-macao-permit",
            DocumentType::TaiwanPermit => "taiwan-permit",
            DocumentType::PermanentResidence => "permanent-residence",
            DocumentType::Passport => "passport",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "居民身份证",
            DocumentType::HmtResidencePermit => "港澳台居民居住证",
            DocumentType::HkMacaoPermit => "港澳居民来往内地通行证",
            DocumentType::TaiwanPermit => "台湾居民来往大陆通行证",
            DocumentType::PermanentResidence => "外国人永久居留身份证",
            DocumentType::Passport => "护照",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DocumentType::ResidentId => "resident ID card",
            DocumentType::HmtResidencePermit => "residence permit for Hong Kong, Macao and Taiwan residents",
            DocumentType::HkMacaoPermit => "mainland travel permit for Hong Kong and Macao residents",
            DocumentType::TaiwanPermit => "mainland travel permit for Taiwan residents",
            DocumentType::PermanentResidence => "foreigner's permanent residence ID card",
            DocumentType::Passport => "passport",
        }
    }

    /// The materials that show the document.
    pub fn materials(self) -> &'static [MaterialKind] {
        use MaterialKind as K;
        match self {
            DocumentType::ResidentId => &[K::IdCardFront, K::IdCardBack],
            DocumentType::HmtResidencePermit => &[K::HmtResidencePermitFront, K::HmtResidencePermitBack],
            DocumentType::HkMacaoPermit => &[K::HkMacaoPermitFront, K::HkMacaoPermitBack],
            DocumentType::TaiwanPermit => &[K::TaiwanPermitFront, K::TaiwanPermitBack],
            DocumentType::PermanentResidence => &[K::PermanentResidenceFront, K::PermanentResidenceBack],
            DocumentType::Passport => &[K::PassportPhotoPage],
        }
    }
}

// BRIDGE until the validators branch merges: replaced by its validators.
pub struct Holder {
    pub region: Option<String>,
}
pub fn document_number(kind: DocumentType, s: &str, today: crate::date::Date) -> Result<Holder, crate::filing::fields::Invalid> {
    match kind {
        DocumentType::ResidentId => crate::filing::fields::id_number_on(s, today).map(|id| Holder { region: Some(id.region) }),
        _ => Ok(Holder { region: None }),
    }
}
