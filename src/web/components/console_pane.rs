//! The console pane: a kubectl prompt and its scrollback.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::state::ConsoleEntry;

#[derive(Properties, PartialEq)]
pub struct ConsolePaneProps {
    pub entries: std::rc::Rc<Vec<ConsoleEntry>>,
    pub on_command: Callback<String>,
}

#[component]
pub fn ConsolePane(props: &ConsolePaneProps) -> Html {
    let input = use_node_ref();
    let log = use_node_ref();
    // Keep the newest output in view.
    {
        let log = log.clone();
        use_effect_with(props.entries.len(), move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let on_submit = {
        let input = input.clone();
        let on_command = props.on_command.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                let line = field.value();
                if !line.trim().is_empty() {
                    on_command.emit(line.trim().to_string());
                    field.set_value("");
                }
            }
        })
    };
    html! {
        <section class="pane console-pane" aria-labelledby="console-title">
            <div class="pane-bar"><h2 id="console-title">{ "Console" }</h2></div>
            <div class="console-log" ref={log} role="log" aria-live="polite" tabindex="0" aria-label="Console output">
                if props.entries.is_empty() {
                    <p class="empty-hint">{ "Type a kubectl command, for example " }<code>{ "kubectl get pods" }</code></p>
                }
                { for props.entries.iter().map(|entry| html! {
                    <div class="console-entry">
                        <pre class="console-command">{ format!("$ {}", entry.command) }</pre>
                        <pre class="console-output">{ &entry.output }</pre>
                    </div>
                }) }
            </div>
            <form class="console-form" onsubmit={on_submit}>
                <label for="console-input" class="prompt">{ "$" }</label>
                <input id="console-input" ref={input} type="text" autocomplete="off" spellcheck="false"
                    aria-label="kubectl command" placeholder="kubectl get pods" />
            </form>
        </section>
    }
}
