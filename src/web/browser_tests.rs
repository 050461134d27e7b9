//! Component tests in headless Chromium (`wasm-bindgen-test`): the shell renders every pane,
//! the console runs commands through the engine, and the tutorial's web.yaml applied from the
//! editor brings up web-0, web-1, web-2 Running and Ready.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
    if let Some(store) = crate::app::storage() {
        let _ = store.clear();
    }
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("create a root element");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("append the root");
    yew::Renderer::<crate::app::App>::with_root(root.clone()).render();
    root
}

async fn settle() {
    gloo::timers::future::TimeoutFuture::new(30).await;
}

fn text(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
        .unwrap_or_default()
}

/// The element `selector` finds in the page, as the type the test needs.
fn element<T: JsCast>(root: &web_sys::Element, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector} in the page"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{selector} is not the element expected"))
}

async fn run(root: &web_sys::Element, command: &str) {
    let input: web_sys::HtmlInputElement = element(root, "#console-input");
    input.set_value(command);
    let form: web_sys::HtmlFormElement = element(root, ".console-form");
    form.request_submit().unwrap();
    settle().await;
}

#[wasm_bindgen_test]
async fn shell_renders_every_pane_with_a_label() {
    let root = mount();
    settle().await;
    for id in [
        "editor-title",
        "cluster-title",
        "console-title",
        "timeline-title",
        "lesson-title",
    ] {
        assert!(
            root.query_selector(&format!("#{id}")).unwrap().is_some(),
            "pane heading #{id} is missing"
        );
    }
    assert!(text(&root, ".version-badge").contains("v1.34"));
}

#[wasm_bindgen_test]
async fn console_runs_a_command_through_the_engine() {
    let root = mount();
    settle().await;
    run(&root, "kubectl version").await;
    let log = text(&root, ".console-log");
    assert!(log.contains("Server Version: v1.34"), "console shows: {log}");
}

#[wasm_bindgen_test]
async fn tutorial_web_yaml_applied_in_the_page_brings_up_three_ready_pods() {
    let root = mount();
    settle().await;
    let apply: web_sys::HtmlElement = element(&root, ".apply-button");
    apply.click();
    settle().await;
    assert!(text(&root, ".console-log").contains("statefulset.apps/web created"));
    run(&root, "kubectl scale sts web --replicas=3").await;
    run(&root, "kubectl rollout status sts/web").await;
    run(&root, "kubectl get pods").await;
    let log = text(&root, ".console-log");
    for pod in ["web-0", "web-1", "web-2"] {
        assert!(
            log.contains(&format!("{pod}   1/1     Running")),
            "{pod} is not Running and Ready: {log}"
        );
    }
    let cluster = text(&root, ".cluster-pane");
    assert!(
        cluster.contains("web-2.nginx.default.svc.cluster.local"),
        "cluster pane: {cluster}"
    );
}

/// Determinism across targets: a scenario run by the engine compiled to wasm32 gives the very
/// transcript the native test suite recorded (`tests/snapshots/`).
#[wasm_bindgen_test]
fn wasm_engine_reproduces_the_native_transcript() {
    let script = include_str!("../../tests/scenarios/e2e_scaling_predictable_order_and_halt.sim");
    let snapshot = include_str!("../../tests/snapshots/e2e_scaling_predictable_order_and_halt.snap");
    // An insta snapshot is a `---` header block, then the content.
    let expected = snapshot.splitn(3, "---\n").nth(2).expect("snapshot has a header");
    let mut console = stsim::console::Console::new(Box::new(stsim::console::NoFiles));
    let transcript = stsim::script::run(script, &mut console);
    assert_eq!(transcript.trim_end(), expected.trim_end());
}

/// Put `value` in the editor as a paste would (the input event the page listens to).
async fn edit(root: &web_sys::Element, value: &str) {
    let area: web_sys::HtmlTextAreaElement = element(root, "#editor-text");
    area.set_value(value);
    let event = web_sys::InputEvent::new("input").expect("an input event");
    let _ = area.dispatch_event(&event);
    settle().await;
}

/// The editor marks a problem where it is: the gutter marks its line, the coloured layer
/// underlines its value on that line (and colours the key), and fixing it clears both.
#[wasm_bindgen_test]
async fn the_editor_marks_a_problem_on_its_line_and_clears_it_when_fixed() {
    let root = mount();
    settle().await;
    let broken = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1GB\n";
    edit(&root, broken).await;
    assert_eq!(text(&root, ".gutter-line.mark-error"), "9");
    // The coloured layer: one element per line; the ninth holds the underlined value.
    let ninth = root
        .query_selector(".editor-highlight")
        .unwrap()
        .expect("the coloured layer")
        .text_content()
        .unwrap_or_default();
    assert_eq!(ninth.lines().nth(8), Some("      storage: 1GB"));
    assert_eq!(text(&root, ".squiggle-error"), "1GB");
    assert_eq!(text(&root, ".tok-key"), "apiVersion");
    assert!(text(&root, "#editor-problems-summary").starts_with("1 error"));
    edit(&root, &broken.replace("1GB", "1Gi")).await;
    assert!(root.query_selector(".squiggle-error").unwrap().is_none());
    assert!(root.query_selector(".gutter-line.mark-error").unwrap().is_none());
}
