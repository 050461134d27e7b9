//! The loop: it runs the controllers in a fixed order and lets simulated time pass.
//!
//! One pass of [`Cluster::reconcile_pass`] runs, in this order (the design's order):
//! 1. StatefulSet controller (`controllers::statefulset`), then the Deployment and ReplicaSet
//!    controllers of the contrast workloads (`controllers::workloads`)
//! 2. PV binder and provisioner, then reclaim, attach/detach and expansion
//!    (`controllers::volumes`): before the scheduler, so a new claim is seen
//!    (`WaitForFirstConsumer`) before the scheduler picks its node
//! 3. scheduler (`controllers::scheduler`)
//! 4. kubelet (`controllers::kubelet`)
//! 5. endpoints (`controllers::endpoints`)
//! 6. garbage collector and pvc-protection (`controllers::gc`)
//! 7. node lifecycle, taint-based eviction and the pod GC's out-of-service rule
//!    (`controllers::nodes`)
//! 8. disruption controller: PodDisruptionBudget status (`controllers::disruption`)
//!
//! Passes repeat at one instant until nothing changes (bounded), then time moves to the next
//! timer a controller asked for. Controllers are level-triggered: they read the store and act;
//! none is told why it runs.

use crate::api::resources::Kind;
use crate::clock::Millis;
use crate::controllers;
use crate::timing;
use crate::world::{Cluster, PodWatch};

/// When a controller runs in a pass.
enum Gate {
    /// Every pass; `owns_timers`: the timers it asks for are noted as its own.
    Always { owns_timers: bool },
    /// Only when an object of a kind it watches changed since its last pass that changed
    /// nothing (for pods, the changes `pods` counts), or, when `timed`, one of its own timers
    /// is due (see [`Cluster::unless_unchanged`]).
    Watches {
        kinds: &'static [Kind],
        pods: PodWatch,
        timed: bool,
    },
}

/// One controller of the loop: its name (its memo's and its timers' key), when it runs, and
/// its reconcile function.
struct Controller {
    name: &'static str,
    gate: Gate,
    run: fn(&mut Cluster),
}

/// The controllers in the order of a pass (the module docs say why this order).
const CONTROLLERS: [Controller; 10] = [
    Controller {
        name: controllers::statefulset::CONTROLLER,
        gate: Gate::Always { owns_timers: true },
        run: controllers::statefulset::reconcile,
    },
    Controller {
        name: "workloads",
        gate: Gate::Watches {
            kinds: &[
                Kind::Deployment,
                Kind::ReplicaSet,
                Kind::DaemonSet,
                Kind::Pod,
                Kind::Node,
            ],
            pods: PodWatch::Status,
            timed: true,
        },
        run: controllers::workloads::reconcile,
    },
    Controller {
        name: "binder",
        gate: Gate::Watches {
            kinds: &[Kind::PersistentVolumeClaim, Kind::PersistentVolume, Kind::StorageClass],
            pods: PodWatch::Spec,
            timed: true,
        },
        run: controllers::volumes::reconcile_binding,
    },
    Controller {
        name: "volumes",
        gate: Gate::Watches {
            kinds: &[
                Kind::PersistentVolumeClaim,
                Kind::PersistentVolume,
                Kind::StorageClass,
                Kind::Pod,
                Kind::Node,
            ],
            pods: PodWatch::Spec,
            timed: true,
        },
        run: controllers::volumes::reconcile_volumes,
    },
    Controller {
        name: "scheduler",
        gate: Gate::Watches {
            kinds: &[
                Kind::Pod,
                Kind::Node,
                Kind::PersistentVolumeClaim,
                Kind::PersistentVolume,
                Kind::StorageClass,
            ],
            pods: PodWatch::Spec,
            timed: true,
        },
        run: controllers::scheduler::reconcile,
    },
    Controller {
        name: "kubelet",
        gate: Gate::Always { owns_timers: false },
        run: controllers::kubelet::reconcile,
    },
    Controller {
        name: "endpoints",
        gate: Gate::Watches {
            kinds: &[Kind::Service, Kind::Pod, Kind::Endpoints],
            pods: PodWatch::Addresses,
            timed: false,
        },
        run: controllers::endpoints::reconcile,
    },
    Controller {
        name: "gc",
        gate: Gate::Watches {
            kinds: &[
                Kind::StatefulSet,
                Kind::Deployment,
                Kind::ReplicaSet,
                Kind::DaemonSet,
                Kind::Pod,
                Kind::PersistentVolumeClaim,
                Kind::ControllerRevision,
                Kind::PersistentVolume,
            ],
            pods: PodWatch::Spec,
            timed: false,
        },
        run: controllers::gc::reconcile,
    },
    // `sim node-down|up` changes no object: the fault forgets this memo then.
    Controller {
        name: "nodes",
        gate: Gate::Watches {
            kinds: &[Kind::Node, Kind::Pod],
            pods: PodWatch::Spec,
            timed: true,
        },
        run: controllers::nodes::reconcile,
    },
    Controller {
        name: "disruption",
        gate: Gate::Watches {
            kinds: &[Kind::PodDisruptionBudget, Kind::Pod, Kind::StatefulSet],
            pods: PodWatch::Status,
            timed: false,
        },
        run: controllers::disruption::reconcile,
    },
];

