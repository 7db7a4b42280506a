//! Reading CSV files with a header row.
//!
//! The header is matched against the schema once, giving for each declared column the index
//! of its field; undeclared columns are never looked at. Each part of the file is checked as
//! UTF-8 once, split into records and fields without copying (see [`records`]), and each
//! declared field is pushed straight into its column builder. Only a bad row pays for
//! finding its place in the file: its line is counted here, and its raw fields are found
//! again by a quote-aware scan.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::ops::Range;
use std::sync::{mpsc, Mutex};

use ::csv::{ByteRecord, Reader, ReaderBuilder};

mod records;

use super::values::{describe, Described, Problem};
use super::{row_diagnostic, Loader, Schema};
use crate::diagnostic::{did_you_mean, Diagnostic, SourceText};

/// Bytes read from the file at a time. The file is cut into parts of about this size at
/// record boundaries, and the parts are parsed in parallel.
const PART: usize = 8 << 20;

/// Why a file could not be read.
pub(super) enum FileError {
    Io(std::io::Error),
    Diagnostics(Vec<Diagnostic>),
}

impl From<Vec<Diagnostic>> for FileError {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        FileError::Diagnostics(diagnostics)
    }
}

/// The field of a column the file does not have: every value is missing.
const ABSENT: usize = usize::MAX;

/// The header's meaning: for each declared column, its field ([`ABSENT`] for one the file
/// lacks); and how many fields a row has.
struct Header {
    fields: Vec<usize>,
    width: usize,
}

/// Reads a CSV file into `loader`, streaming it in parts so that the whole file is never
/// held in memory, and parsing the parts on every core. Rows keep their file order; header
/// and file problems are returned, row problems go to the loader.
pub(super) fn read_file(
    file: impl Read,
    size: Option<u64>,
    loader: &mut Loader<'_>,
) -> Result<(), FileError> {
    read_in_parts(file, size, PART, loader)
}

/// [`read_file`] with parts of `part_size` bytes.
fn read_in_parts(
    mut file: impl Read,
    size: Option<u64>,
    part_size: usize,
    loader: &mut Loader<'_>,
) -> Result<(), FileError> {
    let name = loader.display_name;
    let schema = loader.schema;

    // The header, and with it the first part.
    let mut data = Vec::with_capacity(part_size);
    let mut at_end = fill(&mut file, &mut data, part_size)?;
    while !at_end && record_end(&data, 0).is_none() {
        let target = data.len() + part_size;
        at_end = fill(&mut file, &mut data, target)?;
    }
    if data.starts_with("\u{feff}".as_bytes()) {
        data.drain(..3);
    }
    let (header, header_end) = read_header(&data, name, schema)?;
    let mut next_line = 1 + line_breaks(&data, header_end);
    data.drain(..header_end);

    // A file that fits in one part is read here, without threads.
    if at_end {
        read_rows(&data, next_line, &header, loader);
        return Ok(());
    }

    let workers = crate::threads();
    let header = &header;
    let template = loader.empty();
    let template = &template;
    let (parts, inbox) = mpsc::sync_channel::<(usize, usize, usize, Vec<u8>)>(workers);
    let inbox = Mutex::new(inbox);
    let inbox = &inbox;
    // Part buffers go back to the reader once parsed, so that the file is read into memory
    // already paged in rather than into fresh allocations.
    let (recycle, recycled) = mpsc::channel::<Vec<u8>>();
    let merged = std::thread::scope(|scope| -> Result<Loader<'_>, FileError> {
        let (done, results) = mpsc::channel::<(usize, Loader<'_>)>();
        for _ in 0..workers {
            let (done, recycle) = (done.clone(), recycle.clone());
            scope.spawn(move || loop {
                let job = inbox.lock().map(|rx| rx.recv());
                let Ok(Ok((index, first_line, lines, bytes))) = job else {
                    return;
                };
                let mut part = template.empty();
                part.reserve(lines);
                read_rows(&bytes, first_line, header, &mut part);
                let _ = recycle.send(bytes);
                if done.send((index, part)).is_err() {
                    return;
                }
            });
        }
        drop(done);
        drop(recycle);

        // Cut the file into parts at record ends and hand them out; take the results back
        // in order as they come, so that memory holds only a few parts at a time.
        let mut merged = template.empty();
        let mut estimated_rows = None;
        let mut waiting: BTreeMap<usize, Loader<'_>> = BTreeMap::new();
        let mut next_merge = 0;
        let mut sent = 0;
        let mut carry = data;
        loop {
            let cut = if at_end {
                carry.len()
            } else {
                record_end_last(&carry).unwrap_or(0)
            };
            if cut > 0 {
                let rest = carry.split_off(cut);
                let part = std::mem::replace(&mut carry, rest);
                let lines = line_breaks(&part, part.len());
                if let (0, Some(size)) = (sent, size) {
                    // The first part tells roughly how many rows each byte holds.
                    let rows = lines as u128 * size as u128 / part.len().max(1) as u128;
                    estimated_rows = Some(rows.min(usize::MAX as u128) as usize);
                }
                if parts.send((sent, next_line, lines, part)).is_err() {
                    break;
                }
                sent += 1;
                next_line += lines;
            }
            while let Ok((index, part)) = results.try_recv() {
                waiting.insert(index, part);
            }
            while let Some(part) = waiting.remove(&next_merge) {
                merged.absorb(part);
                next_merge += 1;
                // The first part's columns are taken over; room for the rest is made once.
                if let Some(rows) = estimated_rows.take() {
                    merged.reserve(rows.saturating_sub(merged.rows));
                }
            }
            if at_end {
                break;
            }
            let mut more = recycled.try_recv().unwrap_or_default();
            more.clear();
            more.reserve(carry.len() + part_size);
            more.extend_from_slice(&carry);
            let target = carry.len() + part_size;
            at_end = fill(&mut file, &mut more, target)?;
            carry = more;
        }
        drop(parts);
        for (index, part) in results.iter() {
            waiting.insert(index, part);
            while let Some(part) = waiting.remove(&next_merge) {
                merged.absorb(part);
                next_merge += 1;
            }
        }
        Ok(merged)
    })?;
    loader.absorb(merged);
    Ok(())
}

