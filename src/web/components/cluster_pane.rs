//! The cluster view pane: zones, nodes, pods, claims and DNS names.

use yew::prelude::*;

#[component]
pub fn ClusterPane() -> Html {
    let zones = [
        ("us-east-1a", "node-a"),
        ("us-east-1b", "node-b"),
        ("us-east-1c", "node-c"),
    ];
    html! {
        <section class="pane cluster-pane" aria-labelledby="cluster-title" tabindex="0">
            <div class="pane-bar"><h2 id="cluster-title">{ "Cluster" }</h2></div>
            <ul class="zones" aria-label="Zones and nodes">
                { for zones.iter().map(|(zone, node)| html! {
                    <li class="zone">
                        <span class="zone-name">{ *zone }</span>
                        <span class="node">{ *node }<span class="node-status">{ " · Ready" }</span></span>
                    </li>
                }) }
            </ul>
            <p class="empty-hint">{ "No workloads yet. Apply a manifest to see its pods, claims and DNS names here." }</p>
        </section>
    }
}
