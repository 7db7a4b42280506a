//! Loading and validating datasets.
//!
//! A dataset is read once into typed columns: text is dictionary-encoded, categories are
//! indices into their scale, dates and timestamps are integers. Every row is validated
//! against the declared schema; a value that does not fit is a located diagnostic (file,
//! line, column, value), never a silent drop. This module knows nothing of measures.

//!
//! Layout: `values` parses cell text (and holds the public literal parsers), `columns`
//! collects typed values row by row, and `csv` and `jsonl` read the two file formats. This
//! file holds the public types, [`load`], and the bookkeeping both readers share: which rows
//! were kept or skipped, and the diagnostics, capped so a bad file does not flood the report.

mod columns;
mod csv;
mod inline;
mod jsonl;
#[cfg(test)]
mod testutil;
mod values;

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest as _, Sha256};

pub use inline::{empty_table, load_inline, InlineRows};
pub(crate) use values::parse_bool;
pub use values::{parse_date, parse_datetime, parse_duration};

use crate::diagnostic::{Diagnostic, Severity, SourceText};
use columns::ColumnBuilder;
use values::Described;

/// The declared type of a dataset column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnType {
    Int,
    Number,
    Bool,
    Text,
    /// Days since 1970-01-01.
    Date,
    /// Microseconds since the Unix epoch, UTC.
    DateTime,
    /// Microseconds.
    Duration,
    /// One of the categories of a declared scale, stored as its index.
    Category {
        scale: Arc<str>,
        categories: Arc<[Arc<str>]>,
        /// Other texts the data writes categories as (`"P1"` for `critical`), each with the
        /// category's index: a binding's recoding.
        aliases: Arc<[(Arc<str>, u16)]>,
    },
}

/// One declared column of a dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnSpec {
    pub name: String,
    pub ty: ColumnType,
    /// Whether the column may be empty (`?` in the declaration).
    pub optional: bool,
    /// The column's name in the data file, when a binding gives it another name than the
    /// declared one.
    pub source_name: Option<String>,
    /// The data file does not have the column (a binding says `= none`): it is missing in
    /// every row, which only an optional column may be.
    pub absent: bool,
    /// Other texts the data writes a boolean column's values as (`"Y"` for `true`), from a
    /// binding; `true`/`false`, `yes`/`no` and `1`/`0` are always read.
    pub bool_texts: Arc<[(Arc<str>, bool)]>,
}

impl ColumnSpec {
    /// The name the data file gives the column: a header in CSV, a key in JSON Lines.
    pub fn in_file(&self) -> &str {
        self.source_name.as_deref().unwrap_or(&self.name)
    }
}

/// The columns a dataset declares, in declaration order.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    pub dataset: String,
    pub columns: Vec<ColumnSpec>,
    /// The time zone the dataset's timestamps without an offset are local to; UTC when
    /// `None`.
    pub zone: Option<chrono_tz::Tz>,
}

/// The values of one column, one entry per row.
#[derive(Debug, Clone)]
pub enum ColumnData {
    Int(Vec<i64>),
    Number(Vec<f64>),
    Bool(Vec<bool>),
    /// Codes into `dictionary`, which holds each distinct value once, in first-seen order.
    Text {
        codes: Vec<u32>,
        dictionary: Vec<Arc<str>>,
    },
    /// Index into the scale's categories.
    Category(Vec<u16>),
    Date(Vec<i32>),
    DateTime(Vec<i64>),
    Duration(Vec<i64>),
    /// A column validated on loading but not kept, because the programme never reads it.
    Unread,
}

/// A typed column. Where a value is missing, `missing` is true and the data slot holds a
/// placeholder (zero, or code 0) that must not be read.
#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub data: ColumnData,
    /// `None` when no value of the column is missing.
    pub missing: Option<Vec<bool>>,
}

impl Column {
    pub fn is_missing(&self, row: usize) -> bool {
        self.missing.as_ref().is_some_and(|m| m[row])
    }
}

/// A loaded dataset: the declared columns, in declaration order, all of length `len`.
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub path: PathBuf,
    pub len: usize,
    pub columns: Vec<Column>,
    /// Rows left out under `skip_bad_rows`, each also reported as a warning.
    pub skipped_rows: usize,
    /// The one-based line of the file each row was read from, when the load was asked to
    /// keep them ([`LoadOptions::row_lines`]): the evidence behind a value.
    pub lines: Option<Vec<u32>>,
    /// The size and SHA-256 of the bytes the rows were read from, when the load was asked
    /// for them ([`LoadOptions::digest`]); `None` for rows that come from no file.
    pub digest: Option<FileDigest>,
}

