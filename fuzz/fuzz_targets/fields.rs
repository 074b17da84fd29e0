//! A fields document on arbitrary text (either form): `Fields::from_json` returns fields or
//! `invalid_fields`, and the submission's problems and requirements never panic for any subject
//! type, whatever the strings (every validator runs on them); text that would spoof a
//! reviewer never passes unreported, and NFC is a fixed point.
#![no_main]

use std::sync::OnceLock;

use hexin_core::date::Date;
use hexin_core::filing::fields::{nfc, text};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::form::Fields;
use hexin_core::filing::submission::Submission;
use hexin_core::{Code, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    let policy = POLICY.get_or_init(Policy::icp_default);
    let Ok(json) = std::str::from_utf8(data) else { return };
    let fields = match Fields::from_json(json) {
        Ok(fields) => fields,
        Err(e) => {
            assert_eq!(e.code(), Code::InvalidFields, "{e}");
            assert!(e.to_string().len() < 8_000, "an error quoted {} bytes", e.to_string().len());
            return;
        }
    };
    let normalized = fields.normalized();
    assert_eq!(normalized.normalized(), normalized, "NFC is not a fixed point");
    let today = Date::new(2026, 11, 28).expect("a real date");
    for subject in SubjectKind::ALL {
        let submission = Submission::new(subject, "11", fields.clone()).expect("11 is a province");
        let problems = submission.problems(&policy.requirements, today);
        let _ = submission.required_materials(&policy.requirements);
        let people = fields.people.iter().enumerate().map(|(i, p)| (format!("people[{i}].name"), &p.name));
        let sites = fields.websites.iter().enumerate().map(|(i, w)| (format!("websites[{i}].name"), &w.name));
        for (at, value) in people.chain(sites).chain([("subject.name".to_string(), &fields.subject.name)]) {
            if text(value).is_err() {
                assert!(problems.iter().any(|q| q.code == Code::InvalidText && q.at == at), "{at} {value:?} passed");
            }
            assert_eq!(nfc(&nfc(value)), nfc(value));
        }
    }
});
