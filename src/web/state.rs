//! UI state and the one reducer every change goes through (the Yew `function_todomvc` pattern).
//! The engine lives behind an `Rc<RefCell<_>>` so the reducer never loses it; every action that
//! touches it recomputes the plain [`ClusterView`] the panes draw.

use std::cell::RefCell;
use std::rc::Rc;

use stsim::console::{Console, NoFiles};
use stsim::lint::{Diagnostic, Severity};
use stsim::view::ClusterView;
use yew::Reducible;

/// The manifest the editor starts with: the kubernetes.io "StatefulSet Basics" tutorial's `web.yaml`.
pub const STARTER_MANIFEST: &str = include_str!("../../assets/manifests/web.yaml");

/// Starter templates from the cheat sheet, corrected: (menu label, file). They are not part of
/// the first load: `index.html` copies `assets/manifests/templates/` to [`TEMPLATE_DIR`], and a
/// template is fetched when it is picked (`app.rs`).
pub const TEMPLATES: [(&str, &str); 4] = [
    ("MySQL StatefulSet + headless Service", "mysql-statefulset.yaml"),
    ("PodDisruptionBudget for MySQL", "mysql-pdb.yaml"),
    ("gp3 StorageClass (Retain)", "gp3-retain-storageclass.yaml"),
    ("Deployment sharing an EFS claim", "deployment-efs.yaml"),
];

/// Where the page finds the starter templates.
pub const TEMPLATE_DIR: &str = "assets/templates/";

/// Above this size the editor's text is checked on Apply, not on every keystroke (measured:
/// a 5 MB manifest takes about 0.9 s to check natively, longer in the page).
pub const LIVE_LINT_MAX_BYTES: usize = 256 * 1024;

/// The note shown instead of the diagnostics of a very large text.
fn large_text_note(bytes: usize) -> Diagnostic {
    Diagnostic {
        doc: 0,
        span: Default::default(),
        severity: Severity::Info,
        rule: "editor-large",
        message: format!(
            "the manifest is {} KB: it is checked when you press Apply, not as you type",
            bytes / 1024
        ),
        why: "checking a text this large on every keystroke would freeze the page.",
        lesson: None,
    }
}

/// How many console entries stay on screen.
const MAX_CONSOLE: usize = 200;

/// One entry of the console's scrollback: the prompt it was typed at, the command and what it
/// printed.
#[derive(Clone, PartialEq)]
pub struct ConsoleEntry {
    pub prompt: String,
    pub command: String,
    pub output: String,
}

/// A running `kubectl get --watch`: its command and what it has printed so far.
#[derive(Clone, PartialEq)]
pub struct WatchPanel {
    pub command: String,
    pub output: String,
}

/// How many commands the console's history keeps (↑/↓, kept across reloads).
pub const MAX_HISTORY: usize = 200;

/// Everything the page shows.
#[derive(Clone)]
pub struct State {
    pub editor_text: String,
    /// Shared: every action copies the state, and the scrollback need not be copied with it.
    pub console: Rc<Vec<ConsoleEntry>>,
    pub lesson_open: bool,
    /// Whether simulated time runs on its own.
    pub playing: bool,
    pub engine: Rc<RefCell<Console>>,
    pub view: Rc<ClusterView>,
    /// The editor text's diagnostics against the current cluster.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Changes whenever the engine does (for equality).
    pub version: u64,
    /// The running watch, streaming beside the prompt as in a second terminal.
    pub watch: Option<Rc<WatchPanel>>,
    /// The prompt: `$`, or the prompt of the shell in a container the learner is in.
    pub prompt: String,
    /// The commands typed, oldest first (kept in the browser).
    pub history: Rc<Vec<String>>,
    /// The object `kubectl edit` has open in the editor (`statefulsets.apps/web`).
    pub editing: Option<String>,
    /// The learner's own editor text, kept aside while `kubectl edit` uses the editor.
    pub kept_text: Option<String>,
    /// The text a template replaced, which the learner can bring back (a swap: nothing is lost).
    pub replaced: Option<Rc<String>>,
}

impl State {
    /// A fresh page: the given editor text and the default cluster.
    pub fn new(editor_text: String) -> State {
        State::with_history(editor_text, Vec::new())
    }

    /// A fresh page with the console history a previous visit kept.
    pub fn with_history(editor_text: String, history: Vec<String>) -> State {
        let mut engine = Console::new(Box::new(NoFiles));
        engine.set_streaming(true);
        let view = Rc::new(ClusterView::of(&engine.cluster));
        let diagnostics = Rc::new(stsim::lint::lint(&editor_text, &engine.cluster));
        State {
            editor_text,
            console: Rc::new(Vec::new()),
            lesson_open: false,
            playing: true,
            engine: Rc::new(RefCell::new(engine)),
            view,
            diagnostics,
            version: 0,
            watch: None,
            prompt: "$".into(),
            history: Rc::new(history),
            editing: None,
            kept_text: None,
            replaced: None,
        }
    }

