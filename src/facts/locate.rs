//! JSON path → byte range in the facts text.
//!
//! The loader reports errors by path (`$.incidents[3].severity`); this scanner
//! finds where that value stands so the report can show the line. It runs only
//! when there are errors, walks the text once, and never recurses, so deeply
//! nested input cannot overflow the stack.

use super::Seg;

/// The byte range of the value at `path`, or of the closest enclosing value
/// found (for a missing field: the object that lacks it).
pub fn locate(text: &str, path: &[Seg]) -> (usize, usize) {
    let b = text.as_bytes();
    let mut pos = skip_ws(b, 0);
    for seg in path {
        let found = match (seg, b.get(pos)) {
            (Seg::Key(k), Some(b'{')) => find_key(b, pos, k),
            (Seg::Index(i), Some(b'[')) => find_index(b, pos, *i),
            _ => None,
        };
        match found {
            Some(p) => pos = p,
            None => return (pos, value_end(b, pos)),
        }
    }
    (pos, value_end(b, pos))
}

/// The byte range of the key (with its quotes) of the last step of `path`,
/// when that step is an object key; else the range [`locate`] gives.
pub fn locate_key(text: &str, path: &[Seg]) -> (usize, usize) {
    let b = text.as_bytes();
    let (Some(Seg::Key(k)), Some(parent)) = (path.last(), path.len().checked_sub(1)) else {
        return locate(text, path);
    };
    let (start, _) = locate(text, path.get(..parent).unwrap_or_default());
    match (b.get(start), key_start(b, start, k)) {
        (Some(b'{'), Some(ks)) => (ks, string_end(b, ks)),
        _ => locate(text, path),
    }
}

/// Start of the key `k` (its opening quote) in the object at `i`.
fn key_start(b: &[u8], i: usize, k: &str) -> Option<usize> {
    let mut j = skip_ws(b, i + 1);
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let end = string_end(b, j);
        let raw = std::str::from_utf8(b.get(j..end)?).ok()?;
        let key: Option<String> = serde_json::from_str(raw).ok();
        if key.as_deref() == Some(k) {
            return Some(j);
        }
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, value_end(b, skip_ws(b, j + 1)));
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// End of the string starting at `i` (which holds `"`), past the closing quote.
fn string_end(b: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while let Some(&c) = b.get(j) {
        j += 1;
        match c {
            b'\\' => j += 1,
            b'"' => return j,
            _ => {}
        }
    }
    b.len()
}

/// End of the value starting at `i`, without recursion.
fn value_end(b: &[u8], i: usize) -> usize {
    match b.get(i) {
        Some(b'"') => string_end(b, i),
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(&c) = b.get(j) {
                match c {
                    b'"' => {
                        j = string_end(b, j);
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return j + 1;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            b.len()
        }
        Some(_) => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                j += 1;
            }
            j.max(i + 1).min(b.len())
        }
        None => i,
    }
}

/// Start of the value of key `k` in the object at `i`.
fn find_key(b: &[u8], i: usize, k: &str) -> Option<usize> {
    let mut j = skip_ws(b, i + 1);
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let end = string_end(b, j);
        let raw = std::str::from_utf8(b.get(j..end)?).ok()?;
        let key: Option<String> = serde_json::from_str(raw).ok();
        j = skip_ws(b, end);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        if key.as_deref() == Some(k) {
            return Some(j);
        }
        j = skip_ws(b, value_end(b, j));
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
}

/// Start of item `n` of the array at `i`.
fn find_index(b: &[u8], i: usize, n: usize) -> Option<usize> {
    let mut j = skip_ws(b, i + 1);
    for _ in 0..n {
        j = skip_ws(b, value_end(b, j));
        if b.get(j) != Some(&b',') {
            return None;
        }
        j = skip_ws(b, j + 1);
    }
    (b.get(j) != Some(&b']')).then_some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values() {
        let text = r#"{ "a": [ {"x": 1}, {"x": "two", "y": [1, 2]} ], "b": true }"#;
        let (s, e) = locate(
            text,
            &[Seg::Key("a".into()), Seg::Index(1), Seg::Key("x".into())],
        );
        assert_eq!(&text[s..e], "\"two\"");
        let (s, e) = locate(text, &[Seg::Key("b".into())]);
        assert_eq!(&text[s..e], "true");
        let (s, e) = locate(
            text,
            &[Seg::Key("a".into()), Seg::Index(1), Seg::Key("z".into())],
        );
        assert_eq!(&text[s..e], r#"{"x": "two", "y": [1, 2]}"#);
        let (s, e) = locate_key(
            text,
            &[Seg::Key("a".into()), Seg::Index(1), Seg::Key("y".into())],
        );
        assert_eq!(&text[s..e], "\"y\"");
    }
}
