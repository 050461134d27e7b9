//! The page header: product name, the Kubernetes version modelled, and the lesson drawer toggle.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub lesson_open: bool,
    pub on_toggle_lesson: Callback<()>,
}

#[component]
pub fn Header(props: &HeaderProps) -> Html {
    let toggle = props.on_toggle_lesson.reform(|_: MouseEvent| ());
    html! {
        <header class="app-header">
            <h1 class="brand">
                <img src="assets/favicon.svg" alt="" width="28" height="28" />
                { "StatefulSet Playground" }
            </h1>
            <p class="version-badge">
                { "models Kubernetes " }<strong>{ stsim::version::KUBERNETES_VERSION }</strong>
            </p>
            <button class="lesson-toggle" type="button" aria-controls="lesson-drawer"
                aria-expanded={props.lesson_open.to_string()} onclick={toggle}>
                { if props.lesson_open { "Close lessons" } else { "Lessons" } }
            </button>
        </header>
    }
}
