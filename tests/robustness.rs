//! Hostile input through the real binary: no panic (exit 101), no stack
//! overflow (death by signal), no silent decision. Every bad input gets a
//! miette report and exit 1, or exit 2 when the input cannot be read as text.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use std::path::Path;

use common::{Run, head, rung, scratch};

const NATO: &str = "policies/nato";

/// A small schema and ladder, so that a policy body can follow.
const HEADER: &str =
    "record R { f: R2 }\nrecord R2 { f: int }\nfacts { x: int  r: R }\nladder l { a \"A\" }\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// The process ended on its own, without a panic.
fn no_crash(run: &Run, what: &str) {
    assert!(
        run.code.is_some(),
        "{what}: killed by a signal (stack overflow?)\n{}",
        head(&run.stderr)
    );
    assert_ne!(
        run.code,
        Some(101),
        "{what}: panicked\n{}",
        head(&run.stderr)
    );
    assert!(
        !run.stderr.contains("panicked"),
        "{what}: {}",
        head(&run.stderr)
    );
    assert!(!run.stderr.contains("overflowed its stack"), "{what}");
}

/// Exit `code` with a miette report (`rung::...` code) on stderr, nothing on stdout.
fn rejected(run: &Run, code: i32, what: &str) {
    no_crash(run, what);
    run.expect_code(code, what);
    assert!(
        run.stderr.contains("rung::"),
        "{what}: a miette report\n{}",
        head(&run.stderr)
    );
    assert_eq!(run.stdout, "", "{what}: no decision on stdout");
}

fn repeat(s: &str, n: usize) -> String {
    s.repeat(n)
}

#[test]
fn hostile_policies() {
    let dir = scratch("robust-policies");
    let n = 100_000;
    #[rustfmt::skip]
    let cases: Vec<(&str, String)> = vec![
        ("empty policy", String::new()),
        ("only a comment", "# nothing here\n".into()),
        ("100,000 nested parentheses", format!("{HEADER}let v = {}1{}\n", repeat("(", n), repeat(")", n))),
        ("100,000 unclosed parentheses", format!("{HEADER}let v = {}1\n", repeat("(", n))),
        ("100,000 `not`s", format!("{HEADER}let v = {}true\n", repeat("not ", n))),
        ("100,000 minus signs", format!("{HEADER}let v = {}1\n", repeat("- ", n))),
        ("a 50,000-term `1 + 1 + ...` chain", format!("{HEADER}let v = 1{}\n", repeat(" + 1", 50_000))),
        ("a 50,000-term `and` chain", format!("{HEADER}let v = true{}\n", repeat(" and true", 50_000))),
        ("a 50,000-term `otherwise` chain", format!("{HEADER}let v = x{}\n", repeat(" otherwise 1", 50_000))),
        ("a 100,000-long `.field` chain", format!("{HEADER}let v = r{}\n", repeat(".f", n))),
        ("100,000 nested lists", format!("{HEADER}let v = {}{}\n", repeat("[", n), repeat("]", n))),
        ("100,000 nested braces", format!("{}{}\n", repeat("{", n), repeat("}", n))),
        ("100,000 nested calls", format!( "{HEADER}let v = {}[]{}\n", repeat("count(", n), repeat(")", n) )),
        ("50,000 nested quantifiers", format!("{HEADER}let v = {}true\n", repeat("any [1] has ", 50_000))),
        ("50,000 chained `where`s", format!("{HEADER}let v = [1]{}\n", repeat(" where true", 50_000))),
        ("an unterminated string", format!("{HEADER}let v = \"{}\n", repeat("a", n))),
        ("1,001 definitions, each using the next", {
            let mut s = HEADER.to_string();
            for i in 0..1001 {
                s.push_str(&format!("let a{i} = a{}\n", i + 1));
            }
            s.push_str("let a1001 = x\n");
            s
        }),
        ("a definition cycle through 5,000 definitions", {
            let mut s = HEADER.to_string();
            for i in 0..5000 {
                s.push_str(&format!("let a{i} = a{}\n", (i + 1) % 5000));
            }
            s
        }),
    ];
    for (i, (what, text)) in cases.iter().enumerate() {
        let path = write(&dir, "p.rung", text.as_bytes());
        rejected(&rung(&["check", &path]), 1, what);
        // `eval` loads policies through the same path; a sample suffices.
        if i % 4 != 0 {
            continue;
        }
        rejected(
            &rung(&[
                "eval",
                &path,
                "--facts",
                "policies/nato/examples/albania-2022.json",
            ]),
            1,
            what,
        );
    }
    // Over the size limit, a file is not read at all: unreadable input.
    let big = write(
        &dir,
        "big.rung",
        format!("{HEADER}# {}\n", repeat("x", 4 * 1024 * 1024)).as_bytes(),
    );
    let run = rung(&["check", &big]);
    rejected(&run, 2, "a policy over the size limit");
    let words = run
        .stderr
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(words.contains("the limit is"), "{}", run.stderr);
}

