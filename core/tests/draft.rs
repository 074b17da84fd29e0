//! Drafts: captures kept in the outbox as they are accepted, surviving a reopen, then sealed in
//! place into a package that verifies.

use std::path::Path;
use std::sync::Arc;

use hexin_core::draft::{Checklist, Draft, MaterialState};
use hexin_core::package::manifest::{Attestation, Capture, CaptureSource};
use hexin_core::outbox::{Outbox, OutboxConfig, PackageState};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::form::Fields;
use hexin_core::package::signature::{Signer, SoftwareKey};
use hexin_core::package::verify::{verify_dir, Options};
use hexin_core::{Code, Error, MaterialKind, Place, Policy, Severity, Slot, Verdict};
use hexin_testing::synthetic::{camera_jpeg, defocus, document, glare, noisy, Scene, face_photo};

/// The individual specimen's materials: 张三 (`zhangsan`) runs the website `blog`.
const INDIVIDUAL: [&str; 4] = ["id-card-front@zhangsan", "id-card-back@zhangsan", "face-photo@zhangsan", "verification-form@blog"];

fn slot(s: &str) -> Slot {
    s.parse().unwrap()
}

/// The specimen photo of the slot's kind.
fn example(slot: &Slot) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../specimens/individual").join(format!("{}.jpg", slot.kind))).unwrap()
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
    Attestation { provider: "aliyun".into(), kind: "liveness".into(), reference: reference.into(), issued_at: "2026-11-30T09:15:00Z".into(), owner: None }
}

fn states(list: &Checklist) -> Vec<(Slot, bool, MaterialState)> {
    list.materials.iter().map(|m| (m.slot.clone(), m.required, m.state)).collect()
}

