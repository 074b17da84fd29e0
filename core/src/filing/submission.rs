//! A submission: who files, where, and the fields document ([`Fields`]), checked as a whole.

use crate::code::{Code, Message};
use crate::date::Date;
use crate::error::Error;
use crate::filing::documents;
use crate::filing::fields::{self, Invalid};
use crate::filing::filing_number::{self, Site};
use crate::filing::form::{self, Fields, FilingType, Person};
use crate::filing::province::{self, Province};
use crate::filing::requirements::{Filed, Requirements, SubjectKind};
use crate::filing::site_name;
use crate::material::Slot;
use crate::problem::{Place, Problem};

/// What one applicant hands in besides the photos.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub subject: SubjectKind,
    pub province: &'static Province,
    pub fields: Fields,
}

impl Submission {
    /// A submission for `province` (code or name, see [`province::find`]).
    pub fn new(subject: SubjectKind, province: &str, fields: Fields) -> Result<Submission, Error> {
        Ok(Submission { subject, province: province::find(province)?, fields })
    }

    /// The filing as the requirements see it.
    pub fn filed(&self) -> Filed<'_> {
        Filed { subject: self.subject, province: self.province, fields: &self.fields }
    }

    /// Every problem with the fields on `today`: blocking ones, and warnings the host may
    /// override (`invalid_credit_code`, `credit_code_mismatch`).
    ///
    /// Every text field is first held to [`fields::text`] (`invalid_text`: control and
    /// text-direction characters); a required one with no visible character is `missing_field`.
    pub fn problems(&self, requirements: &Requirements, today: Date) -> Vec<Problem> {
        let mut c = Checker { out: vec![], today, requirements, fields: &self.fields, subject: self.subject, province: self.province };
        c.subject();
        c.filing();
        c.ids();
        for (i, p) in self.fields.people.iter().enumerate() {
            c.person(i, p);
        }
        c.across_people();
        c.websites();
        c.out
    }

    /// The materials the policy requires of this submission, and any outright refusal by a
    /// rule (`non_local_id`, `document_not_accepted`, `subject_not_accepted`).
    pub fn required_materials(&self, requirements: &Requirements) -> (Vec<Slot>, Vec<Problem>) {
        requirements.evaluate(&self.filed())
    }
}

/// Collects the problems of one submission.
struct Checker<'a> {
    out: Vec<Problem>,
    today: Date,
    requirements: &'a Requirements,
    fields: &'a Fields,
    subject: SubjectKind,
    province: &'a Province,
}

