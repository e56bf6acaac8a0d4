//! Every diagnostic code, explained: what it means, a failing example and its
//! fix (`rung explain CODE`, like `rustc --explain`).
//!
//! A test cross-checks this registry against every `code(...)` in the
//! sources and runs each example: the failing one must report its code, the
//! fixed one must not.

/// The long explanation of one code.
#[derive(Debug, Clone, Copy)]
pub struct Explanation {
    /// `rung::name::unknown`.
    pub code: &'static str,
    /// One line: what the code is about.
    pub title: &'static str,
    /// What it means and how to fix it, in a few sentences.
    pub text: &'static str,
    /// A failing input and its fix.
    pub example: Example,
}

/// A failing input and its fix.
#[derive(Debug, Clone, Copy)]
pub enum Example {
    /// A policy (completed with [`PRELUDE_SCHEMA`] and [`PRELUDE_LADDER`]
    /// unless it declares its own `facts` or `ladder response`).
    Policy {
        /// The failing policy.
        bad: &'static str,
        /// The fixed policy.
        fixed: &'static str,
    },
    /// A policy run as it is, without the prelude.
    Standalone {
        /// The failing policy.
        bad: &'static str,
        /// The fixed policy.
        fixed: &'static str,
    },
    /// Facts (JSON) that fail against a policy.
    Facts {
        /// The policy (completed like [`Example::Policy`]).
        policy: &'static str,
        /// The failing facts.
        bad: &'static str,
        /// The fixed facts.
        fixed: &'static str,
    },
    /// A policy that fails while evaluating the given facts, and its fix.
    Eval {
        /// The failing policy.
        bad: &'static str,
        /// The fixed policy.
        fixed: &'static str,
        /// The facts.
        facts: &'static str,
    },
    /// A table (CSV) that fails as the fact `fact` of a policy, and its fix.
    Table {
        /// The policy (completed like [`Example::Policy`]).
        policy: &'static str,
        /// The other facts, as JSON.
        json: &'static str,
        /// The fact the table gives.
        fact: &'static str,
        /// The failing table.
        bad: &'static str,
        /// The fixed table.
        fixed: &'static str,
    },
    /// An example that is shown but not run (a huge file, a missing path).
    Shown {
        /// What fails.
        bad: &'static str,
        /// What works.
        fixed: &'static str,
    },
}

/// The schema the examples assume unless they declare `facts` themselves.
pub const PRELUDE_SCHEMA: &str = r#"enum Attribution { none < low < moderate < high }
record Incident {
  id: string unique
  date: date
  victim: string
  state_sponsor: optional string
  attribution: Attribution
  severity: int in 1..5
}
facts {
  now: date
  incidents: list of Incident
}
"#;

/// The ladder the examples assume unless they declare `ladder response`.
pub const PRELUDE_LADDER: &str = r#"ladder response {
  monitor "Monitor the campaign"
  name    "Publicly name the responsible state"
}
"#;

/// The complete text of an example policy: the prelude it needs, then itself.
pub fn with_prelude(policy: &str) -> String {
    let mut out = String::new();
    if !policy.contains("facts {") {
        out.push_str(PRELUDE_SCHEMA);
    }
    if !policy.contains("ladder response") {
        out.push_str(PRELUDE_LADDER);
    }
    out.push_str(policy);
    out
}

/// The explanation of `code`, which may be given without its `rung::` prefix.
pub fn lookup(code: &str) -> Option<&'static Explanation> {
    let code = code.trim();
    let full = if code.starts_with("rung::") {
        code.to_string()
    } else {
        format!("rung::{code}")
    };
    EXPLANATIONS.iter().find(|e| e.code == full)
}

/// The code closest to `code`, for "did you mean".
pub fn closest(code: &str) -> Option<&'static str> {
    let bare = code.trim().trim_start_matches("rung::");
    let by_full = crate::check::suggest::closest(
        bare,
        EXPLANATIONS
            .iter()
            .map(|e| e.code.trim_start_matches("rung::")),
    );
    let by_last = EXPLANATIONS
        .iter()
        .find(|e| e.code.rsplit("::").next() == Some(bare))
        .map(|e| e.code.trim_start_matches("rung::"));
    by_full
        .or(by_last)
        .and_then(|c| EXPLANATIONS.iter().find(|e| e.code.ends_with(c)))
        .map(|e| e.code)
}

/// The explanation as text for a terminal.
pub fn render(e: &Explanation) -> String {
    let indent = |s: &str| {
        if s.trim().is_empty() {
            return "    (an empty file)".to_string();
        }
        s.trim_end()
            .lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut out = format!("{}: {}\n\n{}\n", e.code, e.title, wrap(e.text.trim(), 78));
    let (bad, fixed, facts) = match e.example {
        Example::Policy { bad, fixed }
        | Example::Standalone { bad, fixed }
        | Example::Shown { bad, fixed } => (bad, fixed, None),
        Example::Facts { policy, bad, fixed } => {
            if !policy.is_empty() {
                out.push_str(&format!("\nWith this policy:\n\n{}\n", indent(policy)));
            }
            (bad, fixed, Some(()))
        }
        Example::Eval { bad, fixed, facts } => {
            out.push_str(&format!("\nWith these facts:\n\n{}\n", indent(facts)));
            (bad, fixed, None)
        }
        Example::Table {
            policy,
            json,
            fact,
            bad,
            fixed,
        } => {
            if !policy.is_empty() {
                out.push_str(&format!("\nWith this policy:\n\n{}\n", indent(policy)));
            }
            out.push_str(&format!(
                "\nWith the facts\n\n{}\n\nand the table below as the fact `{fact}`.\n",
                indent(json)
            ));
            (bad, fixed, Some(()))
        }
    };
    let what = match e.example {
        Example::Table { .. } => "table",
        _ if facts.is_some() => "facts",
        _ => "example",
    };
    out.push_str(&format!(
        "\nFailing {what}:\n\n{}\n\nFixed:\n\n{}\n",
        indent(bad),
        indent(fixed)
    ));
    if uses_prelude(e.example) {
        out.push_str(
            "\n(Examples assume the schema and ladder shown by `rung explain` without a code.)\n",
        );
    }
    out
}

/// Whether an example leans on [`PRELUDE_SCHEMA`] or [`PRELUDE_LADDER`]
/// that it does not show, so that its rendering must say where they are.
fn uses_prelude(example: Example) -> bool {
    match example {
        Example::Policy { bad, .. } | Example::Eval { bad, .. } => {
            !bad.contains("facts {") || !bad.contains("ladder response")
        }
        Example::Facts { policy, .. } | Example::Table { policy, .. } => {
            !policy.contains("facts {")
        }
        Example::Standalone { .. } | Example::Shown { .. } => false,
    }
}

/// `text` broken into lines of at most `width` columns, at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if line > 0 && line + 1 + w > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += w;
    }
    out
}