impl Cluster {
    /// The next work timer (something is known to be about to happen).
    fn next_work_timer(&self) -> Option<Millis> {
        self.timers.iter().copied().find(|t| *t > self.now)
    }

    /// Move the clock to `t` and drop the timers at or before it.
    fn jump_to(&mut self, t: Millis) {
        self.now = t;
        // The scheduler's event recorder writes its series on its own tickers.
        self.store.tick_events(t);
        self.store.set_now(t);
        self.timers = self.timers.split_off(&(t + 1));
        self.periodic = self.periodic.split_off(&(t + 1));
    }

    /// A fingerprint of the store: changes whenever any object changes.
    fn fingerprint(&self) -> (u64, usize) {
        (self.store.resource_version(), self.runtime.len())
    }

    /// Run every controller once, in the order of [`CONTROLLERS`].
    pub fn reconcile_pass(&mut self) {
        for controller in &CONTROLLERS {
            match controller.gate {
                Gate::Always { owns_timers } => {
                    let outer = if owns_timers {
                        self.running.replace(controller.name)
                    } else {
                        self.running
                    };
                    (controller.run)(self);
                    self.running = outer;
                }
                Gate::Watches { kinds, pods, timed } => {
                    self.unless_unchanged(controller.name, kinds, pods, timed, controller.run);
                }
            }
        }
    }

    /// Run passes at the current instant until nothing changes (at most 200 passes: a
    /// controller that never settles is a bug, and the bound keeps the page responsive).
    pub fn settle_instant(&mut self) {
        for _ in 0..200 {
            let before = self.fingerprint();
            self.reconcile_pass();
            if self.fingerprint() == before {
                return;
            }
        }
    }

    /// Let `duration` of simulated time pass, running controllers at every timer on the way.
    pub fn advance(&mut self, duration: Millis) {
        let target = self.now.saturating_add(duration);
        self.settle_instant();
        // Bounded: every step moves time forward to a timer or to the target.
        for _ in 0..100_000 {
            match self.next_timer() {
                Some(t) if t <= target => {
                    self.jump_to(t);
                    self.settle_instant();
                }
                _ => break,
            }
        }
        self.jump_to(target);
        self.settle_instant();
    }

    /// Let time pass until no controller has work due within [`timing::SETTLE_HORIZON`].
    ///
    /// Work timers (a pull finishing, a grace period ending) are followed. When only periodic
    /// timers remain (probes, resyncs, retries), the cluster is run ahead on a copy through the
    /// horizon: if nothing changes, it is settled and the clock stays where the last change
    /// left it; if something changes (a retry that succeeds), time really moves on to it.
    /// Returns the time that passed, or an error when it gave up after [`timing::SETTLE_LIMIT`].
    pub fn settle(&mut self) -> Result<Millis, Millis> {
        let start = self.now;
        self.settle_instant();
        for _ in 0..100_000 {
            if self.now - start > timing::SETTLE_LIMIT {
                return Err(self.now - start);
            }
            match self.next_work_timer() {
                Some(w) if w <= self.now + timing::SETTLE_HORIZON => {
                    // Everything due up to the work timer, periodic ones included, in order.
                    let t = self.next_timer().unwrap_or(w).min(w);
                    self.jump_to(t);
                    self.settle_instant();
                }
                _ => {
                    // Only periodic timers: look ahead on a copy.
                    let mut ahead = self.clone();
                    let quiet = ahead.fingerprint();
                    let horizon = self.now + timing::SETTLE_HORIZON;
                    let mut changed_at = None;
                    while let Some(t) = ahead.next_timer().filter(|t| *t <= horizon) {
                        ahead.jump_to(t);
                        ahead.settle_instant();
                        if ahead.fingerprint() != quiet {
                            changed_at = Some(t);
                            break;
                        }
                    }
                    match changed_at {
                        None => return Ok(self.now - start),
                        Some(_) => *self = ahead,
                    }
                }
            }
        }
        Err(self.now - start)
    }

    /// Advance until `done` holds or `timeout` passes; returns whether it held. `done` is
    /// checked after every reconcile pass, so a watcher sees each intermediate state, as a
    /// `kubectl ... --watch` would. Used by the blocking kubectl commands.
    pub fn run_until(&mut self, timeout: Millis, mut done: impl FnMut(&Cluster) -> bool) -> bool {
        let deadline = self.now.saturating_add(timeout);
        if done(self) {
            return true;
        }
        for _ in 0..100_000 {
            // Passes at this instant, checking after each.
            for _ in 0..200 {
                let before = self.fingerprint();
                self.reconcile_pass();
                if done(self) {
                    return true;
                }
                if self.fingerprint() == before {
                    break;
                }
            }
            match self.next_timer() {
                Some(t) if t <= deadline => self.jump_to(t),
                _ => {
                    self.jump_to(deadline);
                    self.settle_instant();
                    return done(self);
                }
            }
        }
        done(self)
    }
}
