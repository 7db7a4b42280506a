//! Evidence bundles: what a run read and computed, kept so that it can be checked later.
//!
//! ISO/IEC 27001 clause 9.1 asks for documented information as evidence of monitoring and
//! measurement results. A bundle is a directory with three parts:
//!
//! - `manifest.json`: the settings of the run that decide its results, every programme file
//!   and dataset it read with its size and SHA-256, the SHA-256 of `results.json`, and each
//!   indicator's status ([`Manifest`]);
//! - `results.json`: the report exactly as `msr run --format json` prints it;
//! - `programme/`: a copy of every source file the run read, in its relative layout, with
//!   the standard library's files under `programme/std/` ([`layout`]).
//!
//! Invariants: a bundle is a function of what the run read and of its settings alone (no
//! clock, no host name, no absolute path the run was not given), so the same run over the
//! same files writes the same bytes; every path in the manifest is written with `/`; and the
//! manifest is written last, so a directory without one never held a complete bundle.
//! [`store`] writes bundles and [`verify`] checks one against the files it describes.
//!
//! Hashes show that files are unchanged since the bundle was written; they say nothing of
//! who wrote it. Bundles are not signed.

pub mod layout;
pub mod store;
pub mod verify;

use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use crate::check::Program;
use crate::data::Table;
use crate::diagnostic::Diagnostic;
use crate::eval::Results;

pub use store::{prepare, write, Target};
pub use verify::{verify, Check, Role, Status, Verification};

/// The `format` of the manifests this version writes and reads.
pub const FORMAT: &str = "msr-evidence/1";

/// The manifest's file name in a bundle.
pub const MANIFEST: &str = "manifest.json";

/// The results' file name in a bundle.
pub const RESULTS: &str = "results.json";

/// The folder of a bundle that holds the programme's files.
pub const PROGRAMME: &str = "programme";

/// The contents of `manifest.json`. Fields are written in the order declared here, so a
/// manifest's bytes depend only on its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`]: what reads the manifest knows by it that it is one.
    pub format: String,
    /// The version of msr that ran.
    pub msr_version: String,
    pub run: RunRecord,
    /// Every source file the run read, the file run first.
    pub programme: Vec<FileEntry>,
    /// Every dataset the run read, in declaration order.
    pub datasets: Vec<DatasetEntry>,
    /// `results.json`.
    pub results: FileEntry,
    /// The status of each indicator in each period, in declaration order.
    pub indicators: Vec<IndicatorStatuses>,
}

/// The settings of a run that decide its results, as the run was given them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// The programme file, as named on the command line.
    pub file: String,
    /// `--period`; `None` for a series or for the whole data.
    pub period: Option<String>,
    /// `--from`, `--to` and the length of each period, for a series.
    pub series: Option<SeriesRecord>,
    /// The instant the data was seen from (`--as-of`), in UTC; `--as-of now` is kept as the
    /// instant it meant.
    pub as_of: Option<String>,
    /// `--tz`; `None` for UTC.
    pub time_zone: Option<String>,
    pub skip_bad_rows: bool,
    pub allow_any_path: bool,
    /// `--data` as given; `None` for the programme file's folder.
    pub data_dir: Option<String>,
}

/// The periods of a series run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesRecord {
    pub from: String,
    pub to: String,
    /// The length of each period (`month`, `quarter`, ...), as the run chose it.
    pub every: String,
}

/// A file of the bundle, or a programme file the run read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The name diagnostics give the file (`examples/isms/isms.msr`, `std:scales.msr`);
    /// absent for `results.json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the file is inside the bundle.
    pub path: String,
    pub bytes: u64,
    /// The SHA-256 of the file's bytes, in lower-case hex.
    pub sha256: String,
}

/// A dataset the run read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetEntry {
    pub name: String,
    /// The source the programme declares (or a binding gives) for it.
    pub source: String,
    /// The file read: the data directory joined with the source, as the run named it.
    pub path: String,
    pub bytes: u64,
    /// The SHA-256 of the bytes the rows were read from, in lower-case hex.
    pub sha256: String,
    pub rows: usize,
    /// Rows left out under `--skip-bad-rows`.
    pub skipped_rows: usize,
}

