//! Faults and process exits the simulated nodes see: what a real cluster does on its own, and
//! the `sim` verbs that make it happen. Each is an explicit call on the world, carried out by
//! the component that would notice it (the kubelet).

use crate::controllers;
use crate::store::Key;
use crate::world::Cluster;

impl Cluster {
    /// The container of a pod exits with `code`, as its main process ended (a `kubectl run`
    /// shell left with `exit`); its kubelet reacts as to any exit.
    pub fn container_exited(&mut self, key: &Key, code: i64) -> Result<(), String> {
        controllers::kubelet::container_exited(self, key, code)
    }

    /// `sim crash POD`: the pod's container exits with an error.
    pub fn crash(&mut self, key: &Key) -> Result<(), String> {
        controllers::kubelet::crash(self, key)
    }

    /// `sim evict POD`: the pod's kubelet evicts it (node pressure).
    pub fn evict(&mut self, key: &Key) -> Result<(), String> {
        controllers::kubelet::evict(self, key)
    }

    /// `sim unready POD` (`ready`: `sim ready POD`): the app behind the pod named `pod` fails
    /// (passes) its readiness probe, kept across the pod's recreation.
    pub fn set_unready(&mut self, pod: &str, unready: bool) {
        if unready {
            self.faults.unready.insert(pod.to_string());
        } else {
            self.faults.unready.remove(pod);
        }
    }

    /// `sim image-missing IMAGE`: the registry no longer has the image.
    pub fn remove_image(&mut self, image: &str) {
        self.faults.missing_images.insert(image.to_string());
    }

    /// `sim node-down NODE` (`down`) and `sim node-up NODE`: the node's kubelet stops (it posts
    /// no status and runs no pod changes) or starts again and looks at every pod of its node.
    /// No object changes, so the controllers' memos are forgotten. Returns whether anything
    /// changed (false when the kubelet already was in that state).
    pub fn set_node_down(&mut self, node: &str, down: bool) -> bool {
        if down == self.node_down(node) {
            return false;
        }
        if down {
            self.down_nodes.insert(node.to_string(), self.now);
        } else {
            self.down_nodes.remove(node);
            self.kubelet_seen.clear();
        }
        self.pass_memo.clear();
        true
    }
}
