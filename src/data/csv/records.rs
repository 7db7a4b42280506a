//! Splitting the rows of a CSV part into records and fields, without copying.
//!
//! The rules are the csv reader's (RFC 4180 as exports write it): a field is quoted only
//! when a quote opens it, a doubled quote inside a quoted field is one quote, text after
//! the closing quote belongs to the field, a record ends at an unquoted LF, CRLF or lone
//! CR, and blank lines are no records. A unit test holds this splitter to the csv crate on
//! every short input over the characters that matter.
//!
//! Most lines of an export hold no quote at all: such a line is cut at its commas in one pass
//! that reads eight bytes at a time, and its fields are ranges of the part itself. A line
//! with a quote is scanned byte by byte and its fields are unquoted into a scratch buffer.

use std::ops::Range;

/// One record: where it starts in the part, and whether its fields are ranges of the part or
/// of the scratch buffer.
pub(super) struct Record {
    pub start: usize,
    pub unquoted_into_scratch: bool,
}

/// Reads records one after another from a part that starts at a record start.
pub(super) struct Records<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Records<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Records { bytes, pos: 0 }
    }

    /// The next record, its fields left in `fields` (ranges of the part, or of `scratch`
    /// when the record says so); `None` at the end of the part.
    pub(super) fn next_record(
        &mut self,
        fields: &mut Vec<Range<usize>>,
        scratch: &mut Vec<u8>,
    ) -> Option<Record> {
        let bytes = self.bytes;
        // Line breaks between records, and blank lines, hold no record.
        while matches!(bytes.get(self.pos), Some(b'\n' | b'\r')) {
            self.pos += 1;
        }
        let start = self.pos;
        if start >= bytes.len() {
            return None;
        }
        fields.clear();

        if let Some(line_end) = split_plain_line(bytes, start, fields) {
            self.pos = line_end;
            return Some(Record {
                start,
                unquoted_into_scratch: false,
            });
        }

        fields.clear();
        let (end, raw) = super::scan_fields(bytes, start);
        scratch.clear();
        for range in raw {
            let from = scratch.len();
            unquote(&bytes[range], scratch);
            fields.push(from..scratch.len());
        }
        self.pos = end;
        Some(Record {
            start,
            unquoted_into_scratch: true,
        })
    }
}

/// Splits the line that starts at `start` at its commas into `fields`, and gives where it
/// ends, when the line holds no quote; `None` (with `fields` in any state) when it does.
///
/// Eight bytes are read as one word and compared with each byte that matters at once, so a
/// line costs a few operations per eight bytes and no call per field.
fn split_plain_line(bytes: &[u8], start: usize, fields: &mut Vec<Range<usize>>) -> Option<usize> {
    const LANES: usize = 8;
    let mut field_start = start;
    let mut at = start;
    while let Some(word) = bytes.get(at..at + LANES) {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let stops = matches_of(word, b'"') | matches_of(word, b'\n') | matches_of(word, b'\r');
        let mut commas = matches_of(word, b',');
        if stops != 0 {
            // Only the commas before the first stop belong to this line.
            let first = stops.trailing_zeros() as usize / 8;
            commas &= (1u64 << (first * 8)).wrapping_sub(1);
        }
        while commas != 0 {
            let comma = at + commas.trailing_zeros() as usize / 8;
            fields.push(field_start..comma);
            field_start = comma + 1;
            commas &= commas - 1;
        }
        if stops != 0 {
            let end = at + stops.trailing_zeros() as usize / 8;
            if bytes[end] == b'"' {
                return None;
            }
            fields.push(field_start..end);
            return Some(end);
        }
        at += LANES;
    }
    // The last few bytes of the part, one by one.
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        match b {
            b'"' => return None,
            b',' => {
                fields.push(field_start..i);
                field_start = i + 1;
            }
            b'\n' | b'\r' => {
                fields.push(field_start..i);
                return Some(i);
            }
            _ => {}
        }
    }
    fields.push(field_start..bytes.len());
    Some(bytes.len())
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit. Exact: the
/// addition cannot carry from one byte into the next, as the low seven bits are summed alone.
fn matches_of(word: u64, byte: u8) -> u64 {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((x & LOW) + LOW) | x | LOW)
}

