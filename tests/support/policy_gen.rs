//! A deterministic generator of random, syntactically valid policies with
//! random layout: odd spacing, line breaks and indentation anywhere, blank
//! lines, comments in every gap between tokens, CRLF line ends, and
//! optionally every line de-indented.
//!
//! The policies follow the grammar (every declaration, expression form and
//! literal), not the type checker: the formatter's promises are about syntax.

/// xorshift64*: small, deterministic, good enough to pick layouts.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (any value; zero is remapped).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "acts",
    "items",
    "severity",
    "victim",
    "now",
    "window",
    "high",
    "low",
    "x1",
    "state_sponsor",
    "date",
    "effect",
    "_tmp",
    "incidents",
];
const CALLS: &[&str] = &["count", "sum", "min", "max", "distinct", "days"];
const INFIX: &[&str] = &[
    "or",
    "and",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "otherwise",
    "+",
    "-",
    "*",
    "/",
];
const BODY_INFIX: &[&str] = &[
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "otherwise",
    "+",
    "-",
    "*",
    "/",
];
const COMMENT_WORDS: &[&str] = &[
    "note",
    "why",
    "\"quoted\"",
    "#",
    "##",
    "démarche",
    "TODO:",
    "(see",
    "art. 5)",
    "x == y",
];
const STRING_PARTS: &[&str] = &[
    "text",
    " ",
    "#",
    "\\\"",
    "\\\\",
    "\\n",
    "\\t",
    "é",
    "Article 5",
    "{",
    "}",
    "'",
];

/// Builds the token list of one policy.
pub struct Gen {
    rng: Rng,
    toks: Vec<String>,
}

impl Gen {
    /// A generator for case number `seed`.
    pub fn new(seed: u64) -> Self {
        Gen {
            rng: Rng::new(seed),
            toks: Vec::new(),
        }
    }

    fn t(&mut self, s: &str) {
        self.toks.push(s.to_string());
    }

    fn name(&mut self) {
        let n = self.rng.pick(NAMES);
        self.t(n);
    }

    fn string(&mut self) {
        let mut s = String::from("\"");
        for _ in 0..self.rng.below(4) {
            s.push_str(self.rng.pick(STRING_PARTS));
        }
        s.push('"');
        self.toks.push(s);
    }

    fn literal(&mut self) {
        let text = match self.rng.below(8) {
            0 => self.rng.below(1000).to_string(),
            1 => {
                let scale = 1 + self.rng.below(3);
                let frac: String = (0..scale)
                    .map(|_| char::from(b'0' + self.rng.below(10) as u8))
                    .collect();
                format!("{}.{frac}", self.rng.below(100))
            }
            2 => {
                let s = self.rng.pick(&["true", "false"]);
                s.to_string()
            }
            3 => format!(
                "{:04}-{:02}-{:02}",
                1000 + self.rng.below(2000),
                1 + self.rng.below(12),
                1 + self.rng.below(28)
            ),
            4 => format!("{}{}", self.rng.below(1000), self.rng.pick(&["d", "w"])),
            5 => {
                self.string();
                return;
            }
            _ => {
                self.name();
                return;
            }
        };
        self.toks.push(text);
    }

    /// `expr = operation (where expr)?`; the left of `where` is one list.
    fn expr(&mut self, depth: usize) {
        if depth > 0 && self.rng.chance(20) {
            self.term(depth - 1);
            self.t("where");
            self.expr(depth - 1);
        } else {
            self.operation(depth, INFIX);
        }
    }

    fn operation(&mut self, depth: usize, ops: &[&str]) {
        self.unary(depth);
        for _ in 0..self.rng.below(4) {
            let op = self.rng.pick(ops);
            for word in op.split(' ') {
                self.t(word);
            }
            self.unary(depth);
        }
    }

    fn unary(&mut self, depth: usize) {
        if self.rng.chance(15) {
            let p = self.rng.pick(&["not", "-"]);
            self.t(p);
        }
        self.primary(depth);
        if self.rng.chance(15) {
            self.t(".");
            self.name();
        }
        if self.rng.chance(8) {
            self.t("is");
            let w = self.rng.pick(&["present", "absent"]);
            self.t(w);
        }
    }

    fn primary(&mut self, depth: usize) {
        if depth == 0 {
            self.literal();
            return;
        }
        match self.rng.below(9) {
            0 => {
                self.t("(");
                self.expr(depth - 1);
                self.t(")");
            }
            1 => {
                self.t("[");
                let n = self.rng.below(4);
                for i in 0..n {
                    if i > 0 {
                        self.t(",");
                    }
                    self.expr(depth - 1);
                }
                if n > 0 && self.rng.chance(30) {
                    self.t(",");
                }
                self.t("]");
            }
            2 => {
                let f = self.rng.pick(CALLS);
                self.t(f);
                self.t("(");
                self.expr(depth - 1);
                self.t(")");
            }
            3 => {
                let q = self.rng.pick(&["any", "all", "no"]);
                self.t(q);
                self.term(depth - 1);
                let h = self.rng.pick(&["has", "have"]);
                self.t(h);
                self.operation(depth - 1, BODY_INFIX);
            }
            _ => self.literal(),
        }
    }

