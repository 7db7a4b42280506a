//! Checking a bundle against the files it describes.
//!
//! Every programme file and `results.json` is hashed again and compared with the manifest,
//! and so is every dataset the run read, found where the run found it (its path as the run
//! named it, relative to the current directory) or under another data directory. A file
//! under `programme/` that the manifest does not list is reported too. The manifest itself
//! is only read: nothing in the bundle can show that it was not rewritten along with the
//! files, which is why its own SHA-256 is reported, to be compared with one kept elsewhere.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::syntax::os_reason;

use super::store::{inside, Contents};
use super::{sha256_file, sha256_hex, Manifest, FORMAT, MANIFEST, PROGRAMME, RESULTS};

/// How one file compares with the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Same size and SHA-256.
    Ok,
    /// There, but with other bytes.
    Changed,
    /// Not there, or not readable.
    Missing,
    /// Under `programme/` but not in the manifest.
    Extra,
}

impl Status {
    /// The word `msr verify` prints.
    pub fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Changed => "changed",
            Status::Missing => "missing",
            Status::Extra => "extra",
        }
    }
}

/// What a checked file is to the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Programme,
    Results,
    /// A dataset the run read, outside the bundle.
    Data,
}

/// One file checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub role: Role,
    /// The file: its path in the bundle, or for a dataset the path it was looked for at.
    pub path: String,
    pub status: Status,
    /// The dataset's name, for a data file.
    pub dataset: Option<String>,
    /// Why a file counts as missing when it is there but could not be read.
    pub reason: Option<String>,
}

/// The outcome of checking a bundle.
#[derive(Debug, Clone)]
pub struct Verification {
    pub manifest: Manifest,
    /// The SHA-256 of `manifest.json`, in hex.
    pub manifest_sha256: String,
    /// The programme files, `results.json`, any extra files, then the datasets.
    pub checks: Vec<Check>,
}

impl Verification {
    /// Whether every file matches the manifest.
    pub fn all_match(&self) -> bool {
        self.checks.iter().all(|c| c.status == Status::Ok)
    }
}

/// Checks the bundle in `dir`. Datasets are looked for at the path the run read them from,
/// or, with `data_dir`, at their source under it, as `--data` does for a run. An error when
/// `dir` holds no bundle msr can read.
pub fn verify(dir: &Path, data_dir: Option<&Path>) -> Result<Verification, Vec<Diagnostic>> {
    let text = std::fs::read(dir.join(MANIFEST)).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => format!("it has no {MANIFEST}"),
            _ => format!("its {MANIFEST} cannot be read: {}", os_reason(&e)),
        };
        vec![not_a_bundle(dir, &why)]
    })?;
    let manifest: Manifest = serde_json::from_slice(&text).map_err(|e| {
        vec![not_a_bundle(
            dir,
            &format!("its {MANIFEST} is not a manifest of msr: {e}"),
        )]
    })?;
    if manifest.format != FORMAT {
        let why = format!(
            "its {MANIFEST} is of format `{}`, and this msr reads `{FORMAT}`",
            manifest.format
        );
        return Err(vec![not_a_bundle(dir, &why)]);
    }
    let listed = listed_paths(&manifest).map_err(|why| vec![not_a_bundle(dir, &why)])?;

    let mut checks = Vec::new();
    let bundled = manifest
        .programme
        .iter()
        .map(|f| (Role::Programme, f))
        .chain([(Role::Results, &manifest.results)]);
    for (role, entry) in bundled {
        let (status, reason) = compare(&inside(dir, &entry.path), entry.bytes, &entry.sha256);
        checks.push(Check {
            role,
            path: entry.path.clone(),
            status,
            dataset: None,
            reason,
        });
    }
    checks.extend(extra_files(dir, &listed));

    for dataset in &manifest.datasets {
        let path = match data_dir {
            Some(data) => data.join(&dataset.source),
            None => PathBuf::from(&dataset.path),
        };
        let (status, reason) = compare(&path, dataset.bytes, &dataset.sha256);
        checks.push(Check {
            role: Role::Data,
            path: super::slash_path(&path),
            status,
            dataset: Some(dataset.name.clone()),
            reason,
        });
    }

    Ok(Verification {
        manifest,
        manifest_sha256: sha256_hex(&text),
        checks,
    })
}