/// What a load read from a data file: its size in bytes and the SHA-256 of those bytes,
/// computed while the rows were parsed, so that they describe exactly the data loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileDigest {
    pub bytes: u64,
    pub sha256: [u8; 32],
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// How to treat rows that do not fit the schema.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Leave bad rows out (counting and reporting them) instead of failing the load.
    pub skip_bad_rows: bool,
    /// Which declared columns to keep, by schema position; the others are validated and
    /// dropped. `None` keeps every column.
    pub keep: Option<Vec<bool>>,
    /// Keep the line each row was read from, in [`Table::lines`].
    pub row_lines: bool,
    /// Hash the file's bytes as they are read, into [`Table::digest`].
    pub digest: bool,
}

/// How many problems a load reports one by one; the rest are counted in a summary.
const MAX_REPORTED: usize = 20;

/// Reads a CSV file (with a header row) or a JSON Lines file, chosen by the extension
/// (`.csv`, `.jsonl` or `.ndjson`), into a typed [`Table`] with the columns of `schema`.
///
/// `display_name` names the file in diagnostics, e.g. `incidents.csv` relative to the data
/// directory. `Ok` carries the table and warnings: one per row left out under
/// `skip_bad_rows`, capped at 20 plus a summary. `Err` carries the errors: problems with the
/// file or its header, or, without `skip_bad_rows`, up to 20 bad values plus a summary
/// saying how many more there are. Under [`LoadOptions::digest`] the table also carries the
/// size and SHA-256 of the bytes read, hashed as they are parsed rather than in a second read.
pub fn load(
    path: &Path,
    display_name: &str,
    schema: &Schema,
    options: &LoadOptions,
) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
    let format = Format::of(path).ok_or_else(|| vec![unknown_format(path, display_name)])?;
    let mut file =
        std::fs::File::open(path).map_err(|e| vec![unreadable(path, display_name, &e)])?;
    let before = file
        .metadata()
        .map_err(|e| vec![unreadable(path, display_name, &e)])?;
    if before.is_dir() {
        let error = std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a directory");
        return Err(vec![unreadable(path, display_name, &error)]);
    }

    let mut loader = Loader::new(display_name, schema, options, 0);
    let mut counted = Counted::new(&mut file, options.digest);
    match format {
        Format::Csv => {
            csv::read_file(&mut counted, Some(before.len()), &mut loader).map_err(|e| match e {
                csv::FileError::Io(io) => vec![unreadable(path, display_name, &io)],
                csv::FileError::Diagnostics(diagnostics) => diagnostics,
            })?
        }
        Format::JsonLines => jsonl::read_file(&mut counted, before.len(), &mut loader)
            .map_err(|e| vec![unreadable(path, display_name, &e)])?,
    }
    let (read, sha256) = counted.finish();
    unchanged(&file, &before, read, display_name)?;
    let (mut table, warnings) = loader.finish(path)?;
    table.digest = sha256.map(|sha256| FileDigest {
        bytes: read,
        sha256,
    });
    Ok((table, warnings))
}

/// A reader that counts the bytes it reads and, when asked, hashes them on the way, so that
/// the digest is of exactly the bytes the rows were parsed from.
struct Counted<R> {
    inner: R,
    bytes: u64,
    hasher: Option<Sha256>,
}

impl<R> Counted<R> {
    fn new(inner: R, hash: bool) -> Self {
        Counted {
            inner,
            bytes: 0,
            hasher: hash.then(Sha256::new),
        }
    }

    /// The number of bytes read, and their SHA-256 if they were hashed.
    fn finish(self) -> (u64, Option<[u8; 32]>) {
        (self.bytes, self.hasher.map(|h| h.finalize().into()))
    }
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if let Some(hasher) = &mut self.hasher {
            hasher.update(&buf[..n]);
        }
        Ok(n)
    }
}

/// An error if the file changed while it was read: it grew, shrank or was rewritten, so
/// the rows read may mix two versions of it.
fn unchanged(
    file: &std::fs::File,
    before: &std::fs::Metadata,
    read: u64,
    display_name: &str,
) -> Result<(), Vec<Diagnostic>> {
    let after = file.metadata().ok();
    let same_length = after.as_ref().is_some_and(|a| a.len() == before.len());
    let same_time = match (
        after.as_ref().and_then(|a| a.modified().ok()),
        before.modified().ok(),
    ) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    };
    if read == before.len() && same_length && same_time {
        return Ok(());
    }
    Err(vec![Diagnostic::error(
        "msr::data::changed_while_read",
        format!(
            "`{display_name}` changed while it was read: {} bytes when opened, {read} read",
            before.len()
        ),
    )
    .with_help(
        "run again once the export that writes the file has finished",
    )])
}

