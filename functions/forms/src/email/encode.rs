//! Body transfer encoding: a UTF-8 text body in, the bytes to put on the wire and the
//! `Content-Transfer-Encoding` they need out (`7bit`, quoted-printable per RFC 2045 §6.7, or base64),
//! line ends CRLF, no line longer than 76 characters.
//!
//! Line ends: a LF, with or without a CR before it, is a line end and is written as CRLF; any other CR
//! (a lone CR) is a control byte and is escaped (`=0D`), so decoding gives back the input with every
//! bare LF turned into CRLF (base64 encodes that CRLF form too, the canonical form of text).
//!
//! `7bit` is chosen only when it is exactly the input: printable ASCII and tabs, every line at most 76
//! bytes, no lone CR, no space or tab before a line end (transports strip them), and no `=` (so no body
//! line can ever equal a `=_…` MIME boundary, in any of the encodings). Otherwise quoted-printable,
//! unless that would be longer than base64 (more than one byte in six escaped, as in a long answer in
//! å, ä and ö only): the same choice mail-builder's own detection made.

/// The transfer encoding a body was written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TransferEncoding {
    /// The body as it is, with CRLF line ends.
    SevenBit,
    /// Quoted-printable (RFC 2045 §6.7).
    QuotedPrintable,
    /// Base64 (RFC 2045 §6.8), in lines of 76.
    Base64,
}

impl TransferEncoding {
    /// The `Content-Transfer-Encoding` header value.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TransferEncoding::SevenBit => "7bit",
            TransferEncoding::QuotedPrintable => "quoted-printable",
            TransferEncoding::Base64 => "base64",
        }
    }
}

/// A body ready for the wire: ASCII bytes with CRLF line ends, and how they are encoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EncodedBody {
    /// The encoded bytes (always ASCII).
    pub(crate) bytes: Vec<u8>,
    /// How `bytes` are encoded.
    pub(crate) encoding: TransferEncoding,
}

/// The longest encoded line, in characters, CRLF not counted (RFC 2045 §6.7, rule 5).
const MAX_LINE: usize = 76;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Bytes that quoted-printable copies as they are: printable ASCII except `=`, plus space and tab
/// (which are escaped instead when they end a line).
const LITERAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 33;
    while b <= 126 {
        table[b] = b != b'=' as usize;
        b += 1;
    }
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table
};

/// Encodes `text` as `7bit` when that is safe, else as quoted-printable or, when that would be
/// longer, base64.
pub(crate) fn encode_body(text: &str) -> EncodedBody {
    let input = text.as_bytes();
    if fits_seven_bit(input) {
        return EncodedBody {
            bytes: with_crlf(input),
            encoding: TransferEncoding::SevenBit,
        };
    }
    let escaped = escaped_bytes(input);
    let (bytes, encoding) = if escaped * 6 > input.len() {
        (base64(&with_crlf(input)), TransferEncoding::Base64)
    } else {
        let capacity = input.len() + 2 * escaped + input.len() / 24 + 16;
        (
            quoted_printable(input, capacity),
            TransferEncoding::QuotedPrintable,
        )
    };
    EncodedBody { bytes, encoding }
}

/// About how many bytes quoted-printable writes as `=XX`, each two bytes longer than base64 would
/// make it: the non-ASCII bytes and `=` (control bytes are too rare in form text to change the
/// choice). Counted in byte lanes, so it vectorises.
fn escaped_bytes(input: &[u8]) -> usize {
    let count = |chunk: &[u8]| {
        chunk.iter().fold(0u8, |n, &b| {
            n.wrapping_add(u8::from((b >= 0x80) | (b == b'=')))
        })
    };
    input
        .chunks(255)
        .map(|chunk| usize::from(count(chunk)))
        .sum()
}

/// The input's lines, split after each LF, with the line end (LF or CRLF) removed and `true` when
/// there was one; the text after the last LF, if any, comes last with `false`.
fn lines(input: &[u8]) -> impl Iterator<Item = (&[u8], bool)> {
    input
        .split_inclusive(|&b| b == b'\n')
        .map(|line| match line.strip_suffix(b"\n") {
            Some(line) => (line.strip_suffix(b"\r").unwrap_or(line), true),
            None => (line, false),
        })
}

/// Whether `input`, with CRLF line ends, is already a valid and lossless `7bit` body (see the module).
fn fits_seven_bit(input: &[u8]) -> bool {
    lines(input).all(|(line, _)| {
        line.len() <= MAX_LINE
            && !matches!(line.last(), Some(b' ' | b'\t'))
            && line
                .iter()
                .all(|&b| b == b'\t' || ((b' '..=b'~').contains(&b) && b != b'='))
    })
}

