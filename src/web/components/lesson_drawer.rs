//! The lesson drawer: lesson text, goals and hints.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonDrawerProps {
    pub open: bool,
    pub on_close: Callback<()>,
}

#[component]
pub fn LessonDrawer(props: &LessonDrawerProps) -> Html {
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <aside id="lesson-drawer" class="lesson-drawer" aria-labelledby="lesson-title" hidden={!props.open}>
            <div class="pane-bar">
                <h2 id="lesson-title">{ "Lessons" }</h2>
                <button type="button" onclick={close} aria-label="Close lessons">{ "✕" }</button>
            </div>
            <p>{ "Lessons walk you through StatefulSets step by step: ordered start-up, stable names, \
                  per-pod storage and what really happens when things break." }</p>
        </aside>
    }
}
