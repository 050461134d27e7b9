//! The manifest editor pane: the learner's YAML and the Apply button.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorPaneProps {
    pub text: String,
    pub on_edit: Callback<String>,
}

#[component]
pub fn EditorPane(props: &EditorPaneProps) -> Html {
    let on_input = props
        .on_edit
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let lines = props.text.lines().count().max(1);
    html! {
        <section class="pane editor-pane" aria-labelledby="editor-title">
            <div class="pane-bar">
                <h2 id="editor-title">{ "Manifest" }</h2>
                <span class="pane-meta">{ format!("{lines} lines") }</span>
                <button type="button" class="primary" title="Apply the manifests (Ctrl+Enter)">{ "Apply" }</button>
            </div>
            <label class="visually-hidden" for="editor-text">{ "Kubernetes manifest (YAML)" }</label>
            <textarea id="editor-text" class="editor-text" spellcheck="false" autocapitalize="off"
                autocomplete="off" value={props.text.clone()} oninput={on_input} />
        </section>
    }
}