/// One indicator's status in each period of the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorStatuses {
    pub name: String,
    pub statuses: Vec<PeriodStatus>,
}

/// An indicator's status in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodStatus {
    /// The period's label; `None` for the whole data.
    pub period: Option<String>,
    /// `None` when no band of the decision criteria holds.
    pub status: Option<String>,
}

/// A bundle ready to be written: its files, by their path inside it, and its manifest.
#[derive(Debug, Clone)]
pub struct Bundle {
    pub manifest: Manifest,
    /// The programme files and `results.json`, in the manifest's order.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Bundle {
    /// The bundle of a run: `program` as it was read, the datasets it read, the JSON report
    /// (`results_json`, exactly as printed) and the results it was rendered from (one per
    /// period). An error when the programme's files cannot be laid out in the bundle.
    pub fn new(
        run: RunRecord,
        program: &Program,
        datasets: Vec<DatasetEntry>,
        results_json: String,
        results: &[Results],
    ) -> Result<Bundle, Vec<Diagnostic>> {
        let sources: Vec<_> = program.sources.files().map(|(_, f)| f).collect();
        let paths: Vec<&Path> = sources.iter().map(|f| f.path.as_path()).collect();
        let inside = layout::programme_paths(&paths)?;

        let mut files = Vec::with_capacity(sources.len() + 1);
        let mut programme = Vec::with_capacity(sources.len());
        for (file, path) in sources.iter().zip(inside) {
            let bytes = file.source.text().as_bytes().to_vec();
            programme.push(FileEntry {
                name: Some(file.source.name().to_string()),
                path: path.clone(),
                bytes: bytes.len() as u64,
                sha256: sha256_hex(&bytes),
            });
            files.push((path, bytes));
        }

        let results_bytes = results_json.into_bytes();
        let results_entry = FileEntry {
            name: None,
            path: RESULTS.to_string(),
            bytes: results_bytes.len() as u64,
            sha256: sha256_hex(&results_bytes),
        };
        files.push((RESULTS.to_string(), results_bytes));

        let manifest = Manifest {
            format: FORMAT.to_string(),
            msr_version: env!("CARGO_PKG_VERSION").to_string(),
            run,
            programme,
            datasets,
            results: results_entry,
            indicators: statuses(results),
        };
        Ok(Bundle { manifest, files })
    }

    /// `manifest.json` as it is written: indented JSON ending with a line break.
    pub fn manifest_text(&self) -> String {
        manifest_text(&self.manifest)
    }
}

/// A manifest as JSON text, indented, ending with a line break.
pub fn manifest_text(manifest: &Manifest) -> String {
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(manifest).unwrap_or_default();
    text.push('\n');
    text
}

/// The manifest entries of the datasets a run read, from its tables (by dataset index, as
/// [`crate::eval::load_data`] gives them). Only tables loaded with
/// [`crate::data::LoadOptions::digest`] carry the hash an entry needs; others are left out,
/// so a run that keeps evidence must load with it.
pub fn dataset_entries(program: &Program, tables: &[Option<Table>]) -> Vec<DatasetEntry> {
    tables
        .iter()
        .enumerate()
        .filter_map(|(id, table)| {
            let table = table.as_ref()?;
            let digest = table.digest?;
            Some(DatasetEntry {
                name: table.name.clone(),
                source: program.datasets.get(id)?.source.clone(),
                path: slash_path(&table.path),
                bytes: digest.bytes,
                sha256: hex(&digest.sha256),
                rows: table.len,
                skipped_rows: table.skipped_rows,
            })
        })
        .collect()
}

/// Each indicator's status in each period of `results` (one entry per period).
pub fn statuses(results: &[Results]) -> Vec<IndicatorStatuses> {
    let Some(first) = results.first() else {
        return Vec::new();
    };
    first
        .indicators
        .iter()
        .enumerate()
        .map(|(k, indicator)| IndicatorStatuses {
            name: indicator.name.clone(),
            statuses: results
                .iter()
                .map(|r| PeriodStatus {
                    period: r.period.as_ref().map(|p| p.label.clone()),
                    status: r.indicators.get(k).and_then(|i| i.total.status.clone()),
                })
                .collect(),
        })
        .collect()
}