/// The bundle paths the manifest lists, each checked to lie inside the bundle: a
/// manifest edited to point elsewhere is not followed.
fn listed_paths(manifest: &Manifest) -> Result<BTreeSet<String>, String> {
    if manifest.results.path != RESULTS {
        return Err(format!(
            "its {MANIFEST} names `{}` for the results, not `{RESULTS}`",
            manifest.results.path
        ));
    }
    let mut listed = BTreeSet::new();
    for file in &manifest.programme {
        if !in_programme(&file.path) {
            return Err(format!(
                "its {MANIFEST} lists `{}`, which is not a path under `{PROGRAMME}/`",
                file.path
            ));
        }
        listed.insert(file.path.clone());
    }
    Ok(listed)
}

/// Whether a path of the manifest is a plain relative path under `programme/`.
fn in_programme(path: &str) -> bool {
    let Some(rest) = path.strip_prefix(&format!("{PROGRAMME}/")) else {
        return false;
    };
    !rest.is_empty()
        && rest.split('/').all(|part| {
            let mut components = Path::new(part).components();
            matches!(components.next(), Some(Component::Normal(_)))
                && components.next().is_none()
                && !part.contains('\\')
        })
}

/// The files under `programme/` that the manifest does not list.
fn extra_files(dir: &Path, listed: &BTreeSet<String>) -> Vec<Check> {
    // A bundle without its programme folder shows as every file missing; nothing is extra.
    let Ok(found) = Contents::of(&dir.join(PROGRAMME)) else {
        return Vec::new();
    };
    let mut extra: Vec<String> = found
        .files
        .into_iter()
        .chain(found.others)
        .map(|f| format!("{PROGRAMME}/{f}"))
        .filter(|f| !listed.contains(f))
        .collect();
    extra.sort();
    extra
        .into_iter()
        .map(|path| Check {
            role: Role::Programme,
            path,
            status: Status::Extra,
            dataset: None,
            reason: None,
        })
        .collect()
}

/// How the file at `path` compares with the size and hash the manifest gives.
fn compare(path: &Path, bytes: u64, sha256: &str) -> (Status, Option<String>) {
    match sha256_file(path) {
        Ok((size, hash)) if size == bytes && hash.eq_ignore_ascii_case(sha256) => {
            (Status::Ok, None)
        }
        Ok(_) => (Status::Changed, None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Status::Missing, None),
        Err(e) => (Status::Missing, Some(os_reason(&e))),
    }
}

