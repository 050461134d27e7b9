//! The lesson drawer: lesson text, goals and hints. No lesson is published yet, and the drawer
//! says so instead of promising what is not there; it points at what the playground can already
//! show. Opening it puts the keyboard in it (on its close button); Escape closes it.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonDrawerProps {
    pub open: bool,
    pub on_close: Callback<()>,
}

#[component]
pub fn LessonDrawer(props: &LessonDrawerProps) -> Html {
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with(props.open, move |open| {
            if *open {
                if let Some(button) = close_button.cast::<web_sys::HtmlElement>() {
                    let _ = button.focus();
                }
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let on_close = props.on_close.clone();
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.prevent_default();
            on_close.emit(());
        }
    });
    html! {
        <aside id="lesson-drawer" class="lesson-drawer" aria-labelledby="lesson-title" hidden={!props.open} {onkeydown}>
            <div class="pane-bar">
                <h2 id="lesson-title">{ "Lessons" }</h2>
                <button type="button" ref={close_button} onclick={close} aria-label="Close lessons">{ "✕" }</button>
            </div>
            <p>{ "No lessons are published yet: the first ones (ordered start-up, stable names, \
                  per-pod storage) are being written." }</p>
            <p>{ "Until then, you can already watch all of it happen:" }</p>
            <ul class="lesson-try">
                <li>{ "Press Apply: the tutorial's web.yaml starts web-0, then web-1, one at a time." }</li>
                <li>{ "In the console: " }<code>{ "kubectl scale sts web --replicas=3" }</code>{ ", then " }<code>{ "kubectl delete pod web-1" }</code>{ " and see it come back with the same name and claim." }</li>
                <li><code>{ "help" }</code>{ " lists the sim verbs: a readiness failure, a crash, a node going down." }</li>
                <li>{ "The Templates menu gives corrected starters from real-world manifests, and brings back the tutorial's web.yaml." }</li>
            </ul>
        </aside>
    }
}