/// Big but legal policies check quickly and evaluate.
#[test]
fn large_legal_policies() {
    let dir = scratch("robust-large");
    let rungs: String = (0..20_000).map(|i| format!(" r{i} \"R\"")).collect();
    let rules: String = (0..2_000)
        .map(|i| {
            format!(
                "  rule{i}: recommend r{i} when count(xs) > {} because \"x\"\n",
                i % 7
            )
        })
        .collect();
    let text = format!(
        "record I {{ id: string unique  w: string }}\nfacts {{ items: list of I }}\nladder l {{{rungs} }}\nrules l for each w, xs in items grouped by w {{\n{rules}}}\n"
    );
    let path = write(&dir, "big.rung", text.as_bytes());
    let facts = write(
        &dir,
        "f.json",
        br#"{ "items": [ { "id": "1", "w": "A" }, { "id": "2", "w": "A" } ] }"#,
    );
    let started = std::time::Instant::now();
    let run = rung(&["eval", &path, "--facts", &facts, "--format", "json"]);
    no_crash(&run, "large policy");
    run.expect_code(0, "large policy");
    assert!(
        run.stdout.contains("\"top\": \"r1996\""),
        "{}",
        head(&run.stdout)
    );
    // How long it takes is measured in benches/check.rs (linear in the
    // rules), not asserted here: a shared machine makes timed tests flaky.
    eprintln!("large policy: {:?}", started.elapsed());
}

