//! Component tests in headless Chromium (`wasm-bindgen-test`): the shell renders every pane.
use wasm_bindgen::JsCast;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> web_sys::Element {
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
    gloo::timers::future::TimeoutFuture::new(20).await;
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
        let heading = root.query_selector(&format!("#{id}")).unwrap();
        assert!(heading.is_some(), "pane heading #{id} is missing");
    }
    let header = root.query_selector(".version-badge").unwrap().expect("version badge");
    assert!(header.text_content().unwrap_or_default().contains("v1.34"));
}

#[wasm_bindgen_test]
async fn console_runs_a_command_through_the_engine() {
    let root = mount();
    settle().await;
    let input: web_sys::HtmlInputElement = root
        .query_selector("#console-input")
        .unwrap()
        .expect("console input")
        .dyn_into()
        .unwrap();
    input.set_value("kubectl version");
    let form: web_sys::HtmlFormElement = root
        .query_selector(".console-form")
        .unwrap()
        .expect("console form")
        .dyn_into()
        .unwrap();
    form.request_submit().unwrap();
    settle().await;
    let log = root
        .query_selector(".console-log")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(log.contains("Server Version: v1.34"), "console shows: {log}");
}
