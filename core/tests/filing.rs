//! The filing model: people and their roles, websites, subject and filing types, ID documents,
//! what each combination requires and whose, and the first form still read and verified.

use std::path::Path;

use hexin_core::date::Date;
use hexin_core::filing::documents::DocumentType;
use hexin_core::filing::form::{Domain, Fields, FilingType, IdDocument, Person, Website};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::Submission;
use hexin_core::package::manifest::{Manifest, SealedFields};
use hexin_core::package::signature::parse_public_key;
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::{Code, MaterialKind, Policy, Slot};

fn today() -> Date {
    Date::new(2026, 11, 28).unwrap()
}

fn slots(list: &[&str]) -> Vec<Slot> {
    list.iter().map(|s| s.parse().unwrap()).collect()
}

fn enterprise() -> Fields {
    Fields::from_json(include_str!("../../specimens/enterprise/fields.json")).unwrap()
}

/// 王五, who runs the enterprise's website but is not its legal representative.
fn wangwu() -> Person {
    Person {
        id: "wangwu".into(),
        name: "王五".into(),
        document: IdDocument { kind: DocumentType::ResidentId, number: "310101199001010012".into(), valid_until: "20350101".into() },
        phone: "13600136000".into(),
        emergency_phone: None,
        email: "wangwu@example.com".into(),
        is_legal_representative: Some(false),
    }
}

/// The enterprise specimen with its website run by 王五.
fn delegated() -> Fields {
    let mut f = enterprise();
    f.people.push(wangwu());
    f.websites[0].responsible_person = "wangwu".into();
    f
}

fn needed(subject: SubjectKind, province: &str, fields: Fields) -> (Vec<Slot>, Vec<Code>) {
    let policy = Policy::icp_default();
    let (slots, refusals) = Submission::new(subject, province, fields).unwrap().required_materials(&policy.requirements);
    (slots, refusals.iter().map(|p| p.code).collect())
}

fn problems(subject: SubjectKind, province: &str, fields: Fields) -> Vec<(Code, String)> {
    let policy = Policy::icp_default();
    let submission = Submission::new(subject, province, fields).unwrap();
    submission.problems(&policy.requirements, today()).into_iter().map(|p| (p.code, p.at)).collect()
}

fn at(code: Code, at: &str) -> (Code, String) {
    (code, at.to_string())
}

/// An enterprise in Shanghai whose website is run by someone other than its legal
/// representative: both people's ID cards, the website person's face, the form, and the
/// authorization letter Shanghai asks for; in Guangdong no letter.
#[test]
fn a_website_run_by_someone_else_needs_their_documents_and_a_letter() {
    let shanghai = needed(SubjectKind::Enterprise, "31", delegated());
    assert_eq!(shanghai.0, slots(&[
        "business-license@subject",
        "id-card-front@lisi",
        "id-card-back@lisi",
        "id-card-front@wangwu",
        "id-card-back@wangwu",
        "face-photo@wangwu",
        "verification-form@www",
        "authorization-letter@www",
    ]));
    assert!(shanghai.1.is_empty());
    let guangdong = needed(SubjectKind::Enterprise, "44", delegated());
    assert_eq!(guangdong.0, shanghai.0[..7]);
    assert!(problems(SubjectKind::Enterprise, "31", delegated()).is_empty());
    // Jilin asks for a letter when the subject's own responsible person is not the legal representative.
    let mut subject_delegated = delegated();
    subject_delegated.subject.responsible_person = "wangwu".into();
    subject_delegated.people.swap(0, 1);
    let jilin = needed(SubjectKind::Enterprise, "22", subject_delegated).0;
    assert!(jilin.contains(&"authorization-letter@subject".parse().unwrap()), "{jilin:?}");
}

