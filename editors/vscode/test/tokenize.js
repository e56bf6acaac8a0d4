// Tokenizes every shipped .rung file with the TextMate grammar (the engine
// VS Code uses) and checks that keywords, strings, comments, dates and
// durations get their scopes, and that every word of rung's word table
// (src/syntax/words.rs) is highlighted as a keyword.
"use strict";
const fs = require("fs");
const path = require("path");
const assert = require("assert");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const here = __dirname;
const repo = path.resolve(here, "..", "..", "..");

async function registry() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope) => {
      if (scope !== "source.rung") return null;
      const file = path.join(here, "..", "syntaxes", "rung.tmLanguage.json");
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
  });
}

function rungFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (["target", "node_modules", ".git"].includes(entry.name)) continue;
      out.push(...rungFiles(p));
    } else if (entry.name.endsWith(".rung")) {
      out.push(p);
    }
  }
  return out.sort();
}

// Every (text, scopes) token of a text.
function tokenize(grammar, text) {
  const tokens = [];
  let state = vsctm.INITIAL;
  for (const line of text.split("\n")) {
    const r = grammar.tokenizeLine(line, state);
    for (const t of r.tokens) {
      tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = r.ruleStack;
  }
  return tokens;
}

// The words of a `pub const NAME: &[&str] = &[...]` table of words.rs.
function table(source, name) {
  const m = source.match(new RegExp(`pub const ${name}: &\\[&str\\] = &\\[([^\\]]*)\\]`));
  assert.ok(m, `words.rs declares ${name}`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]);
}

const has = (t, prefix) => t.scopes.some((s) => s.startsWith(prefix));

async function main() {
  const grammar = await (await registry()).loadGrammar("source.rung");
  const files = rungFiles(repo);
  assert.ok(files.length >= 10, `found ${files.length} .rung files`);
  const seen = { keyword: 0, string: 0, comment: 0, date: 0, duration: 0 };
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    for (const t of tokenize(grammar, text)) {
      const w = t.text.trim();
      if (/^(rules|recommend|forbid|because|where|ladder|let)$/.test(w) && !has(t, "comment") && !has(t, "string")) {
        assert.ok(has(t, "keyword"), `${file}: \`${w}\` is a keyword (${t.scopes})`);
        seen.keyword++;
      }
      if (has(t, "string.quoted")) seen.string++;
      if (has(t, "comment.line")) {
        seen.comment++;
      }
      if (/^\d{4}-\d{2}-\d{2}$/.test(w) && !has(t, "string") && !has(t, "comment")) {
        assert.ok(has(t, "constant.numeric.date"), `${file}: ${w} is a date (${t.scopes})`);
        seen.date++;
      }
      if (/^\d+[dw]$/.test(w) && !has(t, "string") && !has(t, "comment")) {
        assert.ok(has(t, "constant.numeric.duration"), `${file}: ${w} is a duration (${t.scopes})`);
        seen.duration++;
      }
    }
  }
  for (const [what, n] of Object.entries(seen)) {
    assert.ok(n > 0, `no ${what} was seen in the shipped files`);
  }

  // Precise cases.
  const one = (text) => tokenize(grammar, text);
  const scopeOf = (text, word) => one(text).find((t) => t.text === word).scopes.join(" ");
  assert.match(scopeOf('let w = incidents where date > now - 365d # a "comment"', "365d"), /duration/);
  assert.match(scopeOf("let w = now - 2023-07-11", "2023-07-11"), /date/);
  assert.match(scopeOf('  x: recommend y because "a # not a comment"', "a # not a comment"), /string/);
  assert.match(scopeOf('# let x = "no string"', '# let x = "no string"'.slice(1)), /comment/);
  assert.match(scopeOf("  always: recommend monitor", "always"), /entity.name.function/);

  // Every word of the word table is highlighted as a keyword or constant.
  const words = fs.readFileSync(path.join(repo, "src", "syntax", "words.rs"), "utf8");
  for (const name of ["RESERVED", "DECLARATIONS", "CLAUSES", "SHAPES", "TEST_WORDS"]) {
    for (const w of table(words, name)) {
      const scopes = scopeOf(`${w} `, w);
      assert.match(scopes, /keyword|constant\.language/, `\`${w}\` (${name}) is highlighted: ${scopes}`);
    }
  }
  for (const w of table(words, "FUNCTIONS")) {
    assert.match(scopeOf(`${w}(x)`, w), /support\.function/, w);
  }
  for (const w of table(words, "TYPES")) {
    assert.match(scopeOf(`x: ${w}`, w), /support\.type/, w);
  }
  console.log(`ok: ${files.length} files tokenized; ${JSON.stringify(seen)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