#[test]
fn captures_survive_a_reopen_and_seal_in_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("outbox");
    let policy = Arc::new(Policy::icp_default());
    let id = {
        let outbox = open(&dir);
        let draft = Draft::start(outbox.clone(), policy.clone(), SubjectKind::Individual, "北京").unwrap();
        // Before any fields, the checklist is a one-person, one-website filing's: `p1`, `w1`.
        let list = draft.checklist().unwrap();
        let blank = ["id-card-front@p1", "id-card-back@p1", "face-photo@p1", "verification-form@w1"];
        assert_eq!(states(&list), blank.map(|s| (slot(s), true, MaterialState::Missing)));
        assert!(!list.ready_to_seal);
        let problems = codes(&list.problems);
        assert!(problems.contains(&(Code::MissingField, "people[0].document.number".into())), "{problems:?}");
        assert!(problems.contains(&(Code::MissingMaterial, "face-photo@p1".into())), "{problems:?}");

        draft.set_fields(fields()).unwrap();
        for s in &INDIVIDUAL[..3] {
            let report = draft.add(&slot(s), &example(&slot(s)), camera()).unwrap();
            assert_eq!(report.verdict, Verdict::Accept, "{s}: {:?}", report.findings);
            assert!(!report.output.unwrap().jpeg.is_empty());
        }
        // The provider's liveness check, run at the face step; retaken, the second replaces it.
        draft.attest(liveness("vfy-0001")).unwrap();
        draft.attest(liveness("vfy-0002")).unwrap();
        // One of another person is kept beside it.
        draft.attest(Attestation { owner: Some("zhangsan".into()), ..liveness("vfy-0003") }).unwrap();
        assert!(matches!(draft.attest(liveness("")), Err(Error::InvalidArgument { .. })));
        draft.id().to_string()
        // Dropped here without sealing, as when the app is killed.
    };

    let outbox = open(&dir);
    let draft = Draft::open(outbox.clone(), policy.clone(), &id).unwrap();
    assert_eq!(draft.fields(), Some(fields()));
    assert_eq!(draft.attestations(), [liveness("vfy-0002"), Attestation { owner: Some("zhangsan".into()), ..liveness("vfy-0003") }]);
    let list = draft.checklist().unwrap();
    let accepted = INDIVIDUAL[..3].iter().map(|s| (slot(s), true, MaterialState::Accepted));
    assert_eq!(states(&list), accepted.chain([(slot(INDIVIDUAL[3]), true, MaterialState::Missing)]).collect::<Vec<_>>());
    assert_eq!(list.materials[0].report, draft.report(&slot(INDIVIDUAL[0])));
    assert_eq!((list.materials[0].owner_name.as_str(), list.materials[3].owner_name.as_str()), ("张三", "张三的个人博客"));
    assert!(list.fields.is_empty() && !list.ready_to_seal);
    assert_eq!(codes(&list.problems), [(Code::MissingMaterial, "verification-form@blog".to_string())]);
    let front = draft.report(&slot(INDIVIDUAL[0])).unwrap();
    assert_eq!(outbox.read_file(&id, "id-card-front.zhangsan.jpg").unwrap().len() as i64, front.output.unwrap().bytes);

    // Sealing now is refused with the reason; nothing changes.
    match draft.seal(None) {
        Err(Error::SealRefused { problems }) => {
            assert_eq!(codes(&problems), [(Code::MissingMaterial, "verification-form@blog".to_string())])
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.get(&id).unwrap().state, PackageState::Draft);

    draft.add(&slot(INDIVIDUAL[3]), &example(&slot(INDIVIDUAL[3])), camera()).unwrap();
    let list = draft.checklist().unwrap();
    assert!(list.problems.is_empty() && list.ready_to_seal);
    let sealed = draft.seal(None).unwrap();
    assert_eq!(sealed.package_id, id);
    let package = outbox.get(&id).unwrap();
    assert_eq!(package.state, PackageState::Sealed);
    let names: Vec<String> = package.files.iter().map(|f| f.name.clone()).collect();
    assert_eq!(names.len(), 4);
    assert!(INDIVIDUAL.iter().all(|s| names.contains(&slot(s).file_name(0))), "{names:?}");

    let exported = tmp.path().join("export");
    outbox.export(&id, &exported).unwrap();
    let v = verify_dir(&exported, &Options { expected_digest: Some(sealed.digest.clone()), ..Options::default() });
    assert!(v.is_intact(), "{:?}", v.problems);
    assert_eq!(v.package_id.as_deref(), Some(id.as_str()));
    let manifest: hexin_core::package::manifest::Manifest =
        serde_json::from_slice(&std::fs::read(exported.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest.attestations, [liveness("vfy-0002"), Attestation { owner: Some("zhangsan".into()), ..liveness("vfy-0003") }]);

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
    let face_p1 = Place::Material { kind: MaterialKind::FacePhoto, owner: Some("p1".into()) };
    assert!(list.problems.iter().any(|p| p.code == Code::MissingMaterial && p.place == face_p1));
    let paths: Vec<&str> = list.fields.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"people[0].document.number") && paths.contains(&"websites[0].domains"), "{paths:?}");
    assert!(list.fields.iter().all(|f| f.problems.iter().all(|p| p.code == Code::MissingField && p.at == f.path)));

    let permit = slot("residence-permit@zhangsan");
    assert_eq!(draft.add(&permit, &example(&slot("id-card-front@x")), camera()).unwrap().verdict, Verdict::Accept);
    let mut bad_phone = fields();
    bad_phone.people[0].phone = "12345".into();
    bad_phone.people[0].document.number = "11010519491231002X".into();
    draft.set_fields(bad_phone.clone()).unwrap();
    let face = camera_jpeg(&noisy(glare(&face_photo(Scene::new(1200, 1600)), 0.15, 0.2, 30.0), 3.0, 11));
    let warned = draft.add(&slot(INDIVIDUAL[2]), &face, camera()).unwrap();
    assert_eq!((warned.verdict, warned.findings[0].severity), (Verdict::Accept, Severity::Warn));
    let missing = |s: &str| (slot(s), true, MaterialState::Missing);
    let face_state = (slot(INDIVIDUAL[2]), true, MaterialState::Warned);
    let [front, back, _, form] = INDIVIDUAL.map(missing);
    // A Beijing ID in Shanghai: the residence permit is required.
    let list = draft.checklist().unwrap();
    assert_eq!(states(&list), [front.clone(), back.clone(), face_state.clone(), form.clone(), (permit.clone(), true, MaterialState::Accepted)]);
    assert_eq!(list.materials[2].report.as_ref().unwrap().findings[0].code, Code::Glare);
    let fields_found: Vec<(&str, Vec<Code>)> =
        list.fields.iter().map(|f| (f.path.as_str(), f.problems.iter().map(|p| p.code).collect())).collect();
    assert_eq!(fields_found, [("people[0].phone", vec![Code::InvalidPhone])]);

    // A Shanghai ID: the permit captured is no longer required, and still listed.
    let mut local = fields();
    local.people[0].document.number = "310101199001010012".into();
    draft.set_fields(local).unwrap();
    assert_eq!(states(&draft.checklist().unwrap()), [front, back, face_state, form, (permit, false, MaterialState::Accepted)]);
    for s in [INDIVIDUAL[0], INDIVIDUAL[1], INDIVIDUAL[3]] {
        draft.add(&slot(s), &example(&slot(s)), camera()).unwrap();
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
    let kind = &slot("id-card-front@p1");
    let first = draft.add(kind, &example(kind), camera()).unwrap().output.unwrap().sha256;

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
    for s in INDIVIDUAL {
        draft.add(&slot(s), &example(&slot(s)), camera()).unwrap();
    }
    draft.set_fields(fields()).unwrap();
    let id = draft.id().to_string();

    // The front's stored content no longer matches its report: refused, still a draft.
    let front_file = "id-card-front.zhangsan.jpg";
    let front = outbox.read_file(&id, front_file).unwrap();
    outbox.put_file(&id, front_file, &front[..front.len() - 1]).unwrap();
    match draft.seal(None) {
        Err(Error::SealRefused { problems }) => assert_eq!(codes(&problems), [(Code::FileSizeMismatch, front_file.to_string())]),
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.get(&id).unwrap().state, PackageState::Draft);
    outbox.put_file(&id, front_file, &front).unwrap();

    outbox.put_file(&id, "stray.jpg", b"left behind by a failed remove").unwrap();
    let mark = hexin_core::outbox::UploadMark { url: "https://upload.example/files/1".into(), offset: 10 };
    let back = outbox.get(&id).unwrap().files.into_iter().find(|f| f.name == "id-card-back.zhangsan.jpg").unwrap();
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

/// An enterprise whose website is run by someone other than its legal representative, in
/// Shanghai: two people's ID cards are kept apart, a retake replaces only its own person's, and
/// the package seals with every material under its owner.
#[test]
fn two_people_keep_their_id_cards_apart() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = open(&tmp.path().join("outbox"));
    let draft = Draft::start(outbox.clone(), Arc::new(Policy::icp_default()), SubjectKind::Enterprise, "31").unwrap();
    let mut f = Fields::from_json(include_str!("../../specimens/enterprise/fields.json")).unwrap();
    let mut wangwu = f.people[0].clone();
    (wangwu.id, wangwu.name, wangwu.document.number) = ("wangwu".into(), "王五".into(), "310101199001010012".into());
    (wangwu.phone, wangwu.emergency_phone, wangwu.is_legal_representative) = ("13600136000".into(), None, Some(false));
    f.people.push(wangwu);
    f.websites[0].responsible_person = "wangwu".into();
    draft.set_fields(f).unwrap();

    let card = |seed: u64| camera_jpeg(&noisy(document(Scene { seed, ..Scene::new(1600, 1000) }), 2.0, seed));
    let (lisi, wangwu) = (slot("id-card-front@lisi"), slot("id-card-front@wangwu"));
    let first_lisi = draft.add(&lisi, &card(21), camera()).unwrap().output.unwrap().sha256;
    let first_wangwu = draft.add(&wangwu, &card(22), camera()).unwrap().output.unwrap().sha256;
    assert_ne!(first_lisi, first_wangwu);
    let retaken = draft.add(&wangwu, &card(23), camera()).unwrap().output.unwrap().sha256;
    assert_eq!(draft.report(&lisi).unwrap().output.unwrap().sha256, first_lisi);
    assert_eq!(draft.report(&wangwu).unwrap().output.unwrap().sha256, retaken);

    let needed = ["business-license@subject", "id-card-back@lisi", "id-card-back@wangwu", "face-photo@wangwu", "verification-form@www", "authorization-letter@www"];
    let list = draft.checklist().unwrap();
    let missing: Vec<String> = list.materials.iter().filter(|m| m.state == MaterialState::Missing).map(|m| m.slot.to_string()).collect();
    assert_eq!(missing, needed);
    let owners: Vec<&str> = list.materials.iter().map(|m| m.owner_name.as_str()).collect();
    assert_eq!(owners, ["示例科技有限公司", "李四", "李四", "王五", "王五", "王五", "示例科技官网", "示例科技官网"]);
    for s in needed {
        let s = slot(s);
        let bytes = match s.kind {
            MaterialKind::FacePhoto => camera_jpeg(&noisy(face_photo(Scene::new(1200, 1600)), 2.0, 5)),
            kind => camera_jpeg(&noisy(hexin_testing::synthetic::for_kind(kind, Scene { seed: 30, ..Scene::new(1600, 1200) }), 2.0, 30)),
        };
        let report = draft.add(&s, &bytes, camera()).unwrap();
        assert_eq!(report.verdict, Verdict::Accept, "{s}: {:?}", report.findings);
    }
    let sealed = draft.seal(None).unwrap();
    let exported = tmp.path().join("export");
    outbox.export(&sealed.package_id, &exported).unwrap();
    assert!(verify_dir(&exported, &Options::default()).is_intact());
    let manifest: hexin_core::package::manifest::Manifest =
        serde_json::from_slice(&std::fs::read(exported.join("manifest.json")).unwrap()).unwrap();
    let sealed_slots: Vec<String> = manifest.materials.iter().map(|e| format!("{}@{}", e.kind, e.owner.as_deref().unwrap())).collect();
    assert_eq!(sealed_slots.len(), 8);
    assert!(sealed_slots.contains(&"id-card-front@lisi".to_string()) && sealed_slots.contains(&"id-card-front@wangwu".to_string()));
}

