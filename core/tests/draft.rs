//! Drafts: captures kept in the outbox as they are accepted, surviving a reopen, then sealed in
//! place into a package that verifies.

use std::path::Path;
use std::sync::Arc;

use hexin_core::draft::{Checklist, Draft, MaterialState};
use hexin_core::package::manifest::{Attestation, Capture, CaptureSource};
use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::Fields;
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::{Code, Error, MaterialKind, Place, Policy, Severity, Verdict};
use hexin_testing::synthetic::{camera_jpeg, defocus, document, glare, noisy, Scene, face_photo};

const INDIVIDUAL: [MaterialKind; 4] =
    [MaterialKind::IdCardFront, MaterialKind::IdCardBack, MaterialKind::FacePhoto, MaterialKind::VerificationForm];

fn example(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual").join(name)).unwrap()
}

fn fields() -> Fields {
    Fields::from_json(include_str!("../../specimens/individual/fields.json")).unwrap()
}

fn camera() -> Capture {
    Capture::at(CaptureSource::Camera, hexin_core::date::unix_now())
}

/// A badly defocused shot of a document: readable, but rejected as blurry.
fn blurry() -> Vec<u8> {
    camera_jpeg(&defocus(&noisy(document(Scene::new(1600, 1000)), 2.0, 7), 12))
}

fn open(dir: &Path) -> Arc<Outbox> {
    Arc::new(Outbox::open(dir, OutboxConfig { key: Some([7; 32]), ..OutboxConfig::default() }).unwrap())
}

fn codes(problems: &[hexin_core::Problem]) -> Vec<(Code, String)> {
    problems.iter().map(|p| (p.code, p.at.clone())).collect()
}

fn liveness(reference: &str) -> Attestation {
    Attestation { provider: "aliyun".into(), kind: "liveness".into(), reference: reference.into(), issued_at: "2026-11-30T09:15:00Z".into() }
}

fn states(list: &Checklist) -> Vec<(MaterialKind, bool, MaterialState)> {
    list.materials.iter().map(|m| (m.kind, m.required, m.state)).collect()
}

