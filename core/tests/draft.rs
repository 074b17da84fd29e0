//! Drafts: captures kept in the outbox as they are accepted, surviving a reopen, then sealed in
//! place into a package that verifies.

mod support;

use std::path::Path;
use std::sync::Arc;

use hexin_core::draft::Draft;
use hexin_core::package::manifest::{Capture, CaptureSource};
use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::Fields;
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::{Code, Error, MaterialKind, Policy, Verdict};
use support::{camera_jpeg, defocus, document, noisy, Scene};

const INDIVIDUAL: [MaterialKind; 4] =
    [MaterialKind::IdCardFront, MaterialKind::IdCardBack, MaterialKind::FacePhoto, MaterialKind::VerificationForm];

fn example(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/individual").join(name)).unwrap()
}

fn fields() -> Fields {
    Fields::from_json(include_str!("../../examples/individual/fields.json")).unwrap()
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

#[test]
fn captures_survive_a_reopen_and_seal_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let policy = Arc::new(Policy::icp_default());
    let id = {
        let outbox = open(&dir);
        let draft = Draft::start(outbox.clone(), policy.clone(), SubjectKind::Individual, "北京").unwrap();
        let list = draft.checklist().unwrap();
        assert_eq!(list.required, INDIVIDUAL);
        assert!(list.captured.is_empty());
        let problems = codes(&list.problems);
        assert!(problems.contains(&(Code::MissingField, "responsible_person.id_number".into())), "{problems:?}");
        assert!(problems.contains(&(Code::MissingMaterial, "face-photo".into())), "{problems:?}");

        for kind in &INDIVIDUAL[..3] {
            let report = draft.add(*kind, &example(&format!("{kind}.jpg")), camera()).unwrap();
            assert_eq!(report.verdict, Verdict::Accept, "{kind}: {:?}", report.findings);
            assert!(!report.output.unwrap().jpeg.is_empty());
        }
        draft.set_fields(fields()).unwrap();
        draft.id().to_string()
        // Dropped here without sealing, as when the app is killed.
    };

    let outbox = open(&dir);
    let draft = Draft::open(outbox.clone(), policy.clone(), &id).unwrap();
    assert_eq!(draft.fields(), Some(fields()));
    let list = draft.checklist().unwrap();
    assert_eq!(list.captured, INDIVIDUAL[..3]);
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
    assert!(draft.checklist().unwrap().problems.is_empty());
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

    // A sealed package is no longer a draft.
    assert!(matches!(Draft::open(outbox, policy, &id), Err(Error::InvalidState { .. })));
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

    let second = draft.add(kind, &example("id-card-back.jpg"), camera()).unwrap().output.unwrap().sha256;
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