/// The default policy wants documents and faces photographed in the app: a gallery pick is
/// refused before it is decoded; a domain certificate (a registrar's file) may come from there.
#[test]
fn gallery_picks_are_refused_where_the_policy_wants_the_camera() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = open(&tmp.path().join("outbox"));
    let draft = Draft::start(outbox.clone(), Arc::new(Policy::icp_default()), SubjectKind::Individual, "32").unwrap();
    let gallery = Capture::at(CaptureSource::Gallery, hexin_core::date::unix_now());
    let front = slot("id-card-front@p1");
    let err = draft.add(&front, &example(&front), gallery.clone()).unwrap_err();
    assert_eq!(err.code(), Code::CaptureSourceNotAllowed);
    assert!(err.message().zh.contains("相机") && err.message().en.contains("camera"), "{err}");
    assert!(outbox.get(draft.id()).unwrap().files.is_empty());
    let certificate = slot("domain-certificate@w1");
    let page = camera_jpeg(&noisy(hexin_testing::synthetic::for_kind(certificate.kind, Scene::new(1200, 1600)), 2.0, 4));
    assert_eq!(draft.add(&certificate, &page, gallery).unwrap().verdict, Verdict::Accept);
    // An owner outside an id's form would name a file: the host's bug, refused.
    let err = draft.add(&slot("id-card-front@../x"), &example(&front), camera()).unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
}