/// Each subject type needs its own certificate (T2), each document type its own sides, and a
/// credit code of the wrong type is a warning naming the expected codes.
#[test]
fn subject_types_and_documents_choose_the_materials() {
    let certificates = [
        (SubjectKind::Enterprise, MaterialKind::BusinessLicense),
        (SubjectKind::Government, MaterialKind::CreditCodeCertificate),
        (SubjectKind::PublicInstitution, MaterialKind::PublicInstitutionCertificate),
        (SubjectKind::SocialOrganization, MaterialKind::SocialOrganizationCertificate),
        (SubjectKind::PrivateNonEnterprise, MaterialKind::PrivateNonEnterpriseCertificate),
        (SubjectKind::Foundation, MaterialKind::FoundationCertificate),
        (SubjectKind::LawFirm, MaterialKind::LawFirmLicense),
        (SubjectKind::OtherUnit, MaterialKind::UnitCertificate),
    ];
    for filing in FilingType::ALL {
        for (subject, certificate) in certificates {
            let mut f = enterprise();
            f.filing.kind = filing;
            let (slots, refusals) = needed(subject, "44", f);
            let subject_slots: Vec<MaterialKind> = slots.iter().filter(|s| s.owner == "subject").map(|s| s.kind).collect();
            assert_eq!(subject_slots, [certificate], "{subject} {filing}");
            assert!(refusals.is_empty());
        }
    }
    let individual = needed(SubjectKind::Individual, "44", Fields::from_json(include_str!("../../specimens/individual/fields.json")).unwrap());
    assert!(individual.0.iter().all(|s| s.owner != "subject"), "{individual:?}");

    for document in DocumentType::ALL {
        let mut f = enterprise();
        f.people[0].document.kind = document;
        let (slots, _) = needed(SubjectKind::Enterprise, "44", f);
        let person: Vec<MaterialKind> = slots.iter().filter(|s| s.owner == "lisi" && s.kind != MaterialKind::FacePhoto).map(|s| s.kind).collect();
        assert_eq!(person, document.materials(), "{document:?}");
    }
}

/// What the filing type asks of the fields: a new website names its subject's filing number, an
/// access filing each website's; a new filing has neither.
#[test]
fn filing_types_ask_for_their_filing_numbers() {
    let mut new_website = enterprise();
    new_website.filing.kind = FilingType::NewWebsite;
    assert_eq!(problems(SubjectKind::Enterprise, "44", new_website.clone()), [at(Code::MissingField, "filing.subject_filing_number")]);
    new_website.filing.subject_filing_number = Some("粤ICP备12345678号".into());
    assert!(problems(SubjectKind::Enterprise, "44", new_website.clone()).is_empty());
    new_website.websites[0].filing_number = Some("粤ICP备12345678号-2".into());
    assert_eq!(problems(SubjectKind::Enterprise, "44", new_website), [at(Code::InvalidFilingNumber, "websites[0].filing_number")]);

    let mut access = enterprise();
    access.filing.kind = FilingType::Access;
    assert_eq!(problems(SubjectKind::Enterprise, "44", access.clone()), [at(Code::MissingField, "websites[0].filing_number")]);
    access.websites[0].filing_number = Some("粤ICP备12345678号-1".into());
    assert!(problems(SubjectKind::Enterprise, "44", access).is_empty());

    let mut new = enterprise();
    new.filing.subject_filing_number = Some("粤ICP备12345678号".into());
    assert_eq!(problems(SubjectKind::Enterprise, "44", new), [at(Code::InvalidFilingNumber, "filing.subject_filing_number")]);
}

