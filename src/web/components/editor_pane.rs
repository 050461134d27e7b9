//! The manifest editor pane: the learner's YAML, its diagnostics (a list under the text: click
//! one to put the cursor on it), and the Apply button (also Ctrl/Cmd+Enter).

use std::rc::Rc;

use stsim::lint::{Diagnostic, Severity};

use super::hover;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorPaneProps {
    pub text: String,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub on_edit: Callback<String>,
    pub on_apply: Callback<()>,
    /// A starter template picked: its index (None: the tutorial's web.yaml), and whether it
    /// replaces the text rather than being added after it.
    pub on_template: Callback<(Option<usize>, bool)>,
    /// The text a replacement set aside (None when there is none to bring back).
    #[prop_or_default]
    pub replaced: Option<Rc<String>>,
    /// Swap the text with the one the last replacement set aside.
    #[prop_or_default]
    pub on_swap_back: Callback<()>,
    /// The object `kubectl edit` has open in the editor (`statefulsets.apps/web`): Apply saves
    /// the edit, Cancel closes it; the learner's own text comes back after either.
    #[prop_or_default]
    pub editing: Option<String>,
    #[prop_or_default]
    pub on_cancel_edit: Callback<()>,
}

/// Where each line of a text starts (in characters), built once per render: turning a line and
/// column into an offset is then constant time, however many diagnostics there are.
struct Lines {
    starts: Vec<u32>,
    total: u32,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let mut starts = vec![0u32];
        let mut total = 0u32;
        for c in text.chars() {
            total = total.saturating_add(1);
            if c == '\n' {
                starts.push(total);
            }
        }
        Lines { starts, total }
    }

    /// The character offset of a 1-based line and column (clamped to the line).
    fn offset(&self, line: u32, col: u32) -> u32 {
        let i = (line.max(1) as usize - 1).min(self.starts.len() - 1);
        let start = self.starts[i];
        let end = self.starts.get(i + 1).map_or(self.total, |next| next - 1);
        start + col.saturating_sub(1).min(end - start)
    }
}

/// The most text the editor holds (bytes): a paste or drop that would make it larger is refused
/// with a notice, and the text stays as it was. Manifests are rarely over 100 KB; a 5 MB paste
/// would freeze the text area for seconds and overflow the browser's storage, where the text is
/// kept between visits.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// The notice for a paste or drop that is too large, or None when it fits.
/// A paste or drop (its text in `data`) that would take the text past the limit is cancelled,
/// and `notice` says why.
fn refuse_if_too_large(
    e: &Event,
    data: Option<web_sys::DataTransfer>,
    how: &str,
    notice: &UseStateHandle<Option<String>>,
) {
    let inserted = data.and_then(|d| d.get_data("text").ok()).unwrap_or_default();
    let area = e.target_unchecked_into::<HtmlTextAreaElement>();
    if let Some(message) = too_large(&area, &inserted, how) {
        e.prevent_default();
        notice.set(Some(message));
    }
}

fn too_large(area: &HtmlTextAreaElement, inserted: &str, how: &str) -> Option<String> {
    let value = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0) as usize;
    let end = area.selection_end().ok().flatten().unwrap_or(0) as usize;
    // Selection offsets are UTF-16 units: the replaced part measured the same way, in bytes.
    let replaced: usize = value
        .encode_utf16()
        .skip(start)
        .take(end.saturating_sub(start))
        .map(|u| if u < 0x80 { 1 } else { 2 })
        .sum();
    let total = value.len().saturating_sub(replaced) + inserted.len();
    (total > MAX_TEXT_BYTES).then(|| {
        format!(
            "Not {how}: the text would be {:.1} MB, and the editor holds at most {} MB (a manifest is rarely over 100 KB). Your text is unchanged; {how} a part at a time.",
            total as f64 / 1_048_576.0,
            MAX_TEXT_BYTES >> 20
        )
    })
}

/// At most this many problems (and as many notes) are listed; the rest are counted.
const MAX_LISTED: usize = 200;

