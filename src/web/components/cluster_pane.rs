//! The cluster view pane: zones and nodes as lanes, pods with their state and claims, the
//! StatefulSets, and the Services with the DNS names they give. State is text and icon, never
//! colour alone. (The animated picture comes with the visualisation issue.)

use std::rc::Rc;

use stsim::view::{ClaimView, ClusterView, PodView};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterPaneProps {
    pub view: Rc<ClusterView>,
}

fn claim(c: &ClaimView) -> Html {
    let bound = c.status == "Bound";
    html! {
        <li class={classes!("claim", if bound { "ok" } else { "waiting" })}>
            <span class="badge" aria-hidden="true">{ "PVC" }</span>
            <span class="name">{ &c.name }</span>{ " " }<span class="state">{ &c.status }</span>
            if !c.volume.is_empty() {
                <span class="detail">{ format!(" → {}", c.volume) }{ if c.zone.is_empty() { String::new() } else { format!(" ({})", c.zone) } }</span>
            }
            if !c.attached_node.is_empty() {
                <span class="detail">{ format!(" · {} {}", if c.attaching { "attaching to" } else { "attached to" }, c.attached_node) }</span>
            }
        </li>
    }
}

fn pod(p: &PodView) -> Html {
    let class = if p.is_ready {
        "ok"
    } else if p.status == "Running" || p.status == "ContainerCreating" || p.status == "Pending" {
        "waiting"
    } else {
        "bad"
    };
    let icon = if p.is_ready {
        "✔"
    } else if class == "bad" {
        "✖"
    } else {
        "…"
    };
    html! {
        <li class={classes!("pod", class)} data-pod={p.name.clone()}>
            <div class="pod-head">
                <span aria-hidden="true" class="icon">{ icon }</span>
                <span class="name">{ &p.name }</span>
                <span class="state">{ format!("{} {}", p.status, p.ready) }</span>
            </div>
            if !p.ip.is_empty() { <div class="detail">{ &p.ip }</div> }
            if !p.claims.is_empty() {
                <ul class="claims" aria-label={format!("claims of {}", p.name)}>{ for p.claims.iter().map(claim) }</ul>
            }
        </li>
    }
}

#[component]
pub fn ClusterPane(props: &ClusterPaneProps) -> Html {
    let v = &props.view;
    let empty = v.nodes.iter().all(|n| n.pods.is_empty())
        && v.unscheduled.is_empty()
        && v.services.is_empty()
        && v.loose_claims.is_empty();
    html! {
        <section class="pane cluster-pane" aria-labelledby="cluster-title" tabindex="0">
            <div class="pane-bar">
                <h2 id="cluster-title">{ "Cluster" }</h2>
                { for v.statefulsets.iter().map(|(name, ready)| html! {
                    <span class="pane-meta sts-status">{ format!("statefulset/{name} {ready}") }</span>
                }) }
            </div>
            <ul class="zones" aria-label="Zones and nodes">
                { for v.nodes.iter().map(|n| html! {
                    <li class="zone">
                        <span class="zone-name">{ &n.zone }</span>
                        <span class="node">{ &n.name }<span class={node_status_class(&n.status)}>{ format!(" · {}", n.status) }</span></span>
                        <ul class="pods" aria-label={format!("pods on {}", n.name)}>{ for n.pods.iter().map(pod) }</ul>
                    </li>
                }) }
            </ul>
            if !v.unscheduled.is_empty() {
                <div class="unscheduled">
                    <h3>{ "Not scheduled yet" }</h3>
                    <ul class="pods">{ for v.unscheduled.iter().map(pod) }</ul>
                </div>
            }
            if !v.loose_claims.is_empty() {
                <div class="loose-claims">
                    <h3>{ "Claims without a pod (they outlive their pods)" }</h3>
                    <ul class="claims">{ for v.loose_claims.iter().map(claim) }</ul>
                </div>
            }
            if !v.services.is_empty() {
                <div class="services">
                    <h3>{ "Services and DNS" }</h3>
                    <ul>
                        { for v.services.iter().map(|s| html! {
                            <li class="service">
                                <span class="name">{ format!("service/{}", s.name) }</span>
                                <span class="detail">{ if s.headless { " headless (clusterIP: None)".to_string() } else { format!(" ClusterIP {}", s.cluster_ip) } }</span>
                                <ul class="dns">
                                    { for s.records.iter().map(|(name, answer)| html! {
                                        <li class={classes!(if answer.is_some() { "ok" } else { "bad" })}>
                                            <code>{ name }</code>
                                            { match answer {
                                                Some(ip) => format!(" → {ip}"),
                                                None => " → NXDOMAIN (does not resolve)".to_string(),
                                            } }
                                        </li>
                                    }) }
                                </ul>
                            </li>
                        }) }
                    </ul>
                </div>
            }
            if empty {
                <p class="empty-hint">{ "No workloads yet. Press Apply to create what the manifest describes, and watch a StatefulSet's pods start one at a time." }</p>
            }
        </section>
    }
}

/// Green when Ready, amber when cordoned, red when NotReady or Unknown (kubectl's STATUS words).
fn node_status_class(status: &str) -> &'static str {
    if !status.starts_with("Ready") {
        "node-status bad"
    } else if status.contains("SchedulingDisabled") {
        "node-status warn"
    } else {
        "node-status"
    }
}
