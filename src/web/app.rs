//! The root component: owns the reducer, runs simulated time while playing, keeps the
//! learner's manifest in the browser, and lays out the four panes and the lesson drawer.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use crate::components::{
    cluster_pane::ClusterPane, console_pane::ConsolePane, editor_pane::EditorPane, header::Header,
    lesson_drawer::LessonDrawer, timeline_pane::TimelinePane,
};
use crate::state::{Action, State, STARTER_MANIFEST};

/// Where the editor's text is kept between visits, as it is (no encoding).
pub const EDITOR_KEY: &str = "statefulset-playground.editor.v2";
/// Where earlier versions kept it, as a JSON string (read once, left in place).
pub const EDITOR_KEY_V1: &str = "statefulset-playground.editor.v1";
/// How often the page advances simulated time while playing, in milliseconds (real and simulated).
pub const TICK_MS: u32 = 250;

/// Where saved text of an earlier version that could not be read is kept aside (never thrown
/// away).
pub const UNREADABLE_KEY: &str = "statefulset-playground.editor.v1.unreadable";

/// The browser's localStorage (None where it is not available, e.g. storage disabled).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The learner's saved text, or the starter manifest on a first visit. Text an earlier version
/// saved (a JSON string) is read; when it cannot be read (a damaged store) it is copied aside
/// under [`UNREADABLE_KEY`] before anything overwrites it, and shown instead of the starter.
fn saved_text() -> String {
    let Some(store) = storage() else {
        return STARTER_MANIFEST.to_string();
    };
    if let Some(text) = store.get_item(EDITOR_KEY).ok().flatten() {
        return text;
    }
    match store.get_item(EDITOR_KEY_V1).ok().flatten() {
        Some(raw) => match stsim::value::parse_json_string(&raw) {
            Some(text) => text,
            None => {
                let _ = store.set_item(UNREADABLE_KEY, &raw);
                format!("# The text saved last time could not be read as it was stored; here it is as found\n# (a copy is kept in localStorage under \"{UNREADABLE_KEY}\").\n{raw}")
            }
        },
        None => STARTER_MANIFEST.to_string(),
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(saved_text()));

    // Simulated time runs on its own while playing.
    {
        let state = state.clone();
        let playing = state.playing;
        use_effect_with(playing, move |playing| {
            let interval = playing.then(|| {
                let state = state.clone();
                Interval::new(TICK_MS, move || state.dispatch(Action::Advance(u64::from(TICK_MS))))
            });
            move || drop(interval)
        });
    }

    // Saved on every change (typing, a template added): a reload or a crashed tab never loses it.
    use_effect_with(state.editor_text.clone(), |text| {
        if let Some(store) = storage() {
            let _ = store.set_item(EDITOR_KEY, text);
        }
    });
    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::EditText(text)))
    };
    let dispatch = |make: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(make()))
    };
    let on_apply = dispatch(|| Action::Apply);
    let on_toggle_play = dispatch(|| Action::TogglePlay);
    let on_step = dispatch(|| Action::Advance(1000));
    let on_toggle_lesson = dispatch(|| Action::ToggleLesson);
    let on_template = {
        let state = state.clone();
        Callback::from(move |index: usize| {
            let Some((label, file)) = crate::state::TEMPLATES.get(index).copied() else {
                return;
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("{}{file}", crate::state::TEMPLATE_DIR);
                state.dispatch(match crate::components::hover::fetch_text(&url).await {
                    Some(text) => Action::InsertTemplate(text),
                    None => Action::TemplateUnavailable(label),
                });
            });
        })
    };
    let on_command = {
        let state = state.clone();
        Callback::from(move |line: String| state.dispatch(Action::RunCommand(line)))
    };

    html! {
        <div class={classes!("app", state.lesson_open.then_some("lesson-open"))}>
            <a class="skip-link" href="#editor-text">{ "Skip to the editor" }</a>
            <Header lesson_open={state.lesson_open} on_toggle_lesson={on_toggle_lesson.clone()} />
            <main class="workspace">
                <EditorPane text={state.editor_text.clone()} diagnostics={state.diagnostics.clone()} {on_edit} {on_apply} {on_template} />
                <ClusterPane view={state.view.clone()} />
                <ConsolePane entries={state.console.clone()} {on_command} />
                <TimelinePane view={state.view.clone()} playing={state.playing} {on_toggle_play} {on_step} />
            </main>
            <LessonDrawer open={state.lesson_open} on_close={on_toggle_lesson} />
        </div>
    }
}
