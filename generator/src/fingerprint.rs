//! Hashes that tell whether something changed (input files, page bodies, what each page is made from):
//! foldhash with a fixed seed, so a hash is the same in every run of one binary and comparable with the
//! manifest an earlier run of it wrote. The one place foldhash is used. Not a defence against anyone
//! crafting collisions: an editor who wants a page rebuilt just saves it.

use std::hash::{BuildHasher, Hash};

/// The hasher: fixed-seeded, several bytes per cycle on long input (SipHash, std's default, took a
/// clean build's share of a core to hash the content twice).
pub type Hasher = foldhash::quality::FoldHasher<'static>;

const SEED: u64 = 0x6775_6964_6570_6f73; // "guidepos"

/// A new hasher, for hashing several values into one.
pub fn hasher() -> Hasher {
    foldhash::quality::FixedState::with_seed(SEED).build_hasher()
}

/// The hash of `value`.
pub fn of(value: &(impl Hash + ?Sized)) -> u64 {
    foldhash::quality::FixedState::with_seed(SEED).hash_one(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher as _;

    #[test]
    fn the_same_value_hashes_the_same_and_a_changed_byte_differently() {
        let page = "# Beställa\n\nFyll i formuläret.\n".repeat(200);
        assert_eq!(of(page.as_str()), of(page.clone().as_str()));
        let mut changed = page.clone().into_bytes();
        changed[3000] ^= 1;
        assert_ne!(of(page.as_bytes()), of(changed.as_slice()));
        let mut h = hasher();
        h.write(page.as_bytes());
        let mut again = hasher();
        again.write(page.as_bytes());
        assert_eq!(
            h.finish(),
            again.finish(),
            "fixed seed: every hasher agrees"
        );
    }
}