#[test]
fn captures_survive_a_reopen_and_seal_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let policy = Arc::new(Policy::icp_default());
    let id = {
        let outbox = open(&dir);
        let draft = Draft::start(outbox.clone(), policy.clone(), SubjectKind::Individual, "北京").unwrap();
        let list = draft.checklist().unwrap();
        assert_eq!(states(&list), INDIVIDUAL.map(|k| (k, true, MaterialState::Missing)));
        assert!(!list.ready_to_seal);
        let problems = codes(&list.problems);
        assert!(problems.contains(&(Code::MissingField, "responsible_person.id_number".into())), "{problems:?}");
        assert!(problems.contains(&(Code::MissingMaterial, "face-photo".into())), "{problems:?}");

        for kind in &INDIVIDUAL[..3] {
            let report = draft.add(*kind, &example(&format!("{kind}.jpg")), camera()).unwrap();
            assert_eq!(report.verdict, Verdict::Accept, "{kind}: {:?}", report.findings);
            assert!(!report.output.unwrap().jpeg.is_empty());
        }
        draft.set_fields(fields()).unwrap();
        // The provider's liveness check, run at the face step; retaken, the second replaces it.
        draft.attest(liveness("vfy-0001")).unwrap();
        draft.attest(liveness("vfy-0002")).unwrap();
        assert!(matches!(draft.attest(liveness("")), Err(Error::InvalidArgument { .. })));
        draft.id().to_string()
        // Dropped here without sealing, as when the app is killed.
    };

    let outbox = open(&dir);
    let draft = Draft::open(outbox.clone(), policy.clone(), &id).unwrap();
    assert_eq!(draft.fields(), Some(fields()));
    assert_eq!(draft.attestations(), [liveness("vfy-0002")]);
    let list = draft.checklist().unwrap();
    let accepted = INDIVIDUAL[..3].iter().map(|&k| (k, true, MaterialState::Accepted));
    assert_eq!(states(&list), accepted.chain([(MaterialKind::VerificationForm, true, MaterialState::Missing)]).collect::<Vec<_>>());
    assert_eq!(list.materials[0].report, draft.report(MaterialKind::IdCardFront));
    assert!(list.fields.is_empty() && !list.ready_to_seal);
    assert_eq!(codes(&list.problems), [(Code::MissingMaterial, "verification-form".to_string())]);
    let front = draft.report(MaterialKind::IdCardFront).unwrap();
    assert_eq!(outbox.read_file(&id, "id-card-front.jpg").unwrap().len() as u64, front.output.unwrap().bytes);

    // Sealing now is refused with the reason; nothing changes.
    match draft.seal(None) {
        Err(Error::SealRefused { problems }) => {
            assert_eq!(codes(&problems), [(Code::MissingMaterial, "verification-form".to_string())])
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.get(&id).unwrap().state, PackageState::Draft);

    draft.add(MaterialKind::VerificationForm, &example("verification-form.jpg"), camera()).unwrap();
    let list = draft.checklist().unwrap();
    assert!(list.problems.is_empty() && list.ready_to_seal);
    let sealed = draft.seal(None).unwrap();
    assert_eq!(sealed.package_id, id);
    let package = outbox.get(&id).unwrap();
    assert_eq!(package.state, PackageState::Sealed);
    let names: Vec<String> = package.files.iter().map(|f| f.name.clone()).collect();
    assert_eq!(names.len(), 4);
    assert!(INDIVIDUAL.iter().all(|k| names.contains(&format!("{k}.jpg"))), "{names:?}");

    let exported = tmp.path().join("export");
    outbox.export(&id, &exported).unwrap();
    let v = verify_dir(&exported, &Options { expected_digest: Some(sealed.digest.clone()), ..Options::default() });
    assert!(v.is_intact(), "{:?}", v.problems);
    assert_eq!(v.package_id.as_deref(), Some(id.as_str()));
    let manifest: hexin_core::package::manifest::Manifest =
        serde_json::from_slice(&std::fs::read(exported.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.attestations, [liveness("vfy-0002")]);

    // A sealed package is no longer a draft.
    assert!(matches!(Draft::open(outbox, policy, &id), Err(Error::InvalidState { .. })));
}

/// In Shanghai an ID from another province calls for a residence permit: one captured before
/// the ID number is known is listed as not required, then as required. A face photo with glare
/// is accepted with a warning. Field problems are grouped by field.
#[test]
fn the_checklist_says_where_each_material_and_field_stands() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = open(&tmp.path().join("outbox"));
    let draft = Draft::start(outbox, Arc::new(Policy::icp_default()), SubjectKind::Individual, "31").unwrap();
    let list = draft.checklist().unwrap();
    assert!(list.problems.iter().any(|p| p.code == Code::MissingMaterial && p.place == Place::Material { kind: MaterialKind::FacePhoto }));
    let paths: Vec<&str> = list.fields.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"responsible_person.id_number") && paths.contains(&"website.domains"), "{paths:?}");
    assert!(list.fields.iter().all(|f| f.problems.iter().all(|p| p.code == Code::MissingField && p.at == f.path)));

    let permit = MaterialKind::ResidencePermit;
    assert_eq!(draft.add(permit, &example("id-card-front.jpg"), camera()).unwrap().verdict, Verdict::Accept);
    let face = camera_jpeg(&noisy(glare(&face_photo(Scene::new(1200, 1600)), 0.15, 0.2, 30.0), 3.0, 11));
    let warned = draft.add(MaterialKind::FacePhoto, &face, camera()).unwrap();
    assert_eq!((warned.verdict, warned.findings[0].severity), (Verdict::Accept, Severity::Warn));
    let missing = |k| (k, true, MaterialState::Missing);
    let face_state = (MaterialKind::FacePhoto, true, MaterialState::Warned);
    let [front, back, _, form] = INDIVIDUAL.map(missing);
    assert_eq!(states(&draft.checklist().unwrap()), [front, back, face_state, form, (permit, false, MaterialState::Accepted)]);

    let mut bad_phone = fields();
    bad_phone.responsible_person.phone = "12345".into();
    draft.set_fields(bad_phone).unwrap();
    let list = draft.checklist().unwrap();
    assert_eq!(states(&list), [front, back, face_state, form, (permit, true, MaterialState::Accepted)]);
    assert_eq!(list.materials[2].report.as_ref().unwrap().findings[0].code, Code::Glare);
    let fields_found: Vec<(&str, Vec<Code>)> =
        list.fields.iter().map(|f| (f.path.as_str(), f.problems.iter().map(|p| p.code).collect())).collect();
    assert_eq!(fields_found, [("responsible_person.phone", vec![Code::InvalidPhone])]);

    draft.set_fields(fields()).unwrap();
    for kind in [MaterialKind::IdCardFront, MaterialKind::IdCardBack, MaterialKind::VerificationForm] {
        draft.add(kind, &example(&format!("{kind}.jpg")), camera()).unwrap();
    }
    let list = draft.checklist().unwrap();
    assert!(list.ready_to_seal && list.fields.is_empty() && list.problems.is_empty(), "{:?}", list.problems);
}

