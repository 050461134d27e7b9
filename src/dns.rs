//! Cluster DNS as CoreDNS's kubernetes plugin answers it (the DNS spec, `dnsspec`; kubernetes-semantics.md §9):
//!
//! - `<svc>.<ns>.svc.cluster.local`: the ClusterIP; for a headless Service one A record per
//!   ready endpoint (none: NXDOMAIN);
//! - `<hostname>.<svc>.<ns>.svc.cluster.local`: the endpoint with that hostname, only for
//!   headless Services, only while it is ready (or published not-ready);
//! - `_<port>._<proto>.<svc>.<ns>.svc.cluster.local` SRV: one per ready endpoint per named port
//!   (priority 0, weight 100/N as CoreDNS answers).
//!
//! Short names resolve through the pod's search path (`<ns>.svc.cluster.local`,
//! `svc.cluster.local`, `cluster.local`).

use crate::api::resources::Kind;
use crate::value::Value;
use crate::world::Cluster;

/// The cluster DNS Service's address.
pub const CLUSTER_DNS_IP: &str = "10.96.0.10";
/// The cluster domain.
pub const CLUSTER_DOMAIN: &str = "cluster.local";

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    A(String),
    Srv {
        priority: u32,
        weight: u32,
        port: i64,
        target: String,
    },
}

/// Resolve `name` as a pod in `namespace` would (search path applied); returns the fully
/// qualified name that answered and its records, or None for NXDOMAIN.
pub fn resolve(c: &Cluster, namespace: &str, name: &str, srv: bool) -> Option<(String, Vec<Record>)> {
    let name = name.trim_end_matches('.');
    let mut candidates = Vec::new();
    let absolute = name.ends_with(CLUSTER_DOMAIN);
    if !absolute {
        for suffix in [
            format!("{namespace}.svc.{CLUSTER_DOMAIN}"),
            format!("svc.{CLUSTER_DOMAIN}"),
            CLUSTER_DOMAIN.to_string(),
        ] {
            candidates.push(format!("{name}.{suffix}"));
        }
    }
    candidates.push(name.to_string());
    candidates
        .into_iter()
        .find_map(|fqdn| lookup(c, &fqdn, srv).map(|r| (fqdn, r)))
}

fn lookup(c: &Cluster, fqdn: &str, srv: bool) -> Option<Vec<Record>> {
    let rest = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}"))?;
    let labels: Vec<&str> = rest.split('.').collect();
    match labels.as_slice() {
        [port, proto, svc, ns] if srv && port.starts_with('_') && proto.starts_with('_') => {
            srv_records(c, ns, svc, &port[1..], &proto[1..].to_ascii_uppercase())
        }
        [svc, ns] if srv => srv_records(c, ns, svc, "", ""),
        [svc, ns] => {
            let service = c.get(Kind::Service, ns, svc)?;
            if service.str_at("spec.clusterIP") == "None" {
                let ips = ready_addresses(c, ns, svc)
                    .into_iter()
                    .map(|a| Record::A(a.str_at("ip").to_string()))
                    .collect::<Vec<_>>();
                (!ips.is_empty()).then_some(ips)
            } else {
                Some(vec![Record::A(service.str_at("spec.clusterIP").to_string())])
            }
        }
        [host, svc, ns] if !srv => {
            let service = c.get(Kind::Service, ns, svc)?;
            if service.str_at("spec.clusterIP") != "None" {
                return None;
            }
            ready_addresses(c, ns, svc)
                .into_iter()
                .find(|a| a.str_at("hostname") == *host)
                .map(|a| vec![Record::A(a.str_at("ip").to_string())])
        }
        _ => None,
    }
}

fn ready_addresses(c: &Cluster, ns: &str, svc: &str) -> Vec<Value> {
    c.get(Kind::Endpoints, ns, svc)
        .and_then(|e| e.get("subsets"))
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .flat_map(|s| s.get("addresses").map(Value::as_list).unwrap_or(&[]).iter().cloned())
        .collect()
}