/// Reads into `data` until it holds `target` bytes or the file ends; whether it ended.
fn fill(file: &mut impl Read, data: &mut Vec<u8>, target: usize) -> Result<bool, FileError> {
    while data.len() < target {
        let wanted = (target - data.len()) as u64;
        // Reading straight into the vector's spare room saves a copy of every byte.
        match file.by_ref().take(wanted).read_to_end(data) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FileError::Io(e)),
        }
    }
    Ok(false)
}

/// Line breaks in `bytes[..end]` as the readers count them: LF, CRLF or a lone CR.
fn line_breaks(bytes: &[u8], end: usize) -> usize {
    let bytes = &bytes[..end.min(bytes.len())];
    let lf = memchr::memchr_iter(b'\n', bytes).count();
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// The end (just past the line break) of the record that starts at `start`, or `None` if
/// it does not end in `data`. Quotes open a quoted field only at a field's start.
fn record_end(data: &[u8], start: usize) -> Option<usize> {
    scan_records(&data[start..], true).map(|end| start + end)
}

/// The end of the last complete record in `data`, which starts at a record start.
fn record_end_last(data: &[u8]) -> Option<usize> {
    // Without a quote, every line break ends a record: the last one is found from the end
    // instead of by walking every record.
    if memchr::memchr(b'"', data).is_none() {
        return memchr::memrchr(b'\n', data).map(|i| i + 1);
    }
    scan_records(data, false)
}

/// Scans records from the start of `data`; returns the end of the first record when
/// `first_only`, else of the last one that ends in `data`.
fn scan_records(data: &[u8], first_only: bool) -> Option<usize> {
    let mut last = None;
    let mut i = 0;
    let mut quoted = false;
    while i < data.len() {
        if quoted {
            let j = i + memchr::memchr(b'"', &data[i..])?;
            match data.get(j + 1) {
                Some(b'"') => i = j + 2,
                Some(_) => {
                    quoted = false;
                    i = j + 1;
                }
                // A quote at the very end may be half of a doubled one: decide later.
                None => return last,
            }
            continue;
        }
        let Some(k) = memchr::memchr2(b'"', b'\n', &data[i..]) else {
            return last;
        };
        let j = i + k;
        if data[j] == b'\n' {
            last = Some(j + 1);
            if first_only {
                return last;
            }
        } else if j == 0 || matches!(data[j - 1], b',' | b'\n' | b'\r') {
            quoted = true;
        }
        i = j + 1;
    }
    last
}

/// Reads and checks the header row at the start of `bytes`; the header's meaning and where
/// the rows begin.
fn read_header(
    bytes: &[u8],
    name: &str,
    schema: &Schema,
) -> Result<(Header, usize), Vec<Diagnostic>> {
    let mut reader = ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = ByteRecord::new();
    let mut lines = LineCounter::default();
    if !next_record(&mut reader, &mut record, name)? {
        return Err(vec![empty_file(name, schema)]);
    }
    let header = Located::find(bytes, &record, &mut lines);
    let fields = match_header(bytes, &record, &header, name, schema)?;
    let end = record_end(bytes, header.start).unwrap_or(bytes.len());
    Ok((
        Header {
            fields,
            width: record.len(),
        },
        end,
    ))
}

/// Reads the rows in `bytes`, whose first line is line `first_line` of the file, into
/// `loader`.
fn read_rows(bytes: &[u8], first_line: usize, header: &Header, loader: &mut Loader<'_>) {
    let name = loader.display_name;
    let schema = loader.schema;
    let (columns, width) = (&header.fields, header.width);
    // One check of the whole part spares a check per field; a part that is not UTF-8 as a
    // whole is checked field by field, so that only the fields read can be at fault.
    let text = std::str::from_utf8(bytes).ok();
    let mut records = records::Records::new(bytes);
    let (mut fields, mut scratch) = (Vec::with_capacity(width), Vec::new());
    let mut lines = LineCounter::default();
    let locate = |start: usize, lines: &mut LineCounter| {
        let mut row = Located::at(bytes, start, lines);
        row.line += first_line - 1;
        row
    };

    let mut problems: Vec<(usize, Problem)> = Vec::new();
    while let Some(record) = records.next_record(&mut fields, &mut scratch) {
        if fields.len() != width {
            let found = fields.len();
            loader.reject_row(1, |_| {
                let row = locate(record.start, &mut lines);
                ragged_row(bytes, &row, name, found, width)
            });
            continue;
        }

        problems.clear();
        for (column, &field) in columns.iter().enumerate() {
            if field == ABSENT {
                // Declared absent, so optional: a missing value always fits.
                let _ = loader.builders[column].push_missing();
                continue;
            }
            let range = fields[field].clone();
            let value = match text {
                Some(text) if !record.unquoted_into_scratch => text.get(range),
                _ => {
                    let source = if record.unquoted_into_scratch {
                        &scratch
                    } else {
                        bytes
                    };
                    source.get(range).and_then(|b| std::str::from_utf8(b).ok())
                }
            };
            let pushed = match value {
                Some(value) => loader.builders[column].push_text(value),
                None => Err(Problem::InvalidUtf8),
            };
            if let Err(problem) = pushed {
                problems.push((column, problem));
                if !loader.wants_every_problem() {
                    break;
                }
            }
        }
        if problems.is_empty() {
            if loader.wants_lines() {
                let line = lines.line_at(bytes, record.start) + first_line - 1;
                loader.commit_row_at(line);
            } else {
                loader.commit_row();
            }
            continue;
        }

        loader.reject_row(problems.len(), |i| {
            let (column, problem) = problems[i];
            let row = locate(record.start, &mut lines);
            let field = fields[columns[column]].clone();
            let source = if record.unquoted_into_scratch {
                &scratch
            } else {
                bytes
            };
            let shown = String::from_utf8_lossy(source.get(field).unwrap_or_default());
            let words = describe(problem, &schema.columns[column], &shown);
            row.diagnostic(bytes, name, row.field(columns[column]), None, words)
        });
    }
}

/// Reads the next record; a read error cannot come from bytes in memory, but is reported
/// rather than trusted never to happen.
fn next_record(
    reader: &mut Reader<&[u8]>,
    record: &mut ByteRecord,
    name: &str,
) -> Result<bool, Vec<Diagnostic>> {
    reader.read_byte_record(record).map_err(|error| {
        vec![Diagnostic::error(
            "msr::data::unreadable",
            format!("cannot read `{name}` as CSV: {error}"),
        )
        .with_help("check that the file is CSV text with a header row")]
    })
}

/// For each declared column, the index of its field in the header; errors for declared
/// columns that are absent or appear twice. Columns the programme does not read may repeat
/// (exports often carry several empty or generic headings) without harm.
fn match_header(
    bytes: &[u8],
    record: &ByteRecord,
    header: &Located,
    name: &str,
    schema: &Schema,
) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let names: Vec<String> = record
        .iter()
        .map(|field| String::from_utf8_lossy(field).into_owned())
        .collect();
    let mut errors = Vec::new();

    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (index, column) in names.iter().enumerate() {
        let declared = schema.columns.iter().any(|c| c.in_file() == *column);
        if let (Some(&first), true) = (first_seen.get(column.as_str()), declared) {
            let words = Described {
                code: "msr::data::duplicate_column",
                message: format!("column `{column}` appears twice in the header"),
                label: "repeated here".to_string(),
                help: format!("rename or remove one of the two `{column}` columns"),
            };
            let first = (header.field(first), "first here");
            errors.push(header.diagnostic(bytes, name, header.field(index), Some(first), words));
            continue;
        }
        first_seen.entry(column).or_insert(index);
    }

    let mut fields = Vec::with_capacity(schema.columns.len());
    for spec in &schema.columns {
        if spec.absent {
            fields.push(ABSENT);
            continue;
        }
        if let Some(&index) = first_seen.get(spec.in_file()) {
            fields.push(index);
            continue;
        }
        let near = did_you_mean(spec.in_file(), names.iter().map(String::as_str));
        let (span, label, help) = match near {
            Some(near) => (
                header.field(first_seen.get(near).copied().unwrap_or_default()),
                format!("this column is `{near}`"),
                format!("did you mean `{near}`? The file and the dataset must name it alike"),
            ),
            None => (
                header.start..header.end,
                format!("no column `{}` here", spec.in_file()),
                if spec.optional {
                    format!(
                        "add the column `{}` to the file, or say the file has none: \
                         `bind {} {{ {} = none }}`",
                        spec.in_file(),
                        schema.dataset,
                        spec.name
                    )
                } else {
                    format!(
                        "add the column `{}` to the file; if the file names it otherwise, \
                         say so: `bind {} {{ {} = \"...\" }}`",
                        spec.in_file(),
                        schema.dataset,
                        spec.name
                    )
                },
            ),
        };
        let words = Described {
            code: "msr::data::missing_column",
            message: format!("column `{}` is missing from the header", spec.in_file()),
            label,
            help,
        };
        errors.push(header.diagnostic(bytes, name, span, None, words));
    }

    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

fn ragged_row(bytes: &[u8], row: &Located, name: &str, found: usize, width: usize) -> Diagnostic {
    let help = if found > width {
        "quote values that contain commas, e.g. `\"Smith, J.\"`, or name every column in the header"
    } else {
        "give every row one field per header column; an empty field is nothing between two commas"
    };
    let words = Described {
        code: "msr::data::ragged_row",
        message: format!("row has {found} fields, but the header has {width}"),
        label: format!("{found} fields"),
        help: help.to_string(),
    };
    row.diagnostic(bytes, name, row.start..row.end, None, words)
}

fn empty_file(name: &str, schema: &Schema) -> Diagnostic {
    let columns: Vec<&str> = schema.columns.iter().map(|c| c.in_file()).collect();
    Diagnostic::error("msr::data::empty_file", format!("`{name}` is empty"))
        .with_source(SourceText::excerpt(name, "\n", 1))
        .with_label(0, 0, "no header row")
        .with_help(format!(
            "a CSV file starts with a header row naming its columns: `{}`",
            columns.join(",")
        ))
}

/// Where a record lies in the file: its bytes, its first line, and its fields.
struct Located {
    start: usize,
    end: usize,
    line: usize,
    fields: Vec<Range<usize>>,
}

impl Located {
    /// The record that starts at byte `start`, on the error path.
    fn at(bytes: &[u8], start: usize, lines: &mut LineCounter) -> Located {
        let line = lines.line_at(bytes, start);
        let (end, fields) = scan_fields(bytes, start);
        Located {
            start,
            end,
            line,
            fields,
        }
    }

    /// Finds the record just read by the csv reader, on the error path.
    fn find(bytes: &[u8], record: &ByteRecord, lines: &mut LineCounter) -> Located {
        let reported = record.position().map_or(0, |p| p.byte());
        let mut start = usize::try_from(reported).map_or(bytes.len(), |s| s.min(bytes.len()));
        // The reader reports the end of the previous record, before its line break and any
        // blank lines; no record starts with a line break, so skipping them finds this one.
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let line = lines.line_at(bytes, start);
        let (end, fields) = scan_fields(bytes, start);
        Located {
            start,
            end,
            line,
            fields,
        }
    }

    /// The bytes of field `index`, quotes included, in the file.
    fn field(&self, index: usize) -> Range<usize> {
        self.fields
            .get(index)
            .cloned()
            .unwrap_or(self.end..self.end)
    }

    /// A diagnostic on this record, labelled at `span` and maybe `secondary` (ranges in
    /// the file).
    fn diagnostic(
        &self,
        bytes: &[u8],
        name: &str,
        span: Range<usize>,
        secondary: Option<(Range<usize>, &str)>,
        words: Described,
    ) -> Diagnostic {
        let raw = bytes.get(self.start..self.end).unwrap_or_default();
        let local =
            |r: Range<usize>| r.start.saturating_sub(self.start)..r.end.saturating_sub(self.start);
        let secondary = secondary.map(|(range, text)| (local(range), text));
        row_diagnostic(name, raw, self.line, local(span), secondary, words)
    }
}

/// The end of the record that starts at `start`, and its fields, read with the csv reader's
/// rules: a quote opens a quoted field only at the field's start, a doubled quote inside is
/// a literal quote, and an unquoted line break ends the record.
fn scan_fields(bytes: &[u8], start: usize) -> (usize, Vec<Range<usize>>) {
    let mut fields = Vec::new();
    let mut field_start = start;
    let mut quoted = false;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        if quoted {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
        } else {
            match b {
                b'"' if i == field_start => quoted = true,
                b',' => {
                    fields.push(field_start..i);
                    field_start = i + 1;
                }
                b'\n' | b'\r' => break,
                _ => {}
            }
        }
        i += 1;
    }
    fields.push(field_start..i);
    (i, fields)
}

