//! The console pane: a kubectl prompt with history (↑/↓), Tab completion, Ctrl+C, Ctrl+D and
//! Ctrl+L, its scrollback, and a running watch streaming above it as in a second terminal.

use std::rc::Rc;

use stsim::kubectl::complete::Completion;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::{ConsoleEntry, WatchPanel};

#[derive(Properties, PartialEq)]
pub struct ConsolePaneProps {
    pub entries: Rc<Vec<ConsoleEntry>>,
    pub prompt: String,
    pub watch: Option<Rc<WatchPanel>>,
    pub history: Rc<Vec<String>>,
    pub on_command: Callback<String>,
    /// Ctrl+C (or Stop): stops the watch; a fresh prompt in a shell.
    pub on_interrupt: Callback<()>,
    /// Ctrl+D at an empty prompt: leaves the shell of a container.
    pub on_end_input: Callback<()>,
    /// Ctrl+L: clears the scrollback.
    pub on_clear: Callback<()>,
    /// What the text before the cursor can be completed to.
    pub complete: Callback<String, Completion>,
}

/// A text's first `n` characters end where (a byte offset).
fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i)
}

#[component]
pub fn ConsolePane(props: &ConsolePaneProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    let watch_log = use_node_ref();
    // Where ↑/↓ are in the history (None: the line being typed), and that line.
    let recall = use_mut_ref(|| (None::<usize>, String::new()));
    // What Tab offered when more than one completion fits.
    let offered = use_state(Vec::<String>::new);
    // Keep the newest output in view.
    {
        let log = log.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    {
        let watch_log = watch_log.clone();
        let len = props.watch.as_ref().map_or(0, |w| w.output.len());
        use_effect_with(len, move |_| {
            if let Some(el) = watch_log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let on_submit = {
        let input = input.clone();
        let on_command = props.on_command.clone();
        let recall = recall.clone();
        let offered = offered.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let line = field.value();
                if !line.trim().is_empty() {
                    on_command.emit(line.trim().to_string());
                    field.set_value("");
                }
            }
            *recall.borrow_mut() = (None, String::new());
            offered.set(Vec::new());
        })
    };
    let on_keydown = {
        let history = props.history.clone();
        let recall = recall.clone();
        let offered = offered.clone();
        let complete = props.complete.clone();
        let on_interrupt = props.on_interrupt.clone();
        let on_end_input = props.on_end_input.clone();
        let on_clear = props.on_clear.clone();
        Callback::from(move |e: KeyboardEvent| {
            let field = e.target_unchecked_into::<HtmlInputElement>();
            let ctrl = e.ctrl_key() && !e.alt_key() && !e.meta_key();
            match e.key().as_str() {
                "ArrowUp" | "ArrowDown" if !history.is_empty() => {
                    e.prevent_default();
                    let mut r = recall.borrow_mut();
                    if r.0.is_none() {
                        r.1 = field.value();
                    }
                    let at = match (e.key().as_str(), r.0) {
                        ("ArrowUp", None) => Some(history.len() - 1),
                        ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                        (_, Some(i)) if i + 1 < history.len() => Some(i + 1),
                        _ => None,
                    };
                    r.0 = at;
                    field.set_value(at.map_or(r.1.as_str(), |i| history[i].as_str()));
                }
                "Tab" if !e.shift_key() => {
                    let value = field.value();
                    let cursor = field.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let cut = byte_offset(&value, cursor);
                    let before = &value[..cut];
                    if before.trim().is_empty() {
                        return; // Tab leaves an empty prompt, as keyboard users expect.
                    }
                    e.prevent_default();
                    let done = complete.emit(before.to_string());
                    let word = match done.candidates.as_slice() {
                        [] => return,
                        [one] => format!("{one} "),
                        _ => done.common_prefix(),
                    };
                    let line = format!("{}{word}{}", &before[..done.start.min(before.len())], &value[cut..]);
                    field.set_value(&line);
                    let caret = (done.start + word.len()).min(line.len());
                    let caret = line[..caret].chars().count() as u32;
                    let _ = field.set_selection_range(caret, caret);
                    offered.set(if done.candidates.len() > 1 {
                        done.candidates
                    } else {
                        Vec::new()
                    });
                }
                "c" | "C" if ctrl => {
                    e.prevent_default();
                    field.set_value("");
                    offered.set(Vec::new());
                    on_interrupt.emit(());
                }
                "d" | "D" if ctrl && field.value().is_empty() => {
                    e.prevent_default();
                    on_end_input.emit(());
                }
                "l" | "L" if ctrl => {
                    e.prevent_default();
                    on_clear.emit(());
                }
                _ => {}
            }
        })
    };
    let stop = props.on_interrupt.reform(|_: MouseEvent| ());
    let in_shell = props.prompt != "$";
    html! {
        <section class="pane console-pane" aria-labelledby="console-title">
            <div class="pane-bar"><h2 id="console-title">{ "Console" }</h2>
                if in_shell {
                    <span class="pane-meta">{ "in a container's shell: type exit (or Ctrl+D) to leave" }</span>
                }
            </div>
            if let Some(w) = &props.watch {
                <div class="watch-panel" role="region" aria-label="Running watch">
                    <div class="watch-bar">
                        <code>{ &w.command }</code>
                        <span class="watch-state" aria-live="polite">{ "● watching" }</span>
                        <button type="button" onclick={stop} title="Stop the watch (Ctrl+C at the prompt)">{ "Stop" }</button>
                    </div>
                    <pre class="watch-output" ref={watch_log} tabindex="0" aria-label="Watch output">{ &w.output }</pre>
                </div>
            }
            <div class="console-log" ref={log} role="log" aria-live="polite" tabindex="0" aria-label="Console output">
                if props.entries.is_empty() {
                    <p class="empty-hint">{ "Type a kubectl command, for example " }<code>{ "kubectl get pods" }</code>{ ". ↑/↓ recall commands, Tab completes." }</p>
                }
                { for props.entries.iter().map(|entry| html! {
                    <div class="console-entry">
                        if !entry.command.is_empty() {
                            <pre class="console-command">{ format!("{} {}", entry.prompt, entry.command) }</pre>
                        }
                        <pre class="console-output">{ &entry.output }</pre>
                    </div>
                }) }
            </div>
            if !offered.is_empty() {
                <p class="console-offered" aria-live="polite">{ offered.join("  ") }</p>
            }
            <form class="console-form" onsubmit={on_submit}>
                <label for="console-input" class="prompt">{ &props.prompt }</label>
                <input id="console-input" ref={input} type="text" autocomplete="off" spellcheck="false"
                    aria-label={if in_shell { "command in the container's shell" } else { "kubectl command" }}
                    placeholder={if in_shell { "hostname" } else { "kubectl get pods" }}
                    onkeydown={on_keydown} />
            </form>
        </section>
    }
}
