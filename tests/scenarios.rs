//! Scenario scripts with reviewed snapshot transcripts: every `tests/scenarios/*.sim` runs
//! through the same engine as `stsim run` and the browser console, and its transcript must
//! equal the committed snapshot in `tests/snapshots/`. Each script also runs twice to prove
//! the simulator is deterministic. See tests/README.md for how to add one.

use std::path::{Path, PathBuf};

use stsim::console::{Console, DiskFiles};

fn scenario_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sim"))
        .collect();
    files.sort();
    files
}

fn transcript(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("scenario is readable");
    let dir = path.parent().expect("scenario has a folder").to_path_buf();
    let mut console = Console::new(Box::new(DiskFiles(dir)));
    stsim::script::run(&text, &mut console)
}

/// Compare one scenario's transcript with its snapshot, and run it a second time: the two
/// transcripts must be equal (the simulator is deterministic).
fn check(name: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/scenarios/{name}.sim"));
    let path = file.as_path();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name, transcript(path)));
    assert!(
        transcript(path) == transcript(path),
        "{name} gave two different transcripts: replay it with `stsim run tests/scenarios/{name}.sim`"
    );
}

/// One test per scenario, named after its file: `cargo test --test scenarios NAME` runs one.
macro_rules! scenarios {
    ($($name:ident,)*) => {
        $(#[test] fn $name() { check(stringify!($name)); })*
        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

scenarios! {
    allowed_topologies,
    apply_from_kubernetes_io_urls,
    apply_validate_modes,
    cascade_foreground_and_orphan,
    console_shell_and_watch,
    controller_storage_access,
    crashloop_backoff,
    create_container_config_error,
    daemonset_contrast,
    daemonset_rolling_update,
    deployment_contrast,
    deployment_rolling_update_rwo,
    deployment_rollout,
    describe_node,
    describe_pod_env_resources_mounts,
    describe_service_and_claim,
    describe_unschedulable_pod,
    describe_workload_templates,
    drain_and_pdb,
    e2e_basic_identity,
    e2e_burst_scaling_parallel,
    e2e_no_deadlock_when_predecessor_fails,
    e2e_pvc_recreated_for_pending_pod,
    e2e_rolling_update_and_rollback,
    e2e_scaling_predictable_order_and_halt,
    ebs_resize_cooldown,
    event_aggregation_and_spam_filter,
    evicted_pod_recreated,
    forced_rollback_trap,
    headless_service_dns_rules,
    host_port_conflict,
    image_start_requirements,
    immediate_binding_zone,
    kubectl_errors,
    kubectl_events_flags,
    kubectl_go_template,
    kubectl_label_annotate,
    kubectl_logs_container_states,
    kubectl_output_formats,
    min_ready_seconds,
    missing_configmap_volume,
    multi_attach_and_rwop,
    multi_container_readiness,
    node_affinity_operators,
    node_failure_detach_and_out_of_service,
    node_failure_statefulset,
    node_from_manifest,
    old_ebs_reused,
    ondelete_updates,
    partition_canary_and_phased_rollout,
    pod_affinity_required,
    pod_anti_affinity_preferred,
    pod_anti_affinity_required,
    pv_failed_and_claim_lost,
    pvc_beta_class_annotation,
    pvc_missing_storage_class,
    pvc_protection_while_in_use,
    pvc_retention_when_deleted,
    pvc_retention_when_scaled,
    quantities_stored_canonical,
    readiness_probe_port_unknown,
    resource_requests_fit,
    retention_conflicting_controller,
    rolling_update_without_partition_block,
    start_ordinal,
    static_pv_binding,
    storageclass_fields,
    too_many_pods,
    topology_spread_schedule_anyway,
    topology_spread_zones,
    tutorial_statefulset_basics,
    tutorial_statefulset_basics_as_printed,
    tutorial_task_pages_as_printed,
    validation_errors,
    validation_node_namespace,
    validation_pdb,
    validation_pod_spec,
    validation_pvc_pv,
    validation_service,
    validation_storageclass,
    validation_workloads,
    volume_expansion,
    what_survives_delete,
}

#[test]
fn every_scenario_file_has_a_test() {
    let missing: Vec<String> = scenario_files()
        .iter()
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .filter(|n| !LISTED.contains(&n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "add these scenarios to the scenarios! list in tests/scenarios.rs: {missing:?}"
    );
}
