//! The REPL's library API: completion candidates, and inputs that must be
//! reported, never panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use rung::render::Paint;
use rung::repl::complete::{Completion, complete};
use rung::repl::{Session, transcript};

fn nato() -> Session {
    let (session, reply) = Session::start(
        &[PathBuf::from("policies/nato")],
        Some("policies/nato/examples/albania-2022.json"),
        Paint { enabled: false },
    )
    .unwrap();
    assert!(!reply.has_error(), "{}", transcript(&reply, 100));
    session
}

fn words(s: &Session, line: &str) -> (usize, Vec<String>) {
    match complete(s, line, line.len()) {
        Completion::Words(start, w) => (start, w),
        Completion::Path => panic!("expected words for {line:?}, got a path"),
    }
}

#[test]
fn completes_names_fields_and_commands() {
    let mut s = nato();
    assert_eq!(words(&s, "sum(wind"), (4, vec!["window".to_string()]));
    assert_eq!(
        words(&s, "sum(window.sev"),
        (11, vec!["severity".to_string()])
    );
    assert_eq!(
        words(&s, "count((window where severity > 3).vic").1,
        vec!["victim", "victim_is_ally"]
    );
    assert!(
        words(&s, "incidents where attr")
            .1
            .contains(&"attribution".to_string())
    );
    assert!(
        words(&s, "attribution == hi")
            .1
            .contains(&"high".to_string())
    );
    assert_eq!(
        words(&s, "count(dis").1,
        vec!["disclosure_restricted", "disruption", "distinct"]
    );
    assert_eq!(words(&s, ":se").1, vec![":set"]);
    assert_eq!(words(&s, ":why sanc").1, vec!["sanctions"]);
    assert_eq!(words(&s, ":why sanctions ").1, vec!["IR"]);
    assert_eq!(words(&s, ":subject ").1, vec!["assistance", "response"]);
    assert_eq!(words(&s, ":subject assistance ").1, vec!["AL"]);
    assert_eq!(words(&s, ":set inc").1, vec!["incidents"]);
    assert_eq!(words(&s, ":set incidents[0].sev").1, vec!["severity"]);
    assert_eq!(
        words(&s, ":set incidents[0]").1.first().map(String::as_str),
        Some(".actor")
    );
    assert_eq!(words(&s, ":type win").1, vec!["window"]);
    assert_eq!(complete(&s, ":load pol", 9), Completion::Path);
    assert_eq!(complete(&s, ":facts policies/", 16), Completion::Path);

    // In a subject's scope, the block's names complete too.
    assert!(words(&s, "high_").1.is_empty());
    s.execute(":subject response IR");
    assert_eq!(words(&s, "high_").1, vec!["high_acts"]);
    assert!(
        words(&s, "allied_high.cas")
            .1
            .contains(&"casualties".to_string())
    );
}

#[test]
fn edits_are_undone_by_reset() {
    let mut s = nato();
    let before = transcript(&s.execute(":decide"), 100);
    let reply = s.execute(":set incidents[1].effect = \"destruction\"");
    assert!(!reply.has_error(), "{}", transcript(&reply, 100));
    assert_ne!(transcript(&s.execute(":decide"), 100), before);
    s.execute(":reset");
    assert_eq!(transcript(&s.execute(":decide"), 100), before);
    assert!(transcript(&s.execute(":diff"), 100).contains("no decision changed"));
}

#[test]
fn no_input_panics_or_ends_the_session() {
    let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
    let nots = "not ".repeat(5000) + "true";
    let long = "1 + ".repeat(20_000) + "1";
    let inputs = [
        deep.as_str(),
        nots.as_str(),
        long.as_str(),
        "é",
        "\u{0}",
        "\"unterminated",
        "#",
        ":",
        "::",
        ": set",
        "   :help  ",
        "1 / 0",
        "now + 99999999999d",
        "let",
        "rules",
        "ladder x {",
        "let window = 1",
        "let window = window",
        "let a = b\nlet b = a",
        ":set $ = 1",
        ":set = 1",
        ":set incidents[0] =",
        ":unset $",
        ":set incidents[18446744073709551616] = 1",
        ":set incidents[-1] = 1",
        ":set incidents[0 = 1",
        ":set incidents..x = 1",
        ":set now = null",
        ":unset prior_responses",
        ":show $",
        ":show incidents[0].id.x",
        ":why",
        ":why a b c",
        ":why monitor",
        ":subject a",
        ":subject response IR",
        "state",
        ":load",
        ":load policies/nato/examples",
        ":facts",
        ":facts policies/nato",
        ":type",
        ":type count(",
        ":set incidents = []",
        ":why sanctions IR",
        ":decide",
        ":diff",
        ":reload",
        ":rules",
        ":ladders",
        ":reset",
        "count(window)",
    ];
    let mut s = nato();
    for input in inputs {
        let reply = s.execute(input);
        assert!(!reply.quit, "{input:?} ended the session");
        let _ = transcript(&reply, 80);
    }
    // The session still works.
    assert_eq!(transcript(&s.execute("1 + 1"), 80), "2 : int\n");
}
