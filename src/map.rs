//! [`Map`]: the field map of a [`Value`], a vector of entries kept sorted by key.
//!
//! API objects are small maps (a pod's top level has five keys, its metadata about ten) read far
//! more often than written: every controller pass reads dozens of fields of every object. A
//! sorted vector answers a read with a short scan that rejects most keys on their length and
//! first byte, without a string comparison call; a `BTreeMap` compared the key with every key on
//! its search path. Measured in `benches/engine.rs` (docs/performance.md). Iteration is in key
//! order, as `kubectl get -o yaml|json` prints.

use std::borrow::Borrow;
use std::rc::Rc;

use crate::value::Value;

/// A map of field name to value, ordered by key.
#[derive(Debug, Default, PartialEq)]
pub struct Map {
    /// Keys are shared: copying a map to change one field (copy-on-write) copies no key text.
    entries: Vec<(Rc<str>, Value)>,
}

/// Maps up to this size are searched by a scan; larger ones by bisection.
const SCAN_LIMIT: usize = 16;

/// Whether two keys are equal: rejects most keys on their length and first byte, and compares
/// keys of 4 to 16 bytes (most field names) as two overlapping words instead of calling
/// `memcmp`.
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() || a.first() != b.first() {
        return false;
    }
    fn word8(s: &[u8], at: usize) -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&s[at..at + 8]);
        u64::from_ne_bytes(w)
    }
    fn word4(s: &[u8], at: usize) -> u32 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&s[at..at + 4]);
        u32::from_ne_bytes(w)
    }
    match n {
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        _ => a == b,
    }
}

/// The room a map gets at its first field.
const FIRST_CAPACITY: usize = 6;

/// Slots of the key cache (a power of two).
const KEY_CACHE: usize = 1024;

thread_local! {
    /// Recently inserted keys by hash, direct-mapped: field names come from a small vocabulary
    /// (`metadata`, `status`, `phase`, label keys), so inserting one reuses the shared text
    /// instead of allocating a copy each time. A collision only costs an allocation.
    static KEYS: std::cell::RefCell<Vec<Option<Rc<str>>>> = std::cell::RefCell::new(vec![None; KEY_CACHE]);
}

/// A hash of a short key, eight bytes at a step (FxHash's multiplier): a cache slot is picked
/// for every field written, so this is cheaper than hashing byte by byte.
fn word_hash(b: &[u8]) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = b.len() as u64;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
    }
    (h >> 32) as usize
}

/// The shared text of a key (from the cache when it was seen before).
fn intern(key: &str) -> Rc<str> {
    if key.len() > 64 {
        return key.into();
    }
    let slot = word_hash(key.as_bytes()) & (KEY_CACHE - 1);
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        match &keys[slot] {
            Some(shared) if same_bytes(shared.as_bytes(), key.as_bytes()) => shared.clone(),
            _ => {
                let shared: Rc<str> = key.into();
                keys[slot] = Some(shared.clone());
                shared
            }
        }
    })
}

impl Clone for Map {
    /// A copy with room for two more fields: a map is copied (copy-on-write) to be changed,
    /// and the change is often a new field.
    fn clone(&self) -> Map {
        let mut entries = Vec::with_capacity(self.entries.len() + 2);
        entries.extend_from_slice(&self.entries);
        Map { entries }
    }
}

impl Map {
    pub fn new() -> Map {
        Map { entries: Vec::new() }
    }

    /// A map of `fields`, which must be in key order and without repeats (checked in tests):
    /// one allocation, no search per field.
    pub fn from_sorted<const N: usize>(fields: [(&str, Value); N]) -> Map {
        debug_assert!(fields.windows(2).all(|w| w[0].0 < w[1].0), "fields out of order");
        let mut entries = Vec::with_capacity(N + 2);
        entries.extend(fields.into_iter().map(|(k, v)| (intern(k), v)));
        Map { entries }
    }

    /// Where `key` is, or where it would go.
    fn search(&self, key: &str) -> Result<usize, usize> {
        if self.entries.len() <= SCAN_LIMIT {
            // One pass finds the key or its insertion point: keys are in byte order, so the
            // first byte decides most steps without a string comparison.
            let kb = key.as_bytes();
            let first = kb.first();
            for (i, (k, _)) in self.entries.iter().enumerate() {
                let k = k.as_bytes();
                match k.first().cmp(&first) {
                    std::cmp::Ordering::Less => continue,
                    std::cmp::Ordering::Greater => return Err(i),
                    std::cmp::Ordering::Equal if same_bytes(k, kb) => return Ok(i),
                    std::cmp::Ordering::Equal if k < kb => continue,
                    std::cmp::Ordering::Equal => return Err(i),
                }
            }
            return Err(self.entries.len());
        }
        self.entries.binary_search_by(|(k, _)| (**k).cmp(key))
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.index_bytes(key.as_bytes())
    }

    fn index_bytes(&self, kb: &[u8]) -> Option<usize> {
        if self.entries.len() <= SCAN_LIMIT {
            return self.entries.iter().position(|(k, _)| same_bytes(k.as_bytes(), kb));
        }
        self.entries.binary_search_by(|(k, _)| k.as_bytes().cmp(kb)).ok()
    }

    /// A value by key given as bytes (a step of a dotted path).
    pub fn get_bytes(&self, key: &[u8]) -> Option<&Value> {
        self.index_bytes(key).map(|i| &self.entries[i].1)
    }

