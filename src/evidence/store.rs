//! Writing a bundle into a directory, and deciding beforehand whether the directory may
//! take it.
//!
//! A directory takes a bundle when it does not exist yet, is empty, or holds a previous
//! bundle of msr and nothing else: `manifest.json`, `results.json` and the programme files
//! that manifest lists. A previous bundle is replaced whole. A directory that holds
//! anything more is refused, so that msr never removes a file it did not write. The
//! manifest is written last: a directory whose writing failed part way has none, and is
//! then neither taken as a bundle by `msr verify` nor replaced by the next run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::syntax::os_reason;

use super::{sha256_hex, Bundle, Manifest, FORMAT, MANIFEST, PROGRAMME, RESULTS};

/// A directory judged fit to take a bundle, with what of a previous bundle must go first.
#[derive(Debug, Clone)]
pub struct Target {
    dir: PathBuf,
    /// The previous bundle's files, by their path in the directory.
    previous: Vec<PathBuf>,
    /// The previous bundle's folders, the deepest first.
    folders: Vec<PathBuf>,
}

impl Target {
    /// The directory the bundle goes to.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether writing replaces a previous bundle.
    pub fn replaces(&self) -> bool {
        !self.previous.is_empty()
    }
}

/// Whether `dir` may take a bundle: it is absent, empty, or holds a previous bundle and
/// nothing else. Nothing is changed yet.
pub fn prepare(dir: &Path) -> Result<Target, Vec<Diagnostic>> {
    let mut target = Target {
        dir: dir.to_path_buf(),
        previous: Vec::new(),
        folders: Vec::new(),
    };
    match std::fs::metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(target),
        Err(e) => return Err(vec![unwritable(dir, &e)]),
        Ok(meta) if !meta.is_dir() => return Err(vec![occupied(dir, "it is a file")]),
        Ok(_) => {}
    }

    let found = Contents::of(dir).map_err(|e| vec![unwritable(dir, &e)])?;
    if found.is_empty() {
        return Ok(target);
    }
    let Some(manifest) = previous_manifest(dir) else {
        return Err(vec![occupied(
            dir,
            "it holds files that are not an evidence bundle",
        )]);
    };
    let listed: BTreeSet<&str> = [MANIFEST, RESULTS]
        .into_iter()
        .chain(manifest.programme.iter().map(|f| f.path.as_str()))
        .collect();
    if let Some(stranger) = found.strangers(&listed) {
        return Err(vec![occupied(
            dir,
            &format!("it holds an evidence bundle and also `{stranger}`"),
        )]);
    }

    target.previous = found.files.iter().map(|f| inside(dir, f)).collect();
    let mut folders = found.folders;
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    target.folders = folders.iter().map(|f| inside(dir, f)).collect();
    Ok(target)
}

/// Writes the bundle into the target directory, removing a previous bundle first; the
/// SHA-256 of the manifest written, in hex.
pub fn write(target: &Target, bundle: &Bundle) -> Result<String, Vec<Diagnostic>> {
    let dir = &target.dir;
    for file in &target.previous {
        remove(std::fs::remove_file(file), file)?;
    }
    for folder in &target.folders {
        remove(std::fs::remove_dir(folder), folder)?;
    }

    std::fs::create_dir_all(dir).map_err(|e| vec![unwritable(dir, &e)])?;
    for (path, bytes) in &bundle.files {
        put(&inside(dir, path), bytes)?;
    }
    let manifest = bundle.manifest_text();
    put(&dir.join(MANIFEST), manifest.as_bytes())?;
    Ok(sha256_hex(manifest.as_bytes()))
}

/// Writes one file, with the folders above it.
fn put(path: &Path, bytes: &[u8]) -> Result<(), Vec<Diagnostic>> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| vec![unwritable(parent, &e)])?;
    }
    std::fs::write(path, bytes).map_err(|e| vec![unwritable(path, &e)])
}

/// A removal that found nothing to remove has done its work.
fn remove(done: std::io::Result<()>, path: &Path) -> Result<(), Vec<Diagnostic>> {
    match done {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(vec![unwritable(path, &e)]),
        _ => Ok(()),
    }
}

/// A path of the bundle (with `/`) under its directory.
pub(super) fn inside(dir: &Path, path: &str) -> PathBuf {
    path.split('/')
        .fold(dir.to_path_buf(), |p, part| p.join(part))
}

/// The manifest of a previous bundle in `dir`, if it holds one msr can read.
fn previous_manifest(dir: &Path) -> Option<Manifest> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    (manifest.format == FORMAT).then_some(manifest)
}

/// What a directory holds, by paths relative to it written with `/`.
#[derive(Debug, Default)]
pub(super) struct Contents {
    pub(super) files: Vec<String>,
    pub(super) folders: Vec<String>,
    /// Entries that are neither files nor folders (symbolic links, devices).
    pub(super) others: Vec<String>,
}

