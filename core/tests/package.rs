//! Sealing and verifying packages: round trips, refusals, and tampering of every kind.

use std::collections::BTreeMap;
use std::path::PathBuf;

use hexin_core::package::manifest::{Attestation, Capture, CaptureSource, Manifest};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::package::seal::{seal, Material, Package, Sealing};
use hexin_core::package::signature::{parse_public_key, SoftwareKey};
use hexin_core::filing::form::{Domain, Fields};
use hexin_core::filing::submission::Submission;
use hexin_core::package::verify::{self, verify, verify_dir, Options};
use hexin_core::package::manifest::SealedFields;
use hexin_core::{Code, Error, MaterialKind, Place, Policy, Slot};
use hexin_testing::synthetic::{camera_jpeg, defocus, document, for_kind, noisy, Scene};

/// A fixed time: 2026-11-28T00:00:00Z.
const NOW: i64 = 1_795_824_000;

fn individual_fields() -> Fields {
    Fields::from_json(include_str!("../../specimens/individual/fields.json")).unwrap()
}

fn enterprise_fields() -> Fields {
    Fields::from_json(include_str!("../../specimens/enterprise/fields.json")).unwrap()
}

/// A camera-like photo of a `kind` document (a card or a page), different for each seed.
fn photo(kind: MaterialKind, seed: u64, width: u32, height: u32) -> Vec<u8> {
    camera_jpeg(&noisy(for_kind(kind, Scene { seed, ..Scene::new(width, height) }), 2.0, seed))
}

fn slot(s: &str) -> Slot {
    s.parse().unwrap()
}

fn slots(list: &[&str]) -> Vec<Slot> {
    list.iter().map(|s| slot(s)).collect()
}

/// `slot` (`kind@owner`) captured with the camera, checked.
fn material(slot_text: &str, bytes: &[u8], policy: &Policy) -> Material {
    let slot = slot(slot_text);
    let checked = hexin_core::check(bytes, slot.kind, policy);
    Material { slot, capture: Capture::at(CaptureSource::Camera, NOW - 60), checked }
}

fn materials(list: &[&str], size: (u32, u32), policy: &Policy) -> Vec<Material> {
    list.iter().enumerate().map(|(i, s)| material(s, &photo(slot(s).kind, i as u64 + 11, size.0, size.1), policy)).collect()
}

/// The individual specimen's materials: 张三 (`zhangsan`) runs the website `blog`.
const INDIVIDUAL: [&str; 4] = ["id-card-front@zhangsan", "id-card-back@zhangsan", "face-photo@zhangsan", "verification-form@blog"];
/// The enterprise specimen's: 李四 (`lisi`), the legal representative, runs `www`.
const ENTERPRISE: [&str; 5] = ["id-card-front@lisi", "id-card-back@lisi", "face-photo@lisi", "verification-form@www", "business-license@subject"];

/// The current form of a sealed manifest's fields.
fn current(fields: &SealedFields) -> &Fields {
    match fields {
        SealedFields::Current(f) => f,
        SealedFields::First(_) => panic!("sealed in the first form"),
    }
}

fn sealing<'a>() -> Sealing<'a> {
    Sealing { package_id: "0123456789abcdef0123456789abcdef".into(), created_at: NOW, signer: None, attestations: vec![] }
}

