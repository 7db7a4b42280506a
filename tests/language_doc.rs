//! docs/language.md shows the language as it is: every `msr` block on the page parses.
//!
//! The blocks are fragments (a measure without its dataset, say), so they are parsed but
//! not checked; the complete programmes of docs/errors.md and examples/ are checked
//! elsewhere.

use msr::syntax::ast::FileId;

#[test]
fn every_msr_block_of_the_language_reference_parses() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/language.md"))
        .expect("docs/language.md is readable");
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (i, line) in page.lines().enumerate() {
        match open.as_mut() {
            Some(_) if line.trim_end() == "```" => blocks.extend(open.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None if line.trim_end() == "```msr" => open = Some((i + 1, String::new())),
            None => {}
        }
    }
    assert!(blocks.len() >= 10, "only {} msr blocks found", blocks.len());

    let failures: Vec<String> = blocks
        .iter()
        .filter_map(|(line, text)| {
            msr::syntax::parse(FileId(0), text)
                .err()
                .map(|errors| format!("block at line {line}: {}", errors[0].message))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_readme_example_is_a_programme_that_checks() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md is readable");
    let block: String = readme
        .split("```msr\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README.md shows an msr block")
        .to_string();
    let parsed = match msr::syntax::parse_text("README.msr", &block) {
        Ok(parsed) => parsed,
        Err((_, errors)) => panic!("the README example does not parse: {}", errors[0].message),
    };
    if let Err(errors) = msr::check::check(parsed) {
        panic!("the README example does not check: {}", errors[0].message);
    }
}