    /// `term = primary ~ .field*`
    fn term(&mut self, depth: usize) {
        self.primary(depth);
        while self.rng.chance(20) {
            self.t(".");
            self.name();
        }
    }

    fn ty(&mut self, depth: usize) {
        match self.rng.below(if depth == 0 { 1 } else { 5 }) {
            0 => {
                let n = self
                    .rng
                    .pick(&["int", "string", "date", "bool", "Incident", "Level"]);
                self.t(n);
            }
            1 => {
                self.t("list");
                self.t("of");
                self.ty(depth - 1);
            }
            2 => {
                self.t("optional");
                self.ty(depth - 1);
            }
            3 => {
                self.t("rung");
                self.t("of");
                self.name();
            }
            _ => {
                self.t("decimal");
            }
        }
    }

    fn field(&mut self) {
        self.name();
        self.t(":");
        self.ty(2);
        // A default's expression would take a following `in` as its own
        // operator, so it comes last.
        let n = self.rng.below(3);
        for i in 0..n {
            match self.rng.below(if i + 1 == n { 3 } else { 2 }) {
                0 => {
                    self.t("in");
                    let lo = self.rng.below(5) as i64 - 2;
                    self.toks.push(lo.to_string());
                    self.t("..");
                    self.toks.push((lo + self.rng.below(9) as i64).to_string());
                }
                1 => self.t("unique"),
                _ => {
                    self.t("default");
                    self.expr(2);
                }
            }
        }
    }

    fn block<F: FnMut(&mut Self)>(&mut self, max: usize, mut item: F) {
        self.t("{");
        for _ in 0..self.rng.below(max + 1) {
            item(self);
        }
        self.t("}");
    }

    fn rule(&mut self) {
        if self.rng.chance(60) {
            self.name();
            self.t(":");
        }
        let e = self.rng.pick(&["recommend", "forbid"]);
        self.t(e);
        self.name();
        match self.rng.below(5) {
            0 => {
                self.t("and");
                self.t("above");
            }
            1 => {
                self.t("and");
                self.t("below");
            }
            2 => {
                self.t("to");
                self.name();
            }
            _ => {}
        }
        if self.rng.chance(80) {
            self.t("when");
            if self.rng.chance(40) {
                self.long_condition(2);
            } else {
                self.expr(3);
            }
        }
        self.t("because");
        self.string();
        if self.rng.chance(40) {
            self.t("cites");
            self.string();
        }
    }

    /// A run of comparisons joined by `and`/`or`, long enough to be broken.
    fn long_condition(&mut self, depth: usize) {
        for i in 0..3 + self.rng.below(6) {
            if i > 0 {
                let op = self.rng.pick(&["and", "and", "or"]);
                self.t(op);
            }
            if depth > 0 && self.rng.chance(20) {
                self.t("(");
                self.long_condition(depth - 1);
                self.t(")");
                continue;
            }
            let operand: &[&str] = match self.rng.below(3) {
                0 => &["count", "(", "high_acts", ")"],
                1 => &["sum", "(", "allied_high", ".", "severity", ")"],
                _ => &["severity"],
            };
            for part in operand {
                self.t(part);
            }
            let cmp = self.rng.pick(&[">=", "==", "<"]);
            self.t(cmp);
            self.literal();
        }
    }

    fn let_decl(&mut self) {
        self.t("let");
        self.name();
        self.t("=");
        if self.rng.chance(30) {
            self.name();
            self.t("where");
            self.long_condition(2);
        } else {
            self.expr(3);
        }
    }

    fn test_decl(&mut self) {
        self.t("test");
        self.string();
        self.t("{");
        self.t("facts");
        if self.rng.chance(50) {
            self.string();
        } else {
            let json = self.rng.pick(&[
                "{}",
                "{\"now\": \"2023-07-11\", \"incidents\": []}",
                "{\"a\": \"# not a comment\", \"b\": {\"c\": [1, 2]}}",
                "{\n  \"now\": \"2024-01-01\",\n  \"x\": \"}{\"\n}",
            ]);
            self.t(json);
        }
        for _ in 0..self.rng.below(3) {
            self.t("table");
            self.name();
            self.string();
        }
        let mut snapshot = false;
        for _ in 0..self.rng.below(4) {
            // At most one snapshot per test.
            if !snapshot && self.rng.chance(20) {
                snapshot = true;
                self.t("snapshot");
                self.string();
                continue;
            }
            self.t("expect");
            self.name();
            self.string();
            match self.rng.below(10) {
                0 => {
                    self.t("top");
                    self.t("none");
                }
                9 => {
                    self.t("not");
                    self.t("forbids");
                    self.name();
                }
                8 => {
                    self.t("no");
                    self.t("decision");
                }
                1 => {
                    self.t("top");
                    self.name();
                }
                2 => {
                    self.t("recommends");
                    self.name();
                }
                3 => {
                    self.t("not");
                    self.t("recommends");
                    self.name();
                }
                4 => {
                    self.t("forbids");
                    self.name();
                }
                5 => {
                    self.t("status");
                    self.name();
                }
                6 => {
                    self.t("fires");
                    self.name();
                }
                _ => {
                    self.t("not");
                    self.t("fires");
                    self.name();
                }
            }
        }
        self.t("}");
    }