fn individual_package(signer: Option<&SoftwareKey>, size: (u32, u32)) -> Package {
    let policy = Policy::icp_default();
    let submission = Submission::new(SubjectKind::Individual, "11", individual_fields()).unwrap();
    let mut sealing = sealing();
    if let Some(key) = signer {
        sealing = sealing.signed_by(key);
    }
    seal(&submission, materials(&INDIVIDUAL, size, &policy), &policy, &sealing).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hexin-package-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn in_memory(package: &Package) -> BTreeMap<String, Vec<u8>> {
    package.files.iter().cloned().collect()
}

fn codes(v: &verify::Verification) -> Vec<Code> {
    v.problems.iter().map(|p| p.code).collect()
}

#[test]
fn seal_then_verify_round_trip() {
    let key = SoftwareKey::generate().unwrap();
    let package = individual_package(Some(&key), (1280, 960));
    let m = &package.manifest;
    assert_eq!(m.materials.len(), 4);
    assert_eq!(m.created_at, "2026-11-28T00:00:00Z");
    assert_eq!(m.policy.digest, Policy::icp_default().digest);
    assert_eq!(m.subject.province, "11");
    for (entry, (name, bytes)) in m.materials.iter().zip(&package.files) {
        assert_eq!(&entry.file, name);
        assert_eq!(entry.bytes, bytes.len() as u64);
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
        assert_eq!(entry.check.thresholds.blurry, 0.5);
    }

    let dir = temp_dir("round-trip");
    package.write_to(&dir).unwrap();
    let trusted = Options { trusted_keys: vec![parse_public_key(key.public_key_pem().unwrap().as_bytes()).unwrap()], expected_digest: Some(package.digest.clone()) };
    let v = verify_dir(&dir, &trusted);
    assert!(v.is_intact(), "{:#?}", v.problems);
    assert_eq!(v.digest.as_deref(), Some(package.digest.as_str()));
    assert_eq!(v.package_id.as_deref(), Some("0123456789abcdef0123456789abcdef"));
    assert!(v.signed_by.is_some());

    let stranger = SoftwareKey::generate().unwrap();
    let other = Options { trusted_keys: vec![parse_public_key(stranger.public_key_pem().unwrap().as_bytes()).unwrap()], ..Options::default() };
    assert_eq!(codes(&verify_dir(&dir, &other)), [Code::UntrustedKey]);
    let wrong_digest = Options { expected_digest: Some("0".repeat(64)), ..Options::default() };
    assert_eq!(codes(&verify_dir(&dir, &wrong_digest)), [Code::DigestMismatch]);
    // The seal is deterministic for a given id, time and inputs (ECDSA aside).
    assert_eq!(individual_package(None, (1280, 960)).digest, package.digest);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_extra_resized_and_changed_files_are_all_reported() {
    let package = individual_package(None, (1280, 960));
    let dir = temp_dir("files");
    package.write_to(&dir).unwrap();
    let names: Vec<&String> = package.files.iter().map(|(n, _)| n).collect();
    std::fs::remove_file(dir.join(names[0])).unwrap();
    let mut longer = package.files[1].1.clone();
    longer.push(0);
    std::fs::write(dir.join(names[1]), longer).unwrap();
    let mut changed = package.files[2].1.clone();
    changed[1000] ^= 0x10;
    std::fs::write(dir.join(names[2]), changed).unwrap();
    std::fs::write(dir.join("notes.txt"), b"extra").unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    let v = verify_dir(&dir, &Options::default());
    assert!(v.problems.iter().all(|p| p.place == Place::file(&p.at)), "{:?}", v.problems);
    let mut found: Vec<(Code, String)> = v.problems.iter().map(|p| (p.code, p.at.clone())).collect();
    found.sort();
    let mut expected = vec![
        (Code::FileMissing, names[0].clone()),
        (Code::FileSizeMismatch, names[1].clone()),
        (Code::FileHashMismatch, names[2].clone()),
        (Code::FileExtra, "notes.txt".to_string()),
        (Code::FileExtra, "sub".to_string()),
    ];
    expected.sort();
    assert_eq!(found, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Size and hash of each file computed once, so thousands of manifest mutations verify quickly.
struct Measured(BTreeMap<String, (u64, String)>);

impl verify::Files for Measured {
    fn names(&self) -> Result<Vec<String>, String> {
        Ok(self.0.keys().cloned().collect())
    }
    fn measure(&self, name: &str, _: u64) -> Result<Option<(u64, String)>, String> {
        Ok(self.0.get(name).cloned())
    }
}

#[test]
fn every_single_byte_change_to_the_manifest_is_detected() {
    let key = SoftwareKey::generate().unwrap();
    for package in [individual_package(None, (1280, 960)), individual_package(Some(&key), (1280, 960))] {
        let files = Measured(package.manifest.materials.iter().map(|e| (e.file.clone(), (e.bytes, e.sha256.clone()))).collect());
        let bytes = &package.manifest_bytes;
        assert!(verify(bytes, &files, &Options::default()).is_intact());
        let mut checked = 0;
        for i in 0..bytes.len() {
            for flip in [0x01u8, 0x02, 0x20, 0x40, 0x80, 0xFF] {
                let mut mutated = bytes.clone();
                mutated[i] ^= flip;
                let v = verify(&mutated, &files, &Options::default());
                assert!(!v.is_intact(), "byte {i} ^ {flip:#04x} went undetected");
                checked += 1;
            }
        }
        assert!(checked > 6 * 3000, "{checked}");
    }
}

#[test]
fn every_single_byte_change_to_a_file_is_detected() {
    let package = individual_package(None, (1280, 960));
    let files = in_memory(&package);
    // Every position of the smallest file, then a spread of positions in every file.
    let (smallest, _) = package.files.iter().min_by_key(|(_, b)| b.len()).unwrap();
    for (name, bytes) in &package.files {
        let positions: Vec<usize> = if name == smallest { (0..bytes.len()).collect() } else { (0..bytes.len()).step_by(499).chain([bytes.len() - 1]).collect() };
        for i in positions {
            let mut mutated = files.clone();
            mutated.get_mut(name).unwrap()[i] ^= 0x01;
            let only = BTreeMap::from([(name.clone(), mutated.remove(name).unwrap())]);
            let entry = package.manifest.materials.iter().find(|e| &e.file == name).unwrap();
            let (size, sha) = verify::Files::measure(&only, name, entry.bytes).unwrap().unwrap();
            assert_eq!(size, entry.bytes);
            assert_ne!(sha, entry.sha256, "{name} byte {i}");
        }
    }
    // And end to end through verify for a few of them.
    for (name, bytes) in &package.files {
        let mut mutated = files.clone();
        mutated.get_mut(name).unwrap()[bytes.len() / 2] ^= 0x80;
        assert_eq!(codes(&verify(&package.manifest_bytes, &mutated, &Options::default())), [Code::FileHashMismatch]);
    }
}

#[test]
fn manifest_edits_versions_and_garbage_get_their_codes() {
    let key = SoftwareKey::generate().unwrap();
    let package = individual_package(Some(&key), (1280, 960));
    let files = in_memory(&package);
    let text = String::from_utf8(package.manifest_bytes.clone()).unwrap();
    let check = |t: &str| codes(&verify(t.as_bytes(), &files, &Options::default()));

    // A consistent edit of a field (still canonical): the digest no longer matches.
    let edited = text.replace("\"name\":\"张三\"", "\"name\":\"李四\"");
    assert_ne!(edited, text);
    assert_eq!(check(&edited), [Code::ManifestTampered, Code::SignatureInvalid]);
    // Pretty-printed: same content, not the sealed bytes.
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap();
    assert_eq!(check(&pretty), [Code::ManifestNotCanonical]);
    assert_eq!(check(&text.replace("\"version\":2", "\"version\":3")), [Code::UnsupportedManifestVersion]);
    assert_eq!(check(&text.replace("\"version\":2,", "")), [Code::UnsupportedManifestVersion]);
    // Version 1 over version 2's content: re-sealed, still not a version 1 manifest.
    assert!(check(&text.replace("\"version\":2", "\"version\":1")).contains(&Code::ManifestInvalid));
    assert_eq!(check(""), [Code::ManifestInvalid]);
    assert_eq!(check("[]"), [Code::ManifestInvalid]);
    assert_eq!(check(&"[".repeat(100_000)), [Code::ManifestInvalid]);
    let traversal = text.replacen("\"file\":\"id-card-front.zhangsan.jpg\"", "\"file\":\"../id-card-front.zhangsan.jpg\"", 1);
    assert_ne!(traversal, text);
    assert!(check(&traversal).contains(&Code::ManifestInvalid));
    let unknown_member = text.replacen("{\"created_at\"", "{\"comment\":\"x\",\"created_at\"", 1);
    assert_ne!(unknown_member, text);
    assert!(check(&unknown_member).contains(&Code::ManifestInvalid));
    let huge = format!("{{\"pad\":\"{}\"}}", "x".repeat(verify::MAX_MANIFEST_BYTES));
    assert_eq!(check(&huge), [Code::ManifestInvalid]);
    assert_eq!(codes(&verify_dir(&temp_dir("empty-nonexistent"), &Options::default())), [Code::ManifestMissing]);
}

#[test]
fn sealing_refuses_with_every_reason() {
    let policy = Policy::icp_default();
    let mut fields = individual_fields();
    fields.people[0].phone = "12345".into();
    fields.people[0].document.valid_until = "20261231".into();
    fields.websites[0].domains.push(Domain { name: "bad_domain".into(), registrant: "张三".into() });
    let submission = Submission::new(SubjectKind::Individual, "11", fields).unwrap();
    let blurry = camera_jpeg(&defocus(&document(Scene::new(1280, 960)), 6));
    let mut gallery = material("face-photo@zhangsan", b"not an image", &policy);
    gallery.capture.source = CaptureSource::Gallery;
    let given = vec![
        material("id-card-front@zhangsan", &photo(MaterialKind::IdCardFront, 1, 1280, 960), &policy),
        material("id-card-back@zhangsan", &blurry, &policy),
        gallery,
        material("other@nobody", &photo(MaterialKind::Other, 2, 1280, 960), &policy),
    ];
    let Err(Error::SealRefused { problems }) = seal(&submission, given, &policy, &sealing()) else { panic!("sealed") };
    let mut found: Vec<(Code, &str)> = problems.iter().map(|p| (p.code, p.at.as_str())).collect();
    found.sort();
    let mut expected = vec![
        (Code::InvalidPhone, "people[0].phone"),
        (Code::IdExpiring, "people[0].document.valid_until"),
        (Code::InvalidDomain, "websites[0].domains[2].name"),
        (Code::Blurry, "id-card-back@zhangsan"),
        (Code::CorruptImage, "face-photo@zhangsan"),
        (Code::CaptureSourceNotAllowed, "face-photo@zhangsan"),
        (Code::MissingMaterial, "verification-form@blog"),
        (Code::UnknownReference, "other@nobody"),
    ];
    expected.sort();
    assert_eq!(found, expected);
    assert!(problems.iter().all(|p| !p.message.zh.is_empty() && !p.message.en.is_empty()));
}

#[test]
fn province_rules_add_materials_and_refuse() {
    let policy = Policy::icp_default();
    let kinds = |subject, province: &str, fields: Fields| {
        let (needed, refusals) = Submission::new(subject, province, fields).unwrap().required_materials(&policy.requirements);
        (needed, refusals.iter().map(|p| p.code).collect::<Vec<_>>())
    };
    // The example individual holds a Beijing ID (11…).
    let (beijing, none) = kinds(SubjectKind::Individual, "11", individual_fields());
    assert_eq!(beijing, slots(&INDIVIDUAL));
    assert!(none.is_empty());
    // Shanghai: an ID from elsewhere needs a residence permit.
    let (shanghai, _) = kinds(SubjectKind::Individual, "shanghai", individual_fields());
    assert!(shanghai.contains(&slot("residence-permit@zhangsan")));
    // Jiangsu: that, and each website's domain certificate.
    let (jiangsu, _) = kinds(SubjectKind::Individual, "32", individual_fields());
    assert!(jiangsu.contains(&slot("residence-permit@zhangsan")) && jiangsu.contains(&slot("domain-certificate@blog")));
    // Xinjiang accepts only local IDs for individuals.
    assert_eq!(kinds(SubjectKind::Individual, "65", individual_fields()).1, [Code::NonLocalId]);
    // Enterprise: the business licence; an authorization letter in Shanghai when the
    // responsible person is not the legal representative, not in Guangdong.
    let mut delegate = enterprise_fields();
    delegate.people[0].is_legal_representative = Some(false);
    let (guangdong, _) = kinds(SubjectKind::Enterprise, "44", delegate.clone());
    // In policy order: the subject's certificate, the person's ID, the face, the website's form.
    assert_eq!(guangdong, slots(&[ENTERPRISE[4], ENTERPRISE[0], ENTERPRISE[1], ENTERPRISE[2], ENTERPRISE[3]]));
    let (shanghai, _) = kinds(SubjectKind::Enterprise, "31", delegate);
    assert!(shanghai.contains(&slot("authorization-letter@www")));
    let (shanghai_legal, _) = kinds(SubjectKind::Enterprise, "31", enterprise_fields());
    assert!(!shanghai_legal.iter().any(|s| s.kind == MaterialKind::AuthorizationLetter));

    // Sealing an enterprise without its licence names it.
    let submission = Submission::new(SubjectKind::Enterprise, "44", enterprise_fields()).unwrap();
    let Err(Error::SealRefused { problems }) = seal(&submission, materials(&ENTERPRISE[..4], (1280, 960), &policy), &policy, &sealing()) else {
        panic!("sealed without a licence")
    };
    assert_eq!(problems.iter().map(|p| (p.code, p.at.as_str())).collect::<Vec<_>>(), [(Code::MissingMaterial, "business-license@subject")]);
}

#[test]
fn credit_code_warning_is_sealed_not_refused() {
    let policy = Policy::icp_default();
    let mut fields = enterprise_fields();
    let code = fields.subject.credit_code.clone().unwrap();
    let last = if code.ends_with('0') { '1' } else { '0' };
    fields.subject.credit_code = Some(format!("{}{last}", &code[..17]));
    let submission = Submission::new(SubjectKind::Enterprise, "44", fields).unwrap();
    let package = seal(&submission, materials(&ENTERPRISE, (1280, 960), &policy), &policy, &sealing()).unwrap();
    assert_eq!(package.manifest.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), [Code::InvalidCreditCode]);
    // Read back from the sealed bytes, the warning is at its field again.
    let read: Manifest = serde_json::from_slice(&package.manifest_bytes).unwrap();
    assert_eq!(read.warnings, package.manifest.warnings);
    assert_eq!(read.warnings[0].place, Place::field("subject.credit_code"));
    // Every member a verifier may name reads back as a manifest place (`subject` is a field's).
    let value: serde_json::Value = serde_json::from_slice(&package.manifest_bytes).unwrap();
    for member in value.as_object().unwrap().keys().filter(|k| *k != "subject") {
        assert_eq!(Place::parse(member), Place::Manifest { path: member.clone() });
    }
}

/// Regenerates the specimens' photos: `HEXIN_WRITE_SPECIMENS=1 cargo test -p hexin-core --test
/// package write_specimens -- --ignored`.
#[test]
#[ignore]
fn write_specimens() {
    if std::env::var_os("HEXIN_WRITE_SPECIMENS").is_none() {
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specimens");
    let kinds = ENTERPRISE.map(|s| slot(s).kind);
    for (i, kind) in kinds.iter().enumerate() {
        let bytes = photo(*kind, i as u64 + 101, 1280, 960);
        for (dir, wanted) in [("individual", *kind != MaterialKind::BusinessLicense), ("enterprise", true)] {
            if wanted {
                std::fs::write(root.join(dir).join(format!("{kind}.jpg")), &bytes).unwrap();
            }
        }
    }
}

/// Writes seeds for the `manifest` and `verify` fuzz targets into `$HEXIN_FUZZ_SEEDS`
/// (scripts/fuzz.sh runs it): real sealed manifests, signed and not, and whole packages in the
/// `verify` target's encoding with small stand-in files, resealed (and re-signed) so they verify.
#[test]
#[ignore]
fn write_fuzz_seeds() {
    use base64::Engine;
    use hexin_core::package::manifest::Seal;
    use hexin_core::hash::sha256_hex;
    use hexin_core::package::signature::{Signature, Signer, ALGORITHM};

    let Some(dir) = std::env::var_os("HEXIN_FUZZ_SEEDS").map(PathBuf::from) else {
        println!("HEXIN_FUZZ_SEEDS is not set: nothing to write");
        return;
    };
    let (manifests, packages) = (dir.join("manifests"), dir.join("packages"));
    std::fs::create_dir_all(&manifests).unwrap();
    std::fs::create_dir_all(&packages).unwrap();
    let key = SoftwareKey::generate().unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    for (name, signer) in [("unsigned", None), ("signed", Some(&key))] {
        let package = individual_package(signer, (1280, 960));
        std::fs::write(manifests.join(format!("{name}.json")), &package.manifest_bytes).unwrap();

        let mut m = package.manifest.clone();
        let mut files = vec![];
        for (i, e) in m.materials.iter_mut().enumerate() {
            let content = format!("stand-in {i}").into_bytes();
            (e.bytes, e.sha256) = (content.len() as u64, sha256_hex(&content));
            files.push((e.file.clone(), content));
        }
        m.seal = None;
        let unsealed = m.to_canonical().unwrap();
        let signature = signer.map(|k| Signature {
            algorithm: ALGORITHM.into(),
            public_key: b64.encode(k.public_key().unwrap()),
            value: b64.encode(k.sign(unsealed.clone()).unwrap()),
        });
        m.seal = Some(Seal { digest: sha256_hex(&unsealed), signature });
        let manifest = m.to_canonical().unwrap();
        let intact: BTreeMap<String, Vec<u8>> = files.iter().cloned().collect();
        assert!(verify(&manifest, &intact, &Options::default()).is_intact());
        let mut seed = (manifest.len() as u16).to_be_bytes().to_vec();
        seed.extend(&manifest);
        for (file, content) in &files {
            seed.push(file.len() as u8);
            seed.extend(file.as_bytes());
            seed.extend((content.len() as u16).to_be_bytes());
            seed.extend(content);
        }
        std::fs::write(packages.join(format!("{name}.bin")), seed).unwrap();
    }
}

#[test]
fn submission_problems_name_each_missing_or_invalid_field() {
    let policy = Policy::icp_default();
    let today = hexin_core::date::Date::new(2026, 11, 28).unwrap();
    let problems = |subject, fields: Fields| {
        let mut found: Vec<(Code, String)> =
            Submission::new(subject, "44", fields).unwrap().problems(&policy.requirements, today).into_iter().map(|p| (p.code, p.at)).collect();
        found.sort();
        found
    };
    assert!(problems(SubjectKind::Individual, individual_fields()).is_empty());
    assert!(problems(SubjectKind::Enterprise, enterprise_fields()).is_empty());

    let mut bare = enterprise_fields();
    bare.subject.credit_code = None;
    bare.subject.legal_representative = Some(" ".into());
    bare.people[0].is_legal_representative = None;
    bare.people[0].email = String::new();
    bare.people[0].document.number = "440305198805120016".into();
    bare.websites[0].domains.clear();
    let at = |code, at: &str| (code, at.to_string());
    let mut expected = vec![
        at(Code::MissingField, "subject.credit_code"),
        at(Code::MissingField, "subject.legal_representative"),
        at(Code::MissingField, "people[0].is_legal_representative"),
        at(Code::MissingField, "people[0].email"),
        at(Code::MissingField, "websites[0].domains"),
        at(Code::InvalidIdNumber, "people[0].document.number"),
    ];
    expected.sort();
    assert_eq!(problems(SubjectKind::Enterprise, bare.clone()), expected);
    // An individual needs none of the enterprise fields.
    let individual: Vec<Code> = problems(SubjectKind::Individual, bare).into_iter().map(|(c, _)| c).collect();
    assert_eq!(individual.iter().filter(|c| **c == Code::MissingField).count(), 2, "{individual:?}");
    // Its website is another person's and its domain another's: both refused.
    let mut delegated = individual_fields();
    let mut other = delegated.people[0].clone();
    (other.id, other.document.number, other.phone) = ("lisi".into(), "440305198805120015".into(), "13700137000".into());
    delegated.people.push(other);
    delegated.websites[0].responsible_person = "lisi".into();
    delegated.websites[0].domains[0].registrant = "李四".into();
    assert_eq!(problems(SubjectKind::Individual, delegated), [
        at(Code::InvalidRole, "websites[0].responsible_person"),
        at(Code::DomainRegistrantMismatch, "websites[0].domains[0].registrant"),
    ]);

    // Unknown members and wrong types in the fields file name the path.
    let typo = include_str!("../../specimens/individual/fields.json").replace("\"phone\"", "\"mobile\"");
    let Err(e) = Fields::from_json(&typo) else { panic!("accepted a typo") };
    assert_eq!(e.code(), Code::InvalidFields);
    assert!(e.to_string().contains("people[0]"), "{e}");
    assert_eq!(Fields::from_json("{").unwrap_err().code(), Code::InvalidFields);
}

#[cfg(feature = "outbox")]
/// A sealed package kept in an encrypted outbox comes back out byte-identical and verifies.
#[test]
fn sealed_package_survives_the_outbox() {
    use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};
    let dir = temp_dir("outbox");
    let package = individual_package(None, (1280, 960));
    let id = package.manifest.package_id.clone();
    let config = OutboxConfig { key: Some([7; 32]), ..OutboxConfig::default() };
    {
        let outbox = Outbox::open(&dir.join("outbox"), config.clone()).unwrap();
        let files: Vec<(&str, &[u8])> = package.files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
        outbox.seal(&id, &package.manifest_bytes, &files).unwrap();
        outbox.set_state(&id, PackageState::Uploading).unwrap();
    }
    let outbox = Outbox::open(&dir.join("outbox"), config).unwrap();
    assert_eq!(outbox.get(&id).unwrap().state, PackageState::Uploading);
    outbox.export(&id, &dir.join("export")).unwrap();
    let v = verify_dir(&dir.join("export"), &Options { expected_digest: Some(package.digest.clone()), ..Options::default() });
    assert!(v.is_intact(), "{:?}", v.problems);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A manifest canonical JSON cannot carry (an integer beyond 2^53) is an error, not the empty
/// bytes whose SHA-256 used to be sealed as the digest.
#[test]
fn a_manifest_beyond_canonical_json_is_an_error() {
    let mut m = individual_package(None, (1280, 960)).manifest;
    m.materials[0].check.thresholds.output_max_bytes = 1 << 60;
    assert_eq!(m.to_canonical().unwrap_err().code(), Code::ManifestInvalid);
}

/// Sealing refuses what `verify` would refuse: here a manifest over verify's 1 MB (a website name
/// of 1.2 MB), which used to be sealed and written.
#[test]
fn seal_refuses_a_package_verify_would_refuse() {
    let policy = Policy::icp_default();
    let mut fields = individual_fields();
    fields.websites[0].name = "网".repeat(400_000);
    let submission = Submission::new(SubjectKind::Individual, "11", fields).unwrap();
    let Err(Error::SealRefused { problems }) = seal(&submission, materials(&INDIVIDUAL, (1280, 960), &policy), &policy, &sealing()) else {
        panic!("sealed a manifest verify refuses")
    };
    assert!(problems.iter().any(|p| p.code == Code::ManifestInvalid && p.message.en.contains("exceeds")), "{problems:#?}");
}

/// A write that fails midway (the second copy of a file name cannot be created) leaves neither
/// the package directory nor a temporary one; a target that is not empty is refused untouched;
/// an existing empty directory receives the package.
#[test]
fn a_failed_write_leaves_no_half_package() {
    let package = individual_package(None, (1280, 960));
    let parent = temp_dir("half");
    std::fs::create_dir_all(&parent).unwrap();
    let dir = parent.join("pkg");
    let mut broken = package.clone();
    broken.files.push(package.files[0].clone());
    assert_eq!(broken.write_to(&dir).unwrap_err().code(), Code::StorageError);
    assert!(std::fs::read_dir(&parent).unwrap().next().is_none(), "something was left in {}", parent.display());

    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("theirs.txt"), b"keep").unwrap();
    assert_eq!(package.write_to(&dir).unwrap_err().code(), Code::StorageError);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    assert_eq!(std::fs::read(dir.join("theirs.txt")).unwrap(), b"keep");

    std::fs::remove_file(dir.join("theirs.txt")).unwrap();
    package.write_to(&dir).unwrap();
    assert!(verify_dir(&dir, &Options::default()).is_intact());
    assert_eq!(std::fs::read_dir(&parent).unwrap().count(), 1, "a temporary directory was left beside the package");
    std::fs::remove_dir_all(&parent).unwrap();
}

/// A package whose manifest.json is a symlink to an intact copy outside it is not intact: the
/// verifier reads only the package's own regular file.
#[test]
fn a_manifest_symlinked_out_of_the_package_is_not_intact() {
    let package = individual_package(None, (1280, 960));
    let root = temp_dir("symlinked-manifest");
    let dir = root.join("pkg");
    package.write_to(&dir).unwrap();
    assert!(verify_dir(&dir, &Options::default()).is_intact());
    let outside = root.join("manifest-copy.json");
    std::fs::rename(dir.join("manifest.json"), &outside).unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("manifest.json")).unwrap();
    let v = verify_dir(&dir, &Options::default());
    assert!(!v.is_intact(), "a symlinked manifest verified: {v:#?}");
    std::fs::remove_dir_all(&root).unwrap();
}

/// Text fields are sealed in NFC: a name typed with a combining accent is sealed precomposed.
#[test]
fn text_fields_are_sealed_in_nfc() {
    let policy = Policy::icp_default();
    let mut fields = individual_fields();
    fields.people[0].name = "Rene\u{301}e 李雷".into();
    fields.websites[0].name = "Cafe\u{301}".into();
    let submission = Submission::new(SubjectKind::Individual, "11", fields).unwrap();
    let package = seal(&submission, materials(&INDIVIDUAL, (1280, 960), &policy), &policy, &sealing()).unwrap();
    assert_eq!(current(&package.manifest.fields).people[0].name, "Ren\u{e9}e 李雷");
    assert_eq!(current(&package.manifest.fields).websites[0].name, "Caf\u{e9}");
}

/// Fields that would show a reviewer something else than what is sealed are refused: control
/// characters and text-direction overrides are `invalid_text` naming the field; a name of only
/// zero-width characters, BOM and spaces is `missing_field`.
#[test]
fn spoofing_fields_are_refused() {
    let policy = Policy::icp_default();
    let today = hexin_core::date::Date::new(2026, 11, 28).unwrap();
    let problems = |f: Fields| -> Vec<(Code, String)> {
        Submission::new(SubjectKind::Individual, "44", f).unwrap().problems(&policy.requirements, today).into_iter().map(|p| (p.code, p.at)).collect()
    };
    for bad in ["李\u{202E}雷", "李\0雷", "\u{1b}[31m李雷", "李雷\u{7}", "李\r\n雷", "李\u{7f}", "李\u{85}雷", "\u{2066}李雷\u{2069}", "\u{200F}李雷"] {
        let mut f = individual_fields();
        f.people[0].name = bad.into();
        assert_eq!(problems(f), [(Code::InvalidText, "people[0].name".to_string())], "{bad:?}");
    }
    let mut f = individual_fields();
    f.websites[0].domains = vec![Domain { name: "example.cn\u{202E}".into(), registrant: "张三".into() }];
    assert_eq!(problems(f), [(Code::InvalidText, "websites[0].domains[0].name".to_string())]);
    for invisible in ["\u{200B}", "\u{200D}\u{200C}", "\u{FEFF}", " \u{200B}\u{3000}\u{A0}", "\u{2060}\u{00AD}"] {
        let mut f = individual_fields();
        f.subject.name = invisible.into();
        assert_eq!(problems(f), [(Code::MissingField, "subject.name".to_string())], "{invisible:?}");
    }
    let Err(e) = Submission::new(SubjectKind::Individual, "44", individual_fields()).and_then(|s| {
        let mut f = s.fields.clone();
        f.people[0].name = "\u{202E}gnp.exe".into();
        seal(&Submission { fields: f, ..s }, materials(&INDIVIDUAL, (1280, 960), &policy), &policy, &sealing())
    }) else {
        panic!("sealed a right-to-left override")
    };
    assert_eq!(e.code(), Code::SealRefused);
}

/// A fields document followed by anything but whitespace is refused; an error quotes at most a
/// few hundred characters of the input.
#[test]
fn fields_documents_end_where_their_object_ends() {
    let json = include_str!("../../specimens/individual/fields.json");
    for garbage in ["x", "{}", "[1]", "\"more\"", "\0"] {
        let Err(e) = Fields::from_json(&format!("{json}{garbage}")) else { panic!("accepted {garbage:?} after the object") };
        assert_eq!(e.code(), Code::InvalidFields);
    }
    assert!(Fields::from_json(&format!("{json}\n  \n")).is_ok());
    let long = json.replacen('{', &format!("{{\"{}\": 1, ", "x".repeat(1_000_000)), 1);
    let e = Fields::from_json(&long).unwrap_err();
    assert!(e.to_string().len() < 2_000, "{} bytes of error", e.to_string().len());
}

/// Names Windows opens as devices, whatever their case or extension, and names with a trailing
/// dot are not safe file names.
#[test]
fn windows_device_names_are_not_safe_file_names() {
    use hexin_core::package::manifest::is_safe_file_name;
    for name in ["CON", "con", "NUL.jpg", "nul.tar.gz", "aux.jpg", "Prn.jpeg", "COM1.jpg", "com9", "LPT1", "lpt0.x", "x.jpg.", "x."] {
        assert!(!is_safe_file_name(name), "{name}");
    }
    for name in ["id-card-front.jpg", "id-card-front.p2.jpg", "id-card-front.p2_2.jpg", "console.jpg", "com10.jpg", "nully.jpg", "lpt.jpg", "a.b.c", "COM.jpg"] {
        assert!(is_safe_file_name(name), "{name}");
    }
}

fn liveness(reference: &str, issued_at: &str) -> Attestation {
    Attestation { provider: "aliyun".into(), kind: "liveness".into(), reference: reference.into(), issued_at: issued_at.into(), owner: None }
}

#[test]
fn attestations_are_sealed_under_the_digest_and_checked() {
    let policy = Policy::icp_default();
    let submission = Submission::new(SubjectKind::Individual, "11", individual_fields()).unwrap();
    let key = SoftwareKey::generate().unwrap();
    let attestation = liveness("vfy-7c1e-0001", "2026-11-27T23:58:00Z");
    let sealing = sealing().signed_by(&key).attested(vec![attestation.clone()]);
    let package = seal(&submission, materials(&INDIVIDUAL, (1280, 960), &policy), &policy, &sealing).unwrap();
    assert_eq!(package.manifest.attestations, vec![attestation]);
    let files = in_memory(&package);
    assert!(verify(&package.manifest_bytes, &files, &Options::default()).is_intact());

    // The provider's id is under the digest and the signature: another id is tampering.
    let text = String::from_utf8(package.manifest_bytes.clone()).unwrap();
    let forged = text.replace("vfy-7c1e-0001", "vfy-7c1e-0002");
    assert_ne!(forged, text);
    assert_eq!(codes(&verify(forged.as_bytes(), &files, &Options::default())), vec![Code::ManifestTampered, Code::SignatureInvalid]);

    // A receiver refuses a malformed attestation even under a matching digest.
    let mut malformed = package.manifest.clone();
    malformed.attestations[0].issued_at = "2026-11-27 23:58".into();
    malformed.seal = None;
    let digest = hexin_core::hash::sha256_hex(&malformed.to_canonical().unwrap());
    malformed.seal = Some(hexin_core::package::manifest::Seal { digest, signature: None });
    let v = verify(&malformed.to_canonical().unwrap(), &files, &Options::default());
    assert_eq!(codes(&v), vec![Code::ManifestInvalid], "{:?}", v.problems);

    // A person's own check names them.
    let theirs = Attestation { owner: Some("zhangsan".into()), ..liveness("vfy-7c1e-0003", "2026-11-27T23:59:00Z") };
    let sealing_theirs = self::sealing().attested(vec![theirs.clone()]);
    let package = seal(&submission, materials(&INDIVIDUAL, (1280, 960), &policy), &policy, &sealing_theirs).unwrap();
    assert_eq!(package.manifest.attestations, [theirs]);
    assert!(verify(&package.manifest_bytes, &in_memory(&package), &Options::default()).is_intact());

    // Without attestations the member is absent: packages sealed before it read the same.
    let plain = individual_package(None, (1280, 960));
    assert!(!String::from_utf8(plain.manifest_bytes).unwrap().contains("attestations"));
}

#[test]
fn malformed_attestations_are_refused_at_sealing() {
    let policy = Policy::icp_default();
    let submission = Submission::new(SubjectKind::Individual, "11", individual_fields()).unwrap();
    let cases = [
        (vec![liveness("", "2026-11-27T23:58:00Z")], "attestations[0]"),
        (vec![liveness("vfy-1", "2026-11-27T23:58:00Z"), liveness("vfy\n2", "2026-11-27T23:58:00Z")], "attestations[1]"),
        (vec![liveness(&"x".repeat(257), "2026-11-27T23:58:00Z")], "attestations[0]"),
        (vec![liveness("vfy-1", "2026-11-27T23:58:00+08:00")], "attestations[0]"),
        (vec![liveness("vfy-1", "2026-11-27T23:58:00Z"); 9], "attestations"),
        (vec![Attestation { owner: Some("nobody".into()), ..liveness("vfy-1", "2026-11-27T23:58:00Z") }], "attestations[0]"),
        (vec![Attestation { owner: Some("Zhang San".into()), ..liveness("vfy-1", "2026-11-27T23:58:00Z") }], "attestations[0]"),
    ];
    for (attestations, name) in cases {
        let sealing = sealing().attested(attestations);
        match seal(&submission, materials(&INDIVIDUAL[..1], (1280, 960), &policy), &policy, &sealing) {
            Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{name}: {:?}", other.map(|p| p.digest)),
        }
    }
}