/// Counts lines up to increasing offsets, so that finding the lines of all reported rows
/// reads the file at most once. A line ends at LF, CRLF or a lone CR, as for the reader.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    /// The zero-based line at `offset`.
    line: usize,
}

impl LineCounter {
    /// The one-based line of byte `offset`.
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        if offset < self.offset {
            *self = LineCounter::default();
        }
        let offset = offset.min(bytes.len());
        for (i, &b) in bytes[self.offset..offset].iter().enumerate() {
            let lone_cr = b == b'\r' && bytes.get(self.offset + i + 1) != Some(&b'\n');
            if b == b'\n' || lone_cr {
                self.line += 1;
            }
        }
        self.offset = offset;
        self.line + 1
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{load_bytes, load_errors, load_ok, schema, severity};
    use super::super::{ColumnData, ColumnType, LoadOptions};
    use super::*;

    fn texts(table: &super::super::Table, column: &str) -> Vec<String> {
        let column = table.column(column).expect("column");
        let ColumnData::Text { codes, dictionary } = &column.data else {
            panic!("not text")
        };
        codes
            .iter()
            .enumerate()
            .map(|(row, &code)| {
                if column.is_missing(row) {
                    "<missing>".to_string()
                } else {
                    dictionary[code as usize].to_string()
                }
            })
            .collect()
    }