    fn decl(&mut self) {
        match self.rng.below(8) {
            0 => {
                self.t("enum");
                self.name();
                self.t("{");
                self.name();
                for _ in 0..self.rng.below(4) {
                    self.t("<");
                    self.name();
                }
                self.t("}");
            }
            1 => {
                self.t("record");
                self.name();
                self.block(4, Self::field);
            }
            2 => {
                self.t("facts");
                self.block(3, Self::field);
            }
            3 => {
                self.t("ladder");
                self.name();
                if self.rng.chance(50) {
                    self.string();
                }
                self.block(4, |g| {
                    let n = g
                        .rng
                        .pick(&["monitor", "sanctions", "article_5_consideration", "x"]);
                    g.t(n);
                    g.string();
                });
            }
            4 => self.let_decl(),
            5 => {
                self.t("rules");
                self.name();
                self.t("for");
                self.t("each");
                self.name();
                self.t(",");
                self.name();
                self.t("in");
                self.expr(2);
                self.t("grouped");
                self.t("by");
                self.expr(1);
                self.block(5, |g| {
                    if g.rng.chance(30) {
                        g.let_decl();
                    } else {
                        g.rule();
                    }
                });
            }
            6 => {
                self.t("warn");
                self.expr(2);
                self.t("because");
                self.string();
            }
            _ => self.test_decl(),
        }
    }

    /// The tokens of a random policy.
    fn tokens(&mut self) -> Vec<String> {
        for _ in 0..1 + self.rng.below(6) {
            self.decl();
        }
        std::mem::take(&mut self.toks)
    }

    fn comment(&mut self) -> String {
        let mut c = String::from(self.rng.pick(&["#", "# ", "#  "]));
        for _ in 0..self.rng.below(5) {
            c.push_str(self.rng.pick(COMMENT_WORDS));
            c.push(' ');
        }
        c
    }

    fn indent(&mut self) -> String {
        let unit = self.rng.pick(&[" ", "  ", "\t"]);
        unit.repeat(self.rng.below(5))
    }

    /// What separates two tokens: at least one space unless both sides are
    /// symbols; often a line break, blank lines or a comment.
    fn gap(&mut self, prev: &str, next: &str, nl: &str) -> String {
        let wordy =
            |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"');
        let may_touch = !wordy(prev.chars().last()) && !wordy(next.chars().next());
        match self.rng.below(20) {
            0..=7 => " ".to_string(),
            8 => self.rng.pick(&["   ", "\t", " \t "]).to_string(),
            9 if may_touch => String::new(),
            9..=12 => format!("{nl}{}", self.indent()),
            13 | 14 => format!("{nl}{nl}{}", self.indent()),
            15 => format!("{nl}{nl}{nl}{}", self.indent()),
            _ => {
                let before = self
                    .rng
                    .pick(&["", " ", "   ", "\n", "\n\n"])
                    .replace('\n', nl);
                let ind = self.indent();
                let c = self.comment();
                let after = self.indent();
                format!("{before}{ind}{c}{nl}{after}")
            }
        }
    }

    /// A random policy text with a random layout; `dedent` strips every
    /// line's indentation afterwards.
    pub fn policy(&mut self, dedent: bool) -> String {
        let toks = self.tokens();
        let nl = if self.rng.chance(10) { "\r\n" } else { "\n" };
        let mut out = String::new();
        if self.rng.chance(30) {
            out.push_str(&self.comment());
            out.push_str(nl);
        }
        let mut prev = String::new();
        for t in &toks {
            if !prev.is_empty() {
                out.push_str(&self.gap(&prev, t, nl));
            }
            out.push_str(t);
            prev.clone_from(t);
        }
        if self.rng.chance(30) {
            out.push_str(nl);
            out.push_str(&self.comment());
        }
        if self.rng.chance(70) {
            out.push_str(nl);
        }
        if dedent {
            out = out
                .split('\n')
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join("\n");
        }
        out
    }
}
