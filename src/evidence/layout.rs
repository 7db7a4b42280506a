//! Where the files of a programme go inside a bundle.
//!
//! A standard-library file `std:NAME` goes to `programme/std/NAME`. Every other file goes
//! under `programme/` at its path relative to the deepest folder that holds them all, so
//! that the `use` paths between them still hold in the copy. Should one of them land under
//! `programme/std/` that way, they all go under `programme/local/` instead, so the two
//! kinds never meet. Paths are made absolute and `.` and `..` are resolved by their
//! spelling alone, without following symbolic links: two files that are the same only
//! through a link could land on one path, and that is reported rather than one lost.

use std::path::{Component, Path};

use crate::diagnostic::Diagnostic;
use crate::syntax::STDLIB_PREFIX;

use super::PROGRAMME;

/// The path inside the bundle of each file, in the order given; an error when two files
/// would land on the same path.
pub fn programme_paths(files: &[&Path]) -> Result<Vec<String>, Vec<Diagnostic>> {
    let kinds: Vec<Kind> = files.iter().map(|f| Kind::of(f)).collect();

    let folders = kinds.iter().filter_map(|k| match k {
        Kind::Local(parts) => Some(&parts[..parts.len().saturating_sub(1)]),
        Kind::Std(_) => None,
    });
    let base = folders
        .reduce(|common, folder| &common[..shared_len(common, folder)])
        .map_or(0, <[String]>::len);

    let relative: Vec<String> = kinds
        .iter()
        .map(|k| match k {
            Kind::Std(name) => format!("std/{name}"),
            Kind::Local(parts) => parts[base..].join("/"),
        })
        .collect();
    let clash = kinds
        .iter()
        .zip(&relative)
        .any(|(k, r)| matches!(k, Kind::Local(_)) && (r == "std" || r.starts_with("std/")));

    let mut paths: Vec<String> = Vec::with_capacity(files.len());
    for (kind, relative) in kinds.iter().zip(relative) {
        let path = match kind {
            Kind::Local(_) if clash => format!("{PROGRAMME}/local/{relative}"),
            _ => format!("{PROGRAMME}/{relative}"),
        };
        if let Some(i) = paths.iter().position(|p| *p == path) {
            return Err(vec![same_path(files[i], files[paths.len()], &path)]);
        }
        paths.push(path);
    }
    Ok(paths)
}

/// A source file: one of the standard library's, by name, or one on disk, by the parts of
/// its absolute path.
enum Kind {
    Std(String),
    Local(Vec<String>),
}

impl Kind {
    fn of(path: &Path) -> Kind {
        let text = path.to_string_lossy();
        if let Some(name) = text.strip_prefix(STDLIB_PREFIX) {
            return Kind::Std(name.to_string());
        }
        // A path that cannot be made absolute (an empty one) is taken as it is.
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut parts: Vec<String> = Vec::new();
        for component in absolute.components() {
            match component {
                Component::Prefix(prefix) => {
                    let drive = prefix.as_os_str().to_string_lossy();
                    parts.push(drive.replace([':', '\\', '/', '?'], ""));
                }
                Component::RootDir | Component::CurDir => {}
                Component::ParentDir => {
                    parts.pop();
                }
                Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            }
        }
        Kind::Local(parts)
    }
}

/// How many leading parts two paths share.
fn shared_len(a: &[String], b: &[String]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn same_path(first: &Path, second: &Path, inside: &str) -> Diagnostic {
    Diagnostic::error(
        "msr::evidence::programme_layout",
        format!(
            "`{}` and `{}` would both be kept as `{inside}` in the evidence bundle",
            first.display(),
            second.display()
        ),
    )
    .with_help("import each file by a path without symbolic links, so that their places differ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(files: &[&str]) -> Vec<String> {
        let files: Vec<&Path> = files.iter().map(Path::new).collect();
        programme_paths(&files).expect("a layout")
    }

    #[test]
    fn standard_library_files_go_under_std() {
        assert_eq!(
            paths(&[
                "examples/isms/isms.msr",
                "std:catalogue/incidents.msr",
                "std:scales.msr"
            ]),
            vec![
                "programme/isms.msr",
                "programme/std/catalogue/incidents.msr",
                "programme/std/scales.msr"
            ]
        );
    }

    #[test]
    fn files_keep_their_layout_relative_to_the_folder_that_holds_them_all() {
        assert_eq!(
            paths(&[
                "work/metrics/main.msr",
                "work/metrics/./parts/a.msr",
                "work/metrics/../shared/b.msr"
            ]),
            vec![
                "programme/metrics/main.msr",
                "programme/metrics/parts/a.msr",
                "programme/shared/b.msr"
            ]
        );
        assert_eq!(
            paths(&["/srv/m/main.msr", "/srv/m/x/y.msr"]),
            vec!["programme/main.msr", "programme/x/y.msr"]
        );
    }

    #[test]
    fn a_local_folder_named_std_moves_the_local_files_aside() {
        assert_eq!(
            paths(&["p/main.msr", "p/std/mine.msr", "std:scales.msr"]),
            vec![
                "programme/local/main.msr",
                "programme/local/std/mine.msr",
                "programme/std/scales.msr"
            ]
        );
    }

    #[test]
    fn two_files_on_one_path_are_an_error() {
        let files = [Path::new("a/x.msr"), Path::new("a/b/../x.msr")];
        let error = programme_paths(&files).expect_err("a clash").remove(0);
        assert_eq!(error.code, "msr::evidence::programme_layout");
        assert!(
            error.message.contains("programme/x.msr"),
            "{}",
            error.message
        );
        assert!(error.help.is_some());
    }
}
