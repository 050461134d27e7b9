//! One stable sort for the whole engine.
//!
//! `slice::sort_by` and friends compile the sort algorithm again for every element type and
//! every comparator (27 copies were 92 KB of the browser bundle, measured with twiggy). Here the
//! comparator is a `&dyn Fn` and the algorithm sorts positions (`usize`), so the program holds
//! one copy of it; the elements are then moved into their sorted places. Stable, like
//! `sort_by`: equal elements keep their order, so transcripts do not depend on it.

use std::cmp::Ordering;

/// Sort `v` by `cmp`, stably.
pub fn by<T>(v: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    // Most lists are short and already in order (a scan is cheaper than a sort).
    if v.windows(2).all(|w| cmp(&w[0], &w[1]) != Ordering::Greater) {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    positions(&mut order, &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sort `v` by a key, stably (the key is computed at each comparison).
pub fn by_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    by(v, &|a, b| key(a).cmp(&key(b)));
}

/// Sort `v` by a key computed once per element, stably (for keys that cost something).
pub fn by_cached_key<T, K: Ord>(v: &mut Vec<T>, key: impl Fn(&T) -> K) {
    let keys: Vec<K> = v.iter().map(key).collect();
    if keys.windows(2).all(|w| w[0] <= w[1]) {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    positions(&mut order, &|a, b| keys[a].cmp(&keys[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.iter().filter_map(|&i| slots[i].take()));
}

/// Sort `v` in its natural order, stably.
pub fn natural<T: Ord>(v: &mut Vec<T>) {
    by(v, &|a, b| a.cmp(b));
}

/// The one instance of the standard library's stable sort.
fn positions(order: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut v: Vec<(u8, u32)> = (0..200u32).map(|i| ((i * 7919 % 13) as u8, i)).collect();
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        by_key(&mut v, |p| p.0);
        assert_eq!(v, expected);
        let mut w: Vec<(u8, u32)> = (0..50u32).map(|i| ((i % 5) as u8, i)).rev().collect();
        let mut expected = w.clone();
        expected.sort_by_cached_key(|p| p.0);
        by_cached_key(&mut w, |p| p.0);
        assert_eq!(w, expected);
        let mut s = vec!["b".to_string(), "a".into(), "c".into()];
        natural(&mut s);
        assert_eq!(s, ["a", "b", "c"]);
    }
}
