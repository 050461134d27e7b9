//! The editor's hover: what is at a position of the manifest (the problems found there, or the
//! API field written there with its type and upstream description), shown in a tooltip under
//! the mouse, or at the caret with Ctrl/Cmd+I (and announced to screen readers).
//!
//! The field descriptions (`assets/field-docs.txt`, see `stsim::docs`) are fetched the first time
//! they are needed, so they are not part of the first load.

use std::cell::RefCell;
use std::rc::Rc;

use stsim::lint::Diagnostic;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Where the field documentation is served, next to the page.
const DOCS_URL: &str = "assets/field-docs.txt";

/// The field documentation, as far as it is loaded.
#[derive(Clone, PartialEq)]
pub enum Docs {
    NotLoaded,
    Loading,
    Ready(Rc<String>),
    /// The fetch failed (offline before it was ever loaded, say): say so, do not retry per move.
    Failed,
}

/// A tooltip to show: where (pixels in the editor stack) and what.
#[derive(Clone, PartialEq)]
pub struct Tip {
    pub left: f64,
    pub top: f64,
    /// The 1-based line and column it describes (a new position replaces it).
    pub at: (u32, u32),
    pub title: String,
    pub kind: String,
    pub body: String,
}

/// Fetch the documentation once; `done` receives it (or the failure).
pub fn load(docs: &UseStateHandle<Docs>) {
    if **docs != Docs::NotLoaded {
        return;
    }
    docs.set(Docs::Loading);
    let docs = docs.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let text = fetch_text(DOCS_URL).await;
        docs.set(match text {
            Some(text) => Docs::Ready(Rc::new(text)),
            None => Docs::Failed,
        });
    });
}

/// A text file of the site (the field docs, a starter template), or None when it cannot be had.
pub async fn fetch_text(url: &str) -> Option<String> {
    let window = web_sys::window()?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().ok()?).await.ok()?;
    text.as_string()
}

/// The text area's text metrics: padding, line height and character width (the font is
/// monospace), read when the mouse moves, never while the page is drawn.
pub struct Metrics {
    pad_left: f64,
    pad_top: f64,
    line: f64,
    ch: f64,
}

impl Metrics {
    pub fn of(area: &HtmlTextAreaElement, measure: &NodeRef) -> Option<Metrics> {
        let style = web_sys::window()?.get_computed_style(area).ok()??;
        let px = |name: &str| {
            style
                .get_property_value(name)
                .ok()
                .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok())
        };
        let ch = measure
            .cast::<web_sys::Element>()
            .map(|m| m.get_bounding_client_rect().width() / 10.0)
            .filter(|w| *w > 0.0)?;
        Some(Metrics {
            pad_left: px("padding-left")?,
            pad_top: px("padding-top")?,
            line: px("line-height")?,
            ch,
        })
    }

    /// The 1-based line and column under a point of the text area (offsets from its padding
    /// box, as `MouseEvent.offsetX/Y` gives them).
    pub fn position(&self, area: &HtmlTextAreaElement, x: f64, y: f64) -> (u32, u32) {
        let y = y - self.pad_top + f64::from(area.scroll_top());
        let x = x - self.pad_left + f64::from(area.scroll_left());
        let line = (y / self.line).floor().max(0.0) as u32 + 1;
        let col = (x / self.ch).floor().max(0.0) as u32 + 1;
        (line, col)
    }

    /// The point (in the editor stack) just under a line and column.
    pub fn point(&self, area: &HtmlTextAreaElement, line: u32, col: u32) -> (f64, f64) {
        let left = self.pad_left + f64::from(col.saturating_sub(1)) * self.ch - f64::from(area.scroll_left());
        let top = self.pad_top + f64::from(line) * self.line - f64::from(area.scroll_top());
        (left.max(0.0), top.max(0.0))
    }
}

/// What to show at a position: the problems there, else the field's documentation.
pub fn describe(
    text: &str,
    diagnostics: &[Diagnostic],
    docs: &Docs,
    (line, col): (u32, u32),
) -> Option<(String, String, String)> {
    let problems: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| {
            let s = d.span;
            let end_col = if s.end.line == s.start.line {
                s.end.col.max(s.start.col + 1)
            } else {
                u32::MAX
            };
            s.start.line == line && s.start.col <= col && col < end_col
        })
        .collect();
    if !problems.is_empty() {
        let body = problems
            .iter()
            .map(|d| format!("{}: {}\n{}", d.severity.word(), d.message, d.why))
            .collect::<Vec<_>>()
            .join("\n\n");
        let rules = problems.iter().map(|d| d.rule).collect::<Vec<_>>().join(", ");
        return Some((format!("Problem at {line}:{col}"), rules, body));
    }
    let field = stsim::docs::field_at(text, line, col)?;
    let body = match docs {
        Docs::Ready(all) => stsim::docs::lookup(all, &field.doc_key)
            .unwrap_or_else(|| "The Kubernetes API documentation has no description for this field.".into()),
        Docs::Failed => "The field documentation could not be loaded (is the page offline?).".into(),
        Docs::NotLoaded | Docs::Loading => "Loading the field documentation…".into(),
    };
    Some((field.path, field.type_text, body))
}

/// The last position described, so moving within one character does no work.
pub type Last = Rc<RefCell<Option<(u32, u32)>>>;

#[derive(Properties, PartialEq)]
pub struct TipViewProps {
    pub tip: Tip,
}

/// The tooltip itself.
#[component]
pub fn TipView(props: &TipViewProps) -> Html {
    let tip = &props.tip;
    let style = format!("left: {:.0}px; top: {:.0}px;", tip.left, tip.top);
    html! {
        <div id="editor-tip" class="editor-tip" role="tooltip" {style}>
            <p class="editor-tip-title"><code>{ &tip.title }</code><span class="editor-tip-kind">{ &tip.kind }</span></p>
            <p class="editor-tip-body">{ &tip.body }</p>
        </div>
    }
}
