//! Reading JSON Lines files: one JSON object per line.
//!
//! Each line is parsed by a serde visitor that matches keys to declared columns and pushes
//! every value straight into its column builder, so no JSON tree is built and strings without
//! escapes are never copied. Undeclared keys are skipped; an absent key or `null` is missing.
//! Blank lines are skipped. Only a bad line pays for finding the offending value again, by a
//! small scan of the line's raw text.

use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::columns::ColumnBuilder;
use super::values::{describe, Described, Problem};
use super::{row_diagnostic, Loader};
use crate::diagnostic::Diagnostic;

/// How much of a file is read at a time: the file is never held whole, only the lines of
/// one chunk (and a line longer than a chunk, whole).
const CHUNK: usize = 1 << 20;

/// Reads a JSON Lines file of `len` bytes from `file` into `loader`, a chunk of whole lines
/// at a time.
pub(super) fn read_file(
    file: &mut impl std::io::Read,
    len: u64,
    loader: &mut Loader<'_>,
) -> std::io::Result<()> {
    read_in_chunks(file, len, loader, CHUNK)
}

fn read_in_chunks(
    file: &mut impl std::io::Read,
    len: u64,
    loader: &mut Loader<'_>,
    chunk: usize,
) -> std::io::Result<()> {
    let mut buffer: Vec<u8> = Vec::with_capacity(chunk);
    let mut first_line = 1;
    let mut started = false;
    loop {
        let kept = buffer.len();
        buffer.resize(kept + chunk, 0);
        let n = loop {
            match file.read(&mut buffer[kept..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        buffer.truncate(kept + n);
        let at_end = n == 0;
        if !started {
            // The BOM can only be judged once three bytes are there, or the file has ended.
            if buffer.len() < 3 && !at_end {
                continue;
            }
            started = true;
            if buffer.starts_with("\u{feff}".as_bytes()) {
                buffer.drain(..3);
            }
            reserve_for(loader, &buffer, len);
        }

        // Whole lines only, but at the end whatever is left.
        let end = if at_end {
            buffer.len()
        } else {
            match buffer.iter().rposition(|&b| b == b'\n') {
                Some(newline) => newline + 1,
                None => continue,
            }
        };
        read(&buffer[..end], first_line, loader);
        first_line += buffer[..end].iter().filter(|&&b| b == b'\n').count();
        buffer.drain(..end);
        if at_end {
            return Ok(());
        }
    }
}

/// Makes room for the rows of a file of `len` bytes, judged by the lines of its first chunk.
fn reserve_for(loader: &mut Loader<'_>, first: &[u8], len: u64) {
    let lines = first.iter().filter(|&&b| b == b'\n').count().max(1);
    let per_line = (first.len() / lines).max(1) as u64;
    // The shortest object, `{}`, takes two bytes and a line break.
    let rows = (len / per_line).min(len / 3) + 1;
    loader.reserve(usize::try_from(rows).unwrap_or(usize::MAX));
}

/// Reads the lines of `bytes` (part of a JSON Lines file without its BOM, whole lines, the
/// first of them line `first_line` of the file) into `loader`.
fn read(bytes: &[u8], first_line: usize, loader: &mut Loader<'_>) {
    let name = loader.display_name;
    let schema = loader.schema;
    // A column the file lacks matches no key, so even a key of its name is skipped.
    let keys: Vec<Option<&str>> = schema
        .columns
        .iter()
        .map(|c| (!c.absent).then(|| c.in_file()))
        .collect();
    let mut seen = vec![false; keys.len()];
    let mut problems: Vec<(usize, Problem)> = Vec::new();

    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = first_line + index;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text,
            Err(error) => {
                let start = error.valid_up_to();
                let end = start + error.error_len().unwrap_or(raw.len() - start);
                loader.reject_row(1, |_| invalid_utf8(name, raw, line, start..end));
                continue;
            }
        };

        seen.fill(false);
        problems.clear();
        let row = RowSeed {
            keys: &keys,
            builders: &mut loader.builders,
            seen: &mut seen,
            problems: &mut problems,
        };
        if let Err(error) = parse_line(text, row) {
            loader.reject_row(1, |_| bad_json(name, text, line, &error));
            continue;
        }
        for (column, _) in seen.iter().enumerate().filter(|(_, &seen)| !seen) {
            if let Err(problem) = loader.builders[column].push_missing() {
                problems.push((column, problem));
            }
        }
        if problems.is_empty() {
            loader.commit_row_at(line);
            continue;
        }

        loader.reject_row(problems.len(), |i| {
            let (column, problem) = problems[i];
            let spec = &schema.columns[column];
            let occurrence = usize::from(problem == Problem::DuplicateKey);
            let Some(span) = value_span(text, spec.in_file(), occurrence) else {
                // Only a missing value can have no place in the line: its key is absent.
                let mut words = describe(problem, spec, "");
                words.label = format!("no key `{}` in this object", spec.in_file());
                return row_diagnostic(name, raw, line, trimmed(text), None, words);
            };
            let token = &text[span.clone()];
            let shown = match problem {
                // A string that did not parse is shown as its content, other values as written.
                Problem::Invalid if token.starts_with('"') => {
                    serde_json::from_str::<String>(token).unwrap_or_else(|_| token.to_string())
                }
                _ => token.to_string(),
            };
            row_diagnostic(name, raw, line, span, None, describe(problem, spec, &shown))
        });
    }
}

/// Parses one line as an object, pushing its values; the error is the line's JSON error.
fn parse_line(text: &str, row: RowSeed<'_>) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    row.deserialize(&mut deserializer)?;
    deserializer.end()
}

fn invalid_utf8(name: &str, raw: &[u8], line: usize, span: Range<usize>) -> Diagnostic {
    let words = Described {
        code: "msr::data::invalid_utf8",
        message: "line is not valid UTF-8".to_string(),
        label: "not valid UTF-8".to_string(),
        help: "save the file as UTF-8".to_string(),
    };
    row_diagnostic(name, raw, line, span, None, words)
}

fn bad_json(name: &str, text: &str, line: usize, error: &serde_json::Error) -> Diagnostic {
    let help = "write each record as one complete JSON object on its own line, \
                such as `{\"id\": \"INC-1\", \"open\": true}`";
    if error.is_data() {
        // Our visitors report nothing as a data error but a line that is not an object.
        let words = Described {
            code: "msr::data::bad_json",
            message: "line is not a JSON object".to_string(),
            label: format!("expected a JSON object, found {}", json_kind(text)),
            help: help.to_string(),
        };
        return row_diagnostic(name, text.as_bytes(), line, trimmed(text), None, words);
    }

    // serde_json counts columns from one and points at the byte where parsing failed.
    let mut at = error.column().saturating_sub(1).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let reason = error.to_string();
    let reason = reason.split(" at line ").next().unwrap_or_default();
    let words = Described {
        code: "msr::data::bad_json",
        message: format!("invalid JSON: {reason}"),
        label: if error.is_eof() {
            "line ends here"
        } else {
            "here"
        }
        .to_string(),
        help: help.to_string(),
    };
    row_diagnostic(name, text.as_bytes(), line, at..end, None, words)
}

/// The kind of JSON value a line holds, judged by its first character.
fn json_kind(text: &str) -> &'static str {
    match text.trim_start().as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The line without its surrounding blanks.
fn trimmed(text: &str) -> Range<usize> {
    let start = text.len() - text.trim_start().len();
    start..text.trim_end().len().max(start)
}

/// Matches the keys of one object to columns and pushes their values.
struct RowSeed<'r> {
    /// Column names, in schema order.
    keys: &'r [Option<&'r str>],
    builders: &'r mut [ColumnBuilder],
    /// Which columns the object has given so far.
    seen: &'r mut [bool],
    problems: &'r mut Vec<(usize, Problem)>,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed(self.keys))? {
            let Some(column) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if std::mem::replace(&mut self.seen[column], true) {
                map.next_value::<IgnoredAny>()?;
                self.problems.push((column, Problem::DuplicateKey));
                continue;
            }
            if let Err(problem) = map.next_value_seed(CellSeed(&mut self.builders[column]))? {
                self.problems.push((column, problem));
            }
        }
        Ok(())
    }
}