/// The file formats a dataset can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

impl Format {
    fn of(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            _ => None,
        }
    }
}

/// Row bookkeeping shared by the readers: the column builders, which rows were kept or
/// skipped, and the diagnostics reported so far.
///
/// A reader pushes each value of a row into `builders`, then calls [`Loader::commit_row`] or,
/// if any push failed, [`Loader::reject_row`], which undoes the row's pushes. So between rows
/// every builder holds exactly `rows` values.
struct Loader<'a> {
    display_name: &'a str,
    schema: &'a Schema,
    skip_bad_rows: bool,
    builders: Vec<ColumnBuilder>,
    rows: usize,
    skipped: usize,
    /// Errors, or under `skip_bad_rows` warnings, up to [`MAX_REPORTED`].
    reported: Vec<Diagnostic>,
    /// Problems (errors) or skipped rows (warnings) past the cap.
    unreported: usize,
    /// The line of each kept row, when asked for.
    lines: Option<Vec<u32>>,
}

impl<'a> Loader<'a> {
    fn new(display_name: &'a str, schema: &'a Schema, options: &LoadOptions, rows: usize) -> Self {
        Loader {
            display_name,
            schema,
            skip_bad_rows: options.skip_bad_rows,
            builders: schema
                .columns
                .iter()
                .enumerate()
                .map(|(i, spec)| match &options.keep {
                    Some(keep) if !keep.get(i).copied().unwrap_or(true) => {
                        ColumnBuilder::unread(spec).in_zone(schema.zone)
                    }
                    _ => ColumnBuilder::new(spec, rows).in_zone(schema.zone),
                })
                .collect(),
            rows: 0,
            skipped: 0,
            reported: Vec::new(),
            unreported: 0,
            lines: options.row_lines.then(Vec::new),
        }
    }

    /// Whether the reader should say which line each kept row is on.
    fn wants_lines(&self) -> bool {
        self.lines.is_some()
    }

    /// Whether a reader should look for every problem of a bad row, or stop at the first:
    /// a skipped row is reported once, a failing load reports every bad value.
    fn wants_every_problem(&self) -> bool {
        !self.skip_bad_rows
    }

    /// Keeps the row whose values were all pushed.
    fn commit_row(&mut self) {
        self.rows += 1;
        debug_assert!(self.builders.iter().all(|b| b.len() == self.rows));
    }

    /// Keeps the row, read from one-based `line`; for loads that keep lines.
    fn commit_row_at(&mut self, line: usize) {
        self.commit_row();
        if let Some(lines) = &mut self.lines {
            lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        }
    }

    /// Undoes the row being read, which has `problems` problems, and reports it;
    /// `describe(i)` builds the diagnostic of the i-th problem, and is called only for those
    /// that are shown.
    fn reject_row(&mut self, problems: usize, mut describe: impl FnMut(usize) -> Diagnostic) {
        for builder in &mut self.builders {
            builder.rollback(self.rows);
        }
        if self.skip_bad_rows {
            self.skipped += 1;
            if self.reported.len() < MAX_REPORTED {
                let mut warning = describe(0);
                warning.severity = Severity::Warning;
                warning.message = format!("skipped row: {}", warning.message);
                self.reported.push(warning);
            } else {
                self.unreported += 1;
            }
            return;
        }
        for i in 0..problems {
            if self.reported.len() < MAX_REPORTED {
                self.reported.push(describe(i));
            } else {
                self.unreported += 1;
            }
        }
    }

    /// Takes over what another loader of the same file read from later rows: its values,
    /// counts and diagnostics, in order, within the cap on diagnostics shown.
    fn absorb(&mut self, other: Loader<'a>) {
        // Into an empty loader, take the columns over rather than copy them.
        if self.rows == 0 && self.builders.iter().all(|b| b.len() == 0) {
            self.builders = other.builders;
            self.rows = other.rows;
            self.lines = other.lines;
            self.skipped += other.skipped;
            self.unreported += other.unreported;
            for diagnostic in other.reported {
                if self.reported.len() < MAX_REPORTED {
                    self.reported.push(diagnostic);
                } else {
                    self.unreported += 1;
                }
            }
            return;
        }
        for (builder, more) in self.builders.iter_mut().zip(other.builders) {
            builder.append(more);
        }
        if let (Some(lines), Some(more)) = (&mut self.lines, other.lines) {
            lines.extend(more);
        }
        self.rows += other.rows;
        self.skipped += other.skipped;
        for diagnostic in other.reported {
            if self.reported.len() < MAX_REPORTED {
                self.reported.push(diagnostic);
            } else {
                self.unreported += 1;
            }
        }
        self.unreported += other.unreported;
    }

