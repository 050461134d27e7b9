//! What a command can leave running in the console: a watch (`kubectl get -w`) or a shell in a
//! container (`kubectl exec -it POD -- sh`, `kubectl run -it --image=busybox NAME`).

use crate::api::meta;
use crate::api::resources::Kind;
use crate::kubectl::watch::Watch;
use crate::store::Key;
use crate::world::Cluster;

/// A session a command started.
#[derive(Debug, Clone)]
pub enum Started {
    Watch(Watch),
    Shell(PodShell),
    Edit(EditSession),
}

/// `kubectl edit`: an object's YAML, open in the page's editor until it is saved or cancelled.
#[derive(Debug, Clone)]
pub struct EditSession {
    pub key: Key,
    /// The object as it was read (the patch is what changed from it).
    pub original: crate::value::Value,
    /// The text the editor shows: kubectl's header comment and the object's YAML.
    pub text: String,
}

/// An interactive shell in a container: lines are run there until `exit`.
#[derive(Debug, Clone)]
pub struct PodShell {
    pub pod: Key,
    /// The pod object's uid: a pod recreated under the same name is another pod.
    pub uid: String,
    pub container: String,
    /// `kubectl run --rm`: delete the pod when the shell ends.
    pub remove: bool,
    /// `kubectl run`: the shell is the container's main process, so leaving it ends the
    /// container (`kubectl exec` starts a second process, which ends alone).
    pub main_process: bool,
    /// The shell program (`sh`, `bash`, `ash`).
    pub program: String,
}

impl PodShell {
    /// The prompt the shell prints: busybox's and alpine's ash `/ # `, dash `# `, bash
    /// `root@HOSTNAME:/# ` (each image's default PS1 for root, in the working directory `/`).
    pub fn prompt(&self, c: &Cluster) -> String {
        let pod = c.store.get(&self.pod);
        let image = pod
            .and_then(|p| {
                crate::api::pod::containers(p)
                    .iter()
                    .find(|ct| ct.str_at("name") == self.container)
                    .map(|ct| ct.str_at("image").to_string())
            })
            .unwrap_or_default();
        let host = pod.map(|p| {
            let h = p.str_at("spec.hostname");
            if h.is_empty() {
                meta::name(p).to_string()
            } else {
                h.to_string()
            }
        });
        let ash = image.contains("busybox") || image.contains("alpine");
        match self.program.as_str() {
            "bash" => format!("root@{}:/# ", host.unwrap_or_default()),
            _ if ash => "/ # ".into(),
            _ => "# ".into(),
        }
    }

    /// Whether the shell's pod is still the one it started in and is running.
    pub fn alive(&self, c: &Cluster) -> bool {
        c.store.get(&self.pod).is_some_and(|p| meta::uid(p) == self.uid)
            && c.runtime
                .get(&self.uid)
                .is_some_and(|r| matches!(r.stage, crate::world::ContainerStage::Running { .. }))
    }

    /// The pod's key as a kind and name for messages.
    pub fn pod_name(&self) -> &str {
        &self.pod.name
    }

    /// The kind of object a shell runs in.
    pub const KIND: Kind = Kind::Pod;
}
