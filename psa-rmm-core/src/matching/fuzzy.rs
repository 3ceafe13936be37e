//! Fuzzy company-name candidates: a character-trigram index (never all pairs) and a similarity score guarded
//! against the known traps (numbered branches, one name contained in a longer one).

use super::hash::FxMap;
use crate::normalize::company::CompanyName;

/// The keys of one company name, computed once.
pub(crate) struct NameKeys {
    /// Folded name.
    pub exact: String,
    /// Folded name without legal suffixes.
    pub base: String,
    /// Sorted unique tokens of `base`, space-joined.
    pub fingerprint: String,
    tokens: Vec<String>,
    numbers: Vec<String>,
    trigrams: Vec<u64>,
}

impl NameKeys {
    pub fn new(name: &str) -> Self {
        let name = CompanyName::new(name);
        let base = name.base().to_owned();
        let tokens: Vec<String> = name.tokens().to_vec();
        let mut numbers: Vec<String> = tokens
            .iter()
            .filter(|t| t.chars().any(|c| c.is_ascii_digit()))
            .cloned()
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        Self {
            exact: name.exact().to_owned(),
            fingerprint: name.sorted_tokens().to_owned(),
            trigrams: trigrams(&base),
            base,
            tokens,
            numbers,
        }
    }
}

/// Unique character trigrams of ` name `, packed three code points to a `u64`.
fn trigrams(base: &str) -> Vec<u64> {
    if base.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = std::iter::once(' ')
        .chain(base.chars())
        .chain(std::iter::once(' '))
        .collect();
    let mut out: Vec<u64> = chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Inverted index from trigram to PSA company slots.
pub(crate) struct FuzzyIndex {
    postings: FxMap<u64, Vec<u32>>,
    /// Trigrams held by more companies than this find nothing useful and cost the most; skipped.
    common: usize,
}

impl FuzzyIndex {
    pub fn new(keys: &[NameKeys], common_share: f64) -> Self {
        let mut postings: FxMap<u64, Vec<u32>> = FxMap::default();
        for (j, k) in keys.iter().enumerate() {
            let j = u32::try_from(j).unwrap_or(u32::MAX);
            for t in &k.trigrams {
                postings.entry(*t).or_default().push(j);
            }
        }
        let share = (common_share * keys.len() as f64) as usize;
        Self {
            postings,
            common: share.max(64),
        }
    }

    /// The best `k` companies by shared trigrams, scored; `counts` is all-zero scratch with one slot per
    /// company and is left all-zero. Returns (slot, score) for candidates that pass the guards.
    pub fn search(
        &self,
        query: &NameKeys,
        all: &[NameKeys],
        k: usize,
        counts: &mut [u32],
    ) -> Vec<(u32, f64)> {
        let mut touched: Vec<u32> = Vec::new();
        for t in &query.trigrams {
            let Some(slots) = self.postings.get(t).filter(|p| p.len() <= self.common) else {
                continue;
            };
            for &j in slots {
                if let Some(c) = counts.get_mut(j as usize) {
                    if *c == 0 {
                        touched.push(j);
                    }
                    *c += 1;
                }
            }
        }
        let shared = |j: &u32| counts.get(*j as usize).copied().unwrap_or(0);
        // One shared trigram is noise; of the rest only the best `k` are scored, so select, then sort those.
        let mut picked: Vec<u32> = touched.iter().copied().filter(|j| shared(j) >= 2).collect();
        let best_first = |a: &u32, b: &u32| shared(b).cmp(&shared(a)).then(a.cmp(b));
        if k > 0 && picked.len() > k {
            picked.select_nth_unstable_by(k - 1, best_first);
        }
        picked.truncate(k);
        picked.sort_unstable_by(best_first);
        for j in &touched {
            if let Some(c) = counts.get_mut(*j as usize) {
                *c = 0;
            }
        }
        picked
            .into_iter()
            .filter_map(|j| Some((j, score(query, all.get(j as usize)?)?)))
            .collect()
    }
}

/// Similarity in 0..=1 of two names, or `None` when a guard rules the pair out.
///
/// Guards: numbers must agree ("Store 170" is not "Store 342"); the best of Jaro-Winkler on the base names
/// and a token-sort ratio is scaled down by how many tokens the two names share, so a short name inside a
/// longer one ("DSM" in "DSM IP Assets") scores low.
pub(crate) fn score(a: &NameKeys, b: &NameKeys) -> Option<f64> {
    if a.numbers != b.numbers || a.base.is_empty() || b.base.is_empty() {
        return None;
    }
    let jw = strsim::jaro_winkler(&a.base, &b.base);
    let token_sort = strsim::normalized_levenshtein(&a.fingerprint, &b.fingerprint);
    let similarity = jw.max(token_sort) * (0.5 + 0.5 * coverage(&a.tokens, &b.tokens));
    (similarity > 0.0).then_some(similarity)
}

/// Share of tokens (of the longer name) that have an equal or near-equal token in the other name.
fn coverage(a: &[String], b: &[String]) -> f64 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.is_empty() {
        return 0.0;
    }
    let near = |x: &String, y: &String| {
        x == y
            || (x.chars().count() >= 4
                && y.chars().count() >= 4
                && strsim::jaro_winkler(x, y) >= 0.9)
    };
    let matched = short
        .iter()
        .filter(|s| long.iter().any(|l| near(s, l)))
        .count();
    matched as f64 / long.len() as f64
}
