//! "Did you mean": the closest name by edit distance.

/// The candidate closest to `name`, if close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(&name.to_lowercase(), &c.to_lowercase());
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The closest candidate by edit distance, or else the one candidate that
/// holds `name` as one of its `_`-separated parts (`sponsor` for
/// `state_sponsor`): a name shortened or lengthened, not misspelt.
pub fn closest_or_part<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    closest(name, candidates.clone()).or_else(|| {
        let lower = name.to_lowercase();
        let parts = |c: &str| {
            let c = c.to_lowercase();
            c.split('_').any(|p| p == lower) || lower.split('_').any(|p| p == c)
        };
        let mut found = candidates.into_iter().filter(|c| parts(c));
        match (found.next(), found.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    })
}

/// Damerau–Levenshtein distance (optimal string alignment), over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    let idx = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(idx(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(idx(0, j)) {
            *x = j;
        }
    }
    let get = |d: &Vec<usize>, i, j| d.get(idx(i, j)).copied().unwrap_or(usize::MAX / 2);
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            let (i1, j1) = (i + 1, j + 1);
            let cost = usize::from(ca != cb);
            let mut v = (get(&d, i, j1) + 1)
                .min(get(&d, i1, j) + 1)
                .min(get(&d, i, j) + cost);
            if i > 0 && j > 0 && a.get(i - 1) == Some(cb) && b.get(j - 1) == Some(ca) {
                v = v.min(get(&d, i - 1, j - 1) + 1);
            }
            if let Some(x) = d.get_mut(idx(i1, j1)) {
                *x = v;
            }
        }
    }
    get(&d, a.len(), b.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_found() {
        assert_eq!(closest("severty", ["severity", "victim"]), Some("severity"));
        assert_eq!(
            closest("incidnets", ["incidents", "now"]),
            Some("incidents")
        );
        assert_eq!(closest("xyz", ["severity"]), None);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(
            closest_or_part("sponsor", ["state_sponsor", "victim"]),
            Some("state_sponsor")
        );
        assert_eq!(closest_or_part("state", ["victim"]), None);
    }
}
