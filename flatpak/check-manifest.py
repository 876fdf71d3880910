#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Sanity checks for the flatpak-builder manifest.

usage: check-manifest.py MANIFEST APP_ID COMMAND

Exits 0 when the manifest is fine, 1 with one line per problem otherwise.
"""

import json
import re
import sys

# finish-args a shop back office must never ask for: the whole home or host
# file system, or the session/system bus (we talk to exactly one name, the
# Secret Service, through --talk-name).
FORBIDDEN_FILESYSTEMS = ("home", "host", "host-os", "host-etc", "~")
FORBIDDEN_SOCKETS = ("session-bus", "system-bus")

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
REMOTE_SOURCE_TYPES = ("archive", "file")


def iter_modules(modules):
    """Yield every inline module (dict), descending into nested modules."""
    for module in modules or []:
        if isinstance(module, dict):
            yield module
            yield from iter_modules(module.get("modules"))


def check(manifest, app_id, command):
    problems = []

    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]

    found_id = manifest.get("id", manifest.get("app-id"))
    if found_id != app_id:
        problems.append(f"app id is {found_id!r}, expected {app_id!r}")

    if manifest.get("command") != command:
        problems.append(f"command is {manifest.get('command')!r}, expected {command!r}")

    for key in ("runtime", "sdk", "runtime-version"):
        if not manifest.get(key):
            problems.append(f"{key!r} is missing")

    finish_args = manifest.get("finish-args", [])
    if not isinstance(finish_args, list):
        problems.append("finish-args is not a list")
        finish_args = []
    for arg in finish_args:
        if not isinstance(arg, str):
            problems.append(f"finish-args entry {arg!r} is not a string")
            continue
        if arg.startswith("--filesystem="):
            # strip the :ro / :rw / :create suffix and any sub path
            location = arg.split("=", 1)[1].split(":", 1)[0]
            root = location.split("/", 1)[0]
            if location in FORBIDDEN_FILESYSTEMS or root in FORBIDDEN_FILESYSTEMS:
                problems.append(f"finish-args grants too much file system access: {arg}")
        elif arg.startswith("--socket="):
            if arg.split("=", 1)[1] in FORBIDDEN_SOCKETS:
                problems.append(f"finish-args grants a whole bus: {arg}")

    modules = list(iter_modules(manifest.get("modules")))
    if not modules:
        problems.append("there are no modules")

    zint = [m for m in modules if m.get("name") == "zint"]
    if not zint:
        problems.append("there is no 'zint' module")
    else:
        pinned = [
            s for s in zint[0].get("sources", [])
            if isinstance(s, dict) and s.get("type") in REMOTE_SOURCE_TYPES
            and SHA256_RE.match(str(s.get("sha256", "")))
        ]
        if not pinned:
            problems.append("the 'zint' module has no archive/file source pinned by sha256")

    # every downloaded source must be pinned, not only zint's
    for module in modules:
        for source in module.get("sources", []):
            if not isinstance(source, dict):
                continue
            if source.get("type") in REMOTE_SOURCE_TYPES and "url" in source:
                if not SHA256_RE.match(str(source.get("sha256", ""))):
                    problems.append(
                        f"module {module.get('name')!r}: source {source['url']} has no valid sha256")
            if source.get("type") == "git" and "url" in source:
                if not (source.get("commit") or source.get("tag")):
                    problems.append(
                        f"module {module.get('name')!r}: git source {source['url']} is not pinned")

    top_level = [m for m in manifest.get("modules") or [] if isinstance(m, dict)]
    if not top_level or top_level[-1].get("name") != command:
        problems.append(f"the last module should be the app itself ({command!r})")
    elif top_level[-1].get("buildsystem") != "meson":
        problems.append(f"the {command!r} module should use the meson buildsystem")

    return problems


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, app_id, command = argv[1:]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except OSError as e:
        print(f"{path}: cannot read: {e}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as e:
        print(f"{path}: not valid JSON: {e}", file=sys.stderr)
        return 1

    problems = check(manifest, app_id, command)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