/// A draft kept before materials had owners (fields in the first form, files named by kind)
/// opens with each capture under its owner in the upgraded form, its file renamed, and seals.
#[test]
fn drafts_kept_before_owners_open_with_owners() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = open(&tmp.path().join("outbox"));
    let policy = Arc::new(Policy::icp_default());
    let draft = Draft::start(outbox.clone(), policy.clone(), SubjectKind::Individual, "11").unwrap();
    let blank = ["id-card-front@p1", "id-card-back@p1", "face-photo@p1", "verification-form@w1"];
    for s in blank {
        draft.add(&slot(s), &example(&slot(s)), camera()).unwrap();
    }
    let id = draft.id().to_string();
    drop(draft);

    // Rewrite the record as the previous release kept it.
    let mut record: serde_json::Value = serde_json::from_slice(&outbox.draft(&id).unwrap()).unwrap();
    record["fields"] = serde_json::from_str(include_str!("fixtures/fields-first-form.json")).unwrap();
    for m in record["materials"].as_array_mut().unwrap() {
        let old = format!("{}.jpg", m["kind"].as_str().unwrap());
        let bytes = outbox.read_file(&id, m["file"].as_str().unwrap()).unwrap();
        outbox.remove_file(&id, m["file"].as_str().unwrap()).unwrap();
        outbox.put_file(&id, &old, &bytes).unwrap();
        m.as_object_mut().unwrap().remove("owner");
        m["file"] = old.into();
    }
    outbox.update_draft(&id, &serde_json::to_vec(&record).unwrap()).unwrap();

    let draft = Draft::open(outbox.clone(), policy, &id).unwrap();
    let names: Vec<String> = outbox.get(&id).unwrap().files.iter().map(|f| f.name.clone()).collect();
    let mut expected: Vec<String> = blank.iter().map(|s| slot(s).file_name(0)).collect();
    expected.sort();
    let mut names_sorted = names.clone();
    names_sorted.sort();
    assert_eq!(names_sorted, expected);
    assert!(blank.iter().all(|s| draft.report(&slot(s)).is_some()));
    let mut f = draft.fields().unwrap();
    for d in &mut f.websites[0].domains {
        d.registrant = "张三".into();
    }
    draft.set_fields(f).unwrap();
    assert!(draft.checklist().unwrap().ready_to_seal, "{:?}", draft.checklist().unwrap().problems);
    draft.seal(None).unwrap();
}