fn not_a_bundle(dir: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        "msr::evidence::not_a_bundle",
        format!("`{}` is not an evidence bundle: {why}", dir.display()),
    )
    .with_help("give the directory that `msr run --evidence DIR` wrote")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_under_programme_are_followed() {
        assert!(in_programme("programme/a.msr"));
        assert!(in_programme("programme/std/catalogue/all.msr"));
        for path in [
            "programme/",
            "programme/../x",
            "programme/./a.msr",
            "programme//a.msr",
            "programme/a\\..\\b",
            "results.json",
            "/etc/passwd",
            "programme",
        ] {
            assert!(!in_programme(path), "{path}");
        }
    }

    #[test]
    fn a_file_compares_by_size_and_hash() {
        let path = std::env::temp_dir().join(format!("msr-verify-{}.txt", std::process::id()));
        std::fs::write(&path, "abc").unwrap();
        let right = sha256_hex(b"abc");
        assert_eq!(compare(&path, 3, &right), (Status::Ok, None));
        assert_eq!(compare(&path, 3, &right.to_uppercase()), (Status::Ok, None));
        assert_eq!(compare(&path, 4, &right).0, Status::Changed);
        assert_eq!(compare(&path, 3, &sha256_hex(b"abd")).0, Status::Changed);
        let _ = std::fs::remove_file(&path);
        assert_eq!(compare(&path, 3, &right), (Status::Missing, None));
    }

    #[test]
    fn each_file_is_ok_changed_missing_or_extra() {
        let dir = std::env::temp_dir().join(format!("msr-verify-all-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut bundle = super::super::store::tests::bundle(&[
            ("programme/a.msr", "a"),
            ("programme/b.msr", "b"),
            ("programme/c.msr", "c"),
        ]);
        let data = dir.with_extension("csv");
        std::fs::write(&data, "id\n1\n").unwrap();
        bundle.manifest.datasets.push(super::super::DatasetEntry {
            name: "d".to_string(),
            source: "d.csv".to_string(),
            path: super::super::slash_path(&data),
            bytes: 5,
            sha256: sha256_hex(b"id\n1\n"),
            rows: 1,
            skipped_rows: 0,
        });
        super::super::write(&super::super::prepare(&dir).unwrap(), &bundle).unwrap();
        let fresh = verify(&dir, None).expect("a bundle");
        assert!(fresh.all_match(), "{:?}", fresh.checks);
        assert_eq!(fresh.checks.len(), 5);

        std::fs::write(dir.join("programme/a.msr"), "A").unwrap();
        std::fs::remove_file(dir.join("programme/b.msr")).unwrap();
        std::fs::write(dir.join("programme/new.msr"), "n").unwrap();
        std::fs::write(&data, "id\n2\n").unwrap();
        let checked = verify(&dir, None).expect("a bundle");
        let outcome: Vec<(&str, Status)> = checked
            .checks
            .iter()
            .map(|c| (c.path.as_str(), c.status))
            .collect();
        let data_path = super::super::slash_path(&data);
        assert_eq!(
            outcome,
            vec![
                ("programme/a.msr", Status::Changed),
                ("programme/b.msr", Status::Missing),
                ("programme/c.msr", Status::Ok),
                ("results.json", Status::Ok),
                ("programme/new.msr", Status::Extra),
                (data_path.as_str(), Status::Changed),
            ]
        );
        assert!(!checked.all_match());

        // Under another data directory the dataset is looked for by its source.
        let elsewhere = verify(&dir, Some(&dir)).expect("a bundle");
        let last = elsewhere.checks.last().unwrap();
        assert_eq!(last.status, Status::Missing);
        assert!(last.path.ends_with("/d.csv"), "{}", last.path);

        // A manifest pointing outside the bundle is refused, not followed.
        let text = std::fs::read_to_string(dir.join(MANIFEST)).unwrap();
        let text = text.replace("\"programme/c.msr\"", "\"programme/../../c.msr\"");
        std::fs::write(dir.join(MANIFEST), text).unwrap();
        let error = verify(&dir, None).expect_err("refused").remove(0);
        assert!(
            error.message.contains("programme/../../c.msr"),
            "{}",
            error.message
        );
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_file(&data);
    }

    #[test]
    fn a_directory_without_a_readable_manifest_is_not_a_bundle() {
        let dir = std::env::temp_dir().join(format!("msr-verify-nb-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let error = verify(&dir, None).expect_err("no manifest").remove(0);
        assert_eq!(error.code, "msr::evidence::not_a_bundle");
        assert!(
            error.message.ends_with("it has no manifest.json"),
            "{}",
            error.message
        );

        std::fs::write(dir.join(MANIFEST), "{\"format\": 1}").unwrap();
        let error = verify(&dir, None).expect_err("not a manifest").remove(0);
        assert!(
            error.message.contains("not a manifest of msr"),
            "{}",
            error.message
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
