//! The endpoints controller: one `Endpoints` object per Service with a selector
//! (`pkg/controller/endpoint/endpoints_controller.go`; hostname rule from
//! `staging/src/k8s.io/endpointslice/util/controller_utils.go` `ShouldSetHostname`):
//!
//! 1. select the Service's pods in its namespace, skipping terminating pods and pods without IP;
//! 2. a Ready pod is an address, a not-Ready one a not-ready address, unless the Service has
//!    `publishNotReadyAddresses: true` (then every pod is an address);
//! 3. an address carries the pod's hostname when the pod has `spec.hostname` and its
//!    `spec.subdomain` equals the Service's name (this is what per-pod DNS needs);
//! 4. ports are the Service's ports, with named target ports resolved from the containers.

use crate::api::meta;
use crate::api::pod;
use crate::api::resources::Kind;
use crate::api::selector::Selector;
use crate::store::Key;
use crate::value::Value;
use crate::world::Cluster;

pub fn reconcile(c: &mut Cluster) {
    let services: Vec<Value> = c.store.list(Kind::Service, None).into_iter().cloned().collect();
    for svc in &services {
        let selector = svc.string_map("spec.selector");
        if selector.is_empty() {
            continue;
        }
        let selector = Selector::from_map(&selector);
        let key = Key::of(Kind::Endpoints, svc);
        // What the Endpoints are made of, hashed: when it is what the last sync saw, that sync's
        // answer stands (the object is only built to be compared when something changed).
        let seen = inputs(c, svc, &selector, &key);
        if c.endpoints_seen.get(&key) == Some(&(seen, 0)) {
            continue;
        }
        let wanted = endpoints_for(c, svc, &selector);
        match c.store.get(&key) {
            Some(existing) if existing.get("subsets") == wanted.get("subsets") => {}
            Some(_) => {
                c.store.modify(&key, |e| match wanted.get("subsets") {
                    Some(s) => e.set("subsets", s.clone()),
                    None => {
                        e.remove("subsets");
                    }
                });
            }
            None => {
                let now = c.now;
                let _ = c.store.create(Kind::Endpoints, wanted, now, &mut c.rng);
            }
        }
        let seen = inputs(c, svc, &selector, &key);
        c.endpoints_seen.insert(key, (seen, 0));
    }
    c.endpoints_seen.retain(|key, _| c.store.get(key).is_some());
    // Endpoints whose Service is gone go with it.
    for key in c.store.keys(Kind::Endpoints) {
        if c.get(Kind::Service, &key.namespace, &key.name).is_none() {
            c.store.remove(&key);
        }
    }
}

/// A hash of everything [`endpoints_for`] reads, and of the Endpoints object as it stands.
fn inputs(c: &Cluster, svc: &Value, selector: &Selector, key: &Key) -> u64 {
    let mut h = crate::rng::Fingerprint::default();
    h.add(meta::uid(svc));
    h.add(svc.str_at("metadata.resourceVersion"));
    h.add(c.store.get(key).map_or("", |e| e.str_at("metadata.resourceVersion")));
    for (p, facts) in c.store.list_facts(Kind::Pod, Some(meta::namespace(svc))) {
        if facts.terminating || !selector.matches_object(p) {
            continue;
        }
        // A pod's hostname, subdomain and ports cannot change (its uid stands for them); its
        // labels are read by the selector above.
        h.add(meta::uid(p));
        h.add(p.str_at("spec.nodeName"));
        h.add(facts.ip.as_str().unwrap_or(""));
        h.add(if facts.ready { "1" } else { "0" });
    }
    h.finish()
}

fn endpoints_for(c: &Cluster, svc: &Value, selector: &Selector) -> Value {
    let ns = meta::namespace(svc);
    let name = meta::name(svc);
    let publish_not_ready = svc.at("spec.publishNotReadyAddresses").and_then(Value::as_bool) == Some(true);
    let mut ready = Vec::new();
    let mut not_ready = Vec::new();
    let mut first_pod: Option<&Value> = None;
    for p in c.store.list(Kind::Pod, Some(ns)) {
        if meta::is_terminating(p) || p.str_at("status.podIP").is_empty() || !selector.matches_object(p) {
            continue;
        }
        first_pod.get_or_insert(p);
        let mut addr = Value::map();
        addr.set("ip", p.str_at("status.podIP"));
        if !p.str_at("spec.hostname").is_empty() && p.str_at("spec.subdomain") == name {
            addr.set("hostname", p.str_at("spec.hostname"));
        }
        addr.set("nodeName", p.str_at("spec.nodeName"));
        let mut target = Value::map();
        target.set("kind", "Pod");
        target.set("name", meta::name(p));
        target.set("namespace", ns);
        target.set("uid", meta::uid(p));
        addr.set("targetRef", target);
        if pod::is_ready(p) || publish_not_ready {
            ready.push(addr);
        } else {
            not_ready.push(addr);
        }
    }
    let ports: Vec<Value> = svc
        .at("spec.ports")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .map(|sp| {
            let mut port = Value::map();
            if !sp.str_at("name").is_empty() {
                port.set("name", sp.str_at("name"));
            }
            let target = sp.get("targetPort").cloned().unwrap_or(Value::Null);
            let number = match &target {
                Value::Int(i) => *i,
                Value::Str(named) => first_pod
                    .and_then(|p| {
                        pod::containers(p)
                            .iter()
                            .flat_map(|ct| ct.get("ports").map(Value::as_list).unwrap_or(&[]))
                            .find(|cp| cp.str_at("name") == &**named)
                    })
                    .and_then(|cp| cp.get("containerPort").and_then(Value::as_i64))
                    .unwrap_or(0),
                _ => sp.get("port").and_then(Value::as_i64).unwrap_or(0),
            };
            port.set("port", number);
            port.set("protocol", sp.str_at("protocol"));
            port
        })
        .collect();
    let mut ep = Value::map();
    ep.set("metadata.name", name);
    ep.set("metadata.namespace", ns);
    if let Some(labels) = svc.at("metadata.labels") {
        ep.set("metadata.labels", labels.clone());
    }
    if !ready.is_empty() || !not_ready.is_empty() {
        let mut subset = Value::map();
        if !ready.is_empty() {
            subset.set("addresses", Value::list(ready));
        }
        if !not_ready.is_empty() {
            subset.set("notReadyAddresses", Value::list(not_ready));
        }
        subset.set("ports", Value::list(ports));
        ep.set("subsets", Value::list(vec![subset]));
    }
    ep
}
