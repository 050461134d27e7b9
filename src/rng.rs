//! The one random number generator of a simulated cluster: SplitMix64, a fixed algorithm with a
//! seed, so the same script gives the same uids, IPs and name suffixes natively and in wasm.

/// SplitMix64 (Steele, Lea, Flood 2014).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A version-4 UUID, as the API server gives every object (`metadata.uid`).
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        // 32 hex digits of a then b; version 4 and the RFC 4122 variant written over two of
        // them. Built byte by byte: every object created gets one (`format!` cost 3 μs here).
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let nibble = |i: usize| -> u8 {
            let word = if i < 16 { a } else { b };
            HEX[((word >> (60 - 4 * (i % 16))) & 0xf) as usize]
        };
        let mut out = Vec::with_capacity(36);
        for i in 0..32 {
            if matches!(i, 8 | 12 | 16 | 20) {
                out.push(b'-');
            }
            out.push(match i {
                12 => b'4',
                16 => HEX[(8 + (b >> 60 & 3)) as usize],
                _ => nibble(i),
            });
        }
        String::from_utf8(out).unwrap_or_default()
    }

    /// `n` characters from the alphabet `utilrand.String` uses (random name suffixes such as a
    /// Deployment's pods): `bcdfghjklmnpqrstvwxz2456789`.
    pub fn suffix(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| ALPHANUMS[self.below(ALPHANUMS.len() as u64) as usize] as char)
            .collect()
    }
}

/// The alphabet of k8s.io/apimachinery `pkg/util/rand` (no vowels, no confusable characters).
pub const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// `rand.SafeEncodeString`: map each byte of `s` onto [`ALPHANUMS`]. Controllers use it on the
/// decimal form of an FNV-32a hash to name ControllerRevisions and pod-template hashes.
pub fn safe_encode(s: &str) -> String {
    s.bytes()
        .map(|b| ALPHANUMS[b as usize % ALPHANUMS.len()] as char)
        .collect()
}

/// FNV-32a of a byte string (`hash/fnv` New32a), the hash controllers use for revision names.
pub fn fnv32a(bytes: &[u8]) -> u32 {
    fnv32a_from(0x811c_9dc5, bytes)
}

/// FNV-1a continued from `h` (hashing several parts as one).
pub fn fnv32a_from(h: u32, bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(h, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// FNV-1 of a byte string (`hash/fnv` New32: multiply, then XOR; FNV-1a does the two the other
/// way round). external-provisioner hashes claim names with it to spread Immediate volumes over
/// zones (`pkg/controller/topology.go` `getPVCNameHashAndIndexOffset`).
pub fn fnv32(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .fold(0x811c_9dc5, |h: u32, b| h.wrapping_mul(0x0100_0193) ^ u32::from(*b))
}

/// A 64-bit fingerprint of several strings, for change detectors and event keys (what a
/// controller read, an event's identity). Each part is mixed in eight bytes at a step
/// (FxHash's multiplier) with its length, so `("ab", "c")` and `("a", "bc")` differ. Only ever
/// compared for equality, never shown.
#[derive(Debug, Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl Fingerprint {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn mix(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }

    pub fn add(&mut self, part: &str) {
        let b = part.as_bytes();
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.mix(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        self.mix(u64::from_le_bytes(w));
        self.mix(b.len() as u64);
    }

    /// Mix in an integer (as a part of its own kind, not its decimal text).
    pub fn add_int(&mut self, i: i64) {
        self.mix(i as u64);
        self.mix(u64::MAX);
    }

    pub fn finish(self) -> u64 {
        self.0
    }
}

/// A sha256-looking 64-hex digest derived from `seed` (container and image IDs): stable for the
/// same seed, different across seeds. Not a real hash of anything.
pub fn digest(seed: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(64);
    let mut h = fnv32a(seed.as_bytes());
    for i in 0..8u32 {
        let mut block = [0u8; 8];
        block[..4].copy_from_slice(&h.to_le_bytes());
        block[4..].copy_from_slice(&i.to_le_bytes());
        h = fnv32a(&block);
        // `{h:08x}`, written without the formatter: this runs at every container status write.
        for shift in (0..8).rev() {
            out.push(char::from(HEX[(h >> (shift * 4)) as usize & 0xf]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.suffix(5), b.suffix(5));
    }

    #[test]
    fn uuid_is_the_formatted_one() {
        // The layout the engine always had: `format!` of both words, version and variant set.
        let mut rng = Rng::new(3);
        for _ in 0..100 {
            let mut copy = rng.clone();
            let (a, b) = (copy.next_u64(), copy.next_u64());
            let hex = format!("{a:016x}{b:016x}");
            let expected = format!(
                "{}-{}-4{}-{:x}{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[13..16],
                8 + (b >> 60 & 3),
                &hex[17..20],
                &hex[20..32]
            );
            assert_eq!(rng.uuid(), expected);
        }
    }

    #[test]
    fn uuid_shape() {
        let u = Rng::new(1).uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
    }

    #[test]
    fn safe_encode_is_upstreams() {
        // '1' is byte 49; 49 % 27 = 22 -> '5'.
        assert_eq!(safe_encode("1"), "5");
        assert_eq!(fnv32a(b""), 0x811c_9dc5);
        assert_eq!(fnv32a(b"a"), 0xe40c_292c);
    }

    #[test]
    fn fnv1_is_not_fnv1a() {
        // Go: fnv.New32().Write([]byte("web")).Sum32() = 0x46661985.
        assert_eq!(fnv32(b"web"), 0x4666_1985);
        assert_eq!(fnv32(b""), 0x811c_9dc5);
        assert_eq!(fnv32(b"a"), 0x050c_5d7e);
    }
}