/// The rules that span people: a person written twice, shared phones, an emergency phone that is
/// someone's own, references to nobody, ids out of form, a person with no role.
#[test]
fn rules_across_people_and_references() {
    let mut twice = delegated();
    twice.people[1].document.number = twice.people[0].document.number.clone();
    twice.people[1].phone = twice.people[0].phone.clone();
    twice.people[1].emergency_phone = Some("13600136000".into());
    twice.people[0].emergency_phone = Some("139 0000 0000".into());
    assert_eq!(problems(SubjectKind::Enterprise, "44", twice), [
        at(Code::DuplicatePhone, "people[0].emergency_phone"),
        at(Code::DuplicatePerson, "people[1].document.number"),
        at(Code::DuplicatePhone, "people[1].phone"),
    ]);
    let mut emergency = delegated();
    emergency.people[1].emergency_phone = Some("13900000000".into());
    assert_eq!(problems(SubjectKind::Enterprise, "44", emergency), [at(Code::DuplicatePhone, "people[1].emergency_phone")]);

    let mut dangling = delegated();
    dangling.websites[0].responsible_person = "zhaoliu".into();
    dangling.people[1].id = "Wang Wu".into();
    let found = problems(SubjectKind::Enterprise, "44", dangling);
    assert_eq!(found, [
        at(Code::InvalidFields, "people[1].id"),
        at(Code::InvalidRole, "people[1].id"),
        at(Code::UnknownReference, "websites[0].responsible_person"),
    ]);

    let mut same_id = delegated();
    same_id.websites[0].id = "wangwu".into();
    assert_eq!(problems(SubjectKind::Enterprise, "44", same_id), [at(Code::InvalidFields, "websites[0].id")]);
}

/// Several websites, each with several domains; a domain listed twice is refused, and the
/// requirements follow each website.
#[test]
fn several_websites_each_with_their_own_materials() {
    let mut f = delegated();
    f.websites.push(Website {
        id: "shop".into(),
        name: "示例商城".into(),
        domains: vec![
            Domain { name: "shop.example.org".into(), registrant: "示例科技有限公司".into() },
            Domain { name: "例子.中国".into(), registrant: "示例科技有限公司".into() },
        ],
        responsible_person: "lisi".into(),
        filing_number: None,
    });
    assert!(problems(SubjectKind::Enterprise, "31", f.clone()).is_empty());
    let (slots_found, _) = needed(SubjectKind::Enterprise, "31", f.clone());
    for s in ["face-photo@lisi", "face-photo@wangwu", "verification-form@www", "verification-form@shop", "authorization-letter@www"] {
        assert!(slots_found.contains(&s.parse().unwrap()), "{s}: {slots_found:?}");
    }
    assert!(!slots_found.contains(&"authorization-letter@shop".parse().unwrap()));
    f.websites[1].domains[1].name = "EXAMPLE.org".into();
    assert_eq!(problems(SubjectKind::Enterprise, "31", f), [at(Code::InvalidDomain, "websites[1].domains[1].name")]);
}

/// A policy may ask for an emergency phone; the subject types it lists are the ones it accepts.
#[test]
fn policies_ask_for_emergency_phones_and_name_the_subject_types() {
    let mut policy = Policy::icp_default();
    policy.requirements.emergency_phone = true;
    let submission = Submission::new(SubjectKind::Enterprise, "44", delegated()).unwrap();
    let found: Vec<(Code, String)> = submission.problems(&policy.requirements, today()).into_iter().map(|p| (p.code, p.at)).collect();
    assert_eq!(found, [at(Code::MissingField, "people[1].emergency_phone")]);

    policy.requirements.subjects.remove(&SubjectKind::LawFirm);
    let (_, refusals) = Submission::new(SubjectKind::LawFirm, "44", delegated()).unwrap().required_materials(&policy.requirements);
    assert_eq!(refusals.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::SubjectNotAccepted]);
}

/// A fields document in the first form (one responsible person, one website) is read as the
/// current form: person `p1`, website `w1`, each domain's registrant left to declare.
#[test]
fn the_first_form_of_the_fields_is_read_as_the_current_one() {
    let first = Fields::from_json(include_str!("fixtures/fields-first-form.json")).unwrap();
    assert_eq!((first.people.len(), first.people[0].id.as_str(), first.subject.responsible_person.as_str()), (1, "p1", "p1"));
    assert_eq!((first.websites[0].id.as_str(), first.websites[0].responsible_person.as_str()), ("w1", "p1"));
    assert_eq!(first.people[0].document.number, "11010519491231002X");
    let found = problems(SubjectKind::Individual, "11", first);
    assert_eq!(found, [
        at(Code::MissingField, "websites[0].domains[0].registrant"),
        at(Code::MissingField, "websites[0].domains[1].registrant"),
    ]);
}

