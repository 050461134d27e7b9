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

/// One entry of the console's scrollback: the command typed and what it printed.
#[derive(Clone, PartialEq)]
pub struct ConsoleEntry {
    pub command: String,
    pub output: String,
}

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
}

impl State {
    /// A fresh page: the given editor text and the default cluster.
    pub fn new(editor_text: String) -> State {
        let engine = Console::new(Box::new(NoFiles));
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
        }
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
    }
}

/// Every change to the UI state.
pub enum Action {
    /// The learner edited the manifest.
    EditText(String),
    /// Add a starter template's text (fetched from [`TEMPLATE_DIR`]) after the learner's text.
    InsertTemplate(String),
    /// A template could not be fetched (the page went offline, say): its label.
    TemplateUnavailable(&'static str),
    /// Apply the editor's manifests (the Apply button, Ctrl/Cmd+Enter).
    Apply,
    /// The learner ran a console command.
    RunCommand(String),
    /// Simulated time passes (the page's timer while playing, or Step).
    Advance(u64),
    /// Play or pause simulated time.
    TogglePlay,
    /// Open or close the lesson drawer.
    ToggleLesson,
}

impl State {
    fn log(&mut self, command: String, output: String) {
        let console = Rc::make_mut(&mut self.console);
        console.push(ConsoleEntry { command, output });
        if console.len() > MAX_CONSOLE {
            let excess = console.len() - MAX_CONSOLE;
            console.drain(..excess);
        }
    }

    fn refresh(&mut self) {
        self.view = Rc::new(ClusterView::of(&self.engine.borrow().cluster));
        self.relint();
        self.version += 1;
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
            Action::TemplateUnavailable(label) => next.log(
                format!("(add template: {label})"),
                "error: the template could not be loaded (is the page offline?); your text is unchanged\n".into(),
            ),
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
            Action::RunCommand(command) => {
                let output = next.engine.borrow_mut().run(&command, None);
                next.log(command, output);
                next.refresh();
            }
            Action::Advance(ms) => {
                next.engine.borrow_mut().cluster.advance(ms);
                let view = ClusterView::of(&next.engine.borrow().cluster);
                if *next.view == view {
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