/// Bytes as lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        text.push(DIGITS[usize::from(b >> 4)] as char);
        text.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    text
}

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The size and SHA-256 (in lower-case hex) of a file, read in pieces so that a large data
/// file is not held in memory.
pub fn sha256_file(path: &Path) -> std::io::Result<(u64, String)> {
    use std::io::Read;

    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hex(&hasher.finalize())))
}

/// A path written with `/` between its parts, whatever the platform writes.
pub fn slash_path(path: &Path) -> String {
    let mut text = String::new();
    for component in path.components() {
        let part = match component {
            Component::Prefix(prefix) => prefix.as_os_str().to_string_lossy().into_owned(),
            Component::RootDir => {
                text.push('/');
                continue;
            }
            Component::CurDir => ".".to_string(),
            Component::ParentDir => "..".to_string(),
            Component::Normal(name) => name.to_string_lossy().into_owned(),
        };
        if !text.is_empty() && !text.ends_with('/') {
            text.push('/');
        }
        text.push_str(&part);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_sha256_match_the_published_test_vectors() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn a_file_is_hashed_across_its_pieces() {
        let path = std::env::temp_dir().join(format!("msr-evidence-{}.bin", std::process::id()));
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let hashed = sha256_file(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert_eq!(hashed, (bytes.len() as u64, sha256_hex(&bytes)));
        assert!(sha256_file(&path).is_err());
    }

    #[test]
    fn paths_are_written_with_slashes() {
        assert_eq!(slash_path(Path::new("a/b/c.csv")), "a/b/c.csv");
        assert_eq!(slash_path(Path::new("./a/../b.csv")), "./a/../b.csv");
        assert_eq!(slash_path(Path::new("/tmp/x.csv")), "/tmp/x.csv");
        assert_eq!(slash_path(Path::new("x.csv")), "x.csv");
    }

    fn sample() -> Manifest {
        Manifest {
            format: FORMAT.to_string(),
            msr_version: "0.1.0".to_string(),
            run: RunRecord {
                file: "a.msr".to_string(),
                period: Some("2025-Q3".to_string()),
                ..RunRecord::default()
            },
            programme: vec![FileEntry {
                name: Some("a.msr".to_string()),
                path: "programme/a.msr".to_string(),
                bytes: 3,
                sha256: sha256_hex(b"abc"),
            }],
            datasets: Vec::new(),
            results: FileEntry {
                name: None,
                path: RESULTS.to_string(),
                bytes: 0,
                sha256: sha256_hex(b""),
            },
            indicators: vec![IndicatorStatuses {
                name: "i".to_string(),
                statuses: vec![PeriodStatus {
                    period: Some("2025-Q3".to_string()),
                    status: None,
                }],
            }],
        }
    }

    #[test]
    fn manifest_keys_keep_their_order_and_read_back() {
        let text = manifest_text(&sample());
        let keys = [
            "\"format\"",
            "\"msr_version\"",
            "\"run\"",
            "\"file\"",
            "\"period\"",
            "\"series\"",
            "\"as_of\"",
            "\"time_zone\"",
            "\"skip_bad_rows\"",
            "\"allow_any_path\"",
            "\"data_dir\"",
            "\"programme\"",
            "\"datasets\"",
            "\"results\"",
            "\"indicators\"",
        ];
        let at: Vec<usize> = keys.iter().map(|k| text.find(k).expect(k)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert!(text.ends_with("}\n"));
        // `results.json` has no diagnostic name, and its entry says so by leaving it out.
        let results = &text[text.find("\"results\"").unwrap()..];
        assert!(!results[..results.find('}').unwrap()].contains("\"name\""));

        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, sample());
        assert_eq!(manifest_text(&back), text);
    }
}