/// `input` with CRLF line ends.
fn with_crlf(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() + input.len() / 32 + 2);
    for (line, ends) in lines(input) {
        out.extend_from_slice(line);
        if ends {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

/// Quoted-printable in one pass: runs of literal bytes copied whole, every other byte `=XX`, a space
/// or tab that ends a line escaped, soft line breaks (`=` CRLF) so no line passes 76 characters, LF and
/// CRLF written as CRLF.
fn quoted_printable(input: &[u8], capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    // Characters on the current output line.
    let mut col = 0;
    let mut i = 0;
    while i < input.len() {
        let start = i;
        while i < input.len() && LITERAL[usize::from(input[i])] {
            i += 1;
        }
        let mut end = i;
        let line_ends = line_end_at(input, i).is_some();
        if line_ends && end > start && matches!(input[end - 1], b' ' | b'\t') {
            end -= 1; // a space or tab that ends the line is escaped below
        }
        copy_run(
            &input[start..end],
            line_ends && end == i,
            &mut col,
            &mut out,
        );
        i = end;
        if let Some(len) = line_end_at(input, i) {
            if i < input.len() {
                out.extend_from_slice(b"\r\n");
            }
            col = 0;
            i += len;
        } else {
            // The last piece on its line may reach column 76; others leave room for a soft break.
            let limit = match line_end_at(input, i + 1) {
                Some(_) => MAX_LINE,
                None => MAX_LINE - 1,
            };
            if col + 3 > limit {
                soft_break(&mut out, &mut col);
            }
            let b = input[i];
            out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
            col += 3;
            i += 1;
        }
    }
    out
}

/// The length of the line end at `i` (1 for LF, 2 for CRLF, 0 at the end of the input), or `None`.
fn line_end_at(input: &[u8], i: usize) -> Option<usize> {
    match input.get(i..)? {
        [] => Some(0),
        [b'\n', ..] => Some(1),
        [b'\r', b'\n', ..] => Some(2),
        _ => None,
    }
}

/// Copies a run of literal bytes, with soft breaks so that it ends by column 75, or by 76 when it is
/// the last piece of its line (`ends_line`).
fn copy_run(mut run: &[u8], ends_line: bool, col: &mut usize, out: &mut Vec<u8>) {
    while !run.is_empty() {
        let take = if ends_line && *col + run.len() <= MAX_LINE {
            run.len()
        } else {
            run.len().min((MAX_LINE - 1).saturating_sub(*col))
        };
        if take == 0 {
            soft_break(out, col);
            continue;
        }
        out.extend_from_slice(&run[..take]);
        *col += take;
        run = &run[take..];
    }
}

fn soft_break(out: &mut Vec<u8>, col: &mut usize) {
    out.extend_from_slice(b"=\r\n");
    *col = 0;
}

/// Base64 in lines of 76 characters (57 input bytes), CRLF between lines, none after the last.
fn base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len().div_ceil(3) * 4 + input.len() / 57 * 2);
    for (n, line) in input.chunks(57).enumerate() {
        if n > 0 {
            out.extend_from_slice(b"\r\n");
        }
        for group in line.chunks(3) {
            let b = [
                group[0],
                *group.get(1).unwrap_or(&0),
                *group.get(2).unwrap_or(&0),
            ];
            let word = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
            let sextet = |shift: u32| BASE64[(word >> shift & 0x3F) as usize];
            out.extend_from_slice(&[sextet(18), sextet(12), sextet(6), sextet(0)]);
            if group.len() < 3 {
                let len = out.len();
                out[len + group.len() - 3..].fill(b'=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{TransferEncoding, base64, encode_body, quoted_printable};

    /// `text` with every LF that has no CR before it turned into CRLF: what decoding gives back.
    fn normalise_line_ends(text: &str) -> String {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    }

    fn encode(text: &str) -> (String, TransferEncoding) {
        let body = encode_body(text);
        (String::from_utf8(body.bytes).expect("ASCII"), body.encoding)
    }

    fn qp(text: &str) -> String {
        String::from_utf8(quoted_printable(text.as_bytes(), 0)).expect("ASCII")
    }

    /// A plain quoted-printable decoder, strict about what it accepts, to check the encoder against.
    fn decode_qp(encoded: &str) -> Vec<u8> {
        let bytes = encoded.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
                b'=' => {
                    let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
                    assert_eq!(hex, hex.to_uppercase(), "upper-case hex");
                    out.push(u8::from_str_radix(hex, 16).expect("an =XX escape"));
                    i += 3;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        out
    }

    /// mail-parser's base64 decoder.
    fn decode_base64(encoded: &str) -> Vec<u8> {
        mail_parser::decoders::base64::base64_decode(encoded.as_bytes()).expect("base64")
    }

    fn assert_lines_fit(encoded: &str) {
        for line in encoded.split("\r\n") {
            assert!(line.len() <= 76, "line of {} in {encoded:?}", line.len());
            let trailing = line.ends_with([' ', '\t']);
            assert!(!trailing, "trailing white space in {line:?}");
            assert!(!line.contains(['\r', '\n']), "bare CR or LF in {encoded:?}");
        }
    }

    fn assert_round_trips(text: &str) {
        let expected = normalise_line_ends(text);
        let qp = qp(text);
        assert_lines_fit(&qp);
        assert_eq!(
            String::from_utf8(decode_qp(&qp)).expect("UTF-8"),
            expected,
            "{qp:?}"
        );
        let b64 = String::from_utf8(base64(expected.as_bytes())).expect("ASCII");
        assert_lines_fit(&b64);
        assert_eq!(
            String::from_utf8(decode_base64(&b64)).expect("UTF-8"),
            expected
        );
        let (body, encoding) = encode(text);
        assert_lines_fit(&body);
        let decoded = match encoding {
            TransferEncoding::SevenBit => body.into_bytes(),
            TransferEncoding::QuotedPrintable => decode_qp(&body),
            TransferEncoding::Base64 => decode_base64(&body),
        };
        assert_eq!(String::from_utf8(decoded).expect("UTF-8"), expected);
    }

    #[test]
    fn picks_seven_bit_only_when_exact_and_base64_only_when_smaller() {
        let seven = TransferEncoding::SevenBit;
        assert_eq!(encode("Hej\nhello\r\n"), ("Hej\r\nhello\r\n".into(), seven));
        assert_eq!(encode(""), (String::new(), seven));
        assert_eq!(encode(&"a".repeat(76)).1, seven);
        let long = "a".repeat(77);
        let sparse = "Hej! Vi ses på fredag vid kaffet i matsalen.";
        for text in [long.as_str(), "x = y + 1", "a \n", "a\rb", "a\u{7}", sparse] {
            assert_eq!(
                encode(text).1,
                TransferEncoding::QuotedPrintable,
                "{text:?}"
            );
        }
        assert_eq!(encode("ååå"), ("w6XDpcOl".into(), TransferEncoding::Base64));
        assert_eq!(encode("æø\n").0, "w6bDuA0K");
    }

    #[test]
    fn escapes_exactly_what_rfc_2045_asks() {
        assert_eq!(qp("räksmörgås = 1"), "r=C3=A4ksm=C3=B6rg=C3=A5s =3D 1");
        assert_eq!(qp("a \nb\t\r\nc "), "a=20\r\nb=09\r\nc=20");
        assert_eq!(qp("a\rb\r\r\n\u{0}\u{7f}"), "a=0Db=0D\r\n=00=7F");
        assert_eq!(qp("æ\n"), "=C3=A6\r\n");
    }

    #[test]
    fn soft_breaks_keep_lines_at_76_and_never_split_an_escape() {
        let a = |n: usize| "a".repeat(n);
        assert_eq!(qp(&format!("{}=", a(76))), format!("{}=\r\na=3D", a(75)));
        assert_eq!(
            qp(&format!("{}\nb=", a(77))),
            format!("{}=\r\naa\r\nb=3D", a(75))
        );
        assert_eq!(qp(&format!("{}ø", a(72))), format!("{}=C3=\r\n=B8", a(72)));
        assert_eq!(qp(&format!("{}ø", a(70))), format!("{}=C3=B8", a(70)));
        assert_eq!(qp(&format!("{} ", a(75))), format!("{}=\r\n=20", a(75)));
        assert_eq!(qp(&format!("{} ", a(73))), format!("{}=20", a(73)));
        assert_eq!(qp(&"=".repeat(26)), format!("{}=\r\n=3D", "=3D".repeat(25)));
    }

    #[test]
    fn round_trips_every_awkward_input() {
        let mut inputs: Vec<String> = vec![
            String::new(),
            "\n".into(),
            "\r\n\r\n".into(),
            "\r".into(),
            "a\rb\r\r\nc\n\rd".into(),
            "Blåbärssylt, smörgås, ÆØÅ æøå ÄÖ äö\nNår kommer du?".into(),
            "trailing spaces   \ntabs\t\t\r\nend \t".into(),
            "= == =3D =\n=".into(),
            "emoji 🎉👩‍💻 and ✓\n".repeat(20),
            "ø".repeat(500),
            "x".repeat(600),
            format!("{}\n", "ab c ".repeat(120)),
        ];
        for n in 70..=80 {
            for tail in ["", " ", "\t", "=", "å", "🎉", "\r"] {
                inputs.push(format!("{}{tail}\n{}{tail}", "a".repeat(n), "b".repeat(n)));
                inputs.push(format!("{}{tail}", "ö".repeat(n / 2)));
            }
        }
        for input in &inputs {
            assert_round_trips(input);
        }
    }
}
