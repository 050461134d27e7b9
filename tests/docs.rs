//! Checks on the documentation that keep it usable: every `§` citation names a document the
//! repository holds (a contributor who clones it has nothing else; a citation is `FILE.md §N`, or
//! a link to FILE.md, on the same line, and the semantics reference may cite its own sections),
//! and the README stays short enough to read (reference and method live in `docs/`).

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reads the directory").flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(name, "target" | "node_modules" | "dist" | ".git") {
                files(&path, out);
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "md" | "sim" | "mjs" | "yaml" | "sh")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn every_section_citation_names_a_document_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    for dir in ["src", "tests", "docs", "lessons", "scripts", "benches", "examples"] {
        if root.join(dir).is_dir() {
            files(&root.join(dir), &mut all);
        }
    }
    all.push(root.join("README.md"));
    let mut missing = Vec::new();
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let own = path.file_name().and_then(|n| n.to_str()) == Some("kubernetes-semantics.md");
        for (n, line) in text.lines().enumerate() {
            let cites = line
                .match_indices('§')
                .any(|(i, _)| line[i + '§'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()));
            if !cites || own {
                continue;
            }
            let named: Vec<&str> = line
                .split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c)))
                .filter(|w| w.ends_with(".md"))
                .collect();
            let resolves = named.iter().any(|w| {
                let name = w.rsplit('/').next().unwrap_or(w);
                root.join("docs").join(name).is_file() || root.join(w).is_file()
            });
            if !resolves {
                missing.push(format!(
                    "{}:{}: {}",
                    path.strip_prefix(root).unwrap_or(&path).display(),
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "citations that name no document in the repository:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_readme_is_at_most_120_lines() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("reads README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 120,
        "README.md has {lines} lines: move reference and method to docs/"
    );
}
