//! The timeline pane: simulated time controls and the event log.

use yew::prelude::*;

#[component]
pub fn TimelinePane() -> Html {
    html! {
        <section class="pane timeline-pane" aria-labelledby="timeline-title">
            <div class="pane-bar">
                <h2 id="timeline-title">{ "Timeline" }</h2>
                <div class="timeline-controls" role="group" aria-label="Simulated time">
                    <button type="button" aria-label="Play">{ "▶ Play" }</button>
                    <button type="button" aria-label="Step forward one second">{ "Step" }</button>
                    <span class="clock" aria-label="Simulated time">{ "t = 0s" }</span>
                </div>
            </div>
            <ol class="event-log" aria-label="Events" tabindex="0">
                <li class="empty-hint">{ "Events appear here as the controllers act." }</li>
            </ol>
        </section>
    }
}