/// A signer that waits on the applicant (a biometric prompt): while it signs, `during` runs on
/// another thread against the same draft, and must not wait for the seal.
struct Prompt<'a> {
    key: SoftwareKey,
    draft: &'a Draft,
    during: fn(&Draft),
}

impl Signer for Prompt<'_> {
    fn public_key(&self) -> Result<Vec<u8>, Error> {
        self.key.public_key()
    }

    fn sign(&self, message: Vec<u8>) -> Result<Vec<u8>, Error> {
        std::thread::scope(|scope| {
            let (done, finished) = std::sync::mpsc::channel();
            scope.spawn(move || {
                (self.during)(self.draft);
                done.send(()).unwrap();
            });
            finished.recv_timeout(std::time::Duration::from_secs(20)).expect("the draft stayed locked while the signer signed");
        });
        self.key.sign(message)
    }
}

#[test]
fn the_draft_stays_usable_while_the_signer_prompts() {
    let tmp = tempfile::tempdir().unwrap();
    let outbox = open(&tmp.path().join("outbox"));
    let draft = Draft::start(outbox.clone(), Arc::new(Policy::icp_default()), SubjectKind::Individual, "11").unwrap();
    for s in INDIVIDUAL {
        draft.add(&slot(s), &example(&slot(s)), camera()).unwrap();
    }
    draft.set_fields(fields()).unwrap();

    // The app changes the draft during the prompt: the seal would not be the draft as it
    // stands, so it is refused and the draft is untouched.
    let changes = Prompt { key: SoftwareKey::generate().unwrap(), draft: &draft, during: |d| d.remove(&slot(INDIVIDUAL[3])).unwrap() };
    match draft.seal(Some(&changes)) {
        Err(e @ Error::DraftChanged { .. }) => assert_eq!(e.code(), Code::DraftChanged),
        other => panic!("{other:?}"),
    }
    assert_eq!(outbox.get(draft.id()).unwrap().state, PackageState::Draft);
    assert!(draft.report(&slot(INDIVIDUAL[3])).is_none());
    let form = slot(INDIVIDUAL[3]);
    draft.add(&form, &example(&form), camera()).unwrap();

    // Reading the draft during the prompt does not block, and the seal goes through.
    let reads = Prompt { key: SoftwareKey::generate().unwrap(), draft: &draft, during: |d| assert!(d.checklist().unwrap().ready_to_seal) };
    let sealed = draft.seal(Some(&reads)).unwrap();
    assert_eq!(outbox.get(draft.id()).unwrap().state, PackageState::Sealed);
    assert_eq!(sealed.package_id, draft.id());
}
