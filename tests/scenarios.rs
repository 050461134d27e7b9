//! Scenario scripts with reviewed snapshot transcripts: every `tests/scenarios/*.sim` runs
//! through the same engine as `stsim run` and the browser console, and its transcript must
//! equal the committed snapshot in `tests/snapshots/`. Each script also runs twice to prove
//! the simulator is deterministic. See tests/README.md for how to add one.

use std::path::{Path, PathBuf};

use stsim::console::{Console, DiskFiles};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sim"))
        .collect();
    files.sort();
    files
}

fn transcript(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("scenario is readable");
    let dir = path.parent().expect("scenario has a folder").to_path_buf();
    let mut console = Console::new(Box::new(DiskFiles(dir)));
    stsim::script::run(&text, &mut console)
}

#[test]
fn scenarios_match_their_snapshots() {
    let files = scenario_files();
    assert!(
        files.len() >= 10,
        "expected the scenario folder to hold the behaviour scripts"
    );
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for path in &files {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .expect("utf-8 name")
                .to_string();
            insta::assert_snapshot!(name, transcript(path));
        }
    });
}

#[test]
fn every_scenario_is_deterministic() {
    for path in scenario_files() {
        let first = transcript(&path);
        let second = transcript(&path);
        assert!(
            first == second,
            "{} gave two different transcripts: replay it with `stsim run {}`",
            path.display(),
            path.display()
        );
    }
}