/// Appends the value of the raw field `raw` to `out`: as it is unless a quote opens it;
/// then without the enclosing quotes, each doubled quote inside taken as one, and any text
/// after the closing quote kept.
fn unquote(raw: &[u8], out: &mut Vec<u8>) {
    let Some((b'"', mut rest)) = raw.split_first() else {
        out.extend_from_slice(raw);
        return;
    };
    while let Some(i) = memchr::memchr(b'"', rest) {
        out.extend_from_slice(&rest[..i]);
        if rest.get(i + 1) == Some(&b'"') {
            out.push(b'"');
            rest = &rest[i + 2..];
        } else {
            // The closing quote: what follows is plain text, quotes and all.
            out.extend_from_slice(&rest[i + 1..]);
            return;
        }
    }
    // A quoted field that never closes runs to the end of the part.
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record of `bytes` as lists of field values, by this splitter.
    fn split(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut records = Records::new(bytes);
        let (mut fields, mut scratch) = (Vec::new(), Vec::new());
        let mut out = Vec::new();
        while let Some(record) = records.next_record(&mut fields, &mut scratch) {
            let source = if record.unquoted_into_scratch {
                &scratch[..]
            } else {
                bytes
            };
            out.push(fields.iter().map(|r| source[r.clone()].to_vec()).collect());
        }
        out
    }

    /// Every record of `bytes` as lists of field values, by the csv crate.
    fn split_by_csv_crate(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut record = ::csv::ByteRecord::new();
        let mut out = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            out.push(record.iter().map(<[u8]>::to_vec).collect());
        }
        out
    }

    #[test]
    fn plain_and_quoted_fields() {
        let bytes = b"a,b,,c\r\n\n\"x,\"\"y\"\"\",z\n\"multi\nline\",2\r3,\"ab\"cd";
        let expected: Vec<Vec<&[u8]>> = vec![
            vec![b"a", b"b", b"", b"c"],
            vec![b"x,\"y\"", b"z"],
            vec![b"multi\nline", b"2"],
            vec![b"3", b"abcd"],
        ];
        assert_eq!(split(bytes), expected);
    }

    #[test]
    fn agrees_with_the_csv_crate_on_short_inputs() {
        // The characters that steer the reader, a plain letter, and a byte of a multi-byte
        // character: every string of up to five of them, then longer ones drawn from a
        // fixed pseudo-random sequence.
        let alphabet = [b'a', b',', b'"', b'\n', b'\r', 0xC3];
        let agree = |input: &[u8]| {
            assert_eq!(
                split(input),
                split_by_csv_crate(input),
                "on {:?}",
                String::from_utf8_lossy(input)
            );
        };
        let mut input = Vec::new();
        for len in 0..=5u32 {
            for mut n in 0..alphabet.len().pow(len) {
                input.clear();
                for _ in 0..len {
                    input.push(alphabet[n % alphabet.len()]);
                    n /= alphabet.len();
                }
                agree(&input);
            }
        }
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 33) as usize
        };
        for _ in 0..4000 {
            let len = 6 + next() % 30;
            input.clear();
            input.extend((0..len).map(|_| alphabet[next() % alphabet.len()]));
            agree(&input);
        }
        // Long lines where the steering characters are rare, as in real exports, so that
        // every position of a stop and a comma inside an eight-byte word is met.
        for _ in 0..4000 {
            let len = 8 + next() % 200;
            input.clear();
            input.extend((0..len).map(|_| match next() % 40 {
                0 => b'"',
                1 => b'\n',
                2 => b'\r',
                3 => 0xC3,
                4..=9 => b',',
                _ => b'a',
            }));
            agree(&input);
        }
    }
}
