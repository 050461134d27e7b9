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
/// Where the console's command history is kept, one command a line.
pub const HISTORY_KEY: &str = "statefulset-playground.history.v1";
/// Where the page finds the shipped kubernetes.io examples (`index.html` copies them there).
pub const EXAMPLES_DIR: &str = "assets/examples/";

/// The commands a previous visit typed (none when nothing was kept or it cannot be read).
fn saved_history() -> Vec<String> {
    let Some(text) = storage().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten()) else {
        return Vec::new();
    };
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let excess = lines.len().saturating_sub(crate::state::MAX_HISTORY);
    lines.drain(..excess);
    lines
}

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
    let state = use_reducer(|| State::with_history(saved_text(), saved_history()));

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

    // Saved on every change (typing, a template added): a reload or a crashed tab never loses
    // it. While kubectl edit has the editor, the learner's own text (kept aside) is what stays.
    use_effect_with(state.learner_text().to_string(), |text| {
        if let Some(store) = storage() {
            let _ = store.set_item(EDITOR_KEY, text);
        }
    });
    use_effect_with(state.history.clone(), |history| {
        if let Some(store) = storage() {
            let _ = store.set_item(HISTORY_KEY, &history.join("\n"));
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
        Callback::from(move |(index, replace): (Option<usize>, bool)| {
            let Some(index) = index else {
                state.dispatch(Action::ReplaceText(STARTER_MANIFEST.to_string()));
                return;
            };
            let Some((label, file)) = crate::state::TEMPLATES.get(index).copied() else {
                return;
            };
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("{}{file}", crate::state::TEMPLATE_DIR);
                state.dispatch(match crate::components::hover::fetch_text(&url).await {
                    Some(text) if replace => Action::ReplaceText(text),
                    Some(text) => Action::InsertTemplate(text),
                    None => Action::TemplateUnavailable(label),
                });
            });
        })
    };
    let on_swap_back = dispatch(|| Action::SwapBack);
    // A command that names a shipped kubernetes.io example runs once the page has fetched it.
    let on_command = {
        let state = state.clone();
        Callback::from(move |line: String| {
            let missing: Vec<String> = stsim::examples::urls_in(&line)
                .iter()
                .filter_map(|url| stsim::examples::path_of(url).ok())
                .filter(|path| !state.engine.borrow().has_example(path))
                .map(str::to_string)
                .collect();
            if missing.is_empty() {
                state.dispatch(Action::RunCommand(line));
                return;
            }
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move {
                for path in missing {
                    let url = format!("{EXAMPLES_DIR}{path}");
                    match crate::components::hover::fetch_text(&url).await {
                        Some(text) => state.dispatch(Action::ProvideExample(path, text)),
                        None => return state.dispatch(Action::ExampleUnavailable(line)),
                    }
                }
                state.dispatch(Action::RunCommand(line));
            });
        })
    };
    let on_interrupt = dispatch(|| Action::Interrupt);
    let on_end_input = dispatch(|| Action::EndOfInput);
    let on_clear = dispatch(|| Action::ClearConsole);
    let on_cancel_edit = dispatch(|| Action::CancelEdit);
    let complete = {
        let engine = state.engine.clone();
        Callback::from(move |line: String| stsim::kubectl::complete::complete(&line, &engine.borrow().cluster))
    };

    html! {
        <div class={classes!("app", state.lesson_open.then_some("lesson-open"))}>
            <a class="skip-link" href="#editor-text">{ "Skip to the editor" }</a>
            <Header lesson_open={state.lesson_open} on_toggle_lesson={on_toggle_lesson.clone()} />
            <main class="workspace">
                <EditorPane text={state.editor_text.clone()} diagnostics={state.diagnostics.clone()} {on_edit} {on_apply} {on_template}
                    editing={state.editing.clone()} {on_cancel_edit} replaced={state.replaced.clone()} {on_swap_back} />
                <ClusterPane view={state.view.clone()} />
                <ConsolePane entries={state.console.clone()} prompt={state.prompt.clone()} watch={state.watch.clone()}
                    history={state.history.clone()} {on_command} {on_interrupt} {on_end_input} {on_clear} {complete} />
                <TimelinePane view={state.view.clone()} playing={state.playing} {on_toggle_play} {on_step} />
            </main>
            <LessonDrawer open={state.lesson_open} on_close={on_toggle_lesson} />
        </div>
    }
}
