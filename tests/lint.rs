//! The linter's corpus: every `tests/lint/*.yaml` is linted as `stsim lint` and the editor lint
//! it, and the lines (`FILE:LINE:COL: SEVERITY [RULE-ID] message`) must equal the committed
//! snapshot `tests/snapshots/lint_corpus.snap`. A file named for a rule (`pvc-no-such-class.yaml`,
//! or `api-invalid.service.yaml`: the rule, a dot, what the file shows) must raise that rule; a
//! `valid-*.yaml` file must raise no error and no warning. A first line
//! `# lint-after: FILE` lints against the cluster that file leaves (a `.sim` script is run, a
//! manifest applied), e.g. to show the immutable-field errors of an update.

use std::path::{Path, PathBuf};

use stsim::console::{Console, DiskFiles};
use stsim::lint::{lint, Diagnostic, Severity};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint")
}

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/lint exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

fn diagnostics(path: &Path) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(path).expect("readable");
    let mut console = Console::new(Box::new(DiskFiles(dir())));
    if let Some(after) = text.lines().next().and_then(|l| l.strip_prefix("# lint-after: ")) {
        let script = if after.ends_with(".sim") {
            std::fs::read_to_string(dir().join(after)).expect("script readable")
        } else {
            format!("kubectl apply -f {after}\nsim settle\n")
        };
        stsim::script::run(&script, &mut console);
    }
    lint(&text, &console.cluster)
}

fn name(path: &Path) -> String {
    path.file_name().and_then(|s| s.to_str()).expect("utf-8").to_string()
}

#[test]
fn corpus_matches_its_snapshot() {
    let mut out = String::new();
    for path in corpus() {
        for d in diagnostics(&path) {
            out.push_str(&d.line(&name(&path)));
            out.push('\n');
        }
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("lint_corpus", out));
}

#[test]
fn each_rule_file_raises_its_rule_and_valid_files_stay_clean() {
    for path in corpus() {
        let file = name(&path);
        let stem = file.trim_end_matches(".yaml");
        let rule = stem.split('.').next().unwrap_or(stem);
        let found = diagnostics(&path);
        if stem.starts_with("valid-") {
            let bad: Vec<String> = found
                .iter()
                .filter(|d| d.severity != Severity::Info)
                .map(|d| d.line(&file))
                .collect();
            assert!(bad.is_empty(), "{file} should be clean:\n{}", bad.join("\n"));
        } else {
            assert!(
                found.iter().any(|d| d.rule == rule),
                "{file} should raise [{rule}], got:\n{}",
                found.iter().map(|d| d.line(&file)).collect::<Vec<_>>().join("\n")
            );
        }
    }
}

/// The manifests the page ships (the starter and the templates) raise no error and no warning.
#[test]
fn starter_manifests_and_templates_are_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/manifests");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("templates")] {
        for entry in std::fs::read_dir(dir)
            .expect("assets/manifests exists")
            .filter_map(Result::ok)
        {
            if entry.path().extension().is_some_and(|x| x == "yaml") {
                files.push(entry.path());
            }
        }
    }
    assert!(files.len() >= 5, "the starter and the four templates");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let console = Console::new(Box::new(DiskFiles(dir())));
        let bad: Vec<String> = lint(&text, &console.cluster)
            .iter()
            .filter(|d| d.severity != Severity::Info)
            .map(|d| d.line(&name(&path)))
            .collect();
        assert!(
            bad.is_empty(),
            "{} should be clean:\n{}",
            path.display(),
            bad.join("\n")
        );
    }
}

/// Every error kubeconform-style schema validation finds in the corpus (the committed rows of
/// `tests/lint/schema-reference.tsv`, made by `scripts/compare-schema-validation.py`), we find
/// too, as an error on the same line: schema validation names a JSON path and no line, so the
/// path is placed in the source (an unexpected property on its own key).
#[test]
fn we_catch_every_schema_validation_error_on_its_line() {
    let rows = std::fs::read_to_string(dir().join("schema-reference.tsv")).expect("the reference rows");
    let mut checked = 0;
    for row in rows.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [file, doc, path, message] = cols[..] else {
            panic!("malformed row {row:?}");
        };
        let text = std::fs::read_to_string(dir().join(file)).expect("corpus file");
        let ours: Vec<Diagnostic> = diagnostics(&dir().join(file))
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let line = if path == "-" {
            // A YAML error: schema validation (PyYAML) names a line in its message.
            message
                .rsplit_once("(line ")
                .and_then(|(_, rest)| rest.trim_end_matches(')').parse::<u32>().ok())
                .expect("a YAML error with a line")
        } else {
            let mut path = path.to_string();
            if let Some(key) = message
                .split("('")
                .nth(1)
                .and_then(|rest| rest.split("' was unexpected").next())
            {
                path = format!("{path}.{key}");
            }
            let (tree, _) = stsim::yaml::parse(&text, Default::default());
            let doc: usize = doc.parse().expect("a document index");
            let (key, value) = tree
                .locate(doc, &stsim::yaml::field_path(&path))
                .expect("the path is in the source");
            key.unwrap_or(value).start.line
        };
        assert!(
            ours.iter().any(|d| d.span.start.line == line),
            "{file}: schema validation reports `{path}` ({message}) on line {line}; we report no error there: {ours:#?}"
        );
        checked += 1;
    }
    assert!(checked >= 5, "the reference has rows");
}

/// Files linted together know each other's objects, as one apply of them all would: a Service
/// or StorageClass one file declares serves the StatefulSet of another.
#[test]
fn files_linted_together_know_each_others_objects() {
    let web = include_str!("scenarios/web.yaml");
    let (service, set) = web.split_once("---\n").expect("two documents");
    let set = set.replace("accessModes", "storageClassName: fast\n      accessModes");
    let class = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n";
    let cluster = stsim::world::Cluster::default();
    let rules = |ds: &[stsim::lint::Diagnostic]| ds.iter().map(|d| d.rule).collect::<Vec<_>>();
    let alone = stsim::lint::lint(&set, &cluster);
    assert!(rules(&alone).contains(&"sts-service-missing") && rules(&alone).contains(&"pvc-no-such-class"));
    let together = stsim::lint::lint_together(&[&set, service, class], &cluster);
    assert!(
        !rules(&together[0]).contains(&"sts-service-missing"),
        "{:?}",
        rules(&together[0])
    );
    assert!(!rules(&together[0]).contains(&"pvc-no-such-class"));
}
