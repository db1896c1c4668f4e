"""YAML read as written: `on`, `off`, `yes` and `no` stay the strings the user wrote (YAML 1.1 makes them
booleans, so `power: {off: CMD, on: CMD}` would lose its keys); only `true` and `false` are booleans."""

from __future__ import annotations

import re
from typing import Any

import yaml

BOOL_TAG = "tag:yaml.org,2002:bool"
BOOLS_1_2 = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class StringsLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2's booleans."""


StringsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
StringsLoader.add_implicit_resolver(BOOL_TAG, BOOLS_1_2, list("tTfF"))


def load(text: str) -> Any:
    """The YAML document in text, its scalars read as written (yaml.YAMLError if it is not YAML)."""
    return yaml.load(text, Loader=StringsLoader)
