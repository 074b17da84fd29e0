//! A corpus scored by codes, as core's corpus tests and bench/documents.py and bench/faces.py
//! score it: a capture is right when the codes raised among the compared ones are exactly those
//! expected; an expected code not raised is a false accept, a code raised but not expected a
//! false reject.

use std::collections::BTreeMap;

/// The running score of a corpus.
#[derive(Debug, Clone)]
pub struct CodeScore {
    compared: &'static [&'static str],
    /// Per compared code: (false accepts, false rejects).
    pub per_code: BTreeMap<&'static str, (u32, u32)>,
    pub right: usize,
    /// `file: raised [...], expected [...]` for each capture not right.
    pub wrong: Vec<String>,
}

impl CodeScore {
    pub fn new(compared: &'static [&'static str]) -> CodeScore {
        CodeScore { compared, per_code: compared.iter().map(|c| (*c, (0, 0))).collect(), right: 0, wrong: Vec::new() }
    }

    /// Scores one capture; true when it is right.
    pub fn add(&mut self, file: &str, raised: &[&str], expected: &[&str]) -> bool {
        let compared = self.compared;
        let only = |codes: &[&str]| -> Vec<&'static str> { compared.iter().copied().filter(|c| codes.contains(c)).collect() };
        let (raised, expected) = (only(raised), only(expected));
        for (code, slot) in self.per_code.iter_mut() {
            let (r, e) = (raised.contains(code), expected.contains(code));
            if e && !r {
                slot.0 += 1;
            } else if r && !e {
                slot.1 += 1;
            }
        }
        let right = raised.iter().all(|r| expected.contains(r)) && expected.iter().all(|e| raised.contains(e));
        if right {
            self.right += 1;
        } else {
            self.wrong.push(format!("{file}: raised {raised:?}, expected {expected:?}"));
        }
        right
    }

    /// The per-code table: code, false accepts, false rejects.
    pub fn table(&self) -> String {
        let mut out = format!("{:<22} {:>4} {:>4}\n", "code", "FA", "FR");
        for (code, (fa, fr)) in &self.per_code {
            out += &format!("{code:<22} {fa:>4} {fr:>4}\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_false_accepts_false_rejects_and_ignores_other_codes() {
        let mut s = CodeScore::new(&["a", "b"]);
        assert!(s.add("1", &["a", "x"], &["a"]));
        assert!(!s.add("2", &[], &["a"]));
        assert!(!s.add("3", &["b"], &[]));
        assert_eq!((s.right, s.per_code["a"], s.per_code["b"]), (1, (1, 0), (0, 1)));
        assert_eq!(s.wrong, ["2: raised [], expected [\"a\"]", "3: raised [\"b\"], expected []"]);
    }
}
