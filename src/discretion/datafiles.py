"""Strict reading of the YAML and JSON files people write: case files, policies, manifests.

PyYAML quietly keeps the last of two duplicate keys and fails on ``2021-13-01`` with a bare
ValueError that names no line. For legal data both must be errors, so this loader rejects
duplicate keys and impossible dates, and remembers the line of every key, so that a message
can say *where* a bad field is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class DataFileError(ValueError):
    """A file cannot be parsed. ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys and records key lines in ``self.lines``."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self.lines: dict[tuple[str | int, ...], int] = {}

    def construct_document(self, node: yaml.Node) -> Any:
        self._record(node, ())
        return super().construct_document(node)

    def _record(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    raise DataFileError(f"duplicate key {key!r} (first on line {seen[key]})", line)
                seen[key] = line
                self.lines[(*path, key)] = line
                self._record(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                self._record(item, (*path, index))
        elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
            # PyYAML raises a bare ValueError (no line) for a date-shaped value like 2021-13-01.
            try:
                self.construct_yaml_timestamp(node)
            except ValueError as exc:
                where = ".".join(map(str, path)) or "value"
                raise DataFileError(
                    f"{where}: {node.value!r} is not a real date ({exc})", node.start_mark.line + 1
                ) from None


def load_text(text: str, *, suffix: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    """Parse YAML or JSON text. Returns the data and a map from key path to line number."""
    if suffix == ".json":
        try:
            return json.loads(text), {}
        except json.JSONDecodeError as exc:
            raise DataFileError(f"not valid JSON: {exc.msg}", exc.lineno) from None
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except DataFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise DataFileError(f"not valid YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, loader.lines


def load_file(path: Path) -> tuple[Any, dict[tuple[str | int, ...], int], bytes]:
    """Read and parse ``path``; returns (data, key lines, raw bytes)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("file not found") from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a file") from None
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    data, lines = load_text(text, suffix=path.suffix.lower())
    return data, lines, raw


def line_of(lines: dict[tuple[str | int, ...], int], path: tuple[str | int, ...]) -> int | None:
    """The line of the deepest known prefix of ``path`` (a missing key is reported at its parent)."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