#[test]
fn hostile_facts() {
    let dir = scratch("robust-facts");
    let n = 200_000;
    let incident = |severity: &str| {
        format!(
            r#"{{"now":"2024-01-01","incidents":[{{"id":"a","date":"2024-01-01","victim":"AL","victim_is_ally":true,"actor":"x","state_sponsor":"RU","attribution":"high","effect":"espionage","severity":{severity},"critical_infrastructure":false,"casualties":false,"assistance_requested":false,"disclosure_restricted":false}}]}}"#
        )
    };
    #[rustfmt::skip]
    let cases: Vec<(&str, String)> = vec![
        ("empty facts", String::new()),
        ("only whitespace", "  \n\t ".into()),
        ("200,000 nested arrays", format!("{}{}", repeat("[", n), repeat("]", n))),
        ("200,000 unclosed arrays", repeat("[", n)),
        ("200,000 nested arrays in a list of records", format!( r#"{{"now":"2024-01-01","incidents":{}{}}}"#, repeat("[", n), repeat("]", n) )),
        ("200,000 nested arrays where a date belongs", format!( r#"{{"now":{}{},"incidents":[]}}"#, repeat("[", n), repeat("]", n) )),
        ("200,000 nested objects", format!("{}1{}", repeat(r#"{"a":"#, n), repeat("}", n))),
        ("200,000 nested objects as a severity", incident(&format!("{}1{}", repeat(r#"{"a":"#, n), repeat("}", n)))),
        ("top level is a list", "[1, 2]".into()),
        ("top level is a number", "42".into()),
        ("top level is a string", "\"facts\"".into()),
        ("top level is null", "null".into()),
        ("top level is true", "true".into()),
        ("an integer beyond 64 bits", incident("18446744073709551616")),
        ("an integer below i64::MIN", incident("-9223372036854775809")),
        ("i64::MAX, outside the range", incident("9223372036854775807")),
        ("a number beyond f64", incident(&repeat("9", 400))),
        ("a whole number written as a decimal", incident("3.0")),
        ("an exponent", incident("1e2")),
        ("a key given twice", r#"{"now":"2024-01-01","now":"2024-01-02","incidents":[]}"#.into()),
        ("trailing garbage", r#"{"now":"2024-01-01","incidents":[]} x"#.into()),
        ("NaN", r#"{"now":NaN,"incidents":[]}"#.into()),
        ("a year-zero date", r#"{"now":"0000-01-01","incidents":[]}"#.into()),
        ("a date with a signed month", r#"{"now":"2024-+1-01","incidents":[]}"#.into()),
        ("a date with a negative year", r#"{"now":"-001-01-01","incidents":[]}"#.into()),
    ];
    for (what, text) in &cases {
        let path = write(&dir, "f.json", text.as_bytes());
        rejected(&rung(&["eval", NATO, "--facts", &path]), 1, what);
        rejected(
            &rung(&["eval", NATO, "--facts", &path, "--format", "json"]),
            1,
            what,
        );
    }
}

/// An error far along one long line (minified JSON) is reported without
/// the line, at `file:line:col`; miette itself panics past column 65,535.
#[test]
fn errors_on_long_lines() {
    let dir = scratch("robust-long-lines");
    let pad = " ".repeat(70_000);
    let path = write(
        &dir,
        "f.json",
        format!(r#"{{"now":"2024-01-01",{pad}"incidents":[],"prior_responses":1}}"#).as_bytes(),
    );
    let run = rung(&["eval", NATO, "--facts", &path]);
    rejected(&run, 1, "wrong type at column 70,054");
    assert!(
        run.stderr.contains("rung::facts::type"),
        "{}",
        head(&run.stderr)
    );
    // The line is shown as a window around the label, not in full.
    assert!(
        run.stderr.contains("f.json:1:70054]") && run.stderr.contains("╰── expected"),
        "{}",
        head(&run.stderr)
    );
    assert!(run.stderr.len() < 2000, "the long line is not printed");
}

/// xorshift64*: deterministic random inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words and symbols of the language, to build token soup that gets past
/// the first character of the grammar.
const TOKENS: &[&str] = &[
    "enum",
    "record",
    "facts",
    "ladder",
    "let",
    "rules",
    "for",
    "each",
    "in",
    "grouped",
    "by",
    "recommend",
    "forbid",
    "when",
    "because",
    "cites",
    "and",
    "or",
    "not",
    "where",
    "any",
    "all",
    "no",
    "has",
    "have",
    "is",
    "present",
    "absent",
    "otherwise",
    "above",
    "below",
    "to",
    "warn",
    "test",
    "expect",
    "list",
    "of",
    "optional",
    "rung",
    "unique",
    "default",
    "x",
    "r",
    "f",
    "l",
    "a",
    "items",
    "count",
    "sum",
    "min",
    "max",
    "distinct",
    "days",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ".",
    "..",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "=",
    "1",
    "0",
    "9223372036854775807",
    "1.5",
    "0.1",
    "365d",
    "2w",
    "2024-02-29",
    "2023-02-30",
    "\"s\"",
    "\"",
    "#",
    "\n",
    "int",
    "decimal",
    "string",
    "date",
    "duration",
    "bool",
    "true",
    "false",
    "é",
    "\u{0}",
];

/// Random bytes (often invalid UTF-8), random token soup, and valid policies
/// with random bytes spliced in: `check` and `eval` never crash, and every
/// failure is a report (exit 1), text that is not UTF-8 included: the
/// files exist, so nothing is a usage error (exit 2).
#[test]
fn random_policies() {
    let dir = scratch("robust-random-policies");
    let facts = write(&dir, "f.json", br#"{ "x": 1, "r": { "f": { "f": 2 } } }"#);
    let nato = std::fs::read_to_string(common::root().join("policies/nato/response.rung")).unwrap();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut outcomes = [0usize; 3];
    for i in 0..300 {
        let bytes: Vec<u8> = match i % 3 {
            0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
            1 => {
                let mut s = HEADER.to_string();
                for _ in 0..rng.below(60) {
                    s.push_str(TOKENS[rng.below(TOKENS.len())]);
                    s.push(' ');
                }
                s.into_bytes()
            }
            _ => {
                let mut b = format!("{HEADER}{nato}").into_bytes();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(b.len());
                    match rng.below(3) {
                        0 => b[at] = rng.next() as u8,
                        1 => {
                            b.remove(at);
                        }
                        _ => {
                            let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                            b.splice(at..at, t.iter().copied());
                        }
                    }
                }
                b
            }
        };
        let path = write(&dir, "p.rung", &bytes);
        let what = format!("random policy {i}: {:?}", String::from_utf8_lossy(&bytes));
        let mut runs = vec![vec!["check", path.as_str()]];
        // `eval` goes further (evaluation) on the policies that check.
        if i % 3 == 2 {
            runs.push(vec!["eval", &path, "--facts", &facts, "--format", "json"]);
        }
        for args in runs {
            let run = rung(&args);
            no_crash(&run, &what);
            let code = run.code.unwrap();
            assert!((0..=2).contains(&code), "{what}: exit {code}");
            outcomes[code as usize] += 1;
            if code != 0 {
                assert!(
                    run.stderr.contains("rung::"),
                    "{what}: a report\n{}",
                    head(&run.stderr)
                );
            }
            assert_ne!(
                code, 2,
                "{what}: a policy file that exists is no usage error"
            );
        }
    }
    eprintln!("random policies: exit 0/1/2: {outcomes:?}");
}

/// Random bytes and mangled examples as facts.
#[test]
fn random_facts() {
    let dir = scratch("robust-random-facts");
    let example =
        std::fs::read(common::root().join("policies/nato/examples/cumulative-article-5.json"))
            .unwrap();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = [0usize; 3];
    for i in 0..200 {
        let bytes: Vec<u8> = if i % 2 == 0 {
            (0..rng.below(300)).map(|_| rng.next() as u8).collect()
        } else {
            let mut b = example.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(b.len());
                if rng.below(2) == 0 {
                    let noise = b"{}[]\",:0123456789-.etruflasn \x00\xff";
                    b[at] = noise[rng.below(noise.len())];
                } else {
                    b.remove(at);
                }
            }
            b
        };
        let path = write(&dir, "f.json", &bytes);
        let what = format!("random facts {i}: {:?}", String::from_utf8_lossy(&bytes));
        let run = rung(&["eval", NATO, "--facts", &path, "--format", "json"]);
        no_crash(&run, &what);
        let code = run.code.unwrap();
        assert!((0..=2).contains(&code), "{what}: exit {code}");
        outcomes[code as usize] += 1;
        if code == 0 {
            let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
            assert!(doc["decisions"].is_array(), "{what}");
        } else {
            assert!(
                run.stderr.contains("rung::"),
                "{what}: a report\n{}",
                head(&run.stderr)
            );
            assert_eq!(run.stdout, "", "{what}: no decision");
        }
    }
    eprintln!("random facts: exit 0/1/2: {outcomes:?}");
}

/// Hostile tables: every one is a report and exit 1 (never a panic, never
/// a partial decision), or a decision when the table is legal.
#[test]
fn hostile_tables() {
    let dir = scratch("robust-tables");
    let now = write(&dir, "now.json", br#"{ "now": "2022-09-30" }"#);
    let header = "id,date,victim,victim_is_ally,actor,state_sponsor,attribution,effect,severity,critical_infrastructure,casualties,assistance_requested,disclosure_restricted\n";
    let row = |id: &str, severity: &str| {
        format!("{id},2022-07-15,AL,true,HJ,IR,high,disruption,{severity},true,false,true,false\n")
    };
    let big = "9".repeat(10 << 20);
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..100_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        junk.push((x >> 16) as u8);
    }
    let mut wide = header.trim_end().to_string();
    wide.push_str(&",x".repeat(100_000));
    wide.push('\n');
    #[rustfmt::skip]
    let bad: Vec<(&str, Vec<u8>)> = vec![
        ("an empty file", Vec::new()),
        ("binary junk", junk),
        ("NUL bytes", vec![0; 1000]),
        ("UTF-16", [&[0xff, 0xfe][..], &"id\n".encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<_>>()].concat()),
        ("a ragged row", format!("{header}{}a,b\n", row("a", "4")).into_bytes()),
        ("an unterminated quote", format!("{header}\"a,2022-07-15,AL\n").into_bytes()),
        ("a 10 MB number in an int column", format!("{header}{}", row("a", &big)).into_bytes()),
        ("a 10 MB cell in a required column, then a bad one", format!("{header}{}", row(&big, "x")).into_bytes()),
        ("a header of 100,000 columns and no rows", wide.clone().into_bytes()),
        ("only a header of junk", b"\x01\x02,\x03\n".to_vec()),
        ("bare CR line ends with a bad cell", format!("{header}{}", row("a", "9")).replace('\n', "\r").into_bytes()),
    ];
    for (what, bytes) in &bad {
        let path = write(&dir, "t.csv", bytes);
        let table = format!("incidents={path}");
        rejected(
            &rung(&["eval", NATO, "--facts", &now, "--table", &table]),
            1,
            what,
        );
    }
    #[rustfmt::skip]
    let good: Vec<(&str, Vec<u8>)> = vec![
        ("a 10 MB string cell", format!("{header}{}", row(&big.replace('9', "a"), "4")).into_bytes()),
        ("a header only", header.as_bytes().to_vec()),
        ("formula-looking cells", format!("{header}{}", row("=cmd|'/C calc'!A0", "4")).into_bytes()),
        ("bare CR line ends", format!("{header}{}", row("a", "4")).replace('\n', "\r").into_bytes()),
    ];
    for (what, bytes) in &good {
        let path = write(&dir, "t.csv", bytes);
        let table = format!("incidents={path}");
        let run = rung(&["eval", NATO, "--facts", &now, "--table", &table]);
        no_crash(&run, what);
        run.expect_code(0, what);
    }
    // Over the size limit: refused before it is read (a sparse file).
    let path = dir.join("huge.csv");
    std::fs::File::create(&path)
        .unwrap()
        .set_len((1 << 30) + 1)
        .unwrap();
    let table = format!("incidents={}", path.display());
    let run = rung(&["eval", NATO, "--facts", &now, "--table", &table]);
    rejected(&run, 1, "a table over 1 GiB");
    assert!(
        run.stderr.contains("rung::table::too_large"),
        "{}",
        run.stderr
    );
}

/// Random bytes, and random mutations of a valid table (bytes replaced by
/// separators, quotes, line ends, BOM pieces and junk, or removed), read
/// through the library by the thousand: every outcome is facts or reports
/// with a code, never a panic, and never facts with an error beside them.
#[test]
fn random_tables() {
    let policy = common::nato();
    let table =
        std::fs::read(common::root().join("policies/nato/examples/tables/incidents.csv")).unwrap();
    let now = rung::SourceFile::new("now.json", r#"{ "now": "2022-09-30" }"#);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut outcomes = [0usize; 2];
    for i in 0..2000 {
        let bytes: Vec<u8> = if i % 4 == 0 {
            (0..rng.below(400)).map(|_| rng.next() as u8).collect()
        } else {
            let mut b = table.clone();
            for _ in 0..1 + rng.below(4) {
                if b.is_empty() {
                    break;
                }
                let at = rng.below(b.len());
                if rng.below(2) == 0 {
                    let noise = b",;\t\"\r\n =+-0123456789.xyzTRUEfalse\xef\xbb\xbf\x00\xff";
                    b[at] = noise[rng.below(noise.len())];
                } else {
                    b.remove(at);
                }
            }
            b
        };
        let what = format!("random table {i}: {:?}", String::from_utf8_lossy(&bytes));
        let file = match rung::facts::table::from_bytes("incidents.csv", bytes) {
            Ok(f) => f,
            Err(d) => {
                assert!(
                    miette::Diagnostic::code(&d).is_some(),
                    "{what}: a coded report"
                );
                outcomes[1] += 1;
                continue;
            }
        };
        let input = rung::facts::table::TableInput {
            fact: "incidents".into(),
            file,
            delimiter: None,
        };
        match policy.facts_with_tables(Some(&now), &[input]) {
            Ok(_) => outcomes[0] += 1,
            Err(diags) => {
                assert!(!diags.is_empty(), "{what}: an error has a report");
                for d in &diags {
                    assert!(miette::Diagnostic::code(d).is_some(), "{what}: coded: {d}");
                }
                outcomes[1] += 1;
            }
        }
    }
    // Both outcomes happen: the mutations do not all break the table.
    assert!(outcomes[0] > 10 && outcomes[1] > 100, "{outcomes:?}");
}
