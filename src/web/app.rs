//! The root component: owns the reducer and lays out the four panes and the lesson drawer.

use yew::prelude::*;

use crate::components::{
    cluster_pane::ClusterPane, console_pane::ConsolePane, editor_pane::EditorPane, header::Header,
    lesson_drawer::LessonDrawer, timeline_pane::TimelinePane,
};
use crate::state::{Action, State};

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);

    let on_edit = {
        let state = state.clone();
        Callback::from(move |text: String| state.dispatch(Action::EditText(text)))
    };
    let on_command = {
        let state = state.clone();
        Callback::from(move |line: String| state.dispatch(Action::RunCommand(line)))
    };
    let on_toggle_lesson = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::ToggleLesson))
    };

    html! {
        <div class={classes!("app", state.lesson_open.then_some("lesson-open"))}>
            <a class="skip-link" href="#editor-text">{ "Skip to the editor" }</a>
            <Header lesson_open={state.lesson_open} on_toggle_lesson={on_toggle_lesson.clone()} />
            <main class="workspace">
                <EditorPane text={state.editor_text.clone()} {on_edit} />
                <ClusterPane />
                <ConsolePane entries={state.console.clone()} {on_command} />
                <TimelinePane />
            </main>
            <LessonDrawer open={state.lesson_open} on_close={on_toggle_lesson} />
        </div>
    }
}
