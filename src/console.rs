//! The console: one command line in, what kubectl (or a `sim` verb) prints out.

use crate::script::Executor;

/// Reads the files that `kubectl apply -f PATH` names. The browser has no files; the script runner
/// reads them relative to the script.
pub trait FileSource {
    /// The text of the file at `path`, or an error in kubectl's words.
    fn read(&self, path: &str) -> Result<String, String>;
}

/// Files relative to a folder on disk (the native script runner).
pub struct DiskFiles(pub std::path::PathBuf);

impl FileSource for DiskFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let full = self.0.join(path);
        std::fs::read(&full)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|_| format!("error: the path \"{path}\" does not exist"))
    }
}

/// No file system (the browser): `apply -f PATH` explains how to apply instead.
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "error: the playground has no file system, so \"{path}\" cannot be read: put the manifest in the editor and press Apply, or use `kubectl apply -f - <<EOF`"
        ))
    }
}

/// A console attached to one simulated cluster.
pub struct Console {
    files: Box<dyn FileSource>,
}

impl Console {
    /// A console on a fresh default cluster that reads `kubectl apply -f PATH` files from `files`.
    pub fn new(files: Box<dyn FileSource>) -> Self {
        Console { files }
    }

    /// Run one command line and return what it prints.
    pub fn run(&mut self, line: &str, stdin: Option<&str>) -> String {
        let _ = (&self.files, stdin);
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => String::new(),
            ["kubectl", "version", ..] => format!(
                "Client Version: {v}\nKustomize Version: v5.7.1\nServer Version: {v}\n",
                v = crate::version::KUBERNETES_SERVER_VERSION
            ),
            [first, ..] => format!("error: unknown command \"{first}\"\n"),
        }
    }
}

impl Executor for Console {
    fn execute(&mut self, command: &str, stdin: Option<&str>) -> String {
        self.run(command, stdin)
    }
}
