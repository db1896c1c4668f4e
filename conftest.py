"""Root conftest: the hadrill plugin and the step modules, one per area."""

pytest_plugins = [
    "harness.plugin",
    "harness.plan.plugin",
    "harness.fixtures",
    "steps.lab_steps",
    "steps.drbd_common",
    "steps.drbd_setup_steps",
    "steps.drbd_data_steps",
    "steps.drbd_fault_steps",
    "steps.service_steps",
    "steps.heartbeat_common",
    "steps.heartbeat_setup_steps",
    "steps.heartbeat_fault_steps",
    "steps.rhcs_common",
    "steps.rhcs_setup_steps",
    "steps.rhcs_fault_steps",
    "steps.rhcs_gfs2_steps",
]
