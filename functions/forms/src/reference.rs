//! Submission references: short, easy to read aloud and to copy by hand, e.g. `GP-7K4M-9QXD`.
//!
//! The alphabet leaves out look-alikes (0/O, 1/I/L, 5/S, 2/Z, 8/B) and U/V: 23 symbols. Eight of
//! them carry log2(23^8) ≈ 36.2 bits: the 8 random bytes the caller supplies, read as one number,
//! written in base 23 (the bias from reducing 2^64 values is below 10^-8).

/// The symbols used, in order.
pub const ALPHABET: &[u8; 23] = b"34679ACDEFGHJKMNPQRTWXY";

/// A reference from eight random bytes: `GP-` and two groups of four symbols.
pub fn reference_from_bytes(bytes: [u8; 8]) -> String {
    let mut n = u64::from_le_bytes(bytes);
    let base = ALPHABET.len() as u64;
    let mut symbols = [0u8; 8];
    for symbol in &mut symbols {
        *symbol = ALPHABET[(n % base) as usize];
        n /= base;
    }
    let text: String = symbols.iter().map(|&b| char::from(b)).collect();
    format!("GP-{}-{}", &text[..4], &text[4..])
}

/// Whether `text` has the shape of a reference: `GP-`, four symbols, `-`, four symbols, all from
/// [`ALPHABET`]. Anything else (a link someone edited) is not shown back.
pub fn is_reference(text: &str) -> bool {
    let bytes = text.as_bytes();
    let symbol = |b: &u8| ALPHABET.contains(b);
    bytes.len() == 12
        && bytes.starts_with(b"GP-")
        && bytes[7] == b'-'
        && bytes[3..7].iter().all(symbol)
        && bytes[8..].iter().all(symbol)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_and_alphabet() {
        let r = reference_from_bytes([0; 8]);
        assert_eq!(r, "GP-3333-3333");
        let r = reference_from_bytes([0xff; 8]);
        assert_eq!(r.len(), 12);
        for c in "0O1IL5S2Z8BUV".chars() {
            assert!(!ALPHABET.contains(&(c as u8)), "{c} must not be used");
        }
        assert_ne!(
            reference_from_bytes([1, 2, 3, 4, 5, 6, 7, 8]),
            reference_from_bytes([2, 2, 3, 4, 5, 6, 7, 8])
        );
    }

    #[test]
    fn only_the_reference_shape_is_a_reference() {
        assert!(is_reference("GP-7K4M-9QXD"));
        assert!(is_reference(&reference_from_bytes([9; 8])));
        for text in [
            "",
            "GP-7K4M9QXD",
            "gp-7K4M-9QXD",
            "GP-7K4M-9QX0",
            "GP-7K4M-9QXDD",
            "XX-7K4M-9QXD",
            "GP-7K4M_9QXD",
            "GP-<b>M-9QXD",
            "GP-7K4M-9QXÄ",
        ] {
            assert!(!is_reference(text), "{text:?}");
        }
    }
}