impl Checker<'_> {
    fn subject(&mut self) {
        let s = &self.fields.subject;
        let name = if self.subject.is_unit() { ("主体名称", "the subject's name") } else { ("姓名", "your name") };
        self.required("subject.name", &s.name, name);
        if self.fields.person(&s.responsible_person).is_none() {
            self.unknown("subject.responsible_person", &s.responsible_person);
        }
        if !self.subject.is_unit() {
            return;
        }
        let at = "subject.credit_code";
        let code = s.credit_code.as_deref().unwrap_or("");
        if self.required(at, code, ("统一社会信用代码", "the unified social credit code")) {
            match fields::credit_code(code) {
                Err(e) => self.out.push(Problem::warn(e.code, Place::field(at), e.message)),
                Ok(()) => {
                    let expected = self.requirements.subjects.get(&self.subject).map(|r| r.credit_code.as_slice()).unwrap_or(&[]);
                    if let Err(e) = fields::credit_code_type(code, expected) {
                        self.out.push(Problem::warn(e.code, Place::field(at), e.message));
                    }
                }
            }
        }
        let legal_representative = s.legal_representative.as_deref().unwrap_or("");
        self.required("subject.legal_representative", legal_representative, ("法定代表人姓名", "the legal representative's name"));
    }

    fn filing(&mut self) {
        let at = "filing.subject_filing_number";
        let number = self.fields.filing.subject_filing_number.as_deref();
        match (self.fields.filing.kind, number) {
            (FilingType::NewWebsite, None) => self.out.push(missing(at, ("主体备案号", "the subject's filing number"))),
            (FilingType::New, Some(_)) => self.out.push(Problem::block(Code::InvalidFilingNumber, Place::field(at), Message::new(
                "首次备案尚无主体备案号，请删除；如主体已备案，请选择“新增网站”。",
                "A new filing has no subject filing number yet: remove it, or choose a new website if the subject is already filed.",
            ))),
            (_, Some(n)) => {
                if self.required(at, n, ("主体备案号", "the subject's filing number")) {
                    let checked = filing_number::filing_number(n, self.province, Site::None).map(drop);
                    self.check(at, checked);
                }
            }
            (_, None) => {}
        }
    }

    /// People's and websites' ids: well formed and each used once.
    fn ids(&mut self) {
        let people = self.fields.people.iter().enumerate().map(|(i, p)| (format!("people[{i}].id"), &p.id));
        let sites = self.fields.websites.iter().enumerate().map(|(i, w)| (format!("websites[{i}].id"), &w.id));
        let mut seen: Vec<&str> = vec![];
        for (at, id) in people.chain(sites) {
            if !form::is_valid_id(id) {
                self.out.push(Problem::block(Code::InvalidFields, Place::field(at), Message::new(
                    "编号应为 1 至 32 个小写字母、数字或“-”，不能是“subject”。",
                    "An id must be 1 to 32 lower-case letters, digits or hyphens, and not `subject`.",
                )));
            } else if seen.contains(&id.as_str()) {
                self.out.push(Problem::block(Code::InvalidFields, Place::field(at), Message::new(
                    format!("编号“{id}”已被使用，每个人员和网站的编号须各不相同。"),
                    format!("The id `{id}` is used twice: every person and website needs its own."),
                )));
            } else {
                seen.push(id);
            }
        }
    }

    fn person(&mut self, i: usize, p: &Person) {
        let at = |f: &str| format!("people[{i}].{f}");
        let (doc_zh, doc_en) = (p.document.kind.zh(), p.document.kind.en());
        self.required(&at("name"), &p.name, ("负责人姓名", "the person's name"));
        if self.required(&at("document.number"), &p.document.number, (&format!("{doc_zh}号码"), &format!("the {doc_en} number"))) {
            self.check(&at("document.number"), documents::document_number(p.document.kind, &p.document.number, self.today).map(drop));
        }
        if self.required(&at("document.valid_until"), &p.document.valid_until, ("证件有效期", "the document's validity end date")) {
            let min_days = self.requirements.min_id_validity_days;
            self.check(&at("document.valid_until"), fields::id_validity(&p.document.valid_until, self.today, min_days));
        }
        if self.required(&at("phone"), &p.phone, ("手机号码", "the mobile number")) {
            self.check(&at("phone"), fields::phone(&p.phone).map(drop));
        }
        match p.emergency_phone.as_deref() {
            None if self.requirements.emergency_phone => self.out.push(missing(&at("emergency_phone"), ("应急联系电话", "an emergency phone"))),
            None => {}
            Some(e) if self.required(&at("emergency_phone"), e, ("应急联系电话", "an emergency phone")) => {
                self.check(&at("emergency_phone"), fields::phone(e).map(drop));
            }
            Some(_) => {}
        }
        if self.required(&at("email"), &p.email, ("电子邮箱", "the email address")) {
            self.check(&at("email"), fields::email(&p.email).map(drop));
        }
        if self.subject.is_unit() && p.is_legal_representative.is_none() {
            self.out.push(missing(&at("is_legal_representative"), ("是否为法定代表人", "whether this person is the legal representative")));
        }
        if !self.fields.responsible_ids().contains(&p.id.as_str()) {
            self.out.push(Problem::block(Code::InvalidRole, Place::field(at("id")), Message::new(
                "此人不是主体或任何网站的负责人，请删除或为其指定角色。",
                "This person is responsible for neither the subject nor any website: remove them or give them a role.",
            )));
        }
    }

    /// The rules that span people: one document number per person; responsible persons'
    /// phones differ from each other and from every emergency phone, and each emergency phone
    /// from its own person's.
    fn across_people(&mut self) {
        let people = &self.fields.people;
        let norm = |s: &str| fields::phone(s).ok();
        for (i, p) in people.iter().enumerate() {
            let number = p.document.number.trim();
            if !number.is_empty() && people[..i].iter().any(|q| q.document.kind == p.document.kind && q.document.number.trim() == number) {
                self.out.push(Problem::block(Code::DuplicatePerson, Place::field(format!("people[{i}].document.number")), Message::new(
                    "同一人只能填写一次：请删除重复的人员，并在网站负责人处引用已填写的人员。",
                    "The same person is written twice: remove the copy and refer to the person already written (a website's responsible person may be the subject's).",
                )));
            }
            let phone = norm(&p.phone);
            if phone.is_some() && people[..i].iter().any(|q| norm(&q.phone) == phone) {
                self.out.push(duplicate_phone(format!("people[{i}].phone"), "与其他负责人的手机号码相同，每位负责人须使用不同的号码。", "is another responsible person's mobile number: each needs their own."));
            }
            let Some(emergency) = p.emergency_phone.as_deref().and_then(norm) else { continue };
            let at = format!("people[{i}].emergency_phone");
            if phone.as_ref() == Some(&emergency) {
                self.out.push(duplicate_phone(at, "与本人的手机号码相同，请填写另一个号码。", "is the person's own mobile number: give another one."));
            } else if people.iter().any(|q| norm(&q.phone).as_ref() == Some(&emergency)) {
                self.out.push(duplicate_phone(at, "是另一位负责人的手机号码，请填写另一个号码。", "is another responsible person's mobile number: give another one."));
            }
        }
    }

    fn websites(&mut self) {
        let f = self.fields;
        if f.websites.is_empty() {
            self.out.push(missing("websites", ("网站信息", "a website")));
        }
        let mut domains: Vec<String> = vec![];
        // A registrant is compared with the subject's name only once there is one to compare with.
        let subject_named = fields::text(&f.subject.name).is_ok() && fields::is_visible(&f.subject.name);
        for (i, w) in f.websites.iter().enumerate() {
            let at = |m: &str| format!("websites[{i}].{m}");
            if self.required(&at("name"), &w.name, ("网站名称", "the website's name")) {
                if let Some(rules) = self.requirements.site_names.get(&self.subject) {
                    self.check(&at("name"), site_name::site_name(&w.name, rules));
                }
            }
            if f.person(&w.responsible_person).is_none() {
                self.unknown(&at("responsible_person"), &w.responsible_person);
            } else if !self.subject.is_unit() && w.responsible_person != f.subject.responsible_person {
                self.out.push(Problem::block(Code::InvalidRole, Place::field(at("responsible_person")), Message::new(
                    "个人备案的网站负责人须为备案人本人。",
                    "An individual's website is run by the individual: name the subject's responsible person.",
                )));
            }
            if w.domains.is_empty() {
                self.out.push(missing(&at("domains"), ("网站域名", "the website's domain")));
            }
            for (j, d) in w.domains.iter().enumerate() {
                let at = |m: &str| format!("websites[{i}].domains[{j}].{m}");
                if self.required(&at("name"), &d.name, ("网站域名", "the website's domain")) {
                    match fields::domain(&d.name) {
                        Err(e) => self.out.push(Problem::block(e.code, Place::field(at("name")), e.message)),
                        Ok(name) if domains.contains(&name) => self.out.push(Problem::block(Code::InvalidDomain, Place::field(at("name")), Message::new(
                            format!("域名 {name} 已填写过，每个域名只能属于一个网站，且只填写一次。"),
                            format!("The domain {name} is listed twice: each domain belongs to one website, once."),
                        ))),
                        Ok(name) => domains.push(name),
                    }
                }
                let registrant = self.required(&at("registrant"), &d.registrant, ("域名持有者", "the domain's registrant"));
                if registrant && subject_named && fields::nfc(d.registrant.trim()) != fields::nfc(f.subject.name.trim()) {
                    self.out.push(Problem::block(Code::DomainRegistrantMismatch, Place::field(at("registrant")), Message::new(
                        "域名持有者须与备案主体名称一致，请将域名过户到主体名下，或核对填写的名称。",
                        "The domain's registrant must be the filing subject: transfer the domain to the subject, or check the names.",
                    )));
                }
            }
            self.site_filing_number(i, w.filing_number.as_deref());
        }
    }

    fn site_filing_number(&mut self, i: usize, number: Option<&str>) {
        let at = format!("websites[{i}].filing_number");
        match (self.fields.filing.kind, number) {
            (FilingType::Access, None) => self.out.push(missing(&at, ("网站备案号", "the website's filing number"))),
            (FilingType::Access, Some(n)) => {
                if self.required(&at, n, ("网站备案号", "the website's filing number")) {
                    self.check(&at, filing_number::filing_number(n, self.province, Site::Required).map(drop));
                }
            }
            (_, Some(_)) => self.out.push(Problem::block(Code::InvalidFilingNumber, Place::field(at), Message::new(
                "新网站尚无网站备案号，请删除；如网站已在其他服务商备案，请选择“接入备案”。",
                "A new website has no filing number yet: remove it, or choose an access filing if the website is filed with another provider.",
            ))),
            (_, None) => {}
        }
    }

    /// Whether the required text `value` at `at` can be checked further; if not, why is in
    /// `out`: `invalid_text` (see [`fields::text`]) or `missing_field` (nothing visible).
    fn required(&mut self, at: &str, value: &str, label: (&str, &str)) -> bool {
        match fields::text(value) {
            Err(e) => self.out.push(Problem::block(e.code, Place::field(at), e.message)),
            Ok(()) if !fields::is_visible(value) => self.out.push(missing(at, label)),
            Ok(()) => return true,
        }
        false
    }

    fn check(&mut self, at: &str, result: Result<(), Invalid>) {
        if let Err(e) = result {
            self.out.push(Problem::block(e.code, Place::field(at), e.message));
        }
    }

    fn unknown(&mut self, at: &str, id: &str) {
        let id: String = id.chars().take(40).collect();
        self.out.push(Problem::block(Code::UnknownReference, Place::field(at), Message::new(
            format!("找不到编号为“{id}”的人员，请在人员中填写此人，或改为已填写人员的编号。"),
            format!("No person has the id `{id}`: add the person, or refer to one already written."),
        )));
    }
}

fn missing(at: &str, (zh, en): (&str, &str)) -> Problem {
    Problem::block(Code::MissingField, Place::field(at), Message::new(format!("请填写{zh}。"), format!("Fill in {en}.")))
}

fn duplicate_phone(at: String, zh: &str, en: &str) -> Problem {
    Problem::block(Code::DuplicatePhone, Place::field(at), Message::new(format!("此号码{zh}"), format!("This number {en}")))
}
