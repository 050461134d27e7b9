//! `stsim`: the native script runner of StatefulSet Playground.
//!
//! ```text
//! stsim run FILE      run a playground script and print its transcript (FILE may be `-` for stdin)
//! stsim --version     print the version and the Kubernetes version modelled
//! ```
//! The exit code is non-zero only when the script cannot be read or the arguments are wrong.

use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "usage: stsim run FILE|-\n       stsim --version\n";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["run", path] => run(path),
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
