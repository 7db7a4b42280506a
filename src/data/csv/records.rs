//! Splitting the rows of a CSV part into records and fields, without copying.
//!
//! The rules are the csv reader's (RFC 4180 as exports write it): a field is quoted only
//! when a quote opens it, a doubled quote inside a quoted field is one quote, text after
//! the closing quote belongs to the field, a record ends at an unquoted LF, CRLF or lone
//! CR, and blank lines are no records. A unit test holds this splitter to the csv crate on
//! every short input over the characters that matter.
//!
//! Most lines of an export hold no quote at all: such a line is cut at its commas with a
//! vectorised search and its fields are ranges of the part itself. A line with a quote is
//! scanned byte by byte and its fields are unquoted into a scratch buffer.

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

        let line_end =
            memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..line_end];
        if memchr::memchr(b'"', line).is_none() {
            let mut field_start = start;
            for comma in memchr::memchr_iter(b',', line) {
                fields.push(field_start..start + comma);
                field_start = start + comma + 1;
            }
            fields.push(field_start..line_end);
            self.pos = line_end;
            return Some(Record {
                start,
                unquoted_into_scratch: false,
            });
        }

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
    }
}
