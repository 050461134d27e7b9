//! The timeline pane: simulated time controls and the event log (`kubectl get events`).

use std::rc::Rc;

use stsim::view::ClusterView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimelinePaneProps {
    pub view: Rc<ClusterView>,
    pub playing: bool,
    pub on_toggle_play: Callback<()>,
    pub on_step: Callback<()>,
}

#[component]
pub fn TimelinePane(props: &TimelinePaneProps) -> Html {
    let toggle = props.on_toggle_play.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| ());
    let v = &props.view;
    let list = use_node_ref();
    // Newest events last, kept in view.
    {
        let list = list.clone();
        use_effect_with(
            v.events.len() + v.events.last().map_or(0, |e| e.message.len()),
            move |_| {
                if let Some(el) = list.cast::<web_sys::Element>() {
                    el.set_scroll_top(el.scroll_height());
                }
            },
        );
    }
    html! {
        <section class="pane timeline-pane" aria-labelledby="timeline-title">
            <div class="pane-bar">
                <h2 id="timeline-title">{ "Timeline" }</h2>
                <div class="timeline-controls" role="group" aria-label="Simulated time">
                    <button type="button" class="play-button" aria-pressed={props.playing.to_string()} onclick={toggle}>
                        { if props.playing { "‖ Pause" } else { "▶ Play" } }
                    </button>
                    <button type="button" onclick={step} aria-label="Step forward one second">{ "Step +1s" }</button>
                    <span class="clock" aria-label="Simulated time">{ format!("t = {}", v.clock) }</span>
                </div>
            </div>
            <ol class="event-log" ref={list} aria-label="Events, newest last" tabindex="0">
                if v.events.is_empty() {
                    <li class="empty-hint">{ "Events appear here as the controllers act." }</li>
                }
                { for v.events.iter().map(|e| html! {
                    <li class={classes!("event", e.warning.then_some("warning"))}>
                        <span class="age">{ &e.age }</span>
                        <span class="type">{ if e.warning { "⚠ Warning" } else { "Normal" } }</span>
                        <span class="reason">{ &e.reason }</span>
                        <span class="object">{ &e.object }</span>
                        <span class="message">{ &e.message }</span>
                    </li>
                }) }
            </ol>
        </section>
    }
}
