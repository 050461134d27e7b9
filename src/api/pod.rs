//! Pod state as controllers read it (`podutil` in k8s.io/kubernetes `pkg/api/v1/pod`).

use crate::clock::{self, Millis};
use crate::value::{Map, Value};

/// `status.phase`.
pub fn phase(pod: &Value) -> &str {
    pod.str_at("status.phase")
}

/// The pod condition of a type (`Ready`, `PodScheduled`, ...).
pub fn condition<'a>(pod: &'a Value, kind: &str) -> Option<&'a Value> {
    pod.at("status.conditions")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some(kind))
}

/// Whether the `Ready` condition is `True`.
pub fn is_ready(pod: &Value) -> bool {
    condition(pod, "Ready").is_some_and(|c| c.get("status").and_then(Value::as_str) == Some("True"))
}

/// `isRunningAndReady` of the StatefulSet controller (`stateful_set_utils.go`).
pub fn is_running_and_ready(pod: &Value) -> bool {
    phase(pod) == "Running" && is_ready(pod)
}

/// When the Ready condition last became true.
pub fn ready_since(pod: &Value) -> Option<Millis> {
    let c = condition(pod, "Ready")?;
    if c.str_at("status") != "True" {
        return None;
    }
    clock::parse_rfc3339(c.str_at("lastTransitionTime"))
}

/// `isRunningAndAvailable`: running, ready, and ready for at least `min_ready_seconds`. The second
/// value is when it becomes available, if it is ready but not yet available (for a requeue).
pub fn is_running_and_available(pod: &Value, min_ready_seconds: i64, now: Millis) -> (bool, Option<Millis>) {
    availability(is_running_and_ready(pod), ready_since(pod), min_ready_seconds, now)
}

/// [`is_running_and_available`] from what it reads of the pod (also cached in
/// [`crate::store::Facts`]).
pub fn availability(
    running_and_ready: bool,
    ready_since: Option<Millis>,
    min_ready_seconds: i64,
    now: Millis,
) -> (bool, Option<Millis>) {
    if !running_and_ready {
        return (false, None);
    }
    if min_ready_seconds <= 0 {
        return (true, None);
    }
    let since = ready_since.unwrap_or(0);
    let at = since + u64::try_from(min_ready_seconds).unwrap_or(0) * 1000;
    if at <= now {
        (true, None)
    } else {
        (false, Some(at))
    }
}

/// The order kubectl shows pod conditions in.
const CONDITION_ORDER: [&str; 5] = [
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
];

/// Set (or replace) a pod condition; the transition time changes only when the status does.
/// Changes the list in place: the kubelet calls this several times per pod and pass.
pub fn set_condition(pod: &mut Value, kind: &str, status: bool, now: Millis) {
    set_conditions(pod, &[(kind, status)], now);
}

/// [`set_condition`] for several conditions in one go (the list is copied once, the time
/// written out once).
pub fn set_conditions(pod: &mut Value, wanted: &[(&str, bool)], now: Millis) {
    let text = |status: bool| if status { "True" } else { "False" };
    let changes = |pod: &Value| {
        wanted
            .iter()
            .any(|(kind, status)| condition(pod, kind).is_none_or(|c| c.str_at("status") != text(*status)))
    };
    if !changes(pod) {
        return;
    }
    let list = pod.entry("status.conditions");
    if !matches!(list, Value::List(_)) {
        *list = Value::list(Vec::new());
    }
    let Some(conditions) = list.list_mut() else { return };
    let time = Value::Str(clock::rfc3339(now).into());
    for (kind, status) in wanted {
        let status = text(*status);
        match conditions.iter_mut().find(|c| c.str_at("type") == *kind) {
            Some(c) if c.str_at("status") == status => {}
            Some(c) => {
                // `UpdatePodCondition` replaces the whole condition: a reason and message the
                // old status had (the scheduler's `Unschedulable`) go with it.
                if let Some(m) = c.map_mut() {
                    m.insert("status", Value::Str(status.into()));
                    m.insert("lastTransitionTime", time.clone());
                    m.remove("reason");
                    m.remove("message");
                }
            }
            None => conditions.push(Value::from_map(Map::from_sorted([
                ("lastProbeTime", Value::Null),
                ("lastTransitionTime", time.clone()),
                ("status", Value::Str(status.into())),
                ("type", Value::Str((*kind).into())),
            ]))),
        }
    }
    let rank = |c: &Value| {
        let t = c.str_at("type");
        CONDITION_ORDER
            .iter()
            .position(|o| *o == t)
            .unwrap_or(CONDITION_ORDER.len())
    };
    if !conditions.is_sorted_by_key(rank) {
        crate::sort::by_key(conditions, rank);
    }
}

