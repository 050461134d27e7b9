//! The manifest editor pane: the learner's YAML and the Apply button (also Ctrl/Cmd+Enter).

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorPaneProps {
    pub text: String,
    pub on_edit: Callback<String>,
    pub on_apply: Callback<()>,
}

#[component]
pub fn EditorPane(props: &EditorPaneProps) -> Html {
    let on_input = props
        .on_edit
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlTextAreaElement>().value());
    let on_keydown = {
        let on_apply = props.on_apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_apply.emit(());
            }
        })
    };
    let apply = props.on_apply.reform(|_: MouseEvent| ());
    let lines = props.text.lines().count().max(1);
    html! {
        <section class="pane editor-pane" aria-labelledby="editor-title">
            <div class="pane-bar">
                <h2 id="editor-title">{ "Manifest" }</h2>
                <span class="pane-meta">{ format!("{lines} lines") }</span>
                <button type="button" class="primary apply-button" title="Apply the manifests (Ctrl+Enter)" onclick={apply}>
                    { "Apply" }
                </button>
            </div>
            <label class="visually-hidden" for="editor-text">{ "Kubernetes manifest (YAML). Ctrl+Enter applies it." }</label>
            <textarea id="editor-text" class="editor-text" spellcheck="false" autocapitalize="off"
                autocomplete="off" value={props.text.clone()} oninput={on_input} onkeydown={on_keydown} />
        </section>
    }
}