    /// A loader like this one with nothing read yet, for another part of the same file.
    fn empty(&self) -> Loader<'a> {
        Loader {
            display_name: self.display_name,
            schema: self.schema,
            skip_bad_rows: self.skip_bad_rows,
            builders: self
                .builders
                .iter()
                .map(ColumnBuilder::empty_like)
                .collect(),
            rows: 0,
            skipped: 0,
            reported: Vec::new(),
            unreported: 0,
            lines: self.lines.as_ref().map(|_| Vec::new()),
        }
    }

    /// Makes room for `rows` more rows in every column.
    fn reserve(&mut self, rows: usize) {
        for builder in &mut self.builders {
            builder.reserve(rows);
        }
    }

    /// The table and warnings, or the errors with a summary of those not shown.
    fn finish(self, path: &Path) -> Result<(Table, Vec<Diagnostic>), Vec<Diagnostic>> {
        let name = self.display_name;
        let mut reported = self.reported;
        let more = self.unreported;
        if !self.skip_bad_rows && !reported.is_empty() {
            if more > 0 {
                let problems = if more == 1 { "problem" } else { "problems" };
                reported.push(
                    Diagnostic::error(
                        "msr::data::too_many_errors",
                        format!("{more} more {problems} in `{name}` not shown"),
                    )
                    .with_help("fix the problems shown first: the rest are often the same mistake"),
                );
            }
            return Err(reported);
        }
        if more > 0 {
            let rows = if more == 1 { "row" } else { "rows" };
            reported.push(
                Diagnostic::warning(
                    "msr::data::skipped_rows",
                    format!("{more} more {rows} skipped in `{name}`"),
                )
                .with_help(format!(
                    "the first {MAX_REPORTED} skipped rows are shown; correct the data to keep every row"
                )),
            );
        }
        let columns = self
            .builders
            .into_iter()
            .zip(&self.schema.columns)
            .map(|(builder, spec)| builder.finish(&spec.name))
            .collect();
        let table = Table {
            name: self.schema.dataset.clone(),
            path: path.to_path_buf(),
            len: self.rows,
            columns,
            skipped_rows: self.skipped,
            lines: self.lines,
            digest: None,
        };
        Ok((table, reported))
    }
}

/// A diagnostic located in some raw lines of a data file, which start at one-based line
/// `first_line`, labelled at the byte range `span` of `raw`, with an optional secondary label.
fn row_diagnostic(
    display_name: &str,
    raw: &[u8],
    first_line: usize,
    span: Range<usize>,
    secondary: Option<(Range<usize>, &str)>,
    words: Described,
) -> Diagnostic {
    let mut spans = vec![span];
    spans.extend(secondary.as_ref().map(|(range, _)| range.clone()));
    let (source, spans) = excerpt(display_name, raw, first_line, &spans);
    let mut diagnostic = Diagnostic::error(words.code, words.message)
        .with_source(source)
        .with_label(spans[0].start, spans[0].end, words.label)
        .with_help(words.help);
    if let (Some((_, text)), Some(span)) = (secondary, spans.get(1)) {
        diagnostic = diagnostic.with_secondary(span.start, span.end, text);
    }
    diagnostic
}

/// The source text of some raw lines, and where the byte ranges `spans` of `raw` lie in it.
///
/// The text is decoded lossily, CRLF becomes LF and a final LF is added, piece by piece between the spans' ends,
/// so each span stays on the same characters and falls on character boundaries. The ends are
/// field or value delimiters, which are ASCII, so no CRLF is cut in two.
fn excerpt(
    display_name: &str,
    raw: &[u8],
    first_line: usize,
    spans: &[Range<usize>],
) -> (SourceText, Vec<Range<usize>>) {
    let mut cuts: Vec<usize> = spans
        .iter()
        .flat_map(|s| [s.start.min(s.end), s.end])
        .map(|offset| offset.min(raw.len()))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();

    let mut text = String::with_capacity(raw.len());
    let mut mapped = Vec::with_capacity(cuts.len());
    let mut done = 0;
    for &cut in cuts.iter().chain(std::iter::once(&raw.len())) {
        text.push_str(&String::from_utf8_lossy(&raw[done..cut]).replace("\r\n", "\n"));
        mapped.push((cut, text.len()));
        done = cut;
    }
    // The line break the excerpt was cut from lets a label at the very end be drawn.
    text.push('\n');
    let map = |offset: usize| {
        let offset = offset.min(raw.len());
        mapped
            .iter()
            .find(|(cut, _)| *cut == offset)
            .map_or(0, |&(_, at)| at)
    };
    let spans = spans
        .iter()
        .map(|s| map(s.start.min(s.end))..map(s.end))
        .collect();
    (SourceText::excerpt(display_name, text, first_line), spans)
}

