//! UI state and the one reducer every change goes through (the Yew `function_todomvc` pattern).

use std::rc::Rc;

use stsim::console::{Console, NoFiles};
use yew::Reducible;

/// The manifest the editor starts with: the kubernetes.io "StatefulSet Basics" tutorial's `web.yaml`.
pub const STARTER_MANIFEST: &str = include_str!("../../assets/manifests/web.yaml");

/// One entry of the console's scrollback: the command typed and what it printed.
#[derive(Clone, PartialEq)]
pub struct ConsoleEntry {
    pub command: String,
    pub output: String,
}

/// Everything the page shows that is not derived from the engine.
pub struct State {
    pub editor_text: String,
    pub console: Vec<ConsoleEntry>,
    pub lesson_open: bool,
    pub engine: Console,
}

impl Default for State {
    fn default() -> Self {
        State {
            editor_text: STARTER_MANIFEST.to_string(),
            console: Vec::new(),
            lesson_open: false,
            engine: Console::new(Box::new(NoFiles)),
        }
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        // The reducer always returns a new Rc, so equality only gates re-renders of identical text.
        self.editor_text == other.editor_text && self.console == other.console && self.lesson_open == other.lesson_open
    }
}

/// Every change to the UI state.
pub enum Action {
    /// The learner edited the manifest.
    EditText(String),
    /// The learner ran a console command.
    RunCommand(String),
    /// Open or close the lesson drawer.
    ToggleLesson,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = match Rc::try_unwrap(self) {
            Ok(state) => state,
            Err(shared) => State {
                editor_text: shared.editor_text.clone(),
                console: shared.console.clone(),
                lesson_open: shared.lesson_open,
                engine: Console::new(Box::new(NoFiles)),
            },
        };
        match action {
            Action::EditText(text) => next.editor_text = text,
            Action::RunCommand(command) => {
                let output = next.engine.run(&command, None);
                next.console.push(ConsoleEntry { command, output });
            }
            Action::ToggleLesson => next.lesson_open = !next.lesson_open,
        }
        Rc::new(next)
    }
}