fn srv_records(c: &Cluster, ns: &str, svc: &str, port_name: &str, proto: &str) -> Option<Vec<Record>> {
    let service = c.get(Kind::Service, ns, svc)?;
    let headless = service.str_at("spec.clusterIP") == "None";
    let addresses = ready_addresses(c, ns, svc);
    let mut out = Vec::new();
    for p in service.at("spec.ports").map(Value::as_list).unwrap_or(&[]) {
        let name = p.str_at("name");
        if name.is_empty() || (!port_name.is_empty() && (name != port_name || p.str_at("protocol") != proto)) {
            continue;
        }
        let port = p.get("port").and_then(Value::as_i64).unwrap_or(0);
        if headless {
            let n = u32::try_from(addresses.len().max(1)).unwrap_or(1);
            for a in &addresses {
                let host = if a.str_at("hostname").is_empty() {
                    a.str_at("ip").replace('.', "-")
                } else {
                    a.str_at("hostname").to_string()
                };
                out.push(Record::Srv {
                    priority: 0,
                    weight: 100 / n,
                    port,
                    target: format!("{host}.{svc}.{ns}.svc.{CLUSTER_DOMAIN}"),
                });
            }
        } else {
            out.push(Record::Srv {
                priority: 0,
                weight: 100,
                port,
                target: format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}"),
            });
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The pod a name reaches from `namespace`, as a connection would (curl): the name's first A
/// record, then the pod with that IP, or, for a Service's ClusterIP, its first ready endpoint
/// (kube-proxy would pick one at random).
pub fn resolve_pod(c: &Cluster, namespace: &str, name: &str) -> Option<Value> {
    let ip = match name.parse::<std::net::Ipv4Addr>() {
        Ok(_) => name.to_string(),
        Err(_) => match resolve(c, namespace, name, false)?.1.first()? {
            Record::A(ip) => ip.clone(),
            Record::Srv { .. } => return None,
        },
    };
    let pod_with = |ip: &str| {
        c.store
            .list(Kind::Pod, None)
            .into_iter()
            .find(|p| p.str_at("status.podIP") == ip && !crate::api::meta::is_terminating(p))
            .cloned()
    };
    if let Some(p) = pod_with(&ip) {
        return Some(p);
    }
    let service = c
        .store
        .list(Kind::Service, None)
        .into_iter()
        .find(|s| s.str_at("spec.clusterIP") == ip)?;
    let endpoint = ready_addresses(c, crate::api::meta::namespace(service), crate::api::meta::name(service))
        .into_iter()
        .next()?;
    pod_with(endpoint.str_at("ip"))
}

/// The reverse name of an IP as CoreDNS's kubernetes plugin answers it: a Service's name for
/// its ClusterIP, `HOSTNAME.SVC.NS.svc.cluster.local` for an endpoint with a hostname of a
/// headless Service; other addresses have none here.
fn ptr_name(c: &Cluster, ip: &str) -> Option<String> {
    for svc in c.store.list(Kind::Service, None) {
        if svc.str_at("spec.clusterIP") == ip {
            return Some(format!(
                "{}.{}.svc.{CLUSTER_DOMAIN}",
                crate::api::meta::name(svc),
                crate::api::meta::namespace(svc)
            ));
        }
        if svc.str_at("spec.clusterIP") != "None" {
            continue;
        }
        let (ns, name) = (crate::api::meta::namespace(svc), crate::api::meta::name(svc));
        if let Some(a) = ready_addresses(c, ns, name)
            .into_iter()
            .find(|a| a.str_at("ip") == ip && !a.str_at("hostname").is_empty())
        {
            return Some(format!("{}.{name}.{ns}.svc.{CLUSTER_DOMAIN}", a.str_at("hostname")));
        }
    }
    None
}

/// Whether a busybox image prints the nslookup of busybox 1.28 and before (`Address 1:` lines
/// with reverse names), which the StatefulSet tutorial's `busybox:1.28` does; later ones print
/// the `Server:`/`Address:`/`Name:` layout of [`nslookup`].
pub fn old_busybox(image: &str) -> bool {
    let Some((repo, tag)) = image.rsplit_once(':') else {
        return false;
    };
    if !repo.ends_with("busybox") {
        return false;
    }
    let mut parts = tag.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    match (parts.next().flatten(), parts.next().flatten()) {
        (Some(1), Some(minor)) => minor <= 28,
        (Some(0), _) => true,
        _ => false,
    }
}

/// What busybox 1.28's `nslookup NAME` prints (networking/nslookup.c: `%-10s %s` lines, each
/// address numbered with its reverse name), and whether it succeeded.
pub fn nslookup_busybox_128(c: &Cluster, namespace: &str, name: &str) -> (String, bool) {
    let mut out = format!(
        "{:<10} {CLUSTER_DNS_IP}\nAddress 1: {CLUSTER_DNS_IP} kube-dns.kube-system.svc.{CLUSTER_DOMAIN}\n\n",
        "Server:"
    );
    match resolve(c, namespace, name, false) {
        Some((_, records)) => {
            out.push_str(&format!("{:<10} {name}\n", "Name:"));
            for (i, r) in records.iter().enumerate() {
                if let Record::A(ip) = r {
                    let reverse = ptr_name(c, ip).map(|n| format!(" {n}")).unwrap_or_default();
                    out.push_str(&format!("Address {}: {ip}{reverse}\n", i + 1));
                }
            }
            (out, true)
        }
        None => {
            out.push_str(&format!("nslookup: can't resolve '{name}'\n"));
            (out, false)
        }
    }
}

/// What busybox's `nslookup [-type=SRV] NAME` prints in a pod of `namespace`, and whether it
/// succeeded. The layout is current busybox's (1.3x: `Server:` / `Address:` / `Name:` /
/// `Address:`), which is what the design specifies and what `-type=SRV` needs; the
/// StatefulSet tutorial's old `busybox:1.28` printed `Address 1:` lines instead.
pub fn nslookup(c: &Cluster, namespace: &str, name: &str, srv: bool) -> (String, bool) {
    let mut out = format!("Server:\t\t{CLUSTER_DNS_IP}\nAddress:\t{CLUSTER_DNS_IP}:53\n\n");
    match resolve(c, namespace, name, srv) {
        Some((fqdn, records)) => {
            for r in &records {
                match r {
                    Record::A(ip) => out.push_str(&format!("Name:\t{fqdn}\nAddress: {ip}\n")),
                    Record::Srv {
                        priority,
                        weight,
                        port,
                        target,
                    } => {
                        out.push_str(&format!("{fqdn}\tservice = {priority} {weight} {port} {target}\n"));
                    }
                }
            }
            out.push('\n');
            (out, true)
        }
        None => {
            out.push_str(&format!("** server can't find {name}: NXDOMAIN\n\n"));
            (out, false)
        }
    }
}
