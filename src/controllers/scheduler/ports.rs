//! NodePorts (`pkg/scheduler/framework/plugins/nodeports/node_ports.go`, `HostPortInfo` in
//! `pkg/scheduler/framework/types.go`): a pod's host ports must be free on the node.

use super::status::Rejection;
use crate::api::pod;
use crate::value::Value;

/// `ErrReason`.
pub const REASON: &str = "node(s) didn't have free ports for the requested pod ports";

/// One host port: IP (`0.0.0.0` for all), protocol, port.
#[derive(Debug, Clone, PartialEq)]
pub struct HostPort {
    ip: String,
    protocol: String,
    port: i64,
}

/// The host ports of a pod's containers (`getContainerPorts`: `hostPort` > 0), with an empty
/// `hostIP` meaning every address and an empty protocol TCP (`HostPortInfo.sanitize`).
pub fn of(p: &Value) -> Vec<HostPort> {
    pod::containers(p)
        .iter()
        .flat_map(|c| c.get("ports").map(Value::as_list).unwrap_or(&[]))
        .filter_map(|port| {
            let host_port = port.get("hostPort").and_then(Value::as_i64).filter(|n| *n > 0)?;
            let ip = port.str_at("hostIP");
            let protocol = port.str_at("protocol");
            Some(HostPort {
                ip: if ip.is_empty() { "0.0.0.0".into() } else { ip.into() },
                protocol: if protocol.is_empty() {
                    "TCP".into()
                } else {
                    protocol.into()
                },
                port: host_port,
            })
        })
        .collect()
}

/// `fitsPorts` with `HostPortInfo.CheckConflict`: a wanted port on `0.0.0.0` conflicts with the
/// same protocol and port on any address, one on a given address with the same on that address
/// or on `0.0.0.0`.
pub fn filter(wanted: &[HostPort], used: &[HostPort]) -> Result<(), Rejection> {
    let conflict = wanted.iter().any(|w| {
        used.iter().any(|u| {
            u.protocol == w.protocol && u.port == w.port && (w.ip == "0.0.0.0" || u.ip == "0.0.0.0" || u.ip == w.ip)
        })
    });
    if conflict {
        Err(Rejection::unschedulable(REASON))
    } else {
        Ok(())
    }
}
