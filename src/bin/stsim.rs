//! `stsim`: the native script runner of StatefulSet Playground.
//!
//! ```text
//! stsim run FILE      run a playground script and print its transcript (FILE may be `-` for stdin)
//! stsim lint [--after SCRIPT] FILE…
//!                     print the editor's diagnostics for manifests on disk, one per line as
//!                     FILE:LINE:COL: SEVERITY [RULE-ID] message, against the default cluster or
//!                     the cluster SCRIPT leaves; exit 1 when any error is found
//! stsim --version     print the version and the Kubernetes version modelled
//! ```
//! `run` exits non-zero only when the script cannot be read or the arguments are wrong.

use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: stsim run FILE|-\n       stsim lint [--after SCRIPT] FILE...\n       stsim --version\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["run", path] => run(path),
        ["lint", rest @ ..] if !rest.is_empty() => lint(rest),
        ["--version"] | ["version"] => {
            println!(
                "stsim {} (models Kubernetes {})",
                env!("CARGO_PKG_VERSION"),
                stsim::version::KUBERNETES_VERSION
            );
            ExitCode::SUCCESS
        }
        ["--help"] | ["-h"] | ["help"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("stsim: expected a command\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(path: &str) -> ExitCode {
    let text = if path == "-" {
        let mut text = String::new();
        match std::io::stdin().read_to_string(&mut text) {
            Ok(_) => text,
            Err(err) => {
                eprintln!("stsim: cannot read the script from standard input: {err}");
                return ExitCode::from(1);
            }
        }
    } else {
        match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(err) => {
                eprintln!("stsim: cannot read the script {path}: {err}");
                return ExitCode::from(1);
            }
        }
    };
    let mut playground = stsim::console::Console::new(Box::new(stsim::console::DiskFiles(script_dir(path))));
    print!("{}", stsim::script::run(&text, &mut playground));
    ExitCode::SUCCESS
}

/// `stsim lint`: the same diagnostics as the editor, for files on disk.
fn lint(args: &[&str]) -> ExitCode {
    let (after, files) = match args {
        ["--after", script, files @ ..] => (Some(*script), files),
        files => (None, files),
    };
    if files.is_empty() {
        eprint!("stsim lint: name at least one manifest file\n{USAGE}");
        return ExitCode::from(2);
    }
    let mut playground = stsim::console::Console::new(Box::new(stsim::console::DiskFiles(
        after.map_or_else(|| std::path::PathBuf::from("."), script_dir),
    )));
    if let Some(script) = after {
        match std::fs::read(script) {
            Ok(bytes) => {
                stsim::script::run(&String::from_utf8_lossy(&bytes), &mut playground);
            }
            Err(err) => {
                eprintln!("stsim lint: cannot read the script {script}: {err}");
                return ExitCode::from(2);
            }
        }
    }
    // The files are linted together, as one apply of all of them would send them: an object
    // one file declares is known to the others.
    let mut errors = false;
    let mut texts = Vec::new();
    let mut names = Vec::new();
    for file in files {
        match std::fs::read(file) {
            Ok(bytes) => {
                texts.push(String::from_utf8_lossy(&bytes).into_owned());
                names.push(*file);
            }
            Err(err) => {
                eprintln!("stsim lint: cannot read {file}: {err}");
                errors = true;
            }
        }
    }
    let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
    for (file, diagnostics) in names
        .iter()
        .zip(stsim::lint::lint_together(&borrowed, &playground.cluster))
    {
        for d in diagnostics {
            errors |= d.severity == stsim::lint::Severity::Error;
            println!("{}", d.line(file));
        }
    }
    if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Files named by `kubectl apply -f PATH` are read relative to the script's folder.
fn script_dir(path: &str) -> std::path::PathBuf {
    if path == "-" {
        return std::path::PathBuf::from(".");
    }
    std::path::Path::new(path)
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default()
}
