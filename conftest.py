"""Root conftest: the hadrill plugin and the step modules, one per area."""

pytest_plugins = [
    "harness.plugin",
    "steps.lab_steps",
]
