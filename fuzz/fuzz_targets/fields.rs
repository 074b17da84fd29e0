//! A fields document on arbitrary text: `Fields::from_json` returns fields or `invalid_fields`,
//! and the submission's problems never panic, whatever the strings; text that would spoof a
//! reviewer never passes unreported, and NFC is a fixed point.
#![no_main]

use std::sync::OnceLock;

use hexin_core::date::Date;
use hexin_core::filing::fields::{nfc, text};
use hexin_core::filing::requirements::SubjectKind;
use hexin_core::filing::submission::{Fields, Submission};
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
    for subject in [SubjectKind::Individual, SubjectKind::Enterprise] {
        let submission = Submission::new(subject, "11", fields.clone()).expect("11 is a province");
        let problems = submission.problems(&policy.requirements, today);
        let _ = submission.required_materials(&policy.requirements);
        let p = &fields.responsible_person;
        for (at, value) in [("responsible_person.name", &p.name), ("subject.name", &fields.subject.name), ("website.name", &fields.website.name)] {
            if text(value).is_err() {
                assert!(problems.iter().any(|q| q.code == Code::InvalidText && q.at == at), "{at} {value:?} passed");
            }
            assert_eq!(nfc(&nfc(value)), nfc(value));
        }
    }
});