/// Every code, grouped by stage.
pub static EXPLANATIONS: &[Explanation] = &[
    // ------------------------------------------------------------ parse
    Explanation {
        code: "rung::parse::unexpected",
        title: "the text does not follow the grammar",
        text: "Reading stopped at a word or symbol that cannot stand there. The report says what \
was found and what would have been accepted (\"an expression\", \"an operator\", `because \"...\"`). \
When the unexpected word starts a new line, the label points at the end of the line before it: \
that is usually where something is missing.",
        example: Example::Policy {
            bad: "let recent = incidents where date >\n",
            fixed: "let recent = incidents where date > now - 365d\n",
        },
    },
    Explanation {
        code: "rung::parse::unclosed_string",
        title: "a string has no closing quote",
        text: "Strings are written in double quotes and end on the line they start. Add the \
closing `\"`.",
        example: Example::Policy {
            bad: "let sponsor = \"IR\nlet known = incidents where state_sponsor otherwise \"\" == sponsor\n",
            fixed: "let sponsor = \"IR\"\nlet known = incidents where state_sponsor otherwise \"\" == sponsor\n",
        },
    },
    Explanation {
        code: "rung::parse::unclosed",
        title: "a bracket is never closed",
        text: "A `(`, `[` or `{` has no matching closing bracket before the clause or declaration \
ends. The report labels the opening bracket and the place where the closing one was expected.",
        example: Example::Policy {
            bad: "let busy = count(incidents where severity >= 4 > 2\n",
            fixed: "let busy = count(incidents where severity >= 4) > 2\n",
        },
    },
    Explanation {
        code: "rung::parse::unmatched",
        title: "a closing bracket matches nothing",
        text: "A `)`, `]` or `}` appears where no bracket of its kind is open. Remove it, or add \
the opening bracket it belongs to.",
        example: Example::Policy {
            bad: "let busy = count(incidents)) > 2\n",
            fixed: "let busy = count(incidents) > 2\n",
        },
    },
    Explanation {
        code: "rung::parse::operator",
        title: "an operator from another language",
        text: "rung spells logic in words so that a rule reads aloud: `and`, `or`, `not`. \
Equality is `==` (a single `=` only names a definition), and the other comparisons are `!=`, \
`<`, `<=`, `>`, `>=`. `&&`, `||`, `!`, `=`, `=>`, `=<` and `<>` are recognised and the rung \
spelling is suggested.",
        example: Example::Policy {
            bad: "let serious = incidents where severity >= 4 && attribution = high\n",
            fixed: "let serious = incidents where severity >= 4 and attribution == high\n",
        },
    },
    Explanation {
        code: "rung::parse::because",
        title: "a rule without its justification",
        text: "Every `recommend` and `forbid` ends with `because \"...\"`: the reason an analyst \
reads in the decision. It comes after the condition (and before `cites`). The report labels the \
rule and the place where `because` was expected.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor\n  recommend name when any acts has attribution == high\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution == high\n    because \"High-confidence attribution allows naming the state\"\n}\n",
        },
    },
    Explanation {
        code: "rung::parse::description",
        title: "a rung without its description",
        text: "Each rung of a ladder is a name followed by its description in double quotes. The \
description is what a decision shows next to the rung.",
        example: Example::Policy {
            bad: "ladder response {\n  monitor\n  name \"Publicly name the responsible state\"\n}\n",
            fixed: "ladder response {\n  monitor \"Monitor the campaign\"\n  name \"Publicly name the responsible state\"\n}\n",
        },
    },
    Explanation {
        code: "rung::parse::rule_outside",
        title: "`recommend` or `forbid` outside a `rules` block",
        text: "Rules apply to each subject of a grouping, so they stand inside `rules LADDER for \
each SUBJECT, ITEMS in LIST grouped by KEY { ... }`. A common cause is a `}` that closes the \
block too early.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n  recommend name when any acts has attribution == high because \"Confident\"\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution == high because \"Confident\"\n}\n",
        },
    },
    Explanation {
        code: "rung::parse::keyword",
        title: "a keyword used as a name",
        text: "The words `and`, `or`, `not`, `in`, `where`, `has`, `have`, `is`, `present`, \
`absent`, `otherwise`, `true`, `false`, `any`, `all` and `no` belong to the language and cannot \
name a definition, field, rung or subject.",
        example: Example::Policy {
            bad: "let in = incidents where victim == \"EE\"\n",
            fixed: "let in_estonia = incidents where victim == \"EE\"\n",
        },
    },
    Explanation {
        code: "rung::parse::too_deep",
        title: "nesting beyond the limit",
        text: "Brackets, `where`, `not`, quantifiers and types may nest 64 levels, and an \
expression tree may be 200 levels deep. The limits are checked before parsing, so even 100,000 \
nested parentheses give this error rather than a crash. Name the inner parts with `let`.",
        example: Example::Policy {
            bad: "let x = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))\n",
            fixed: "let x = 1\n",
        },
    },
    Explanation {
        code: "rung::parse::too_large",
        title: "a policy file over the size limit",
        text: "A policy file may hold at most 4 MiB. Split a larger policy into several `.rung` \
files in one directory: a directory loads as one policy.",
        example: Example::Shown {
            bad: "rung check huge.rung        # 5 MiB",
            fixed: "rung check policy/          # the same declarations in several files",
        },
    },
    Explanation {
        code: "rung::parse::encoding",
        title: "a policy file that is not UTF-8 text",
        text: "rung reads policy files as UTF-8. A file saved in another encoding, such as \
Latin-1 or Windows-1252, has bytes that are not UTF-8 wherever it holds a letter outside ASCII \
(`é` is the single byte 0xE9). The report points at the first such byte and gives its offset; \
save the file as UTF-8 in the editor, or convert it.",
        example: Example::Shown {
            bad: "rung check policy/   # response.rung saved as Latin-1: `let r\\xe9cent = ...`",
            fixed: "iconv -f latin1 -t utf-8 response.rung > response.utf8 && mv response.utf8 response.rung",
        },
    },
    Explanation {
        code: "rung::parse::literal",
        title: "a literal that reads well but means nothing",
        text: "A date that is no real day (`2023-02-30`), an integer beyond 64 bits, or a duration \
longer than the limit.",
        example: Example::Policy {
            bad: "let cutoff = 2023-02-30\n",
            fixed: "let cutoff = 2023-02-28\n",
        },
    },
    Explanation {
        code: "rung::parse::misplaced",
        title: "a construct in the wrong place",
        text: "`where` filters one list; on the left of `where` stands a single list, not a \
larger expression. Put the list in parentheses to say what is filtered.",
        example: Example::Policy {
            bad: "let recent = incidents + incidents where severity > 3\n",
            fixed: "let recent = incidents where severity > 3\n",
        },
    },
    Explanation {
        code: "rung::parse::internal",
        title: "a bug in rung's parser",
        text: "The parser produced a shape the rest of rung does not expect. This is a bug in \
rung, not in the policy; please report it with the policy text.",
        example: Example::Shown {
            bad: "(no policy should produce this)",
            fixed: "(report it)",
        },
    },
    Explanation {
        code: "rung::internal",
        title: "a bug in rung's evaluator",
        text: "A state the checker rules out was reached while evaluating (an id with no item, a \
value of the wrong shape). rung stops without a decision rather than substitute a default that \
could make a plausible but wrong one. This is a bug in rung, not in the policy or the facts; \
please report it with the policy, the facts and the command.",
        example: Example::Shown {
            bad: "(no policy should produce this)",
            fixed: "(report it)",
        },
    },
    // ------------------------------------------------------------ names
    Explanation {
        code: "rung::name::unknown",
        title: "a name that is not defined",
        text: "A name must be a definition (`let`), a fact, a field of the item in scope (inside \
`where` or `any ... has`), the subject or items of a rules block, or a value of an enum. A close \
name is suggested. A name used several times is reported once, with every use labelled.",
        example: Example::Policy {
            bad: "let recent = incidnets where date > now - 365d\n",
            fixed: "let recent = incidents where date > now - 365d\n",
        },
    },
    Explanation {
        code: "rung::name::field",
        title: "a record has no field of this name",
        text: "The field does not exist in the record type. A close field is suggested, or the \
fields are listed.",
        example: Example::Policy {
            bad: "let serious = incidents where severty >= 4\nlet worst = max(serious.severty)\n",
            fixed: "let serious = incidents where severity >= 4\nlet worst = max(serious.severity)\n",
        },
    },
    Explanation {
        code: "rung::name::type",
        title: "an unknown type",
        text: "A field's type is a built-in type (`bool`, `int`, `decimal`, `string`, `date`, \
`duration`), a declared `enum` or `record`, `list of T`, `optional T` or `rung of LADDER`.",
        example: Example::Policy {
            bad: "record Note { text: string  weight: integer }\n",
            fixed: "record Note { text: string  weight: int }\n",
        },
    },
    Explanation {
        code: "rung::name::ladder",
        title: "an unknown ladder",
        text: "A rules block, or a `rung of` type, names a ladder that is not declared.",
        example: Example::Policy {
            bad: "rules respons for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n",
        },
    },
    Explanation {
        code: "rung::name::rung",
        title: "a rung that is not on the ladder",
        text: "`recommend` and `forbid` name rungs of the block's ladder. A close rung is \
suggested, or the rungs are listed.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitr because \"Every sponsor is monitored\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n",
        },
    },
    Explanation {
        code: "rung::name::function",
        title: "an unknown function",
        text: "The functions are `count`, `sum`, `min`, `max`, `distinct` and `days`.",
        example: Example::Policy {
            bad: "let total = total(incidents.severity)\n",
            fixed: "let total = sum(incidents.severity)\n",
        },
    },
    Explanation {
        code: "rung::name::duplicate",
        title: "a name declared twice",
        text: "Types, ladders, rungs, fields, enum values, definitions and rule labels must each be \
declared once in their scope. The report labels both declarations, also across files.",
        example: Example::Policy {
            bad: "let recent = incidents where date > now - 365d\nlet recent = incidents where date > now - 90d\nlet both = count(recent)\n",
            fixed: "let recent = incidents where date > now - 365d\nlet latest = incidents where date > now - 90d\nlet both = count(recent) + count(latest)\n",
        },
    },
    // ------------------------------------------------------------ types
    Explanation {
        code: "rung::type::mismatch",
        title: "a value of the wrong type",
        text: "An expression has another type than its place requires: both sides of a \
comparison, a condition (which must be true or false), the items of a list. The report labels \
the expression and the declaration that fixed the expected type, in another file if need be. \
Enum values are written without quotes.",
        example: Example::Policy {
            bad: "let confident = incidents where attribution == \"high\"\n",
            fixed: "let confident = incidents where attribution == high\n",
        },
    },
    Explanation {
        code: "rung::type::operator",
        title: "an operator applied to values it cannot combine",
        text: "Arithmetic applies to ints, decimals, dates and durations: `date - duration` is a \
date, `date - date` a duration. `<` and `>` compare numbers, dates, durations, enums and strings.",
        example: Example::Policy {
            bad: "let recent = incidents where date > now - 365\n",
            fixed: "let recent = incidents where date > now - 365d\n",
        },
    },
    Explanation {
        code: "rung::type::optional",
        title: "a value that may be absent, used as if present",
        text: "An `optional` field may be missing from the facts. Say what absence means with \
`otherwise` (`state_sponsor otherwise \"\"`), or test it with `is present` first.",
        example: Example::Policy {
            bad: "let iranian = incidents where state_sponsor == \"IR\"\n",
            fixed: "let iranian = incidents where state_sponsor otherwise \"\" == \"IR\"\n",
        },
    },
    Explanation {
        code: "rung::type::list",
        title: "a list was expected",
        text: "`where`, `any ... has`, `count`, `in` and rules blocks work on lists.",
        example: Example::Policy {
            bad: "let busy = any now has severity > 3\n",
            fixed: "let busy = any incidents has severity > 3\n",
        },
    },
    Explanation {
        code: "rung::let::cycle",
        title: "a definition that depends on itself",
        text: "Definitions form a chain without loops, so that every evaluation ends. Break the \
cycle: one of the definitions must be written without the other.",
        example: Example::Policy {
            bad: "let a = count(incidents) + b\nlet b = a - 1\n",
            fixed: "let a = count(incidents)\nlet b = a - 1\n",
        },
    },
    Explanation {
        code: "rung::rule::range",
        title: "a rung range written downwards",
        text: "`recommend LOW to HIGH` names the rungs from LOW up to HIGH; the lower rung comes \
first.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend name to monitor because \"Everything applies\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor to name because \"Everything applies\"\n}\n",
        },
    },
    Explanation {
        code: "rung::schema::invalid",
        title: "a schema declaration that cannot be honoured",
        text: "A range constraint on a field that is not an `int`, an empty range, `unique` on a \
list, a default that is not a literal of the field's type, `optional optional`, a ladder without \
rungs, or a built-in type name redeclared.",
        example: Example::Policy {
            bad: "record Note { text: string in 1..5 }\n",
            fixed: "record Note { text: string  weight: int in 1..5 }\n",
        },
    },
    Explanation {
        code: "rung::schema::no_facts",
        title: "the policy declares no facts",
        text: "A policy says what facts it reads: `facts { now: date  incidents: list of Incident \
}`. Every expression is checked against it.",
        example: Example::Standalone {
            bad: "record Incident { id: string }\nladder response { monitor \"Monitor\" }\n",
            fixed: "record Incident { id: string }\nfacts { incidents: list of Incident }\nladder response { monitor \"Monitor\" }\n",
        },
    },
    Explanation {
        code: "rung::group::key",
        title: "a grouping key that cannot name a subject",
        text: "A rules block groups its list by a key: a string, number, date, enum or boolean. \
Records and lists cannot be subjects.",
        example: Example::Policy {
            bad: "rules response for each group, acts in incidents grouped by incidents {\n  recommend monitor because \"Every group is monitored\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n",
        },
    },
    Explanation {
        code: "rung::group::keyed",
        title: "`keyed by` a field that is not unique",
        text: "`rules LADDER for each ITEM in LIST keyed by KEY` decides one subject per item, \
and binds ITEM to the item itself. That is sound only when no two items can share a key, so KEY \
must be a field of the items declared `unique` (rung checks it when the facts load). To decide \
one subject per group of items instead, use `for each SUBJECT, ITEMS in LIST grouped by KEY`.",
        example: Example::Policy {
            bad: "rules response for each act in incidents keyed by victim {\n  recommend monitor when act.severity >= 3 because \"Serious\"\n}\n",
            fixed: "rules response for each act in incidents keyed by id {\n  recommend monitor when act.severity >= 3 because \"Serious\"\n}\n",
        },
    },
    // ------------------------------------------------------------ lints
    Explanation {
        code: "rung::lint::unused",
        title: "a definition that nothing uses (warning)",
        text: "A `let` that no rule, definition or warning uses is likely a leftover or a typo in \
the name where it should be used. Warnings do not fail `check` unless `--deny-warnings` is given.",
        example: Example::Policy {
            bad: "let recent = incidents where date > now - 365d\n",
            fixed: "let recent = incidents where date > now - 365d\nwarn recent where severity == 5 because \"a maximal incident\"\n",
        },
    },
    Explanation {
        code: "rung::lint::unreachable_rung",
        title: "a rung no rule can recommend (warning)",
        text: "No `recommend` rule names this rung (or every one has a condition that is always \
false), so no decision can ever reach it.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution == high because \"Confident\"\n}\n",
        },
    },
    Explanation {
        code: "rung::lint::constant",
        title: "a condition that does not depend on the facts (warning)",
        text: "A condition that is always true or always false makes its rule unconditional or \
dead. Remove the `when`, or make it read the facts.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor when 1 < 2 because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution == high because \"Confident\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution == high because \"Confident\"\n}\n",
        },
    },
    Explanation {
        code: "rung::lint::tautology",
        title: "a condition whose form fixes its value (warning)",
        text: "A comparison of a value with itself (`victim == victim`, typically left behind \
by a rename), a count compared with zero (`count(acts) >= 0`), or a condition joined with its \
negation (`x or not x`) reads the facts but has the same value whatever they are, so it changes \
decisions silently. Compare with what was meant.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has (attribution == high and victim == victim) because \"Confident\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has (attribution == high and victim == \"EE\") because \"Confident\"\n}\n",
        },
    },
    Explanation {
        code: "rung::lint::dead_forbid",
        title: "a forbid that can never apply (warning)",
        text: "A `forbid` whose condition is always false, or whose rungs no rule recommends, \
never changes a decision: a guardrail that guards nothing.",
        example: Example::Policy {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  forbid name when no acts has attribution == high because \"Not confident\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when any acts has attribution >= moderate because \"Credible\"\n  forbid name when no acts has attribution == high because \"Not confident\"\n}\n",
        },
    },
    Explanation {
        code: "rung::lint::shadowed",
        title: "one name, two meanings (warning)",
        text: "A definition named like a fact, or a field of the current item named like a \
definition, hides the other one. Rename one so each name means one thing.",
        example: Example::Policy {
            bad: "let now = 2024-01-01\nlet recent = incidents where date > now - 365d\n",
            fixed: "let start = 2024-01-01\nlet recent = incidents where date > start - 365d\n",
        },
    },
    // ------------------------------------------------------------ facts
    Explanation {
        code: "rung::facts::json",
        title: "the facts are not valid JSON",
        text: "The facts file must be one JSON object. The report points at the first syntax \
error (a missing comma, a trailing comma, an unclosed bracket, nesting deeper than 128 levels).",
        example: Example::Facts {
            policy: "facts {\n  now: date\n}\n",
            bad: "{ \"now\": \"2024-01-01\", }",
            fixed: "{ \"now\": \"2024-01-01\" }",
        },
    },
    Explanation {
        code: "rung::facts::type",
        title: "a fact of the wrong kind",
        text: "A value does not have the declared type: text for a number, a list for a record, \
`null` for a value that is not `optional`. The report gives the JSON path and points at the value \
in the facts file.",
        example: Example::Facts {
            policy: "record Incident {\n  id: string unique\n  severity: int in 1..5\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": \"4\" } ] }",
            fixed: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": 4 } ] }",
        },
    },
    Explanation {
        code: "rung::facts::enum",
        title: "a fact that is not a value of its enum",
        text: "Enum values in the facts are strings naming one of the declared values. A close \
value is suggested, and the values are listed.",
        example: Example::Facts {
            policy: "enum Attribution { none < low < moderate < high }\nrecord Incident {\n  id: string unique\n  attribution: Attribution\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [ { \"id\": \"a\", \"attribution\": \"hihg\" } ] }",
            fixed: "{ \"incidents\": [ { \"id\": \"a\", \"attribution\": \"high\" } ] }",
        },
    },
    Explanation {
        code: "rung::facts::range",
        title: "a number outside its declared range",
        text: "An `int in LO..HI` field holds a value from LO to HI, both included.",
        example: Example::Facts {
            policy: "record Incident {\n  id: string unique\n  severity: int in 1..5\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": 7 } ] }",
            fixed: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": 5 } ] }",
        },
    },
    Explanation {
        code: "rung::facts::missing",
        title: "a required field is missing",
        text: "Every field that is not `optional` (and has no `default`) must be present. The \
report points at the object that lacks it.",
        example: Example::Facts {
            policy: "record Incident {\n  id: string unique\n  victim: string\n  state_sponsor: optional string\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [ { \"id\": \"a\", \"state_sponsor\": \"XA\" } ] }",
            fixed: "{ \"incidents\": [ { \"id\": \"a\", \"victim\": \"EE\" } ] }",
        },
    },
    Explanation {
        code: "rung::facts::unknown_field",
        title: "a field the schema does not declare",
        text: "A warning: facts documents often carry descriptive fields of their own (a summary, \
a source), so a field the schema does not declare is reported, never silently ignored, but does not \
reject the facts; a close field is suggested. `--deny-warnings` makes it an error. A misspelt \
required field is an error anyway: the field it should have been is missing.",
        example: Example::Facts {
            policy: "record Incident {\n  id: string unique\n  severity: int in 1..5\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": 4, \"sevrity\": 4 } ] }",
            fixed: "{ \"incidents\": [ { \"id\": \"a\", \"severity\": 4 } ] }",
        },
    },
    Explanation {
        code: "rung::facts::duplicate",
        title: "a repeated value of a `unique` field",
        text: "A field declared `unique` (such as an incident's `id`) must differ across the list. \
The report points at both occurrences.",
        example: Example::Facts {
            policy: "record Incident {\n  id: string unique\n  victim: string\n}\nfacts {\n  incidents: list of Incident\n}\n",
            bad: "{ \"incidents\": [\n  { \"id\": \"a\", \"victim\": \"EE\" },\n  { \"id\": \"a\", \"victim\": \"LV\" } ] }",
            fixed: "{ \"incidents\": [\n  { \"id\": \"a\", \"victim\": \"EE\" },\n  { \"id\": \"b\", \"victim\": \"LV\" } ] }",
        },
    },
    Explanation {
        code: "rung::facts::date",
        title: "a string that is not a date",
        text: "Dates are strings in the form \"YYYY-MM-DD\" naming a real day.",
        example: Example::Facts {
            policy: "facts {\n  now: date\n}\n",
            bad: "{ \"now\": \"2024-02-30\" }",
            fixed: "{ \"now\": \"2024-02-29\" }",
        },
    },
    Explanation {
        code: "rung::facts::duration",
        title: "a string that is not a duration",
        text: "Durations are strings giving a number of days or weeks: \"365d\", \"2w\".",
        example: Example::Facts {
            policy: "record Clock { window: duration }\nfacts { now: date  clock: Clock  incidents: list of Incident }\nenum Attribution { none < low < moderate < high }\nrecord Incident { id: string }\n",
            bad: "{ \"now\": \"2024-01-01\", \"clock\": { \"window\": \"1 year\" }, \"incidents\": [] }",
            fixed: "{ \"now\": \"2024-01-01\", \"clock\": { \"window\": \"365d\" }, \"incidents\": [] }",
        },
    },
    Explanation {
        code: "rung::facts::too_large",
        title: "a facts file over the size limit",
        text: "A facts file may hold at most 1 GiB. Evaluate a narrower window of incidents.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts all-incidents-ever.json   # 2 GiB",
            fixed: "rung eval policy/ --facts incidents-2024.json",
        },
    },
    Explanation {
        code: "rung::facts::more",
        title: "more problems in the facts than are shown",
        text: "The first 50 problems of a facts file are reported; this note counts the rest. Fix \
the problems shown and run again.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts facts.json   # 80 incidents with a bad severity",
            fixed: "rung eval policy/ --facts fixed.json",
        },
    },
    // ------------------------------------------------------------ tables
    Explanation {
        code: "rung::table::fact",
        title: "a table for a fact the policy does not declare",
        text: "`--table NAME=FILE` gives the fact NAME from a table. NAME must be one of the facts the policy declares; a close name is suggested.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts now.json --table incidnets=incidents.csv",
            fixed: "rung eval policy/ --facts now.json --table incidents=incidents.csv",
        },
    },
    Explanation {
        code: "rung::table::shape",
        title: "a fact that cannot come from a table",
        text: "A table holds a list of records, one row each, one value per cell. So only a `list of RECORD` fact can come from a table, and only when every field of the record is a single value (`optional` or not): a field that is a list or a record cannot be written in a cell. Give such a fact in the JSON facts.",
        example: Example::Shown {
            bad: "rung eval policy/ --table now=now.csv   # now: date",
            fixed: "rung eval policy/ --facts now.json --table incidents=incidents.csv",
        },
    },
    Explanation {
        code: "rung::table::repeated",
        title: "two tables for one fact",
        text: "Each fact comes from one table. rung does not append one table to another: join the files first, so that what is evaluated is one file that can be read and kept.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts now.json --table incidents=july.csv --table incidents=august.csv",
            fixed: "rung eval policy/ --facts now.json --table incidents=campaign.csv",
        },
    },
    Explanation {
        code: "rung::table::both",
        title: "a fact given both in the JSON facts and by a table",
        text: "A fact comes from the JSON facts or from a table, never both: rung does not guess which was meant. Remove it from the JSON, or drop the table.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts albania.json --table incidents=incidents.csv   # albania.json has \"incidents\"",
            fixed: "rung eval policy/ --facts now.json --table incidents=incidents.csv",
        },
    },
    Explanation {
        code: "rung::table::encoding",
        title: "a table that is not UTF-8 text",
        text: "Tables are read as UTF-8 (with or without a byte order mark). Spreadsheets that save plain \"CSV\" often write Windows-1252 instead, and \"Unicode text\" is UTF-16: the report names the likely encoding. Save the table as \"CSV UTF-8\", or convert it with `iconv -f WINDOWS-1252 -t UTF-8`.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts now.json --table incidents=incidents.csv   # saved as \"CSV (Windows)\"",
            fixed: "rung eval policy/ --facts now.json --table incidents=incidents-utf8.csv",
        },
    },
    Explanation {
        code: "rung::table::too_large",
        title: "a table over the size limit",
        text: "A table may hold at most 1 GiB, like a JSON facts file; the size is checked before the file is read. Evaluate a narrower window of incidents.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts now.json --table incidents=all-incidents-ever.csv   # 2 GiB",
            fixed: "rung eval policy/ --facts now.json --table incidents=incidents-2024.csv",
        },
    },
    Explanation {
        code: "rung::table::empty",
        title: "an empty table",
        text: "A table starts with a header row naming its columns, even when it has no rows (a header alone is an empty list).",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "",
            fixed: "id,date,victim,state_sponsor,attribution,severity\n",
        },
    },
    Explanation {
        code: "rung::table::missing_column",
        title: "a table without a column for a required field",
        text: "Every field that is not `optional` and has no `default` needs a column, named in the header as in the schema (columns may come in any order). The report is given once for the header, not for every row; a misspelt column name is suggested.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victm,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::unknown_column",
        title: "a column the record does not declare",
        text: "A warning, like an unknown JSON field: tables often carry columns of their own (notes, a source), so a column the record does not declare is reported once, with a close field name when there is one, and is not read. `--deny-warnings` makes it an error.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity,sevrity\na,2023-10-01,EE,RU,high,4,4\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::repeated_column",
        title: "a column named twice in the header",
        text: "Each field has one column: rung does not guess which of two was meant. Keep one.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity,severity\na,2023-10-01,EE,RU,high,4,5\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::ragged",
        title: "a row with more or fewer cells than the header",
        text: "Every row has one cell per column. A row with more cells usually holds the separator inside a cell that is not quoted; quote such a cell (`\"Tallinn, EE\"`). Trailing empty cells, which spreadsheets add, are allowed.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,Tallinn, EE,RU,high,4\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,\"Tallinn, EE\",RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::cell",
        title: "a cell that does not fit its column's type",
        text: "Each cell is read by its field's type: `int` as a whole number, `decimal` with a decimal point (a decimal comma is refused with a hint), `bool` as `true` or `false` in any case (`yes`, `no`, `1` and `0` are refused, not guessed), `date` as YYYY-MM-DD, `duration` as `365d` or `2w`, `string` as it is. An empty cell is absent for an `optional` field and takes the `default` of a field that has one; any other field needs a value. The report names the file, line, row and column, and points at the cell.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity\na,14/07/2023,EE,RU,high,4\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::enum",
        title: "a cell that is not a value of its enum",
        text: "Enum values and rungs are written by name, as in the policy. A close value is suggested, and the values are listed.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,hihg,4\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::range",
        title: "a number outside its declared range",
        text: "An `int in LO..HI` field holds a value from LO to HI, both included, in a table as in JSON.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,7\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\n",
        },
    },
    Explanation {
        code: "rung::table::duplicate",
        title: "a repeated value of a `unique` field",
        text: "A field declared `unique` must differ across the rows. The report points at both cells.",
        example: Example::Table {
            policy: "",
            json: "{ \"now\": \"2024-01-01\" }",
            fact: "incidents",
            bad: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\na,2023-10-02,LV,,low,2\n",
            fixed: "id,date,victim,state_sponsor,attribution,severity\na,2023-10-01,EE,RU,high,4\nb,2023-10-02,LV,,low,2\n",
        },
    },
    Explanation {
        code: "rung::table::more",
        title: "more problems in a table than are shown",
        text: "The first 50 problems of a table are reported; this note counts the rest. Fix the problems shown and run again.",
        example: Example::Shown {
            bad: "rung eval policy/ --facts now.json --table incidents=incidents.csv   # 80 rows with a bad severity",
            fixed: "rung eval policy/ --facts now.json --table incidents=fixed.csv",
        },
    },
    // ------------------------------------------------------------ evaluation, files, usage
    Explanation {
        code: "rung::eval::arithmetic",
        title: "arithmetic failed while evaluating",
        text: "On facts that pass the schema, a checked policy can only fail on arithmetic: \
integer overflow, division by zero, a date out of range, or a decimal result that cannot be held \
exactly (`1 / 3.0`: rung never rounds). The failing rule is reported in the \
decision, whose status becomes `indeterminate` when the failure could change the outcome.",
        example: Example::Eval {
            bad: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when sum(acts.severity) / count(acts where attribution == high) >= 2\n    because \"Serious on average\"\n}\n",
            fixed: "rules response for each state, acts in incidents grouped by state_sponsor {\n  recommend monitor because \"Every sponsor is monitored\"\n  recommend name when sum(acts.severity) >= 2 * count(acts where attribution == high)\n    because \"Serious on average\"\n}\n",
            facts: "{ \"now\": \"2024-01-01\", \"incidents\": [ { \"id\": \"a\", \"date\": \"2023-10-01\", \"victim\": \"EE\", \"state_sponsor\": \"XX\", \"attribution\": \"low\", \"severity\": 4 } ] }",
        },
    },
    Explanation {
        code: "rung::io::read",
        title: "a file that cannot be read",
        text: "A path given on the command line does not exist, cannot be read, or is larger \
than the limit. (A policy file that is read but is not UTF-8 text is `rung::parse::encoding`.)",
        example: Example::Shown {
            bad: "rung check polcy/",
            fixed: "rung check policy/",
        },
    },
    Explanation {
        code: "rung::io::empty",
        title: "a directory without policy files",
        text: "A directory given to `check` or `eval` must hold at least one `.rung` file (it is \
searched recursively).",
        example: Example::Shown {
            bad: "rung check examples/   # holds only .json files",
            fixed: "rung check policies/nato/",
        },
    },
    Explanation {
        code: "rung::usage::code",
        title: "an unknown diagnostic code",
        text: "`rung explain` takes a code as printed in a report, such as `rung::name::unknown` \
(the `rung::` prefix may be left out). Without a code it lists them all.",
        example: Example::Shown {
            bad: "rung explain rung::name::unknwon",
            fixed: "rung explain rung::name::unknown",
        },
    },
    Explanation {
        code: "rung::usage::argument",
        title: "a command-line argument that is not valid",
        text: "An option's value does not have the form it needs, such as a day for `rung replay \
--from` that is not a real `YYYY-MM-DD` date. The report names the argument and how to write it.",
        example: Example::Shown {
            bad: "rung replay policies/nato --facts facts.json --from 2023-02-30",
            fixed: "rung replay policies/nato --facts facts.json --from 2023-02-28",
        },
    },
    Explanation {
        code: "rung::replay::range",
        title: "a replay range that runs backwards or is too long",
        text: "`rung replay` evaluates every day from `--from` to `--to`, inclusive: the first day \
must not come after the last, and a range covers at most 100 years. Without `--from` the range \
starts at the earliest date in the facts; without `--to` it ends at their `now`.",
        example: Example::Shown {
            bad: "rung replay policies/nato --facts facts.json --from 2022-09-01 --to 2022-08-01",
            fixed: "rung replay policies/nato --facts facts.json --from 2022-08-01 --to 2022-09-01",
        },
    },
    Explanation {
        code: "rung::serve::too_large",
        title: "a request body over the service's limit",
        text: "`rung serve` refuses request bodies larger than `--max-body` (32 MiB by default) \
with status 413, before reading them whole, and keeps serving. Send a narrower window of facts, or \
start the service with a larger limit.",
        example: Example::Shown {
            bad: "rung serve policies/nato  # and POST 40 MiB of facts to /v1/decide",
            fixed: "rung serve policies/nato --max-body 64MiB",
        },
    },
    Explanation {
        code: "rung::serve::encoding",
        title: "a request body that is not UTF-8",
        text: "The facts sent to `/v1/decide` or `/v1/replay` must be UTF-8 JSON. A body in \
another encoding (Latin-1, UTF-16) is refused with status 400 at its first invalid byte.",
        example: Example::Shown {
            bad: "curl --data-binary @facts-latin1.json http://127.0.0.1:8181/v1/decide",
            fixed: "iconv -f latin1 -t utf-8 facts-latin1.json | curl --data-binary @- http://127.0.0.1:8181/v1/decide",
        },
    },
    Explanation {
        code: "rung::serve::not_found",
        title: "a path the service does not serve",
        text: "`rung serve` answers `GET /` (the console), `GET /v1/policy`, `POST /v1/decide`, \
`POST /v1/replay`, `POST /v1/tables`, `GET /v1/examples/NAME`, `GET /healthz` and \
`GET /metrics`; any other path \
is answered 404 with this report.",
        example: Example::Shown {
            bad: "curl http://127.0.0.1:8181/v1/decision",
            fixed: "curl --data-binary @facts.json http://127.0.0.1:8181/v1/decide",
        },
    },
    Explanation {
        code: "rung::serve::method",
        title: "a method the path does not answer",
        text: "Decisions and replays are asked with `POST` and the facts as the body; the policy, \
health and metrics are read with `GET`. Another method is answered 405, with the methods the path \
answers in the `Allow` header.",
        example: Example::Shown {
            bad: "curl http://127.0.0.1:8181/v1/decide",
            fixed: "curl --data-binary @facts.json http://127.0.0.1:8181/v1/decide",
        },
    },
    Explanation {
        code: "rung::serve::query",
        title: "a query string the endpoint does not take",
        text: "`/v1/decide` takes `explain=true` or `explain=false`; `/v1/replay` takes `from` and \
`to`. An unknown parameter or a value of the wrong form is answered 400 rather than ignored, so \
that a misspelt option is not silently dropped.",
        example: Example::Shown {
            bad: "POST /v1/decide?explain=yes",
            fixed: "POST /v1/decide?explain=true",
        },
    },
    Explanation {
        code: "rung::serve::tables",
        title: "a tables request that is not in the expected form",
        text: "`POST /v1/tables` turns spreadsheet tables into one facts document. Its body is a \
JSON object with `tables` (each table's CSV or TSV text under the name of the fact it gives) and, \
optionally, `facts` (the facts that are not tables, such as `now`). Problems inside a table are \
reported with their own codes, by row and column.",
        example: Example::Shown {
            bad: r#"{"incidents": "id,date,..."}"#,
            fixed: r#"{"facts": {"now": "2022-09-30"}, "tables": {"incidents": "id,date,..."}}"#,
        },
    },
    Explanation {
        code: "rung::serve::busy",
        title: "a service whose evaluation slots stayed busy",
        text: "The service runs a bounded number of evaluations at once (`--max-concurrent`, one \
per core by default); more requests wait in a queue for up to `--queue-wait` seconds, then get \
status 503 with a `Retry-After` header. Retry later, or run more replicas behind the load \
balancer.",
        example: Example::Shown {
            bad: "rung serve policies/nato --max-concurrent 1 --queue-wait 0",
            fixed: "rung serve policies/nato --queue-wait 5",
        },
    },
    Explanation {
        code: "rung::serve::timeout",
        title: "an evaluation that took longer than the limit",
        text: "Each evaluation or replay is given `--timeout` seconds (30 by default); the client \
of one that takes longer gets status 503. A replay of many years over a large campaign is the \
usual cause: ask for a shorter range with `from` and `to`, or raise the limit.",
        example: Example::Shown {
            bad: "POST /v1/replay?from=1950-01-01&to=2049-12-31",
            fixed: "POST /v1/replay?from=2022-01-01&to=2022-12-31",
        },
    },
    Explanation {
        code: "rung::serve::bind",
        title: "an address the service cannot listen on",
        text: "`rung serve` listens on `--addr` (127.0.0.1:8181 by default). The port may be in \
use by another program, or reserved to the administrator (ports below 1024). Choose another \
port.",
        example: Example::Shown {
            bad: "rung serve policies/nato --addr 127.0.0.1:80",
            fixed: "rung serve policies/nato --addr 127.0.0.1:8181",
        },
    },
    Explanation {
        code: "rung::serve::log",
        title: "a decision log that cannot be opened",
        text: "`--decision-log FILE` appends one JSON line per decision to FILE, creating it when \
needed; its directory must exist and be writable. `-` writes the lines to standard output, for a \
platform's log shipper.",
        example: Example::Shown {
            bad: "rung serve policies/nato --decision-log /no/such/dir/decisions.jsonl",
            fixed: "rung serve policies/nato --decision-log decisions.jsonl",
        },
    },
    Explanation {
        code: "rung::serve::watch",
        title: "policy files that cannot be watched for edits",
        text: "The service watches its policy files to load each edit. When the system refuses \
(too many watched files, a file system without change notification), the service still serves \
the policy it loaded, but picks up edits only when restarted.",
        example: Example::Shown {
            bad: "rung serve /mnt/network-share/policy",
            fixed: "rung serve ./policy",
        },
    },
    Explanation {
        code: "rung::replay::no_now",
        title: "a replay of a policy without a `now` date",
        text: "A replay moves the fact `now` through the days of a range and evaluates the policy \
on each. A policy whose facts declare no `now: date` does not depend on the day, so there is \
nothing to replay: declare `now` and compare dates with it.",
        example: Example::Shown {
            bad: "facts { incidents: list of Incident }",
            fixed: "facts { now: date  incidents: list of Incident }",
        },
    },
    Explanation {
        code: "rung::facts::repeated_key",
        title: "a field given twice in one JSON object",
        text: "JSON allows a key to appear twice in an object, and most readers silently keep the \
last value. rung refuses: which of the two was meant is a question for whoever wrote the facts. Keep \
one of them.",
        example: Example::Facts {
            policy: "facts {\n  now: date\n}\n",
            bad: "{ \"now\": \"2024-01-01\", \"now\": \"2024-02-01\" }",
            fixed: "{ \"now\": \"2024-02-01\" }",
        },
    },
    Explanation {
        code: "rung::let::too_deep",
        title: "a chain of definitions too long to check",
        text: "Each definition may use others, but a chain of definitions each using the next may \
be at most 1000 long. No readable policy comes near; such a chain is usually generated. Shorten it by \
defining the values directly.",
        example: Example::Shown {
            bad: "let a0 = a1\nlet a1 = a2\n# ... 100,000 definitions, each using the next",
            fixed: "let a0 = 1",
        },
    },
    Explanation {
        code: "rung::test::rule",
        title: "a test names a rule the ladder does not have",
        text: "`expect LADDER \"SUBJECT\" fires RULE` names a rule by its label (`label: recommend \
...`). The rule must belong to the rules of that ladder; a rule without a label is named \
`recommend RUNG`, which a test cannot write, so give it a label.",
        example: Example::Policy {
            bad: "rules response for each s, acts in incidents grouped by state_sponsor {\n  always: recommend monitor because \"watch\"\n  high: recommend name when any acts has attribution == high because \"confident\"\n}\ntest \"naming\" {\n  facts \"example.json\"\n  expect response \"XX\" fires hihg\n}\n",
            fixed: "rules response for each s, acts in incidents grouped by state_sponsor {\n  always: recommend monitor because \"watch\"\n  high: recommend name when any acts has attribution == high because \"confident\"\n}\ntest \"naming\" {\n  facts \"example.json\"\n  expect response \"XX\" fires high\n}\n",
        },
    },
    Explanation {
        code: "rung::test::table",
        title: "a test's table for a fact the policy does not declare",
        text: "`table NAME \"file.csv\"` in a test gives the fact NAME from a table. NAME must be one of the facts the policy declares; a close name is suggested.",
        example: Example::Policy {
            bad: "test \"t\" {\n  facts \"now.json\"\n  table incidnets \"incidents.csv\"\n  expect response \"XA\" no decision\n}\n",
            fixed: "test \"t\" {\n  facts \"now.json\"\n  table incidents \"incidents.csv\"\n  expect response \"XA\" no decision\n}\n",
        },
    },
    Explanation {
        code: "rung::check::table_field",
        title: "a test's table for a fact no table can give",
        text: "A table holds a list of records, one row each, one value per cell: only a `list of RECORD` fact whose fields are all single values (`optional` or not) can come from a table. A fact of another type, or a record with a list or record field, is given in the test's JSON facts instead. The error names the declaration at fault.",
        example: Example::Policy {
            bad: "test \"t\" {\n  facts \"incidents.json\"\n  table now \"now.csv\"\n  expect response \"XA\" no decision\n}\n",
            fixed: "test \"t\" {\n  facts \"now.json\"\n  table incidents \"incidents.csv\"\n  expect response \"XA\" no decision\n}\n",
        },
    },
    Explanation {
        code: "rung::test::status",
        title: "a test expects a status that does not exist",
        text: "A decision's status is `complete` (every rule that could change it was evaluated) or \
`indeterminate` (a failing rule could have changed it).",
        example: Example::Policy {
            bad: "rules response for each s, acts in incidents grouped by state_sponsor {\n  always: recommend monitor because \"watch\"\n  high: recommend name when any acts has attribution == high because \"confident\"\n}\ntest \"status\" {\n  facts \"example.json\"\n  expect response \"XX\" status done\n}\n",
            fixed: "rules response for each s, acts in incidents grouped by state_sponsor {\n  always: recommend monitor because \"watch\"\n  high: recommend name when any acts has attribution == high because \"confident\"\n}\ntest \"status\" {\n  facts \"example.json\"\n  expect response \"XX\" status complete\n}\n",
        },
    },
    Explanation {
        code: "rung::fmt::syntax",
        title: "`rung fmt` was given a file that does not parse",
        text: "The formatter rewrites only files it can read completely: a file with a syntax error \
is reported and left exactly as it was, while the other files are still formatted. Fix the syntax \
error (`rung check` shows it) and format again.",
        example: Example::Shown {
            bad: "rung fmt policy.rung      # policy.rung: let window = incidents where",
            fixed: "rung fmt policy.rung      # policy.rung: let window = incidents where date <= now",
        },
    },
    Explanation {
        code: "rung::fmt::unstable",
        title: "formatting would change what a file says",
        text: "After formatting, rung parses the result again and compares it with the original: \
the declarations and the comments must be the same. If they are not, that is a bug in the \
formatter; the file is left untouched. Please report it with the file.",
        example: Example::Shown {
            bad: "(no policy should produce this)",
            fixed: "rung fmt --check policy.rung   # shows what would change",
        },
    },
    Explanation {
        code: "rung::fmt::write",
        title: "`rung fmt` could not write a file",
        text: "The formatted text is written to a temporary file beside the original and renamed \
over it, so a failure never leaves a half-written policy. Check that the directory is writable.",
        example: Example::Shown {
            bad: "rung fmt /read-only/policy.rung",
            fixed: "rung fmt ~/policies/policy.rung",
        },
    },
    Explanation {
        code: "rung::repl::command",
        title: "an unknown REPL command",
        text: "Lines starting with `:` are commands; `:help` lists them. Commands can be shortened \
to any unambiguous prefix.",
        example: Example::Shown {
            bad: ":decision",
            fixed: ":decide",
        },
    },
    Explanation {
        code: "rung::repl::usage",
        title: "a REPL command used with the wrong arguments",
        text: "Each command takes fixed arguments; `:help` shows them, e.g. `:why RUNG SUBJECT` and \
`:set PATH = JSON`.",
        example: Example::Shown {
            bad: ":set incidents[0].severity 5",
            fixed: ":set incidents[0].severity = 5",
        },
    },
    Explanation {
        code: "rung::repl::json",
        title: "the value given to `:set` is not JSON",
        text: "`:set PATH = VALUE` takes a JSON value: numbers and `true`/`false` as they are, \
strings in double quotes (a single bare word is taken as a string).",
        example: Example::Shown {
            bad: ":set incidents[0].victim = 'EE'",
            fixed: ":set incidents[0].victim = \"EE\"",
        },
    },
    Explanation {
        code: "rung::repl::path",
        title: "a facts path that does not exist",
        text: "Paths name a value in the facts as in the JSON decision's error messages: \
`incidents[2].attribution`, `now`. An index may be at most the list's length (which appends). \
`:show` prints the facts.",
        example: Example::Shown {
            bad: ":set incidents[99].severity = 5",
            fixed: ":set incidents[2].severity = 5",
        },
    },
    Explanation {
        code: "rung::repl::no_facts",
        title: "a command that needs facts, with none loaded",
        text: "Evaluating, deciding and editing need facts: start the REPL with `--facts FILE` or \
load them with `:facts FILE`.",
        example: Example::Shown {
            bad: ":decide",
            fixed: ":facts policies/nato/examples/albania-2022.json\n:decide",
        },
    },
    Explanation {
        code: "rung::repl::eval",
        title: "an expression failed while evaluating",
        text: "The expression checked, but evaluating it against the facts failed: integer \
overflow, division by zero, or a date out of range. The report points at the failing part.",
        example: Example::Shown {
            bad: "count(incidents) / 0",
            fixed: "count(incidents) / 2",
        },
    },
    Explanation {
        code: "rung::repl::lookup",
        title: "a ladder, subject or rung the REPL cannot find",
        text: "`:why` and `:subject` name a ladder, a subject of that ladder (as decisions show \
it) and a rung. `:decide` lists the subjects; `:ladders` lists the ladders and rungs.",
        example: Example::Shown {
            bad: ":why sanction IR",
            fixed: ":why sanctions IR",
        },
    },
    Explanation {
        code: "rung::repl::note",
        title: "a note from the REPL",
        text: "Something worth knowing about the last input that is not an error, such as a name \
that exists only inside a rules block's subject scope (enter it with `:subject LADDER SUBJECT`).",
        example: Example::Shown {
            bad: "count(high_acts)",
            fixed: ":subject response IR\ncount(high_acts)",
        },
    },
];