/// Finds the column of a key, without copying the key.
struct KeySeed<'r>(&'r [Option<&'r str>]);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|k| *k == Some(key)))
    }
}

/// Pushes one value into a builder. A value that does not fit is not a JSON error: the
/// problem is the visitor's value, so parsing goes on and the whole row can be judged.
struct CellSeed<'b>(&'b mut ColumnBuilder);

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = Result<(), Problem>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = Result<(), Problem>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(self.0.push_json_bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(self.0.push_json_i64(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(self.0.push_json_u64(value))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(self.0.push_json_f64(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(self.0.push_json_str(value))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.0.push_missing())
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(self.0.push_missing())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(Problem::WrongJsonType("an array")))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err(Problem::WrongJsonType("an object")))
    }
}

/// The byte range of the value of the `nth` occurrence (from zero) of `key` in the object on
/// this line, found by a small scan; `None` if the key is not there.
fn value_span(text: &str, key: &str, nth: usize) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = skip_blanks(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let mut found = 0;
    i += 1;
    loop {
        i = skip_blanks(b, i);
        let key_end = skip_string(b, i)?;
        let name: String = serde_json::from_str(text.get(i..key_end)?).ok()?;
        i = skip_blanks(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_blanks(b, i + 1);
        let value_end = skip_value(b, value_start)?;
        if name == key {
            if found == nth {
                return Some(value_start..value_end);
            }
            found += 1;
        }
        i = skip_blanks(b, value_end);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
    }
}

fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The end of the string starting at `i`, after its closing quote.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// The end of the value starting at `i`.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while b
                .get(j)
                .is_some_and(|c| !matches!(c, b',' | b'}' | b']') && !c.is_ascii_whitespace())
            {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{load_bytes, load_errors, load_ok, schema, severity};
    use super::super::{ColumnData, ColumnType, LoadOptions, Table};
    use super::*;

    fn incidents() -> super::super::Schema {
        schema(&[
            ("id", ColumnType::Text, false),
            ("count", ColumnType::Int, true),
            ("score", ColumnType::Number, true),
            ("open", ColumnType::Bool, true),
            ("day", ColumnType::Date, true),
            ("at", ColumnType::DateTime, true),
            ("took", ColumnType::Duration, true),
            ("sev", severity(), true),
        ])
    }

    fn data<'t>(table: &'t Table, name: &str) -> &'t ColumnData {
        &table.column(name).expect("column").data
    }

    /// A reader that gives at most `step` bytes a call, and is interrupted once.
    struct Trickle<'b> {
        bytes: &'b [u8],
        step: usize,
        interrupted: bool,
    }

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if !self.interrupted {
                self.interrupted = true;
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    #[test]
    fn lines_split_across_chunks_and_reads_read_alike() {
        let long = "x".repeat(300);
        let text = format!(
            "\u{feff}{{\"id\": \"a\", \"count\": 1}}\r\n\n\
             {{\"id\": \"{long}\", \"sev\": \"high\"}}\n\
             {{\"id\": \"bad\", \"count\": \"two\"}}\n\
             {{\"id\": \"é\", \"day\": \"2025-09-01\"}}"
        );
        let schema = incidents();
        let options = LoadOptions {
            skip_bad_rows: true,
            row_lines: true,
            ..LoadOptions::default()
        };
        let load = |chunk: usize, step: usize| {
            let mut loader = Loader::new("data.jsonl", &schema, &options, 0);
            let mut file = Trickle {
                bytes: text.as_bytes(),
                step,
                interrupted: false,
            };
            read_in_chunks(&mut file, text.len() as u64, &mut loader, chunk).unwrap();
            let (table, warnings) = loader.finish(std::path::Path::new("data.jsonl")).unwrap();
            let lines: Vec<String> = warnings.iter().map(|w| format!("{w:?}")).collect();
            (format!("{:?}", table.columns), table.lines, lines)
        };
        let whole = load(CHUNK, usize::MAX);
        assert_eq!(whole.1, Some(vec![1, 3, 5]));
        // The bad row is line 4; diagnostics count lines from zero.
        assert!(
            whole.2.len() == 1 && whole.2[0].contains("first_line: 3"),
            "{:?}",
            whole.2
        );
        for (chunk, step) in [(1, 1), (2, 5), (3, 1), (7, 3), (64, 64), (500, 17)] {
            assert_eq!(
                load(chunk, step),
                whole,
                "chunks of {chunk}, reads of {step}"
            );
        }
    }

    #[test]
    fn finds_value_spans() {
        let line = r#" {"a": [1, {"b": "]"}], "k\"ey": "x\"y" , "a" :3}"#;
        assert_eq!(
            value_span(line, "a", 0).map(|r| &line[r]),
            Some(r#"[1, {"b": "]"}]"#)
        );
        assert_eq!(
            value_span(line, "k\"ey", 0).map(|r| &line[r]),
            Some(r#""x\"y""#)
        );
        assert_eq!(value_span(line, "a", 1).map(|r| &line[r]), Some("3"));
        assert_eq!(value_span(line, "b", 0), None);
        assert_eq!(value_span("[1]", "a", 0), None);
    }

    #[test]
    fn reads_every_type_and_skips_blank_lines() {
        let text = concat!(
            "{\"id\": \"A\", \"count\": 3, \"score\": 2.5, \"open\": true, \"day\": \"2025-09-01\",",
            " \"at\": \"2025-09-01T14:30:00Z\", \"took\": \"1d12h\", \"sev\": \"high\", \"x\": [1]}\r\n",
            "   \n",
            "\n",
            "{\"id\": \"B\\u0021\", \"count\": 4.0, \"score\": -1, \"open\": \"no\", \"day\": null}\n",
        );
        let table = load_ok(text.as_bytes(), "jsonl", &incidents());
        assert_eq!(table.len, 2);
        assert!(
            matches!(data(&table, "id"), ColumnData::Text { dictionary, .. } if &*dictionary[1] == "B!")
        );
        assert!(matches!(data(&table, "count"), ColumnData::Int(v) if v == &[3, 4]));
        assert!(matches!(data(&table, "score"), ColumnData::Number(v) if v == &[2.5, -1.0]));
        assert!(matches!(data(&table, "open"), ColumnData::Bool(v) if v == &[true, false]));
        assert!(matches!(data(&table, "day"), ColumnData::Date(v) if v[0] == 20_332));
        assert!(
            matches!(data(&table, "took"), ColumnData::Duration(v) if v[0] == 36 * 3_600_000_000)
        );
        assert!(matches!(data(&table, "sev"), ColumnData::Category(v) if v[0] == 2));
        // `day` is null and `at`, `took` and `sev` absent on the second row.
        for name in ["day", "at", "took", "sev"] {
            let column = table.column(name).expect("column");
            assert_eq!(column.missing, Some(vec![false, true]), "{name}");
        }
        assert!(table.column("count").expect("column").missing.is_none());
    }

    #[test]
    fn ndjson_extension_and_empty_file() {
        let table = load_ok(b"{\"id\": \"a\"}", "ndjson", &incidents());
        assert_eq!(table.len, 1);
        assert_eq!(load_ok(b"", "jsonl", &incidents()).len, 0);
    }

    #[test]
    fn wrong_json_types_are_bad_values() {
        let cases = [
            (
                r#"{"id": "a", "count": "4"}"#,
                "invalid integer `\"4\"` in column `count`",
                22,
            ),
            (
                r#"{"id": "a", "count": 1.5}"#,
                "invalid integer `1.5` in column `count`",
                22,
            ),
            (
                r#"{"id": "a", "score": true}"#,
                "invalid number `true` in column `score`",
                22,
            ),
            (
                r#"{"id": "a", "open": 1}"#,
                "invalid boolean `1` in column `open`",
                21,
            ),
            (r#"{"id": 17}"#, "invalid text `17` in column `id`", 8),
            (
                r#"{"id": "a", "day": [2025]}"#,
                "invalid date `[2025]` in column `day`",
                20,
            ),
            (
                r#"{"id": "a", "at": "2025-09-01"}"#,
                "invalid date-time `2025-09-01` in column `at`",
                19,
            ),
            (
                r#"{"id": "a", "took": "P1M"}"#,
                "invalid duration `P1M` in column `took`",
                21,
            ),
            (
                r#"{"id": "a", "sev": "hi"}"#,
                "unknown category `hi` in column `sev`",
                20,
            ),
        ];
        for (line, message, column) in cases {
            let text = format!("{{\"id\": \"first\"}}\n{line}\n");
            let errors = load_errors(text.as_bytes(), "jsonl", &incidents());
            assert_eq!(errors.len(), 1, "{line}");
            assert_eq!(errors[0].code, "msr::data::bad_value");
            assert_eq!(errors[0].message, message);
            assert_eq!(
                errors[0].location(),
                Some(("data.jsonl".to_string(), 2, column))
            );
        }
    }

    #[test]
    fn missing_values_absent_or_null() {
        let errors = load_errors(b"{\"count\": 1}\n{\"id\": null}\n", "jsonl", &incidents());
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.code == "msr::data::missing_value"));
        assert_eq!(errors[0].labels[0].text, "no key `id` in this object");
        assert_eq!(errors[0].location(), Some(("data.jsonl".to_string(), 1, 1)));
        assert_eq!(errors[1].location(), Some(("data.jsonl".to_string(), 2, 8)));
    }

    #[test]
    fn bad_json_lines() {
        let cases = [
            ("[1, 2]", "line is not a JSON object", 1),
            ("  42", "line is not a JSON object", 3),
            ("{\"id\": \"a\",}", "invalid JSON: trailing comma", 12),
            ("{\"id\" \"a\"}", "invalid JSON: expected `:`", 7),
            (
                "{\"id\": \"a\"} {}",
                "invalid JSON: trailing characters",
                13,
            ),
            ("{\"id\": ", "invalid JSON: EOF while parsing a value", 7),
            ("{\"é\": é}", "invalid JSON: expected value", 7),
            ("{\"id\": \"é\\é\"}", "invalid JSON: invalid escape", 11),
        ];
        for (line, message, column) in cases {
            let text = format!("{{\"id\": \"ok\"}}\n\n{line}\n");
            let errors = load_errors(text.as_bytes(), "jsonl", &incidents());
            assert_eq!(errors.len(), 1, "{line}");
            assert_eq!(errors[0].code, "msr::data::bad_json");
            assert_eq!(errors[0].message, message, "{line}");
            assert_eq!(
                errors[0].location(),
                Some(("data.jsonl".to_string(), 3, column)),
                "{line}"
            );
        }
    }

    #[test]
    fn duplicate_keys_and_invalid_utf8() {
        let errors = load_errors(b"{\"id\": \"a\", \"id\": \"b\"}\n", "jsonl", &incidents());
        assert_eq!(errors[0].code, "msr::data::bad_json");
        assert_eq!(errors[0].message, "key `id` appears twice in one object");
        assert_eq!(
            errors[0].location(),
            Some(("data.jsonl".to_string(), 1, 19))
        );

        let errors = load_errors(
            b"{\"id\": \"a\"}\n{\"id\": \"\xff\"}\n",
            "jsonl",
            &incidents(),
        );
        assert_eq!(errors[0].code, "msr::data::invalid_utf8");
        assert_eq!(errors[0].location(), Some(("data.jsonl".to_string(), 2, 9)));
    }

    #[test]
    fn skip_bad_rows_in_json_lines() {
        let options = LoadOptions {
            skip_bad_rows: true,
            ..LoadOptions::default()
        };
        let text = b"{\"id\": \"a\", \"count\": 1}\n{\"id\": \"b\", \"count\": \"x\"}\nnot json\n{\"id\": \"c\"}\n";
        let (table, warnings) = load_bytes(text, "jsonl", &incidents(), &options).expect("loads");
        assert_eq!(table.len, 2);
        assert_eq!(table.skipped_rows, 2);
        assert!(
            matches!(data(&table, "id"), ColumnData::Text { dictionary, .. } if dictionary.len() == 2)
        );
        assert_eq!(
            table.column("count").expect("column").missing,
            Some(vec![false, true])
        );
        let codes: Vec<&str> = warnings.iter().map(|w| w.code).collect();
        assert_eq!(codes, vec!["msr::data::bad_value", "msr::data::bad_json"]);
        assert!(warnings.iter().all(|w| !w.is_error()));
    }

    #[test]
    fn snapshot_wrong_json_type() {
        let errors = load_errors(
            b"{\"id\": \"INC-1\", \"count\": \"12\"}\n",
            "jsonl",
            &incidents(),
        );
        insta::assert_snapshot!(errors[0].render_plain(80));
    }

    #[test]
    fn snapshot_bad_json() {
        let errors = load_errors(
            b"{\"id\": \"INC-1\"}\n{\"id\": \"INC-2\" \"count\": 3}\n",
            "jsonl",
            &incidents(),
        );
        insta::assert_snapshot!(errors[0].render_plain(80));
    }
}