/// Above this many lines the gutter and the underlines are not drawn (the list still is): the
/// page stays responsive on a huge paste.
const OVERLAY_MAX_LINES: usize = 5_000;

/// Nor with a line longer than this (bytes): no manifest has one, and the browser lays out such
/// text slowly (binary garbage took it 1.6 s, drawn twice); the text area alone shows it.
const OVERLAY_MAX_LINE_BYTES: usize = 2_000;

/// The problems to underline, by line: (1-based line, 0-based character columns `[start, end)`
/// and severity), in line order. An error or warning underlines its span's first line, at least
/// one character of it.
fn line_marks(diagnostics: &[Diagnostic]) -> Vec<(u32, (u32, u32, Severity))> {
    let mut marks: Vec<(u32, (u32, u32, Severity))> = diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info && d.span.start.line > 0)
        .map(|d| {
            let start = d.span.start.col.saturating_sub(1);
            let end = if d.span.end.line == d.span.start.line {
                d.span.end.col.saturating_sub(1)
            } else {
                u32::MAX
            };
            (d.span.start.line, (start, end.max(start + 1), d.severity))
        })
        .collect();
    stsim::sort::by_key(&mut marks, |m| m.0);
    marks
}

#[derive(Properties, PartialEq)]
struct SourceLineProps {
    text: Rc<str>,
    /// The line is block scalar content (see `stsim::highlight::block_lines`).
    in_block: bool,
    /// Underlines: 0-based character columns `[start, end)` and severity.
    marks: Option<Rc<Vec<(u32, u32, Severity)>>>,
}

/// One line of the layer drawn behind the text area: the text coloured by its YAML syntax, with
/// its problems underlined. Its own component, so a keystroke redraws only the lines it changed.
#[component]
fn SourceLine(props: &SourceLineProps) -> Html {
    let chars: Vec<char> = props.text.chars().collect();
    let n = chars.len();
    let tokens = stsim::highlight::tokens(&props.text, props.in_block);
    let marks: &[(u32, u32, Severity)] = props.marks.as_deref().map_or(&[], Vec::as_slice);
    let clamp = |c: u32| (c as usize).min(n);
    // Every place where the colour or an underline starts or stops.
    let mut cuts: Vec<usize> = vec![0, n];
    cuts.extend(tokens.iter().flat_map(|t| [t.0, t.1]));
    cuts.extend(marks.iter().flat_map(|m| [clamp(m.0), clamp(m.1)]));
    cuts.sort_unstable();
    cuts.dedup();
    // An underline past the end of the line (a missing value) marks the line's last character.
    let past_end = marks.iter().any(|m| m.0 as usize >= n && n > 0);
    // Tokens are in order and do not overlap: one pointer walks them along the cuts.
    let mut next_token = 0;
    let pieces = cuts.windows(2).map(|w| {
        let (a, b) = (w[0], w[1]);
        let text: String = chars[a..b].iter().collect();
        while next_token < tokens.len() && tokens[next_token].1 <= a {
            next_token += 1;
        }
        let class = tokens
            .get(next_token)
            .filter(|t| t.0 <= a && a < t.1)
            .map(|t| t.2.css());
        let severity = marks
            .iter()
            .filter(|m| (clamp(m.0) <= a && a < clamp(m.1)) || (past_end && b == n && m.0 as usize >= n))
            .map(|m| m.2)
            .min();
        match (class, severity) {
            (None, None) => html! { { text } },
            (class, severity) => {
                let squiggle = severity.map(|s| format!("squiggle squiggle-{}", s.word()));
                html! { <span class={classes!(class, squiggle)}>{ text }</span> }
            }
        }
    });
    html! { <>{ for pieces }{ "\n" }</> }
}

