//! The simulator's own time costs: fixed, documented constants, so every transcript is
//! reproducible. Where Kubernetes has a default (grace periods, node-monitor grace, back-off),
//! the v1.34 default is used and its source is named.

use crate::clock::{Millis, SECOND};

/// The external provisioner creating a volume in the cloud (an EBS CreateVolume).
pub const PROVISION: Millis = 3 * SECOND;
/// The attach/detach controller attaching a volume to a node.
pub const ATTACH: Millis = 2 * SECOND;
/// The external resizer expanding a volume in the cloud (an EBS ModifyVolume reaching
/// `optimizing`, when the new size is usable).
pub const VOLUME_RESIZE: Millis = 5 * SECOND;
/// The kubelet growing the filesystem of an expanded volume it has mounted (its next volume
/// manager sync).
pub const NODE_EXPAND: Millis = SECOND;
/// `--node-monitor-grace-period`: how long a node may post no status before it is `Unknown`
/// (50 s since 1.32, pkg/controller/nodelifecycle).
pub const NODE_MONITOR_GRACE: Millis = 50 * SECOND;
/// `maxWaitForUnmountDuration` of the attach/detach controller: a volume on an unhealthy node
/// whose pods are gone is force-detached after this long.
pub const FORCE_DETACH: Millis = 360 * SECOND;
/// Pulling an image onto a node the first time (later pods on that node find it present).
pub const IMAGE_PULL: Millis = 2 * SECOND;
/// Creating and starting a container once its image is present.
pub const CONTAINER_START: Millis = SECOND;
/// How long the kubelet's pod worker waits after a sync that failed before it tries again
/// (`pkg/kubelet/kubelet.go` `backOffPeriod`).
pub const POD_WORKER_BACKOFF: Millis = 10 * SECOND;
/// How long the simulated applications take to exit after SIGTERM (they handle it promptly;
/// a container whose command is `sleep` ignores it as PID 1 and uses the whole grace period).
pub const APP_STOP: Millis = SECOND;
/// Default `terminationGracePeriodSeconds` (pkg/apis/core/v1/defaults.go).
pub const DEFAULT_GRACE_SECONDS: i64 = 30;
/// Default readiness probe `periodSeconds` (pkg/apis/core/v1/defaults.go).
pub const DEFAULT_PROBE_PERIOD_SECONDS: i64 = 10;
/// Container restart back-off: starts at 10 s, doubles, capped at 5 minutes
/// (pkg/kubelet/kubelet.go `backOffPeriod`, `MaxContainerBackOff`).
pub const CRASH_BACKOFF_START: Millis = 10 * SECOND;
pub const CRASH_BACKOFF_MAX: Millis = 300 * SECOND;
/// Image pull back-off, the same shape (pkg/kubelet/images `backOff`).
pub const PULL_BACKOFF_START: Millis = 10 * SECOND;
/// How far `sim settle` looks ahead for a due timer before it calls the cluster settled.
pub const SETTLE_HORIZON: Millis = 600 * SECOND;
/// The longest `sim settle` runs before it gives up and says so.
pub const SETTLE_LIMIT: Millis = 3600 * SECOND;
/// Controller retry back-off after a failed sync (client-go workqueue, simplified): first retry.
pub const RETRY_START: Millis = SECOND;
/// ... capped here.
pub const RETRY_MAX: Millis = 300 * SECOND;

/// Amazon EBS allows one modification of a volume every 6 hours
/// (`VolumeModificationRateExceeded`; "Wait at least 6 hours between modifications per EBS volume").
pub const EBS_MODIFY_COOLDOWN: Millis = 6 * 3600 * SECOND;
/// The external resizer retries a failed expansion with exponential back-off from 1 s to 5 min
/// (its `--retry-interval-start` and `--retry-interval-max` defaults).
pub const RESIZE_RETRY_START: Millis = SECOND;
pub const RESIZE_RETRY_MAX: Millis = 300 * SECOND;