#[test]
fn a_rejected_retake_keeps_the_accepted_capture_and_an_accepted_one_replaces_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let outbox = open(&dir);
    let draft = Draft::start(outbox.clone(), Arc::new(Policy::icp_default()), SubjectKind::Individual, "11").unwrap();
    let kind = MaterialKind::IdCardFront;
    let first = draft.add(kind, &example("id-card-front.jpg"), camera()).unwrap().output.unwrap().sha256;

    let rejected = draft.add(kind, &blurry(), camera()).unwrap();
    assert_eq!(rejected.verdict, Verdict::Reject);
    assert!(rejected.findings.iter().any(|f| f.code == Code::Blurry), "{:?}", rejected.findings);
    assert_eq!(outbox.get(draft.id()).unwrap().files[0].sha256, first);

    let retake = camera_jpeg(&noisy(document(Scene { seed: 9, ..Scene::new(1600, 1000) }), 2.0, 9));
    let second = draft.add(kind, &retake, camera()).unwrap().output.unwrap().sha256;
    assert_ne!(second, first);
    let files = outbox.get(draft.id()).unwrap().files;
    assert_eq!((files.len(), files[0].sha256.as_str()), (1, second.as_str()));
    assert_eq!(draft.report(kind).unwrap().output.unwrap().sha256, second);

    draft.remove(kind).unwrap();
    assert!(outbox.get(draft.id()).unwrap().files.is_empty());
    assert!(draft.report(kind).is_none());
    draft.remove(kind).unwrap();

    let err = draft.add(kind, b"not an image", camera()).unwrap_err();
    assert_eq!(err.code(), Code::CorruptImage);
}

#[test]
fn bad_input_gets_typed_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let outbox = open(&dir);
    let policy = Arc::new(Policy::icp_default());
    let err = Draft::start(outbox.clone(), policy.clone(), SubjectKind::Individual, "Atlantis").err().unwrap();
    assert_eq!(err.code(), Code::UnknownProvince);
    let err = Draft::open(outbox.clone(), policy.clone(), "0123456789abcdef0123456789abcdef").err().unwrap();
    assert!(matches!(err, Error::PackageNotFound { .. }), "{err:?}");

    // A draft record written by something else is damage, not a panic.
    outbox.create_draft("0123456789abcdef0123456789abcdef", b"{\"subject\":").unwrap();
    let err = Draft::open(outbox, policy, "0123456789abcdef0123456789abcdef").err().unwrap();
    assert!(matches!(err, Error::OutboxCorrupt { .. }), "{err:?}");
}

/// Sealing records the manifest over the blobs already stored: none is rewritten (same inodes,
/// same modification times), early upload marks stay, a file the draft record does not name is
/// dropped, and a stored file that differs from its report refuses the seal.
#[test]
fn sealing_a_draft_keeps_its_blobs_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let outbox = open(&dir);
    let draft = Draft::start(outbox.clone(), Arc::new(Policy::icp_default()), SubjectKind::Individual, "11").unwrap();
    for kind in INDIVIDUAL {
        draft.add(kind, &example(&format!("{kind}.jpg")), camera()).unwrap();
    }
    draft.set_fields(fields()).unwrap();
    let id = draft.id().to_string();

    // The front's stored content no longer matches its report: refused, still a draft.
    let front = outbox.read_file(&id, "id-card-front.jpg").unwrap();
    outbox.put_file(&id, "id-card-front.jpg", &front[..front.len() - 1]).unwrap();
    match draft.seal(None) {
        Err(Error::SealRefused { problems }) => assert_eq!(codes(&problems), [(Code::FileSizeMismatch, "id-card-front.jpg".to_string())]),
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.get(&id).unwrap().state, PackageState::Draft);
    outbox.put_file(&id, "id-card-front.jpg", &front).unwrap();

    outbox.put_file(&id, "stray.jpg", b"left behind by a failed remove").unwrap();
    let mark = hexin_core::outbox::UploadMark { url: "https://upload.example/files/1".into(), offset: 10 };
    let back = outbox.get(&id).unwrap().files.into_iter().find(|f| f.name == "id-card-back.jpg").unwrap();
    assert!(outbox.set_upload_mark(&id, &back.name, &back.sha256, &mark).unwrap());
    let stamp = |sha256: &str| {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir.join("blobs").join(sha256)).unwrap();
        (meta.ino(), meta.mtime(), meta.mtime_nsec())
    };
    let before: Vec<_> = outbox.get(&id).unwrap().files.into_iter().filter(|f| f.name != "stray.jpg").map(|f| (stamp(&f.sha256), f)).collect();
    let stray = outbox.get(&id).unwrap().files.into_iter().find(|f| f.name == "stray.jpg").unwrap();

    let sealed = draft.seal(None).unwrap();
    let package = outbox.get(&id).unwrap();
    assert_eq!(package.state, PackageState::Sealed);
    assert_eq!(package.files, before.iter().map(|(_, f)| f.clone()).collect::<Vec<_>>());
    for (stamp_before, f) in &before {
        assert_eq!(&stamp(&f.sha256), stamp_before, "{} rewritten", f.name);
    }
    assert!(!dir.join("blobs").join(&stray.sha256).exists(), "the stray file's blob is collected");
    assert_eq!(outbox.upload_mark(&id, &back.name).unwrap(), Some(mark));
    let exported = tmp.path().join("export");
    outbox.export(&id, &exported).unwrap();
    let v = verify_dir(&exported, &Options { expected_digest: Some(sealed.digest), ..Options::default() });
    assert!(v.is_intact(), "{:?}", v.problems);
}