/// Apply an edit through the browser's `insertText`, so it joins the text area's undo history
/// (Ctrl+Z undoes it like typing) and fires the usual input event.
fn apply_edit(area: &HtmlTextAreaElement, edit: &stsim::editing::Edit) {
    let _ = area.set_selection_range(edit.from, edit.to);
    let inserted = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDocument>(d).ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, &edit.text)
                .ok()
        })
        .unwrap_or(false);
    if !inserted {
        // No execCommand: edit the value directly (the browser's undo then skips this edit).
        let _ = area.set_range_text(&edit.text);
        if let Ok(event) = web_sys::InputEvent::new("input") {
            let _ = area.dispatch_event(&event);
        }
    }
    let _ = area.set_selection_range(edit.select.0, edit.select.1);
}

/// The completion list shown under the caret.
#[derive(Clone, PartialEq)]
struct Popup {
    /// Where the typed prefix starts (UTF-16 offset).
    from: u32,
    items: Rc<Vec<stsim::complete::Completion>>,
    selected: usize,
    /// The caret's 0-based line and column, for placing the list.
    line: u32,
    col: u32,
}

/// The completions at the text area's caret, if it is at a key position.
fn popup_at(area: &HtmlTextAreaElement, value: &str) -> Option<Popup> {
    let caret = area.selection_start().ok().flatten()?;
    let (from, items) = stsim::complete::complete(value, caret)?;
    let head: Vec<u16> = value.encode_utf16().take(caret as usize).collect();
    let line = u32::try_from(head.iter().filter(|u| **u == u16::from(b'\n')).count()).ok()?;
    let col = u32::try_from(head.iter().rev().take_while(|u| **u != u16::from(b'\n')).count()).ok()?;
    Some(Popup {
        from,
        items: Rc::new(items),
        selected: 0,
        line,
        col,
    })
}

/// The list of proposals, placed under the caret (the list uses the editor's font, so `em` and
/// `ch` match its lines and columns).
fn completion_list(
    open: &Popup,
    textarea: &NodeRef,
    popup: &UseStateHandle<Option<Popup>>,
    (scroll_top, scroll_left): (i32, i32),
) -> Html {
    let style = format!(
        "top: calc(.5rem + {} * 1.45em - {scroll_top}px); left: calc(.75rem + {}ch - {scroll_left}px);",
        open.line + 1,
        open.col
    );
    let items = open.items.iter().enumerate().map(|(i, item)| {
        let choose = {
            let (open, textarea, popup) = (open.clone(), textarea.clone(), popup.clone());
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                popup.set(None);
                if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                    accept(&area, &open, i);
                }
            })
        };
        let selected = i == open.selected;
        html! {
            <li role="option" id={format!("completion-{i}")} aria-selected={selected.to_string()}
                class={classes!("completion", selected.then_some("selected"))} onmousedown={choose}>
                <span class="completion-label">{ item.label }</span>
                <span class="completion-detail">{ &item.detail }</span>
            </li>
        }
    });
    html! {
        <ul id="editor-completions" class="completions" role="listbox" aria-label="Completions" {style}
            aria-activedescendant={format!("completion-{}", open.selected)}>
            { for items }
        </ul>
    }
}

/// Write the chosen completion in place of the typed prefix.
fn accept(area: &HtmlTextAreaElement, popup: &Popup, index: usize) {
    let Some(item) = popup.items.get(index) else { return };
    let caret = area.selection_start().ok().flatten().unwrap_or(popup.from);
    let end = popup.from + u32::try_from(item.insert.encode_utf16().count()).unwrap_or(0);
    let edit = stsim::editing::Edit {
        from: popup.from,
        to: caret.max(popup.from),
        text: item.insert.clone(),
        select: (end, end),
    };
    apply_edit(area, &edit);
    let _ = area.focus();
}