    pub fn get<Q: Borrow<str> + ?Sized>(&self, key: &Q) -> Option<&Value> {
        self.index(key.borrow()).map(|i| &self.entries[i].1)
    }

    pub fn get_mut<Q: Borrow<str> + ?Sized>(&mut self, key: &Q) -> Option<&mut Value> {
        self.index(key.borrow()).map(|i| &mut self.entries[i].1)
    }

    pub fn contains_key<Q: Borrow<str> + ?Sized>(&self, key: &Q) -> bool {
        self.index(key.borrow()).is_some()
    }

    /// Insert or replace; returns the value that was there.
    pub fn insert(&mut self, key: impl AsRef<str>, value: Value) -> Option<Value> {
        match self.search(key.as_ref()) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                if self.entries.capacity() == 0 {
                    // Objects' maps hold a handful of fields: one allocation, not three.
                    self.entries.reserve_exact(FIRST_CAPACITY);
                }
                self.entries.insert(i, (intern(key.as_ref()), value));
                None
            }
        }
    }

    pub fn remove<Q: Borrow<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        self.index(key.borrow()).map(|i| self.entries.remove(i).1)
    }

    /// The slot for `key`, for `or_insert` and friends.
    pub fn entry<K: AsRef<str>>(&mut self, key: K) -> Entry<'_, K> {
        let at = self.search(key.as_ref());
        Entry { map: self, key, at }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&str, &Value)> + ExactSizeIterator {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = (&str, &mut Value)> + ExactSizeIterator {
        self.entries.iter_mut().map(|(k, v)| (&**k, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.entries.iter().map(|(k, _)| &**k)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> + ExactSizeIterator {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Value) -> bool) {
        self.entries.retain_mut(|(k, v)| keep(k, v));
    }

    pub fn first_key_value(&self) -> Option<(&str, &Value)> {
        self.entries.first().map(|(k, v)| (&**k, v))
    }
}

/// A slot of a [`Map`], present or not.
pub struct Entry<'a, K> {
    map: &'a mut Map,
    key: K,
    at: Result<usize, usize>,
}

impl<'a, K: AsRef<str>> Entry<'a, K> {
    pub fn or_insert(self, value: Value) -> &'a mut Value {
        self.or_insert_with(|| value)
    }

    pub fn or_insert_with(self, make: impl FnOnce() -> Value) -> &'a mut Value {
        let i = match self.at {
            Ok(i) => i,
            Err(i) => {
                if self.map.entries.capacity() == 0 {
                    self.map.entries.reserve_exact(FIRST_CAPACITY);
                }
                self.map.entries.insert(i, (intern(self.key.as_ref()), make()));
                i
            }
        };
        &mut self.map.entries[i].1
    }

    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }
}

impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Map {
        let mut entries: Vec<(Rc<str>, Value)> = iter.into_iter().map(|(k, v)| (intern(&k), v)).collect();
        // Sorted and de-duplicated as inserting one by one would: the last value of a key wins.
        entries.reverse();
        crate::sort::by(&mut entries, &|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| later.0 == earlier.0);
        Map { entries }
    }
}

impl<const N: usize> From<[(String, Value); N]> for Map {
    fn from(pairs: [(String, Value); N]) -> Map {
        pairs.into_iter().collect()
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::iter::Map<std::vec::IntoIter<(Rc<str>, Value)>, fn((Rc<str>, Value)) -> (String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter().map(|(k, v)| (k.to_string(), v))
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Value);
    type IntoIter =
        std::iter::Map<std::slice::Iter<'a, (Rc<str>, Value)>, fn(&'a (Rc<str>, Value)) -> (&'a str, &'a Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_sorted_and_unique() {
        let mut m = Map::new();
        for k in ["spec", "apiVersion", "metadata", "kind", "status", "spec"] {
            m.insert(k, Value::Str(k.into()));
        }
        assert_eq!(
            m.keys().collect::<Vec<_>>(),
            ["apiVersion", "kind", "metadata", "spec", "status"]
        );
        assert_eq!(m.get("kind"), Some(&Value::Str("kind".into())));
        assert_eq!(m.get("kinds"), None);
        assert_eq!(m.remove("kind"), Some(Value::Str("kind".into())));
        assert!(!m.contains_key("kind"));
        *m.entry("a").or_default() = Value::Int(1);
        assert_eq!(m.first_key_value().map(|(k, _)| k), Some("a"));
    }

    #[test]
    fn large_maps_bisect() {
        let m: Map = (0..100).rev().map(|i| (format!("k{i:03}"), Value::Int(i))).collect();
        assert_eq!(m.len(), 100);
        assert_eq!(m.get("k042"), Some(&Value::Int(42)));
        assert_eq!(m.get("k1000"), None);
        let mut m2 = m.clone();
        m2.insert("k0425", Value::Null);
        assert!(m2.keys().zip(m2.keys().skip(1)).all(|(a, b)| a < b));
    }

    #[test]
    fn collect_keeps_the_last_duplicate() {
        let m: Map = [("a".to_string(), Value::Int(1)), ("a".to_string(), Value::Int(2))].into();
        assert_eq!(m.get("a"), Some(&Value::Int(2)));
        assert_eq!(m.len(), 1);
    }
}