    #[test]
    fn scans_quoted_fields() {
        let bytes = b"a,\"b,\"\"c\"\"\",\"x\ny\"\nnext";
        let (end, fields) = scan_fields(bytes, 0);
        assert_eq!(&bytes[..end], &bytes[..17]);
        let texts: Vec<&[u8]> = fields.iter().map(|r| &bytes[r.clone()]).collect();
        assert_eq!(texts, vec![&b"a"[..], b"\"b,\"\"c\"\"\"", b"\"x\ny\""]);
    }

    #[test]
    fn counts_lines_of_every_ending() {
        let bytes = b"a\nb\r\nc\rd";
        let mut lines = LineCounter::default();
        assert_eq!(lines.line_at(bytes, 0), 1);
        assert_eq!(lines.line_at(bytes, 2), 2);
        assert_eq!(lines.line_at(bytes, 5), 3);
        assert_eq!(lines.line_at(bytes, 7), 4);
        assert_eq!(lines.line_at(bytes, 2), 2);
    }

    #[test]
    fn reads_every_type() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("count", ColumnType::Int, false),
            ("score", ColumnType::Number, false),
            ("open", ColumnType::Bool, false),
            ("day", ColumnType::Date, false),
            ("at", ColumnType::DateTime, false),
            ("took", ColumnType::Duration, false),
            ("sev", severity(), false),
        ]);
        let csv = b"id,count,score,open,day,at,took,sev,extra\n\
                   A,1,2.5,true,2025-09-01,2025-09-01T14:30:00Z,72h,high,ignored\n\
                   B,-2,3,No,1970-01-02,1970-01-01 00:00:01+00:00,PT1M,low,\xff\n";
        let table = load_ok(csv, "csv", &schema);
        assert_eq!(table.len, 2);
        assert_eq!(table.name, "incidents");
        assert_eq!(texts(&table, "id"), vec!["A", "B"]);
        let data = |name: &str| &table.column(name).expect("column").data;
        assert!(matches!(data("count"), ColumnData::Int(v) if v == &[1, -2]));
        assert!(matches!(data("score"), ColumnData::Number(v) if v == &[2.5, 3.0]));
        assert!(matches!(data("open"), ColumnData::Bool(v) if v == &[true, false]));
        assert!(matches!(data("day"), ColumnData::Date(v) if v == &[20_332, 1]));
        let at = 20_332 * 86_400_000_000 + (14 * 60 + 30) * 60_000_000;
        assert!(matches!(data("at"), ColumnData::DateTime(v) if v == &[at, 1_000_000]));
        let hours = 72 * 3_600_000_000;
        assert!(matches!(data("took"), ColumnData::Duration(v) if v == &[hours, 60_000_000]));
        assert!(matches!(data("sev"), ColumnData::Category(v) if v == &[2, 0]));
        assert!(table.columns.iter().all(|c| c.missing.is_none()));
        assert_eq!(table.skipped_rows, 0);
    }

    #[test]
    fn each_type_rejects_a_bad_value_at_its_field() {
        let cases = [
            (
                ColumnType::Int,
                "1.5",
                "invalid integer `1.5` in column `v`",
            ),
            (
                ColumnType::Number,
                "NaN",
                "invalid number `NaN` in column `v`",
            ),
            (
                ColumnType::Bool,
                "maybe",
                "invalid boolean `maybe` in column `v`",
            ),
            (
                ColumnType::Date,
                "2025-02-30",
                "invalid date `2025-02-30` in column `v`",
            ),
            (
                ColumnType::DateTime,
                "2025-13-01",
                "invalid date-time `2025-13-01` in column `v`",
            ),
            (
                ColumnType::Duration,
                "3 days",
                "invalid duration `3 days` in column `v`",
            ),
            (
                severity(),
                "urgent",
                "unknown category `urgent` in column `v`",
            ),
        ];
        for (ty, value, message) in cases {
            let schema = schema(&[("k", ColumnType::Text, false), ("v", ty, false)]);
            let csv = format!("k,v\nfine,\nok,{value}\n");
            let errors = load_errors(csv.as_bytes(), "csv", &schema);
            // The empty value on line 2 is missing, the bad one on line 3 invalid.
            assert_eq!(errors.len(), 2, "{message}");
            assert_eq!(errors[0].code, "msr::data::missing_value");
            assert_eq!(errors[1].code, "msr::data::bad_value");
            assert_eq!(errors[1].message, message);
            assert_eq!(errors[1].location(), Some(("data.csv".to_string(), 3, 4)));
            assert!(errors[1].help.is_some());
        }
    }

    #[test]
    fn optional_columns_take_missing_values() {
        let schema = schema(&[
            ("id", ColumnType::Text, true),
            ("n", ColumnType::Int, true),
            ("at", ColumnType::DateTime, true),
        ]);
        let table = load_ok(b"id,n,at\n,1,\nb, ,2025-01-01T00:00:00Z\n", "csv", &schema);
        assert_eq!(table.len, 2);
        assert_eq!(texts(&table, "id"), vec!["<missing>", "b"]);
        let missing = |name: &str| table.column(name).expect("column").missing.clone();
        assert_eq!(missing("n"), Some(vec![false, true]));
        assert_eq!(missing("at"), Some(vec![true, false]));
    }

    #[test]
    fn missing_value_in_required_column() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let errors = load_errors(b"id,n\na,1\nb,\n", "csv", &schema);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "msr::data::missing_value");
        assert_eq!(
            errors[0].message,
            "missing value in column `n`, which is not optional"
        );
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 3, 3)));
        assert_eq!(
            errors[0].help.as_deref(),
            Some("fill in the value, or declare the column optional: `n: Int?`")
        );
        let errors = load_errors(b"id,n\n,1\n", "csv", &schema);
        assert_eq!(
            errors[0].message,
            "missing value in column `id`, which is not optional"
        );
    }

    #[test]
    fn bom_and_crlf() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let table = load_ok(b"\xef\xbb\xbfid,n\r\na,1\r\nb,2\r\n", "csv", &schema);
        assert_eq!(texts(&table, "id"), vec!["a", "b"]);
        let errors = load_errors(b"\xef\xbb\xbfid,n\r\n\r\na,1\r\nb,x\r\n", "csv", &schema);
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 4, 3)));
        let source = errors[0].source.as_ref().expect("source");
        assert_eq!(source.text(), "b,x\n");
    }

    #[test]
    fn quoted_commas_and_newlines_keep_line_numbers() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let csv = "id,n\n\"a, b\",1\n\"two\nlines \"\"quoted\"\"\",2\nc,bad\n\"x\ny\",also bad\n";
        let errors = load_errors(csv.as_bytes(), "csv", &schema);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 5, 3)));
        assert_eq!(errors[1].location(), Some(("data.csv".to_string(), 7, 4)));
        assert_eq!(
            errors[1].source.as_ref().expect("source").text(),
            "\"x\ny\",also bad\n"
        );

        let good = "id,n\n\"a, b\",1\n\"two\r\nlines \"\"quoted\"\"\",2\n";
        let table = load_ok(good.as_bytes(), "csv", &schema);
        assert_eq!(texts(&table, "id"), vec!["a, b", "two\r\nlines \"quoted\""]);
    }

    #[test]
    fn ragged_rows() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let errors = load_errors(b"id,n\na,1\nb\nc,3,extra\n", "csv", &schema);
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.code == "msr::data::ragged_row"));
        assert_eq!(errors[0].message, "row has 1 fields, but the header has 2");
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 3, 1)));
        assert_eq!(errors[1].location(), Some(("data.csv".to_string(), 4, 1)));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line_before_a_ragged_row() {
        // Found by fuzzing: a lone CR, as old Mac exports write, counts as a line break,
        // so the ragged row after it is on line 4.
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let errors = load_errors(b"id,n\na,1\rb,2\n\xff\xff", "csv", &schema);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "msr::data::ragged_row");
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 4, 1)));
    }

    #[test]
    fn invalid_utf8_only_in_read_fields() {
        let schema = schema(&[("id", ColumnType::Text, false)]);
        let table = load_ok(b"id,notes\na,\xff\xfe\n", "csv", &schema);
        assert_eq!(table.len, 1);
        let errors = load_errors(b"id,notes\nok,\nab\xffc,fine\n", "csv", &schema);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "msr::data::invalid_utf8");
        assert_eq!(errors[0].message, "invalid UTF-8 in column `id`");
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 3, 1)));
        assert_eq!(
            errors[0].source.as_ref().expect("source").text(),
            "ab\u{fffd}c,fine\n"
        );
    }

    #[test]
    fn empty_file_and_header_only() {
        let schema = schema(&[("id", ColumnType::Text, false)]);
        for empty in [&b""[..], b"\xef\xbb\xbf", b"\n\r\n"] {
            let errors = load_errors(empty, "csv", &schema);
            assert_eq!(errors.len(), 1);
            assert_eq!(errors[0].code, "msr::data::empty_file");
            assert_eq!(errors[0].message, "`data.csv` is empty");
        }
        let table = load_ok(b"id,other\n", "csv", &schema);
        assert_eq!(table.len, 0);
        assert!(
            matches!(&table.columns[0].data, ColumnData::Text { codes, .. } if codes.is_empty())
        );
        assert_eq!(load_ok(b"id", "csv", &schema).len, 0);
    }

    #[test]
    fn missing_and_duplicate_header_columns() {
        let schema = schema(&[
            ("opened_at", ColumnType::DateTime, false),
            ("severity", ColumnType::Text, false),
            ("owner", ColumnType::Text, true),
        ]);
        let errors = load_errors(b"id,opened,severity,severity\n", "csv", &schema);
        let codes: Vec<&str> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec![
                "msr::data::duplicate_column",
                "msr::data::missing_column",
                "msr::data::missing_column"
            ]
        );
        assert_eq!(errors[0].location(), Some(("data.csv".to_string(), 1, 20)));
        assert_eq!(
            errors[1].message,
            "column `opened_at` is missing from the header"
        );
        assert_eq!(errors[1].location(), Some(("data.csv".to_string(), 1, 4)));
        assert!(errors[1]
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `opened`?")));
        assert_eq!(errors[2].location(), Some(("data.csv".to_string(), 1, 1)));
    }

    #[test]
    fn repeated_headings_of_columns_not_read_are_harmless() {
        let schema = schema(&[("id", ColumnType::Int, false)]);
        let table = load_ok(b"id,,,note,note\n1,,,a,b\n", "csv", &schema);
        assert_eq!(table.len, 1);
    }

    #[test]
    fn unknown_category_suggests_or_lists() {
        let schema = schema(&[("sev", severity(), false)]);
        let errors = load_errors(b"sev\nhigh\nHigh\nsevere\n", "csv", &schema);
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `high`?"));
        assert_eq!(
            errors[1].help.as_deref(),
            Some("use one of `low`, `medium` or `high` (scale `severity`)")
        );
    }

    #[test]
    fn skip_bad_rows_leaves_rows_out_and_warns() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let options = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let csv = b"id,n\na,1\nnew,x\nb\nc,3\n";
        let (table, warnings) = load_bytes(csv, "csv", &schema, &options).expect("loads");
        assert_eq!(table.len, 2);
        assert_eq!(table.skipped_rows, 2);
        assert_eq!(texts(&table, "id"), vec!["a", "c"]);
        // The skipped row's new text left no dictionary entry behind.
        assert!(
            matches!(&table.columns[0].data, ColumnData::Text { dictionary, .. } if dictionary.len() == 2)
        );
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| !w.is_error()));
        assert_eq!(warnings[0].code, "msr::data::bad_value");
        assert_eq!(
            warnings[0].message,
            "skipped row: invalid integer `x` in column `n`"
        );
        assert_eq!(warnings[0].location(), Some(("data.csv".to_string(), 3, 5)));
        assert_eq!(warnings[1].code, "msr::data::ragged_row");
    }

    #[test]
    fn caps_reported_problems() {
        let schema = schema(&[("n", ColumnType::Int, false)]);
        let csv = format!("n\n{}", "x\n".repeat(25));
        let errors = load_errors(csv.as_bytes(), "csv", &schema);
        assert_eq!(errors.len(), 21);
        assert_eq!(errors[19].location(), Some(("data.csv".to_string(), 21, 1)));
        assert_eq!(errors[20].code, "msr::data::too_many_errors");
        assert_eq!(
            errors[20].message,
            "5 more problems in `data.csv` not shown"
        );

        let options = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let csv = format!("n\n1\n{}2\n", "x\n".repeat(23));
        let (table, warnings) =
            load_bytes(csv.as_bytes(), "csv", &schema, &options).expect("loads");
        assert_eq!(table.len, 2);
        assert_eq!(table.skipped_rows, 23);
        assert_eq!(warnings.len(), 21);
        assert_eq!(warnings[20].code, "msr::data::skipped_rows");
        assert_eq!(warnings[20].message, "3 more rows skipped in `data.csv`");
    }

    #[test]
    fn snapshot_bad_datetime() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("opened_at", ColumnType::DateTime, false),
        ]);
        let csv = "id,opened_at\nINC-1,2025-09-01T14:30:00Z\n\"INC-2, \"\"urgent\"\"\nsecond line\",2025-13-01\n";
        let errors = load_errors(csv.as_bytes(), "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_bare_date_in_datetime_column() {
        let schema = schema(&[("opened_at", ColumnType::DateTime, false)]);
        let errors = load_errors(b"opened_at\r\n2025-09-01\r\n", "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_missing_column() {
        let schema = schema(&[("opened_at", ColumnType::DateTime, false)]);
        let errors = load_errors(b"id,opened,closed\n", "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_unknown_category() {
        let schema = schema(&[("id", ColumnType::Text, false), ("sev", severity(), false)]);
        let errors = load_errors(b"id,sev\nINC-1,hihg\n", "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_ragged_row() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("owner", ColumnType::Text, true),
        ]);
        let errors = load_errors(b"id,owner\nINC-1,Smith, J.\n", "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_skipped_row_warning() {
        let schema = schema(&[
            ("id", ColumnType::Text, false),
            ("n", ColumnType::Int, false),
        ]);
        let options = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let (_, warnings) = load_bytes(b"id,n\nINC-1,\n", "csv", &schema, &options).expect("loads");
        insta::assert_snapshot!(warnings[0].render_plain(80));
    }

    #[test]
    fn snapshot_empty_file() {
        let schema = schema(&[("id", ColumnType::Text, false), ("sev", severity(), false)]);
        let errors = load_errors(b"", "csv", &schema);
        insta::assert_snapshot!(errors[0].render_plain(80));
    }
}

#[cfg(test)]
mod parts {
    use super::super::testutil::{schema, severity};
    use super::super::{ColumnData, ColumnType, LoadOptions, Loader, Table};
    use super::*;

    /// Loads `bytes` in parts of `part_size` bytes.
    #[test]
    fn rows_keep_their_lines_across_quoted_breaks_skipped_rows_and_parts() {
        // Row 3 spans lines 3 and 4; the row on line 5 is bad and skipped.
        let csv = "id,note,sev\n1,a,low\n2,\"two\nlines\",high\n3,x,nope\n4,,medium\n";
        let options = LoadOptions {
            skip_bad_rows: true,
            row_lines: true,
            ..LoadOptions::default()
        };
        for part_size in [1, 7, 64, 1 << 16] {
            let (table, _) = load_in_parts(csv.as_bytes(), part_size, &options).unwrap();
            assert_eq!(
                table.lines,
                Some(vec![2, 3, 6]),
                "parts of {part_size} bytes"
            );
        }
        let skipping = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let (table, _) = load_in_parts(csv.as_bytes(), 64, &skipping).unwrap();
        assert_eq!(table.lines, None, "lines only when asked for");
    }

    fn load_in_parts(
        bytes: &[u8],
        part_size: usize,
        options: &LoadOptions,
    ) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
        let schema = schema(&[
            ("id", ColumnType::Int, false),
            ("note", ColumnType::Text, true),
            ("sev", severity(), false),
        ]);
        let mut loader = Loader::new("data.csv", &schema, options, 0);
        match read_in_parts(bytes, Some(bytes.len() as u64), part_size, &mut loader) {
            Ok(()) => loader.finish(std::path::Path::new("data.csv")),
            Err(FileError::Diagnostics(d)) => Err(d),
            Err(FileError::Io(e)) => panic!("{e}"),
        }
    }

    /// Rows with quoted commas, quoted line breaks (LF and CRLF), doubled quotes and a quote
    /// inside an unquoted field, so that cuts between parts meet every case.
    fn awkward_csv(rows: usize, bad_every: usize) -> Vec<u8> {
        let mut text = String::from("id,note,sev\n");
        for i in 0..rows {
            let note = match i % 5 {
                0 => "\"a, b\"".to_string(),
                1 => format!("\"line one\nline {i}\""),
                2 => "\"say \"\"hi\"\"\"".to_string(),
                3 => "5\" screen".to_string(),
                _ => format!("\"crlf\r\n{i}\""),
            };
            let sev = if bad_every > 0 && i % bad_every == bad_every - 1 {
                "severe"
            } else {
                ["low", "medium", "high"][i % 3]
            };
            text.push_str(&format!("{i},{note},{sev}\n"));
        }
        text.into_bytes()
    }

    fn texts(table: &Table) -> Vec<String> {
        let ColumnData::Text { codes, dictionary } = &table.columns[1].data else {
            panic!("not text")
        };
        codes
            .iter()
            .map(|&c| dictionary[c as usize].to_string())
            .collect()
    }

    #[test]
    fn parts_give_the_same_table_as_one_read() {
        let bytes = awkward_csv(500, 0);
        let (whole, _) = load_in_parts(&bytes, 1 << 30, &LoadOptions::default()).unwrap();
        for part_size in [16, 64, 100, 1000] {
            let (parts, _) = load_in_parts(&bytes, part_size, &LoadOptions::default()).unwrap();
            assert_eq!(parts.len, 500, "part size {part_size}");
            assert_eq!(texts(&parts), texts(&whole), "part size {part_size}");
            let (ColumnData::Int(a), ColumnData::Int(b)) =
                (&parts.columns[0].data, &whole.columns[0].data)
            else {
                panic!("not int")
            };
            assert_eq!(a, b);
            let (ColumnData::Category(a), ColumnData::Category(b)) =
                (&parts.columns[2].data, &whole.columns[2].data)
            else {
                panic!("not a category")
            };
            assert_eq!(a, b);
        }
    }

    #[test]
    fn bad_rows_in_later_parts_are_reported_at_their_file_lines_in_order() {
        let bytes = awkward_csv(300, 50);
        let whole = load_in_parts(&bytes, 1 << 30, &LoadOptions::default()).unwrap_err();
        let parts = load_in_parts(&bytes, 64, &LoadOptions::default()).unwrap_err();
        let lines = |d: &[Diagnostic]| d.iter().map(|d| d.location()).collect::<Vec<_>>();
        assert_eq!(lines(&parts), lines(&whole));
        assert_eq!(parts.len(), 6);
        // Row 49 starts after every line break before it; its bad value sits one line
        // further down, after the quoted CRLF in its note.
        let first = parts[0].location().unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let starts_at = text[..text.find("\n49,").unwrap() + 1]
            .matches('\n')
            .count()
            + 1;
        assert_eq!(first.1, starts_at + 1);

        let options = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let (table, warnings) = load_in_parts(&bytes, 64, &options).unwrap();
        assert_eq!((table.len, table.skipped_rows, warnings.len()), (294, 6, 6));
    }

    #[test]
    fn record_ends_respect_quotes() {
        assert_eq!(record_end_last(b"a,b\nc,\"d\ne\"\nf"), Some(12));
        assert_eq!(record_end_last(b"a,\"b\"\"\nc\"\n"), Some(10));
        assert_eq!(record_end_last(b"a,5\" x\nb\n"), Some(9));
        assert_eq!(record_end_last(b"a,\"open\nstill"), None);
        assert_eq!(record_end(b"h1,h2\nrow\n", 0), Some(6));
        // Without quotes, found from the end.
        assert_eq!(record_end_last(b"a,b\r\nc,d\r\ne"), Some(10));
        assert_eq!(record_end_last(b"a,b\nc,d\n"), Some(8));
        assert_eq!(record_end_last(b"a,b"), None);
        assert_eq!(
            record_end_last(b"a,b\nc,d\n"),
            scan_records(b"a,b\nc,d\n", false)
        );
    }
}