    /// The learner's own manifest: the editor's text, or what `kubectl edit` set aside.
    pub fn learner_text(&self) -> &str {
        self.kept_text.as_deref().unwrap_or(&self.editor_text)
    }
}

impl Default for State {
    fn default() -> Self {
        State::new(STARTER_MANIFEST.to_string())
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.editor_text == other.editor_text
            && Rc::ptr_eq(&self.console, &other.console)
            && self.lesson_open == other.lesson_open
            && self.playing == other.playing
            && Rc::ptr_eq(&self.diagnostics, &other.diagnostics)
            && self.watch == other.watch
            && self.prompt == other.prompt
            && Rc::ptr_eq(&self.history, &other.history)
            && self.editing == other.editing
            && self.replaced == other.replaced
    }
}

/// Every change to the UI state.
pub enum Action {
    /// The learner edited the manifest.
    EditText(String),
    /// Add a starter template's text (fetched from [`TEMPLATE_DIR`]) after the learner's text.
    InsertTemplate(String),
    /// Replace the learner's text with a template (the text replaced is kept aside).
    ReplaceText(String),
    /// Swap the text with the one the last replacement kept aside.
    SwapBack,
    /// A template could not be fetched (the page went offline, say): its label.
    TemplateUnavailable(&'static str),
    /// Apply the editor's manifests (the Apply button, Ctrl/Cmd+Enter).
    Apply,
    /// The learner ran a console command.
    RunCommand(String),
    /// The page fetched a shipped example a command names: its path and text.
    ProvideExample(String, String),
    /// A shipped example could not be fetched: the command line that needed it.
    ExampleUnavailable(String),
    /// Ctrl+C at the prompt: stop the watch, or a fresh prompt in a shell.
    Interrupt,
    /// Ctrl+D at an empty prompt: the shell in a container ends.
    EndOfInput,
    /// Ctrl+L or `clear`: an empty scrollback.
    ClearConsole,
    /// Close the `kubectl edit` in the editor without saving.
    CancelEdit,
    /// Simulated time passes (the page's timer while playing, or Step).
    Advance(u64),
    /// Play or pause simulated time.
    TogglePlay,
    /// Open or close the lesson drawer.
    ToggleLesson,
}

impl State {
    fn log(&mut self, command: String, output: String) {
        let prompt = self.prompt.clone();
        let console = Rc::make_mut(&mut self.console);
        console.push(ConsoleEntry {
            prompt,
            command,
            output,
        });
        if console.len() > MAX_CONSOLE {
            let excess = console.len() - MAX_CONSOLE;
            console.drain(..excess);
        }
    }

    fn refresh(&mut self) {
        self.sync_sessions();
        self.view = Rc::new(ClusterView::of(&self.engine.borrow().cluster));
        self.relint();
        self.version += 1;
    }

    /// Carry the console's sessions into the page: the watch's new rows, the shell's prompt,
    /// and an object `kubectl edit` opened (the learner's text is kept aside, never lost).
    fn sync_sessions(&mut self) {
        let (watching, rows, prompt, editing) = {
            let mut engine = self.engine.borrow_mut();
            let rows = engine.poll();
            (
                engine.watching().map(str::to_string),
                rows,
                engine.prompt(),
                engine.editing(),
            )
        };
        self.watch = match (watching, self.watch.take()) {
            (Some(command), Some(panel)) if panel.command == command => {
                if rows.is_empty() {
                    Some(panel)
                } else {
                    Some(Rc::new(WatchPanel {
                        command,
                        output: panel.output.clone() + &rows,
                    }))
                }
            }
            (Some(command), _) => Some(Rc::new(WatchPanel { command, output: rows })),
            (None, _) => None,
        };
        self.prompt = prompt.trim_end().to_string();
        match (editing, self.editing.is_some()) {
            (Some((title, text)), _) => {
                if self.kept_text.is_none() {
                    self.kept_text = Some(std::mem::take(&mut self.editor_text));
                }
                self.editing = Some(title);
                self.editor_text = text;
            }
            (None, true) => {
                self.editing = None;
                if let Some(text) = self.kept_text.take() {
                    self.editor_text = text;
                }
            }
            (None, false) => {}
        }
    }

    /// A running watch's output becomes part of the scrollback when it stops.
    fn end_watch(&mut self, tail: &str) {
        if let Some(panel) = self.watch.take() {
            self.log(panel.command.clone(), format!("{}{tail}", panel.output));
        }
    }