/// [`set_condition`] with a reason and message, as `UpdatePodCondition` writes a whole
/// condition (the scheduler's `PodScheduled=False`, reason `Unschedulable` and the FitError
/// message, schedule_one.go `handleSchedulingFailure`): the transition time changes only when
/// the status does; the reason and message are always the new ones.
pub fn set_condition_reason(pod: &mut Value, kind: &str, status: bool, reason: &str, message: &str, now: Millis) {
    set_condition(pod, kind, status, now);
    let Some(cond) = pod
        .at_mut("status.conditions")
        .and_then(Value::list_mut)
        .and_then(|list| list.iter_mut().find(|c| c.str_at("type") == kind))
        .and_then(Value::map_mut)
    else {
        return;
    };
    cond.insert("reason", Value::Str(reason.into()));
    cond.insert("message", Value::Str(message.into()));
}

/// A probe's port that the kubelet cannot resolve (`probe.ResolveContainerPort`,
/// pkg/probe/util.go): a name that is none of the container's port names, and not a number
/// either. The kubelet then cannot run the probe ("… probe errored and resulted in unknown state:
/// strconv.Atoi: parsing \"http\": invalid syntax"), so it never passes. Returns the handler
/// (`httpGet` or `tcpSocket`) and the name.
pub fn unresolvable_probe_port<'a>(container: &'a Value, probe: &str) -> Option<(&'static str, &'a str)> {
    let probe = container.get(probe)?;
    let (handler, port) = ["httpGet", "tcpSocket"]
        .into_iter()
        .find_map(|h| probe.get(h).and_then(|action| action.get("port")).map(|p| (h, p)))?;
    let name = port.as_str()?;
    let declared = container
        .get("ports")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .any(|p| p.str_at("name") == name);
    (!declared && name.parse::<i64>().is_err()).then_some((handler, name))
}

/// The containers of a pod's spec.
pub fn containers(pod: &Value) -> &[Value] {
    pod.at("spec.containers").map(Value::as_list).unwrap_or(&[])
}

/// Whether one of a pod's volumes uses the claim `name`.
pub fn uses_claim(pod: &Value, name: &str) -> bool {
    claims(pod).any(|n| n == name)
}

/// The claim names a pod's volumes use, borrowed.
pub fn claims(pod: &Value) -> impl Iterator<Item = &str> {
    pod.at("spec.volumes")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.at("persistentVolumeClaim.claimName").and_then(Value::as_str))
}

/// The claim names a pod's volumes use.
pub fn claim_names(pod: &Value) -> Vec<String> {
    pod.at("spec.volumes")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.at("persistentVolumeClaim.claimName").and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}

/// The pod's `terminationGracePeriodSeconds` (defaulted to 30).
pub fn grace_seconds(pod: &Value) -> i64 {
    pod.at("spec.terminationGracePeriodSeconds")
        .and_then(Value::as_i64)
        .unwrap_or(crate::timing::DEFAULT_GRACE_SECONDS)
        .max(0)
}

/// Whether toleration `t` matches `taint` (`v1.Toleration.ToleratesTaint`): an empty key with
/// `Exists` matches every key; `Exists` matches any value; an empty effect matches every effect.
pub fn tolerates(t: &Value, taint: &Value) -> bool {
    let key_ok =
        (t.str_at("key").is_empty() && t.str_at("operator") == "Exists") || t.str_at("key") == taint.str_at("key");
    let value_ok = t.str_at("operator") == "Exists" || t.str_at("value") == taint.str_at("value");
    let effect_ok = t.str_at("effect").is_empty() || t.str_at("effect") == taint.str_at("effect");
    key_ok && value_ok && effect_ok
}