/// The type as the language spells it, for help lines such as "declare it `Date?`".
fn type_name(ty: &ColumnType) -> &str {
    match ty {
        ColumnType::Int => "Int",
        ColumnType::Number => "Number",
        ColumnType::Bool => "Bool",
        ColumnType::Text => "Text",
        ColumnType::Date => "Date",
        ColumnType::DateTime => "DateTime",
        ColumnType::Duration => "Duration",
        ColumnType::Category { scale, .. } => scale,
    }
}

fn unknown_format(path: &Path, display_name: &str) -> Diagnostic {
    let message = match path.extension() {
        Some(extension) => format!(
            "unknown data format `.{}` of `{display_name}`",
            extension.to_string_lossy()
        ),
        None => format!("`{display_name}` has no extension to tell its data format"),
    };
    Diagnostic::error("msr::data::unknown_format", message)
        .with_help("save the data as CSV (`.csv`) or JSON Lines (`.jsonl` or `.ndjson`)")
}

fn unreadable(path: &Path, display_name: &str, error: &std::io::Error) -> Diagnostic {
    let help = match error.kind() {
        std::io::ErrorKind::NotFound => format!(
            "check that `{}` exists, or correct the dataset's file name",
            path.display()
        ),
        std::io::ErrorKind::PermissionDenied => {
            format!(
                "allow reading `{}`, or copy it somewhere readable",
                path.display()
            )
        }
        _ => format!("check that `{}` is a readable file", path.display()),
    };
    Diagnostic::error(
        "msr::data::unreadable",
        format!(
            "cannot read `{display_name}`: {}",
            lower_first(&error.to_string())
        ),
    )
    .with_help(help)
}