    /// Diagnose the editor text again (after an edit, or when the cluster changed). A very
    /// large text (a huge paste) is checked on Apply only, so typing stays responsive.
    fn relint(&mut self) {
        let diagnostics = if self.editor_text.len() > LIVE_LINT_MAX_BYTES {
            vec![large_text_note(self.editor_text.len())]
        } else {
            stsim::lint::lint(&self.editor_text, &self.engine.borrow().cluster)
        };
        if *self.diagnostics != diagnostics {
            self.diagnostics = Rc::new(diagnostics);
        }
    }

    /// Why Apply is refused: the errors, summarised (None when there are none).
    pub fn apply_blocked(&self) -> Option<String> {
        let errors: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let first = errors.first()?;
        Some(format!(
            "Not applied: the manifest has {} error{} (see the list under the editor). The first, at line {}, column {}: {}\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            first.span.start.line,
            first.span.start.col,
            first.message
        ))
    }
}

/// `text` with `document` added as one more YAML document (nothing of `text` is removed).
pub fn with_document(text: &str, document: &str) -> String {
    let body = text.trim_end();
    if body.is_empty() {
        return document.to_string();
    }
    format!("{body}\n---\n{document}")
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::EditText(text) => {
                next.editor_text = text;
                next.relint();
            }
            Action::InsertTemplate(template) => {
                next.editor_text = with_document(&next.editor_text, &template);
                next.relint();
            }
            Action::ReplaceText(text) => {
                let before = std::mem::replace(&mut next.editor_text, text);
                next.replaced = Some(Rc::new(before));
                next.relint();
            }
            Action::SwapBack => {
                if let Some(kept) = next.replaced.take() {
                    let current = std::mem::replace(&mut next.editor_text, (*kept).clone());
                    next.replaced = Some(Rc::new(current));
                    next.relint();
                }
            }
            Action::TemplateUnavailable(label) => next.log(
                format!("(add template: {label})"),
                "error: the template could not be loaded (is the page offline?); your text is unchanged\n".into(),
            ),
            Action::Apply if next.editing.is_some() => {
                let output = next.engine.borrow_mut().finish_edit(&next.editor_text);
                let title = next.editing.clone().unwrap_or_default();
                next.log(format!("(save the edit of {title})"), output);
                next.refresh();
            }
            Action::Apply => {
                if next.editor_text.len() > LIVE_LINT_MAX_BYTES {
                    let full = stsim::lint::lint(&next.editor_text, &next.engine.borrow().cluster);
                    next.diagnostics = Rc::new(full);
                }
                if let Some(summary) = next.apply_blocked() {
                    next.log("kubectl apply -f manifest.yaml   (the editor)".into(), summary);
                    return Rc::new(next);
                }
                let output = next.engine.borrow_mut().apply_manifest(&next.editor_text);
                next.log("kubectl apply -f manifest.yaml   (the editor)".into(), output);
                next.refresh();
            }
            Action::CancelEdit => {
                let output = next.engine.borrow_mut().cancel_edit();
                let title = next.editing.clone().unwrap_or_default();
                next.log(format!("(cancel the edit of {title})"), output);
                next.refresh();
            }
            Action::RunCommand(command) => {
                let history = Rc::make_mut(&mut next.history);
                if history.last() != Some(&command) {
                    history.push(command.clone());
                    if history.len() > MAX_HISTORY {
                        let excess = history.len() - MAX_HISTORY;
                        history.drain(..excess);
                    }
                }
                if command.trim() == "clear" && next.prompt == "$" {
                    next.console = Rc::new(Vec::new());
                    return Rc::new(next);
                }
                let output = next.engine.borrow_mut().run(&command, None);
                next.log(command, output);
                next.refresh();
            }
            Action::ProvideExample(path, text) => next.engine.borrow_mut().provide_example(&path, text),
            Action::ExampleUnavailable(command) => next.log(
                command,
                "error: the example manifest could not be loaded (is the page offline?); nothing was applied\n".into(),
            ),
            Action::Interrupt => {
                let output = next.engine.borrow_mut().interrupt();
                if next.watch.is_some() {
                    next.end_watch(&output);
                } else if !output.is_empty() {
                    next.log(String::new(), output);
                }
                next.refresh();
            }
            Action::EndOfInput => {
                let output = next.engine.borrow_mut().end_of_input();
                next.log("exit".into(), output);
                next.refresh();
            }
            Action::ClearConsole => next.console = Rc::new(Vec::new()),
            Action::Advance(ms) => {
                next.engine.borrow_mut().cluster.advance(ms);
                let watch_before = next.watch.clone();
                next.sync_sessions();
                let view = ClusterView::of(&next.engine.borrow().cluster);
                if *next.view == view && next.watch == watch_before {
                    return self;
                }
                next.view = Rc::new(view);
                next.version += 1;
            }
            Action::TogglePlay => next.playing = !next.playing,
            Action::ToggleLesson => next.lesson_open = !next.lesson_open,
        }
        Rc::new(next)
    }
}