impl Contents {
    /// Everything under `dir`, without following symbolic links.
    pub(super) fn of(dir: &Path) -> std::io::Result<Contents> {
        let mut contents = Contents::default();
        let mut pending = vec![(dir.to_path_buf(), String::new())];
        while let Some((folder, prefix)) = pending.pop() {
            let mut entries = std::fs::read_dir(&folder)?.collect::<Result<Vec<_>, _>>()?;
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    pending.push((entry.path(), format!("{name}/")));
                    contents.folders.push(name);
                } else if kind.is_file() {
                    contents.files.push(name);
                } else {
                    contents.others.push(name);
                }
            }
        }
        Ok(contents)
    }

    fn is_empty(&self) -> bool {
        self.files.is_empty() && self.folders.is_empty() && self.others.is_empty()
    }

    /// The first entry that a bundle listing `listed` does not account for: a file it does
    /// not list, a folder outside `programme/`, or anything that is not a file or folder.
    fn strangers(&self, listed: &BTreeSet<&str>) -> Option<String> {
        let in_programme = |f: &String| f == PROGRAMME || f.starts_with(&format!("{PROGRAMME}/"));
        self.others
            .iter()
            .chain(self.files.iter().filter(|f| !listed.contains(f.as_str())))
            .chain(self.folders.iter().filter(|f| !in_programme(f)))
            .next()
            .cloned()
    }
}

fn occupied(dir: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        "msr::evidence::occupied",
        format!("`{}` cannot take the evidence bundle: {why}", dir.display()),
    )
    .with_help(format!(
        "name a new or empty directory for --evidence, or move `{}` away first",
        dir.display()
    ))
}

fn unwritable(path: &Path, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "msr::evidence::unwritable",
        format!(
            "cannot write the evidence bundle at `{}`: {}",
            path.display(),
            os_reason(err)
        ),
    )
    .with_help("check that the directory is writable and the disk has room, then run again")
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::{FileEntry, RunRecord};
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("msr-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    pub(in crate::evidence) fn bundle(programme: &[(&str, &str)]) -> Bundle {
        let entries = programme
            .iter()
            .map(|(path, text)| FileEntry {
                name: Some(path.to_string()),
                path: path.to_string(),
                bytes: text.len() as u64,
                sha256: sha256_hex(text.as_bytes()),
            })
            .collect();
        let mut files: Vec<(String, Vec<u8>)> = programme
            .iter()
            .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
            .collect();
        files.push((RESULTS.to_string(), b"{}\n".to_vec()));
        Bundle {
            manifest: Manifest {
                format: FORMAT.to_string(),
                msr_version: "0".to_string(),
                run: RunRecord {
                    file: "a.msr".to_string(),
                    ..RunRecord::default()
                },
                programme: entries,
                datasets: Vec::new(),
                results: FileEntry {
                    name: None,
                    path: RESULTS.to_string(),
                    bytes: 3,
                    sha256: sha256_hex(b"{}\n"),
                },
                indicators: Vec::new(),
            },
            files,
        }
    }

    #[test]
    fn an_absent_or_empty_directory_takes_a_bundle() {
        let dir = scratch("fresh");
        let target = prepare(&dir).expect("absent is fine");
        assert!(!target.replaces());
        let sha = write(&target, &bundle(&[("programme/a.msr", "x")])).expect("written");
        let manifest = std::fs::read(dir.join(MANIFEST)).unwrap();
        assert_eq!(sha, sha256_hex(&manifest));
        assert_eq!(std::fs::read(dir.join("programme/a.msr")).unwrap(), b"x");

        let empty = scratch("empty");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(!prepare(&empty).expect("empty is fine").replaces());
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(&empty);
    }

    #[test]
    fn a_previous_bundle_is_replaced_whole() {
        let dir = scratch("previous");
        let old = bundle(&[("programme/old/a.msr", "old"), ("programme/b.msr", "b")]);
        write(&prepare(&dir).unwrap(), &old).unwrap();

        let target = prepare(&dir).expect("a previous bundle is replaced");
        assert!(target.replaces());
        write(&target, &bundle(&[("programme/b.msr", "new")])).unwrap();
        assert!(!dir.join("programme/old").exists());
        assert_eq!(std::fs::read(dir.join("programme/b.msr")).unwrap(), b"new");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_bundle_that_cannot_be_written_says_where() {
        let dir = scratch("blocked");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("file"), "x").unwrap();
        // A directory cannot be made under a file, whoever runs the test.
        let target = Target {
            dir: dir.join("file").join("bundle"),
            previous: Vec::new(),
            folders: Vec::new(),
        };
        let error = write(&target, &bundle(&[("programme/a.msr", "a")]))
            .expect_err("blocked")
            .remove(0);
        assert_eq!(error.code, "msr::evidence::unwritable");
        assert!(error.message.contains("file/bundle"), "{}", error.message);
        assert!(prepare(&target.dir).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_directory_with_anything_else_is_refused() {
        let dir = scratch("foreign");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("notes.txt"), "mine").unwrap();
        let error = prepare(&dir).expect_err("refused").remove(0);
        assert_eq!(error.code, "msr::evidence::occupied");
        assert!(
            error.message.contains("not an evidence bundle"),
            "{}",
            error.message
        );

        // A bundle with a file added to it is not replaced either: the file would be lost.
        let _ = std::fs::remove_file(dir.join("notes.txt"));
        write(
            &prepare(&dir).unwrap(),
            &bundle(&[("programme/a.msr", "a")]),
        )
        .unwrap();
        std::fs::write(dir.join("programme/extra.msr"), "mine").unwrap();
        let error = prepare(&dir).expect_err("refused").remove(0);
        assert!(
            error.message.contains("`programme/extra.msr`"),
            "{}",
            error.message
        );

        let file = dir.join("results.json");
        let error = prepare(&file).expect_err("a file is refused").remove(0);
        assert!(error.message.contains("it is a file"), "{}", error.message);
        assert!(std::fs::read(dir.join("programme/extra.msr")).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
