//! What the images the cheat sheet and the lessons use need in order to start. The simulated
//! kubelet does not run programs, but a container whose image's entrypoint would exit at once
//! must not be shown running: it exits with the entrypoint's log lines, and the kubelet
//! restarts it with back-off (CrashLoopBackOff) as it would.
//!
//! - `mysql` (docker-library/mysql `docker-entrypoint.sh`): with no database yet, one of
//!   `MYSQL_ROOT_PASSWORD`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD` must be
//!   set (`docker_verify_minimum_env`); then `mysqld --initialize-insecure` needs an empty data
//!   directory, and a new ext4 volume (an EBS disk) mounted at `/var/lib/mysql` itself holds
//!   `lost+found` ("--initialize specified but the data directory has files in it"): mount a
//!   `subPath` of the volume instead, as the kubernetes.io MySQL page does.
//!
//! The log lines keep the entrypoint's wording; the server's patch version is not modelled, so
//! they name the image's tag.

use crate::api::meta;
use crate::value::Value;
use crate::world::Cluster;

/// A container that exits as it starts: what it logs and its exit status.
#[derive(Debug, Clone, PartialEq)]
pub struct StartFailure {
    pub container: String,
    pub logs: String,
    pub code: i64,
}

/// The image's repository name and tag (`mysql:8.0` → (`mysql`, `8.0`); no tag: `latest`).
fn repo_and_tag(image: &str) -> (&str, &str) {
    let last = image.rsplit('/').next().unwrap_or(image);
    let (repo, tag) = last.split_once(':').unwrap_or((last, "latest"));
    (repo, tag.split('@').next().unwrap_or(tag))
}

/// Whether the container sets an environment variable (by value, valueFrom, or envFrom, which
/// the playground cannot resolve and so counts as set).
fn sets_env(c: &Value, name: &str) -> bool {
    c.get("envFrom").is_some_and(|e| !e.as_list().is_empty())
        || c.get("env")
            .map(Value::as_list)
            .unwrap_or(&[])
            .iter()
            .any(|e| e.str_at("name") == name && (e.get("valueFrom").is_some() || !e.str_at("value").is_empty()))
}

/// Whether `path` in the container is the root of an ext4 volume nothing was written to yet
/// (a freshly provisioned EBS disk: `mkfs.ext4` leaves `lost+found` there).
fn fresh_ext4_root(c: &Cluster, pod: &Value, container: &Value, path: &str) -> bool {
    let Some(mount) = container
        .get("volumeMounts")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|m| m.str_at("mountPath").trim_end_matches('/') == path)
    else {
        return false;
    };
    if !mount.str_at("subPath").is_empty() {
        return false;
    }
    let claim = pod
        .at("spec.volumes")
        .map(Value::as_list)
        .unwrap_or(&[])
        .iter()
        .find(|v| v.str_at("name") == mount.str_at("name"))
        .and_then(|v| v.at("persistentVolumeClaim.claimName"))
        .and_then(Value::as_str);
    let Some(pv_name) = claim
        .and_then(|cl| {
            c.get(
                crate::api::resources::Kind::PersistentVolumeClaim,
                meta::namespace(pod),
                cl,
            )
        })
        .map(|cl| cl.str_at("spec.volumeName").to_string())
    else {
        return false;
    };
    let Some(pv) = c.get(crate::api::resources::Kind::PersistentVolume, "", &pv_name) else {
        return false;
    };
    let ext4 = is_ext4(pv);
    let prefix = crate::world::volume_file_key(&pv_name, "");
    let empty = c
        .volume_files
        .range(prefix.clone()..)
        .next()
        .is_none_or(|(k, _)| !k.starts_with(&prefix));
    ext4 && empty
}

/// Whether a PersistentVolume holds an ext4 file system, whose root has `lost+found`.
pub fn is_ext4(pv: &Value) -> bool {
    pv.str_at("spec.csi.fsType") == "ext4" || pv.str_at("spec.awsElasticBlockStore.fsType") == "ext4"
}

/// Whether a container runs the mysql image's own entrypoint (no `command` of its own).
pub fn is_mysql(container: &Value) -> bool {
    repo_and_tag(container.str_at("image")).0 == "mysql" && container.get("command").is_none()
}

/// Whether a mysql container sets none of the root password options its entrypoint needs.
pub fn mysql_without_password(container: &Value) -> bool {
    is_mysql(container)
        && ![
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
        ]
        .iter()
        .any(|v| sets_env(container, v))
}

/// The data directory of the mysql image.
pub const MYSQL_DATA_DIR: &str = "/var/lib/mysql";

/// Whether a container of `pod` exits as it starts, and how.
pub fn start_failure(c: &Cluster, pod: &Value) -> Option<StartFailure> {
    for ct in crate::api::pod::containers(pod) {
        if !is_mysql(ct) {
            continue;
        }
        let (_, tag) = repo_and_tag(ct.str_at("image"));
        let name = ct.str_at("name").to_string();
        let v8 = !tag.starts_with("5.");
        let time = crate::clock::rfc3339(c.now);
        let stamp = time.replace('T', " ").replace('Z', "+00:00");
        let mut logs = format!(
            "{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server {tag} started.\n{stamp} [Note] [Entrypoint]: Switching to dedicated user 'mysql'\n{stamp} [Note] [Entrypoint]: Entrypoint script for MySQL Server {tag} started.\n"
        );
        if mysql_without_password(ct) {
            logs.push_str(&format!("{stamp} [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified\n    You need to specify one of the following as an environment variable:\n    - MYSQL_ROOT_PASSWORD\n    - MYSQL_ALLOW_EMPTY_PASSWORD\n    - MYSQL_RANDOM_ROOT_PASSWORD\n"));
            return Some(StartFailure {
                container: name,
                logs,
                code: 1,
            });
        }
        if fresh_ext4_root(c, pod, ct, MYSQL_DATA_DIR) {
            let micro = time.replace('Z', ".000000Z");
            logs.push_str(&format!("{stamp} [Note] [Entrypoint]: Initializing database files\n"));
            if v8 {
                logs.push_str(&format!("{micro} 0 [ERROR] [MY-010457] [Server] --initialize specified but the data directory has files in it. Aborting.\n{micro} 0 [ERROR] [MY-013236] [Server] The designated data directory /var/lib/mysql/ is unusable. You can remove all files that the server added to it.\n{micro} 0 [ERROR] [MY-010119] [Server] Aborting\n"));
            } else {
                logs.push_str(&format!("{micro} 0 [ERROR] --initialize specified but the data directory has files in it. Aborting.\n{micro} 0 [ERROR] Aborting\n"));
            }
            return Some(StartFailure {
                container: name,
                logs,
                code: 1,
            });
        }
    }
    None
}
/// The size the simulated registry gives an image: 40 to 100 MB, fixed per name (the `Pulled`
/// event reports it; the scheduler's ImageLocality weighs it).
pub fn size(image: &str) -> u64 {
    40_000_000 + u64::from(crate::rng::fnv32a(image.as_bytes()) % 60_000_000)
}