#[component]
pub fn EditorPane(props: &EditorPaneProps) -> Html {
    let textarea = use_node_ref();
    let highlight = use_node_ref();
    let gutter = use_node_ref();
    // Hover: the field documentation (fetched when first needed), the tooltip, what was last
    // described, a hidden run of ten characters to measure the font with, and what the live
    // region last announced (for the keyboard path, Ctrl/Cmd+I).
    let docs = use_state(|| hover::Docs::NotLoaded);
    let tip = use_state(|| None::<hover::Tip>);
    let last_at: hover::Last = use_mut_ref(|| None);
    let measure = use_node_ref();
    let announced = use_state(String::new);
    let show_tip = {
        let (docs, tip, measure, announced) = (docs.clone(), tip.clone(), measure.clone(), announced.clone());
        let diagnostics = props.diagnostics.clone();
        Rc::new(move |area: &HtmlTextAreaElement, at: (u32, u32), announce: bool| {
            let Some(metrics) = hover::Metrics::of(area, &measure) else {
                return;
            };
            match hover::describe(&area.value(), &diagnostics, &docs, at) {
                Some((title, kind, body)) => {
                    if !title.starts_with("Problem at") {
                        hover::load(&docs);
                    }
                    if announce {
                        announced.set(format!("{title}, {kind}: {body}"));
                    }
                    let (left, top) = metrics.point(area, at.0, at.1);
                    tip.set(Some(hover::Tip {
                        left,
                        top,
                        at,
                        title,
                        kind,
                        body,
                    }));
                }
                None => tip.set(None),
            }
        })
    };
    let on_mousemove = {
        let (last_at, measure, show_tip) = (last_at.clone(), measure.clone(), show_tip.clone());
        Callback::from(move |e: MouseEvent| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let Some(metrics) = hover::Metrics::of(&area, &measure) else {
                return;
            };
            let at = metrics.position(&area, f64::from(e.offset_x()), f64::from(e.offset_y()));
            if *last_at.borrow() == Some(at) {
                return;
            }
            *last_at.borrow_mut() = Some(at);
            show_tip(&area, at, false);
        })
    };
    let on_mouseleave = {
        let (tip, last_at) = (tip.clone(), last_at.clone());
        Callback::from(move |_: MouseEvent| {
            *last_at.borrow_mut() = None;
            tip.set(None);
        })
    };
    // When the documentation arrives, an open tooltip is described again.
    {
        let (tip, textarea, show_tip) = (tip.clone(), textarea.clone(), show_tip.clone());
        use_effect_with((*docs).clone(), move |_| {
            if let (Some(open), Some(area)) = ((*tip).clone(), textarea.cast::<HtmlTextAreaElement>()) {
                show_tip(&area, open.at, false);
            }
        });
    }
    // The layers behind and beside the text area scroll with it.
    // The text area's scroll offsets as of its last scroll event: the completion list is placed
    // with them, without asking the page for its layout while it is being redrawn.
    let scrolled = use_mut_ref(|| (0i32, 0i32));
    let on_scroll = {
        let (textarea, highlight, gutter) = (textarea.clone(), highlight.clone(), gutter.clone());
        let scrolled = scrolled.clone();
        Callback::from(move |_: Event| {
            let Some(area) = textarea.cast::<HtmlTextAreaElement>() else {
                return;
            };
            *scrolled.borrow_mut() = (area.scroll_top(), area.scroll_left());
            if let Some(h) = highlight.cast::<web_sys::Element>() {
                h.set_scroll_top(area.scroll_top());
                h.set_scroll_left(area.scroll_left());
            }
            if let Some(g) = gutter.cast::<web_sys::Element>() {
                g.set_scroll_top(area.scroll_top());
            }
        })
    };
    // The caret's line, shown in the gutter and as a band behind the text (updated when the
    // caret moves: keys, clicks, edits; set only when it changes, so most moves redraw nothing).
    let caret_line = use_state(|| 1u32);
    let track_caret = {
        let caret_line = caret_line.clone();
        Callback::from(move |e: Event| {
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            let line = 1 + area
                .value()
                .encode_utf16()
                .take(caret)
                .filter(|u| *u == u16::from(b'\n'))
                .count();
            let line = u32::try_from(line).unwrap_or(u32::MAX);
            if *caret_line != line {
                caret_line.set(line);
            }
        })
    };
    // A refused paste or drop says so here until the next edit.
    let notice = use_state(|| None::<String>);
    let on_paste = {
        let notice = notice.clone();
        Callback::from(move |e: Event| {
            if let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(&e) {
                refuse_if_too_large(&e, event.clipboard_data(), "pasted", &notice);
            }
        })
    };
    let on_drop = {
        let notice = notice.clone();
        Callback::from(move |e: DragEvent| refuse_if_too_large(&e, e.data_transfer(), "dropped", &notice))
    };
    let popup = use_state(|| None::<Popup>);
    let on_input = {
        let (on_edit, popup, tip, notice) = (props.on_edit.clone(), popup.clone(), tip.clone(), notice.clone());
        Callback::from(move |e: InputEvent| {
            if tip.is_some() {
                tip.set(None);
            }
            if notice.is_some() {
                notice.set(None);
            }
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let value = area.value();
            // Propose fields while a key is typed, and on a fresh line under `key:`.
            let typed_letter = e.data().is_some_and(|d| d.chars().all(|c| c.is_ascii_alphanumeric()));
            // (Chrome reports an inserted line break as separate input events, so look at the
            // text: a caret on a blank line right under `key:`.)
            let opened_block = !typed_letter && {
                let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                let head = String::from_utf16_lossy(&value.encode_utf16().take(caret).collect::<Vec<u16>>());
                let (above, line) = head.rsplit_once('\n').unwrap_or(("", &head));
                line.chars().all(|c| c == ' ') && above.trim_end().ends_with(':')
            };
            popup.set(if typed_letter || opened_block {
                popup_at(&area, &value)
            } else {
                None
            });
            on_edit.emit(value);
        })
    };
    // Escape lets the next Tab leave the editor (keyboard users are never trapped).
    let escaped = use_mut_ref(|| false);
    let on_keydown = {
        let on_apply = props.on_apply.clone();
        let popup = popup.clone();
        let (tip, show_tip) = (tip.clone(), show_tip.clone());
        Callback::from(move |e: KeyboardEvent| {
            let command = e.ctrl_key() || e.meta_key();
            if let Some(open) = (*popup).clone() {
                let area = e.target_unchecked_into::<HtmlTextAreaElement>();
                match e.key().as_str() {
                    "ArrowDown" | "ArrowUp" => {
                        e.prevent_default();
                        let n = open.items.len();
                        let selected = if e.key() == "ArrowDown" {
                            (open.selected + 1) % n
                        } else {
                            (open.selected + n - 1) % n
                        };
                        popup.set(Some(Popup { selected, ..open }));
                        return;
                    }
                    "Enter" | "Tab" if !command && !e.shift_key() => {
                        e.prevent_default();
                        popup.set(None);
                        accept(&area, &open, open.selected);
                        return;
                    }
                    "Escape" => {
                        e.prevent_default();
                        popup.set(None);
                        return;
                    }
                    _ => {}
                }
            }
            if e.key() == " " && e.ctrl_key() {
                e.prevent_default();
                let area = e.target_unchecked_into::<HtmlTextAreaElement>();
                popup.set(popup_at(&area, &area.value()));
                return;
            }
            if e.key() == "Escape" {
                *escaped.borrow_mut() = true;
                if tip.is_some() {
                    tip.set(None);
                }
                return;
            }
            if command && (e.key() == "i" || e.key() == "I") {
                // What is at the caret: its problems or the field's documentation, shown and
                // announced.
                e.prevent_default();
                let area = e.target_unchecked_into::<HtmlTextAreaElement>();
                let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                let head: Vec<u16> = area.value().encode_utf16().take(caret).collect();
                let head = String::from_utf16_lossy(&head);
                let line = u32::try_from(head.matches('\n').count() + 1).unwrap_or(u32::MAX);
                let col = u32::try_from(head.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1).unwrap_or(1);
                show_tip(&area, (line, col), true);
                return;
            }
            if std::mem::take(&mut *escaped.borrow_mut()) && e.key() == "Tab" {
                return;
            }
            if e.key() == "Enter" && command {
                e.prevent_default();
                on_apply.emit(());
                return;
            }
            let key = match e.key().as_str() {
                "Tab" if !command && !e.alt_key() && e.shift_key() => stsim::editing::Key::ShiftTab,
                "Tab" if !command && !e.alt_key() => stsim::editing::Key::Tab,
                "Enter" if !e.shift_key() && !e.alt_key() => stsim::editing::Key::Enter,
                "/" if command => stsim::editing::Key::ToggleComment,
                _ => return,
            };
            let area = e.target_unchecked_into::<HtmlTextAreaElement>();
            let (Ok(Some(start)), Ok(Some(end))) = (area.selection_start(), area.selection_end()) else {
                return;
            };
            let Some(edit) = stsim::editing::edit(&area.value(), start, end, key) else {
                if key == stsim::editing::Key::ShiftTab {
                    e.prevent_default(); // nothing to outdent: stay in the editor
                }
                return;
            };
            e.prevent_default();
            apply_edit(&area, &edit);
        })
    };
    let apply = props.on_apply.reform(|_: MouseEvent| ());
    let on_template = {
        let pick = props.on_template.clone();
        Callback::from(move |e: Event| {
            let select = e.target_unchecked_into::<web_sys::HtmlSelectElement>();
            let value = select.value();
            select.set_value("");
            let (replace, rest) = match value.split_at_checked(1) {
                Some(("r", rest)) => (true, rest),
                Some(("a", rest)) => (false, rest),
                _ => return,
            };
            pick.emit((rest.parse::<usize>().ok(), replace));
        })
    };
    let options = |prefix: &'static str| {
        crate::state::TEMPLATES
            .iter()
            .enumerate()
            .map(move |(i, (label, _))| html! { <option value={format!("{prefix}{i}")}>{ *label }</option> })
    };
    let templates = html! {
        <>
            <optgroup label="Add after your text">{ for options("a") }</optgroup>
            <optgroup label="Replace your text with">
                { for options("r") }
                <option value="rtutorial">{ "The tutorial's web.yaml" }</option>
            </optgroup>
        </>
    };
    let lines = props.text.lines().count().max(1);
    let errors = props
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    // Jumps read the text area at click time, so the list need not change with every keystroke.
    let on_jump = {
        let textarea = textarea.clone();
        use_callback((), move |(line, col): (u32, u32), _| {
            if let Some(area) = textarea.cast::<HtmlTextAreaElement>() {
                let at = Lines::new(&area.value()).offset(line, col);
                let _ = area.focus();
                let _ = area.set_selection_range(at, at);
            }
        })
    };
    let overlay = lines <= OVERLAY_MAX_LINES && props.text.split('\n').all(|l| l.len() <= OVERLAY_MAX_LINE_BYTES);
    let (marks, source_lines) = if overlay {
        // The worst severity on each line with a problem, for the gutter (the diagnostics come
        // in position order, so one line's are together).
        let mut worst: Vec<(u32, Severity)> = Vec::new();
        for d in props.diagnostics.iter().filter(|d| d.span.start.line > 0) {
            match worst.last_mut() {
                Some(slot) if slot.0 == d.span.start.line => slot.1 = slot.1.min(d.severity),
                _ => worst.push((d.span.start.line, d.severity)),
            }
        }
        let underlines = line_marks(&props.diagnostics);
        let mut next = underlines.iter().peekable();
        let block = stsim::highlight::block_lines(&props.text);
        let source_lines: Vec<Html> = props
            .text
            .split('\n')
            .zip(block)
            .zip(1u32..)
            .map(|((text, in_block), n)| {
                let mut here = Vec::new();
                while let Some((_, mark)) = next.next_if(|(line, _)| *line <= n) {
                    here.push(*mark);
                }
                let marks = (!here.is_empty()).then(|| Rc::new(here));
                html! { <SourceLine text={Rc::<str>::from(text)} {in_block} {marks} /> }
            })
            .collect();
        (worst, source_lines)
    } else {
        (Vec::new(), Vec::new())
    };
    let completions = (*popup)
        .clone()
        .map(|open| completion_list(&open, &textarea, &popup, *scrolled.borrow()))
        .unwrap_or_default();
    html! {
        <section class="pane editor-pane" aria-labelledby="editor-title">
            <div class="pane-bar">
                if let Some(object) = &props.editing {
                    <h2 id="editor-title">{ format!("kubectl edit {object}") }</h2>
                    <span class="pane-meta">{ "your manifest is kept aside and comes back after" }</span>
                    <button type="button" onclick={props.on_cancel_edit.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                    <button type="button" class="primary apply-button" title="Save the edit (Ctrl+Enter)" onclick={apply}>
                        { "Save" }
                    </button>
                } else {
                    <h2 id="editor-title">{ "Manifest" }</h2>
                    <span class="pane-meta">{ format!("{lines} lines") }</span>
                    <label class="visually-hidden" for="template-select">{ "Add a starter template after your text, or replace your text with one" }</label>
                    <select id="template-select" class="template-select" onchange={on_template}>
                        <option value="" selected=true>{ "Templates…" }</option>
                        { templates }
                    </select>
                    if props.replaced.is_some() {
                        <button type="button" onclick={props.on_swap_back.reform(|_: MouseEvent| ())}
                            title="Your text before the last replacement comes back (and the current text is kept aside in its place)">
                            { "↶ Previous text" }
                        </button>
                    }
                    <button type="button" class="primary apply-button"
                        title={if errors > 0 { "Fix the errors listed under the editor first (Ctrl+Enter)" } else { "Apply the manifests (Ctrl+Enter)" }}
                        onclick={apply}>
                        { "Apply" }
                    </button>
                }
            </div>
            <label class="visually-hidden" for="editor-text">{ "Kubernetes manifest (YAML). Ctrl+Enter applies it; Ctrl+I describes the field or problem at the cursor; Tab indents, Ctrl+/ comments; press Escape then Tab to leave the editor." }</label>
            <div class="editor-frame">
                if overlay {
                    <Gutter {lines} {marks} current={*caret_line} node={gutter} />
                }
                <div class="editor-stack">
                    if overlay {
                        // The text again, coloured, with the problems underlined: drawn behind the
                        // text area, whose own text is transparent.
                        <pre class="editor-highlight" ref={highlight} aria-hidden="true">
                            // The caret's line: inside the layer, so it scrolls with the text.
                            <span class="editor-current-line" style={format!("top: calc(.5rem + {} * 1.45em);", caret_line.saturating_sub(1))} />
                            { for source_lines }
                        </pre>
                    }
                    <textarea id="editor-text" ref={textarea} class={classes!("editor-text", overlay.then_some("over-highlight"))}
                        spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"
                        value={props.text.clone()} oninput={on_input} onkeydown={on_keydown} onscroll={on_scroll}
                        aria-invalid={(errors > 0).to_string()} aria-describedby="editor-problems-summary"
                        aria-autocomplete="list" aria-expanded={popup.is_some().to_string()}
                        aria-controls="editor-completions"
                        onclick={{ let popup = popup.clone(); Callback::from(move |_: MouseEvent| popup.set(None)) }}
                        onmousemove={on_mousemove} onmouseleave={on_mouseleave} onpaste={on_paste} ondrop={on_drop}
                        onkeyup={track_caret.reform(|e: KeyboardEvent| Event::from(e))}
                        onmouseup={track_caret.reform(|e: MouseEvent| Event::from(e))}
                        onfocus={track_caret.reform(|e: FocusEvent| Event::from(e))} />
                    { completions }
                    <span class="editor-measure" ref={measure} aria-hidden="true">{ "0000000000" }</span>
                    if let Some(open) = (*tip).clone() {
                        <hover::TipView tip={open} />
                    }
                    <div class="visually-hidden" aria-live="polite">{ (*announced).clone() }</div>
                </div>
            </div>
            if let Some(message) = (*notice).clone() {
                <p class="editor-notice" role="alert">{ message }</p>
            }
            <Problems diagnostics={props.diagnostics.clone()} {on_jump} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GutterProps {
    lines: usize,
    /// Lines with problems and the worst severity on each.
    marks: Vec<(u32, Severity)>,
    /// The caret's line (1-based).
    current: u32,
    node: NodeRef,
}

/// The line numbers beside the text, marking lines with problems. Its own component, so a
/// keystroke that changes neither the line count nor the marks does not redraw it.
#[component]
fn Gutter(props: &GutterProps) -> Html {
    let mut marks = props.marks.iter().peekable();
    let lines = (1..=props.lines).map(|n| {
        let mark = marks.next_if(|(line, _)| *line as usize == n).map(|(_, s)| *s);
        let current = n as u32 == props.current;
        let class = classes!(
            "gutter-line",
            mark.map(|s| format!("mark-{}", s.word())),
            current.then_some("current")
        );
        html! { <div {class}>{ n }</div> }
    });
    html! { <div class="editor-gutter" ref={props.node.clone()} aria-hidden="true">{ for lines }</div> }
}

#[derive(Properties, PartialEq)]
struct ProblemsProps {
    diagnostics: Rc<Vec<Diagnostic>>,
    /// Put the cursor at a line and column.
    on_jump: Callback<(u32, u32)>,
}

/// The summary and the list of problems under the text (its own component: it is redrawn only
/// when the diagnostics change).
#[component]
fn Problems(props: &ProblemsProps) -> Html {
    let count = |s: Severity| props.diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let summary = if props.diagnostics.is_empty() {
        "No problems found".to_string()
    } else {
        format!(
            "{}, {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning"),
            plural(infos, "note")
        )
    };
    let item = |d: &Diagnostic| {
        let (line, col) = (d.span.start.line, d.span.start.col);
        let jump = props.on_jump.reform(move |_: MouseEvent| (line, col));
        let class = classes!("diagnostic", format!("severity-{}", d.severity.word()));
        html! {
            <li {class}>
                <button type="button" class="diagnostic-jump" onclick={jump}
                    title={format!("{} Go to line {line}, column {col}.", d.why)}>
                    <span class="diagnostic-where">{ format!("{line}:{col}") }</span>
                    <span class="diagnostic-severity">{ d.severity.word() }</span>
                    <span class="diagnostic-message">{ &d.message }</span>
                    <span class="diagnostic-rule">{ format!("[{}]", d.rule) }</span>
                </button>
                <p class="diagnostic-why">{ d.why }</p>
            </li>
        }
    };
    // Errors and warnings are listed; notes (kube-score style advice) fold away.
    let more = |n: usize| -> Option<Html> {
        (n > MAX_LISTED)
            .then(|| html! { <li class="diagnostic-more">{ format!("… and {} more", n - MAX_LISTED) }</li> })
    };
    let mut items: Vec<Html> = props
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .take(MAX_LISTED)
        .map(&item)
        .collect();
    items.extend(more(errors + warnings));
    let mut notes: Vec<Html> = props
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Info)
        .take(MAX_LISTED)
        .map(&item)
        .collect();
    notes.extend(more(infos));
    html! {
        <div class="problems" aria-labelledby="editor-problems-summary">
            <p id="editor-problems-summary" class={classes!("problems-summary", (errors > 0).then_some("has-errors"))}
                role="status" aria-live="polite">{ summary }</p>
            if !items.is_empty() {
                <ul class="problems-list" aria-label="Problems in the manifest">{ for items.into_iter() }</ul>
            }
            if !notes.is_empty() {
                <details class="problems-notes">
                    <summary>{ format!("{} (advice)", plural(infos, "note")) }</summary>
                    <ul class="problems-list" aria-label="Notes on the manifest">{ for notes.into_iter() }</ul>
                </details>
            }
        </div>
    }
}