/// The operating system's reason starts with a capital; messages do not.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::{load_ok, schema, TempFile};
    use super::*;

    #[test]
    fn a_file_that_changes_while_it_is_read_is_an_error() {
        let path = std::env::temp_dir().join(format!("msr-changed-{}.csv", std::process::id()));
        std::fs::write(&path, "id\n1\n").unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let before = file.metadata().unwrap();
        assert!(unchanged(&file, &before, before.len(), "data.csv").is_ok());

        // Fewer bytes read than the file held when opened: it shrank, or the read stopped.
        let errors = unchanged(&file, &before, 3, "data.csv").unwrap_err();
        assert_eq!(errors[0].code, "msr::data::changed_while_read");

        // It grew after it was opened.
        std::fs::write(&path, "id\n1\n2\n").unwrap();
        let errors = unchanged(&file, &before, before.len(), "data.csv").unwrap_err();
        assert!(
            errors[0].message.contains("changed while it was read"),
            "{}",
            errors[0].message
        );
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_digest_is_of_every_byte_read_and_only_when_asked() {
        let schema = schema(&[("id", ColumnType::Int, false)]);
        let hashed = LoadOptions {
            digest: true,
            ..LoadOptions::default()
        };
        // The byte-order mark and the CRLF line ends are part of the file, so of its hash.
        let csv = b"\xef\xbb\xbfid\r\n1\r\n2\r\n";
        // A JSON Lines file longer than one chunk is hashed across the chunks it is read in.
        let mut jsonl = Vec::new();
        for i in 0..120_000 {
            jsonl.extend_from_slice(format!("{{\"id\": {i}}}\n").as_bytes());
        }
        for (bytes, extension) in [(&csv[..], "csv"), (&jsonl[..], "jsonl")] {
            let file = TempFile::new(extension, bytes);
            let (table, _) = load(&file.0, "data", &schema, &hashed).expect("loads");
            let expected: [u8; 32] = Sha256::digest(bytes).into();
            assert_eq!(
                table.digest,
                Some(FileDigest {
                    bytes: bytes.len() as u64,
                    sha256: expected,
                })
            );
            let (plain, _) = load(&file.0, "data", &schema, &LoadOptions::default()).unwrap();
            assert_eq!(plain.digest, None);
        }
    }

    #[test]
    fn a_digest_covers_a_csv_file_read_in_parts() {
        let schema = schema(&[
            ("id", ColumnType::Int, false),
            ("note", ColumnType::Text, false),
        ]);
        let mut bytes = b"id,note\n".to_vec();
        let mut i = 0;
        while bytes.len() <= 9 << 20 {
            bytes.extend_from_slice(format!("{i},row number {i}\n").as_bytes());
            i += 1;
        }
        let file = TempFile::new("csv", &bytes);
        let options = LoadOptions {
            digest: true,
            ..LoadOptions::default()
        };
        let (table, _) = load(&file.0, "data.csv", &schema, &options).expect("loads");
        assert_eq!(table.len, i);
        let digest = table.digest.expect("a digest");
        assert_eq!(digest.bytes, bytes.len() as u64);
        assert_eq!(digest.sha256, <[u8; 32]>::from(Sha256::digest(&bytes)));
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a/b.csv")), Some(Format::Csv));
        assert_eq!(Format::of(Path::new("b.CSV")), Some(Format::Csv));
        assert_eq!(Format::of(Path::new("b.jsonl")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("b.ndjson")), Some(Format::JsonLines));
        assert_eq!(Format::of(Path::new("b.xlsx")), None);
        assert_eq!(Format::of(Path::new("b")), None);
        let table = load_ok(
            b"id\nx\n",
            "Csv",
            &schema(&[("id", ColumnType::Text, false)]),
        );
        assert_eq!(table.len, 1);
    }

    #[test]
    fn unknown_format_is_an_error_before_reading() {
        let schema = schema(&[("id", ColumnType::Text, false)]);
        let options = LoadOptions::default();
        let errors = load(
            Path::new("/nonexistent/incidents.xlsx"),
            "incidents.xlsx",
            &schema,
            &options,
        )
        .expect_err("fails");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "msr::data::unknown_format");
        assert_eq!(
            errors[0].message,
            "unknown data format `.xlsx` of `incidents.xlsx`"
        );
        assert!(errors[0].help.is_some());
        let errors =
            load(Path::new("incidents"), "incidents", &schema, &options).expect_err("fails");
        assert_eq!(
            errors[0].message,
            "`incidents` has no extension to tell its data format"
        );
    }

    #[test]
    fn unreadable_file_names_the_reason_and_path() {
        let schema = schema(&[("id", ColumnType::Text, false)]);
        let file = TempFile::new("csv", b"");
        let path = file.0.with_file_name("msr-data-test-absent.csv");
        let errors =
            load(&path, "absent.csv", &schema, &LoadOptions::default()).expect_err("fails");
        assert_eq!(errors[0].code, "msr::data::unreadable");
        assert!(errors[0]
            .message
            .starts_with("cannot read `absent.csv`: no such file"));
        let help = errors[0].help.as_deref().unwrap_or_default();
        assert!(help.contains(&path.display().to_string()), "{help}");
    }

    #[test]
    fn table_carries_name_path_and_declaration_order() {
        let schema = schema(&[("b", ColumnType::Int, false), ("a", ColumnType::Int, false)]);
        let file = TempFile::new("csv", b"a,b\n1,2\n");
        let (table, warnings) =
            load(&file.0, "data.csv", &schema, &LoadOptions::default()).expect("loads");
        assert!(warnings.is_empty());
        assert_eq!(table.name, "incidents");
        assert_eq!(table.path, file.0);
        let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["b", "a"]);
        assert!(matches!(&table.columns[0].data, ColumnData::Int(v) if v == &[2]));
    }

    #[test]
    fn excerpt_keeps_spans_on_their_characters() {
        let raw = b"\xffa,\"x\r\ny\",b\r\nc";
        let (source, spans) = excerpt("f.csv", raw, 7, &[3..9, 1..2]);
        assert_eq!(source.text(), "\u{fffd}a,\"x\ny\",b\nc\n");
        assert_eq!(&source.text()[spans[0].clone()], "\"x\ny\"");
        assert_eq!(&source.text()[spans[1].clone()], "a");
        assert_eq!(source.line_col(spans[0].start), (7, 4));
        let (_, spans) = excerpt("f.csv", b"ab", 1, &[5..9, 1..1]);
        assert_eq!(spans, vec![2..2, 1..1]);
    }
}
