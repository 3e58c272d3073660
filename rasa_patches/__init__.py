"""Every change this project makes to Rasa's own code, in one registry, guarded by version.

What Rasa 3.6 lets a project extend, this project extends its way: NLU components named in
config.yml (components/), tracker and lock stores in endpoints.yml (stores/), channels in
credentials.yml (channels/). So `rasa train`, `rasa test`, `rasa shell`, `Agent.load` and the server
all read messages and store conversations with the same code. What follows has no extension point in
Rasa 3.6, so it is a patch: Rasa's attribute replaced, at start, by the launcher (`python -m launcher`,
which every command of the Makefile goes through). Each patch names what it replaces, why, and the
commands it applies to; none applies to training. Nothing outside this module assigns to a Rasa
attribute (tests/test_rasa_patches.py checks it with a search of the code).

The guard: the replacements are copies of Rasa 3.6.21's code with one change each, so they are only
right for the versions they were written against. `apply` refuses (PatchRefused, before changing
anything) when another version of Rasa, jsonschema or SQLAlchemy is installed.
"""

import importlib
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Dict, FrozenSet, List, Tuple

# The versions the patches were written against and tested with (constraints.txt pins the same).
PINNED_VERSIONS = {"rasa": "3.6.21", "jsonschema": "4.17.3", "SQLAlchemy": "1.4.54"}

SERVING = frozenset({"run", "shell"})  # the Rasa server, and `rasa shell` (a server and a console)
EVALUATING = SERVING | {"test"}  # `rasa test` runs the model as the server runs it


class PatchRefused(RuntimeError):
    """The installed libraries are not those the patches were written for: nothing was patched."""


@dataclass(frozen=True)
class Patch:
    name: str
    replaces: str  # "module:Class.attribute", or "module:attribute"
    why: str
    commands: FrozenSet[str]
    replacement: str  # "module:function", imported only when the patch is applied
    static: bool = False  # the replaced attribute is a staticmethod

    def replacing_value(self) -> Any:
        """What is assigned in place of Rasa's attribute."""
        function = _resolve(self.replacement)
        return staticmethod(function) if self.static else function


PATCHES: Tuple[Patch, ...] = (
    Patch("graph-runner-without-dask", "rasa.engine.runner.dask:DaskGraphRunner.run",
          "dask's scheduler cost about 3 ms a turn for graphs that run one node after the other (speed)",
          EVALUATING, "rasa_patches.graph_runner:run"),
    Patch("event-types-by-name", "rasa.shared.core.events:Event.resolve_by_type",
          "each stored event was typed by a walk through Rasa's class tree, 6 ms per turn (speed)",
          EVALUATING, "rasa_patches.event_types:resolve_by_type", static=True),
    Patch("action-response-schema-checked-once", "rasa.core.actions.action:RemoteAction._validate_action_result",
          "the constant response schema was checked against the metaschema on every call, 63 % of the CPU (speed)",
          SERVING, "rasa_patches.action_response:validate_action_result"),
    Patch("apology-when-the-action-server-is-down", "rasa.core.actions.action:RemoteAction.run",
          "an unreachable action server left the visitor without any reply (robustness)",
          SERVING, "rasa_patches.action_server_down:run_or_apologise"),
    Patch("conversation-store-failures-reach-the-visitor", "rasa.core.agent:Agent._create_tracker_store",
          "FailSafeTrackerStore kept a turn the database refused in memory only, and lost it (robustness)",
          SERVING, "rasa_patches.store_failures:create_tracker_store", static=True),
    Patch("tracker-store-type-must-load", "rasa.core.tracker_store:_load_from_module_name_in_endpoint_config",
          "a mistyped tracker store type silently kept conversations in memory only (robustness)",
          SERVING, "rasa_patches.store_failures:load_custom_tracker_store"),
)


def _resolve(path: str) -> Any:
    """The object named "module:name.name…"."""
    module_name, _, names = path.partition(":")
    found: Any = importlib.import_module(module_name)
    for name in names.split("."):
        found = getattr(found, name)
    return found


def _owner_and_attribute(replaces: str) -> Tuple[Any, str]:
    module_name, _, names = replaces.partition(":")
    owner, _, attribute = names.rpartition(".")
    return (_resolve(f"{module_name}:{owner}") if owner else importlib.import_module(module_name)), attribute


def version_problems() -> List[str]:
    """What is installed other than PINNED_VERSIONS, one line each (empty: the patches may apply)."""
    problems = []
    for package, pinned in PINNED_VERSIONS.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            installed = "none"
        if installed != pinned:
            problems.append(f"{package} {installed} is installed, the patches were written for {pinned}")
    return problems


_applied: Dict[str, Patch] = {}


def for_command(command: str) -> List[Patch]:
    return [patch for patch in PATCHES if command in patch.commands]


def apply(command: str) -> List[Patch]:
    """Applies the patches of `command` (`run`, `shell`, `test`, ...) once; PatchRefused on other versions."""
    patches = for_command(command)
    problems = version_problems() if patches else []
    if problems:
        raise PatchRefused("Rasa is not patched, and does not start: " + "; ".join(problems)
                           + ". Check each patch of rasa_patches/ against the new version, then update PINNED_VERSIONS.")
    for patch in patches:
        if patch.name not in _applied:
            owner, attribute = _owner_and_attribute(patch.replaces)
            setattr(owner, attribute, patch.replacing_value())
            _applied[patch.name] = patch
    return patches
