//! Every identifier check: any text never panics; what is accepted is normalised to plain ASCII and
//! accepted again as it is; masking never panics.
#![no_main]

use guidepost_forms::identifiers::{no, se};
use libfuzzer_sys::fuzz_target;

fn plain(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let today = jiff::civil::date(2026, 11, 22);
    for check in [se::person_id, se::personnummer, se::samordningsnummer] {
        if let Ok(id) = check(&input, today) {
            assert!(plain(&id.normalised), "{:?}", id.normalised);
            assert_eq!(
                check(&id.normalised, today).map(|i| i.normalised),
                Ok(id.normalised.clone())
            );
            let _ = se::mask(&id.normalised);
        }
    }
    for check in [
        se::organisationsnummer,
        se::hsa_id,
        no::fh_number,
        no::organisasjonsnummer,
    ] {
        if let Ok(normalised) = check(&input) {
            assert!(plain(&normalised), "{normalised:?}");
            assert_eq!(check(&normalised), Ok(normalised.clone()));
        }
    }
    if let Ok(id) = no::fodselsnummer(&input) {
        assert!(plain(&id.normalised));
        assert_eq!(
            no::fodselsnummer(&id.normalised).map(|i| i.normalised),
            Ok(id.normalised.clone())
        );
        let _ = no::mask(&id.normalised);
    }
    let _ = (se::mask(&input), no::mask(&input));
});