/// A package sealed by the previous release (manifest version 1) still verifies, signature and
/// all; edited, it does not.
#[test]
fn version_1_packages_still_verify() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let key = parse_public_key(&std::fs::read(root.join("v1-package.pub")).unwrap()).unwrap();
    let options = Options { trusted_keys: vec![key], ..Options::default() };
    let v = verify_dir(&root.join("v1-package"), &options);
    assert!(v.is_intact(), "{:?}", v.problems);
    assert!(v.signed_by.is_some());
    let bytes = std::fs::read(root.join("v1-package/manifest.json")).unwrap();
    let manifest: Manifest = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(manifest.version, 1);
    assert!(matches!(manifest.fields, SealedFields::First(_)));
    assert!(manifest.materials.iter().all(|e| e.owner.is_none()));

    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(root.join("v1-package")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
    }
    let edited = String::from_utf8(bytes).unwrap().replace("张三的个人博客", "李四的个人博客");
    std::fs::write(copy.path().join("manifest.json"), edited).unwrap();
    let codes: Vec<Code> = verify_dir(copy.path(), &options).problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, [Code::ManifestTampered, Code::SignatureInvalid]);
}

/// Each example under `examples/` has no field problems and needs exactly the slots its README
/// lists, in the province the README names.
#[test]
fn examples_need_what_their_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let mut checked = 0;
    for section in readme.split("\n## ").skip(1) {
        let name = section.split(':').next().unwrap().trim();
        let province = section.split("--province ").nth(1).unwrap()[..2].to_string();
        let listed: Vec<Slot> = section
            .lines()
            .filter(|l| l.starts_with("- "))
            .flat_map(|l| l.split('`').skip(1).step_by(2).map(str::to_string).collect::<Vec<_>>())
            .map(|s| s.parse().unwrap())
            .collect();
        let subject = if name.starts_with("enterprise") { SubjectKind::Enterprise } else { SubjectKind::Individual };
        let fields = Fields::from_json(&std::fs::read_to_string(root.join(name).join("fields.json")).unwrap()).unwrap();
        assert!(problems(subject, &province, fields.clone()).is_empty(), "{name}");
        let (mut found, refusals) = needed(subject, &province, fields);
        assert!(refusals.is_empty(), "{name}");
        let mut listed = listed;
        found.sort();
        listed.sort();
        assert_eq!(found, listed, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// Every province rule of the embedded policy, for every subject type and filing type it
/// names, in every province: it adds its materials (or refuses) exactly in the provinces it
/// lists, for the owner it is for.
#[test]
fn every_province_rule_holds_in_its_provinces_and_nowhere_else() {
    use hexin_core::filing::province;
    use hexin_core::filing::requirements::{Condition, Target};
    let policy = Policy::icp_default();
    let mut checked = 0;
    for rule in policy.requirements.rules.iter().filter(|r| !r.provinces.is_empty()) {
        let subjects = if rule.subjects.is_empty() { SubjectKind::ALL.to_vec() } else { rule.subjects.clone() };
        let filings = if rule.filings.is_empty() { FilingType::ALL.to_vec() } else { rule.filings.clone() };
        for subject in subjects {
            for filing in &filings {
                // A filing the rule's condition holds for: nobody the legal representative, or an
                // individual with a Beijing ID (filed elsewhere).
                let mut f = if subject.is_unit() { delegated() } else { Fields::from_json(include_str!("../../specimens/individual/fields.json")).unwrap() };
                f.filing.kind = *filing;
                match filing {
                    FilingType::NewWebsite => f.filing.subject_filing_number = Some("京ICP备12345678号".into()),
                    FilingType::Access => f.websites[0].filing_number = Some("京ICP备12345678号-1".into()),
                    FilingType::New => {}
                }
                if rule.when == Condition::NotLegalRepresentative {
                    f.people.iter_mut().for_each(|p| p.is_legal_representative = Some(false));
                }
                let owner = match rule.target {
                    Target::Subject => "subject".to_string(),
                    Target::Website => f.websites[0].id.clone(),
                    Target::Person | Target::SubjectPerson => f.subject.responsible_person.clone(),
                    Target::WebsitePerson => f.websites[0].responsible_person.clone(),
                };
                for p in province::ALL {
                    let (slots, refusals) = needed(subject, p.code, f.clone());
                    let listed = rule.provinces.iter().any(|c| c == p.code);
                    let fired = match &rule.refuse {
                        Some(refusal) => refusals.contains(&refusal.code),
                        None => rule.need.iter().all(|&kind| slots.contains(&Slot::new(kind, owner.clone()))),
                    };
                    assert_eq!(fired, listed, "{} for {subject} {filing} in {}", rule.source, p.en);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 31 * 3 * 10, "{checked}");
}

/// In a version 2 manifest, resealed after the edit so only the schema can catch it: a
/// material's owner or a role that names nothing in the fields is `manifest_invalid`.
#[test]
fn version_2_owners_and_roles_name_what_the_fields_have() {
    use hexin_core::package::manifest::Seal;
    use hexin_core::package::seal::Sealing;
    use hexin_core::package::verify::verify;
    let sealing = Sealing { package_id: "0123456789abcdef0123456789abcdef".into(), created_at: 1_795_824_000, signer: None, attestations: vec![] };
    let package = hexin_testing::specimens::individual_package(&sealing);
    let files: std::collections::BTreeMap<String, Vec<u8>> = package.files.iter().cloned().collect();
    assert!(verify(&package.manifest_bytes, &files, &Options::default()).is_intact());
    let edits: [fn(&mut Manifest); 3] = [
        |m| m.materials[0].owner = Some("nobody".into()),
        |m| if let SealedFields::Current(f) = &mut m.fields { f.subject.responsible_person = "ghost".into() },
        |m| if let SealedFields::Current(f) = &mut m.fields { f.websites[0].responsible_person = "ghost".into() },
    ];
    for edit in edits {
        let mut m = package.manifest.clone();
        edit(&mut m);
        m.seal = None;
        let digest = hexin_core::hash::sha256_hex(&m.to_canonical().unwrap());
        m.seal = Some(Seal { digest, signature: None });
        let v = verify(&m.to_canonical().unwrap(), &files, &Options::default());
        assert_eq!(v.problems.iter().map(|p| p.code).collect::<Vec<_>>(), [Code::ManifestInvalid], "{:?}", v.problems);
    }
}

/// An individual's website name is held to the policy's naming rules; a unit's is not. A credit
/// code registered as another type of subject is a warning naming the codes expected.
#[test]
fn site_names_and_credit_code_types_follow_the_policy() {
    let mut individual = Fields::from_json(include_str!("../../specimens/individual/fields.json")).unwrap();
    individual.websites[0].name = "张三的公司".into();
    assert_eq!(problems(SubjectKind::Individual, "11", individual.clone()), [at(Code::InvalidSiteName, "websites[0].name")]);
    individual.websites[0].name = "MyBlog".into();
    assert_eq!(problems(SubjectKind::Individual, "11", individual), [at(Code::InvalidSiteName, "websites[0].name")]);
    let mut unit = enterprise();
    unit.websites[0].name = "示例科技有限公司".into();
    assert!(problems(SubjectKind::Enterprise, "44", unit).is_empty());

    // A public institution's code (12…) declared as an enterprise, and the other way round.
    let mut institution = enterprise();
    institution.subject.credit_code = Some("12100000400012345P".into());
    let policy = Policy::icp_default();
    let submission = Submission::new(SubjectKind::Enterprise, "44", institution.clone()).unwrap();
    let found = submission.problems(&policy.requirements, today());
    assert_eq!(found.iter().map(|p| (p.code, p.severity, p.at.as_str())).collect::<Vec<_>>(), [(Code::CreditCodeMismatch, hexin_core::Severity::Warn, "subject.credit_code")]);
    assert!(found[0].message.en.contains("91"), "{}", found[0].message.en);
    assert!(problems(SubjectKind::PublicInstitution, "44", institution).is_empty());
    assert_eq!(problems(SubjectKind::PublicInstitution, "44", enterprise()), [at(Code::CreditCodeMismatch, "subject.credit_code")]);
}
