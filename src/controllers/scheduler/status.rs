//! Filter statuses and the text of a failed scheduling attempt: the FitError
//! (`pkg/scheduler/framework/types.go` `FitError.Error`) and what the PostFilter plugins add to
//! it (`dynamicresources.go` `PostFilter`, `defaultpreemption/default_preemption.go`
//! `PostFilter`, `framework/preemption/preemption.go` `Preempt`).

use std::collections::BTreeMap;

/// Why a filter plugin rejected a node (`framework.Status`): its reasons, and its code,
/// `UnschedulableAndUnresolvable` (preemption cannot help) or `Unschedulable`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub unresolvable: bool,
    pub reasons: Vec<String>,
}

impl Rejection {
    /// `fwk.NewStatus(fwk.UnschedulableAndUnresolvable, reason)`.
    pub fn unresolvable(reason: &str) -> Rejection {
        Rejection {
            unresolvable: true,
            reasons: vec![reason.to_string()],
        }
    }

    /// `fwk.NewStatus(fwk.Unschedulable, reason)`.
    pub fn unschedulable(reason: &str) -> Rejection {
        Rejection {
            unresolvable: false,
            reasons: vec![reason.to_string()],
        }
    }
}

/// What filtering found (`framework.Diagnosis`): the status of every node filtered, and the one
/// status of the nodes that were not (`NodeToStatus.SetAbsentNodesStatus`): every node when a
/// PreFilter plugin rejected the pod, the nodes outside a PreFilter plugin's node set otherwise.
pub struct Diagnosis {
    pub nodes: usize,
    pub filtered: Vec<Rejection>,
    pub absent: Option<Rejection>,
    /// A PreFilter plugin's message (`Diagnosis.PreFilterMsg`): it replaces the per-node reasons.
    pub prefilter: Option<String>,
    /// `spec.preemptionPolicy: Never`: the pod may not preempt (`PodEligibleToPreemptOthers`).
    pub never_preempts: bool,
}

impl Diagnosis {
    /// The event message of `FitError.Error`: `0/N nodes are available:`, then the PreFilter
    /// message, or every reason of every node counted and sorted as text (`sort.Strings` on
    /// `"<count> <reason>"`, so by count first, in byte order), then the PostFilter message.
    pub fn message(&self) -> String {
        let absent_nodes = self.nodes.saturating_sub(self.filtered.len());
        let mut text = format!("0/{} nodes are available:", self.nodes);
        if let Some(message) = &self.prefilter {
            text.push(' ');
            text.push_str(message);
            text.push('.');
        } else {
            let mut counts: BTreeMap<String, u64> = BTreeMap::new();
            for r in &self.filtered {
                for reason in &r.reasons {
                    *counts.entry(reason.clone()).or_default() += 1;
                }
            }
            if let Some(absent) = self.absent.as_ref().filter(|_| absent_nodes > 0) {
                for reason in &absent.reasons {
                    *counts.entry(reason.clone()).or_default() += absent_nodes as u64;
                }
            }
            let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
            crate::sort::natural(&mut parts);
            if !parts.is_empty() {
                text.push(' ');
                text.push_str(&parts.join(", "));
                text.push('.');
            }
        }
        let absent_unschedulable = self.absent.as_ref().is_some_and(|a| !a.unresolvable);
        let unschedulable = self.filtered.iter().filter(|r| !r.unresolvable).count()
            + if absent_unschedulable { absent_nodes } else { 0 };
        text.push(' ');
        text.push_str(&post_filter(self.nodes, unschedulable, self.never_preempts));
        text
    }
}

/// The PostFilter plugins' message, their reasons joined by ", " in plugin order
/// (`RunPostFilterPlugins`). In v1.34 DynamicResources is on by default (DRA is GA) and says "no
/// new claims to deallocate" for a pod without resource claims, then DefaultPreemption says
/// `preemption: ` and why it cannot help. Every simulated pod has priority 0, so no node has a
/// victim: preemption dry-runs only the nodes whose status is `Unschedulable`
/// (`nodesWherePreemptionMightHelp`), each finds "No preemption victims found for incoming pod"
/// (`SelectVictimsOnNode`), and every other node gets "Preemption is not helpful for scheduling";
/// the two counts are a FitError of their own, sorted the same way. Seen on v1.34 clusters: `…
/// had untolerated taint(s). no new claims to deallocate, preemption: 0/6 nodes are available: 6
/// Preemption is not helpful for scheduling.`
fn post_filter(nodes: usize, unschedulable: usize, never_preempts: bool) -> String {
    const HEAD: &str = "no new claims to deallocate, preemption:";
    if never_preempts {
        return format!("{HEAD} not eligible due to preemptionPolicy=Never.");
    }
    let unresolvable = nodes.saturating_sub(unschedulable);
    let mut parts: Vec<String> = Vec::new();
    if unschedulable > 0 {
        parts.push(format!("{unschedulable} No preemption victims found for incoming pod"));
    }
    if unresolvable > 0 {
        parts.push(format!("{unresolvable} Preemption is not helpful for scheduling"));
    }
    crate::sort::natural(&mut parts);
    format!("{HEAD} 0/{nodes} nodes are available: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnosis(filtered: Vec<Rejection>, absent: Option<Rejection>) -> Diagnosis {
        Diagnosis {
            nodes: 3,
            filtered,
            absent,
            prefilter: None,
            never_preempts: false,
        }
    }

    #[test]
    fn counts_every_reason_and_sorts_by_text() {
        // The report's example: one full node, two that fail node affinity.
        let d = diagnosis(
            vec![
                Rejection::unschedulable("Too many pods"),
                Rejection::unresolvable("node(s) didn't match Pod's node affinity/selector"),
                Rejection::unresolvable("node(s) didn't match Pod's node affinity/selector"),
            ],
            None,
        );
        assert_eq!(d.message(), "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
    }

    #[test]
    fn absent_nodes_share_one_status() {
        let d = diagnosis(
            vec![Rejection::unschedulable("Too many pods")],
            Some(Rejection::unresolvable(
                "node(s) didn't satisfy plugin(s) [NodeAffinity]",
            )),
        );
        assert_eq!(d.message(), "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.");
    }

    #[test]
    fn never_preempts() {
        let mut d = diagnosis(vec![Rejection::unschedulable("Too many pods"); 3], None);
        d.never_preempts = true;
        assert_eq!(d.message(), "0/3 nodes are available: 3 Too many pods. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.");
    }
}
