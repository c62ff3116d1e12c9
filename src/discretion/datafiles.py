"""Strict reading of the YAML and JSON files people write: case files, policies, manifests.

PyYAML quietly keeps the last of two duplicate keys and fails on ``2021-13-01`` with a bare
ValueError that names no line. For legal data both must be errors, so this loader rejects
duplicate keys and impossible dates, and remembers the line of every key, so that a message
can say *where* a bad field is.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import yaml

from discretion.hygiene import MAX_DEPTH, cut

# Limits on what a person's file may make the reader do (issue 9: a 395-byte alias bomb took
# 15 s and 2 GB; 500 levels of nesting overflowed the stack; a FIFO blocked for ever).
MAX_FILE_BYTES = 5 * 1024 * 1024  # a long case file is 50 KB; a 600-policy catalogue 1 MB
MAX_ALIASES = 100  # YAML *references; policies use none, a hand-written case file a few
MAX_NODES = 200_000  # YAML nodes visited, aliases expanded


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
        self.depth = 0
        self.aliases = 0
        self.visited = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Limits checked while the node tree is built, before any alias is expanded.
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise DataFileError(
                    f"uses more than {MAX_ALIASES} YAML aliases (*name); write the values out", line
                )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise DataFileError(f"is nested more than {MAX_DEPTH} levels deep", line)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_document(self, node: yaml.Node) -> Any:
        self._record(node, ())
        return super().construct_document(node)

    def _record(self, node: yaml.Node, path: tuple[str | int, ...]) -> None:
        if len(path) > MAX_DEPTH:  # only an alias can nest a value inside itself
            raise DataFileError(
                f"{'.'.join(map(str, path[:3]))}...: an alias refers to the value that holds it",
                node.start_mark.line + 1,
            )
        self.visited += 1
        if self.visited > MAX_NODES:
            # Aliases of aliases multiply: a few hundred bytes can stand for billions of values.
            raise DataFileError(f"expands to more than {MAX_NODES:,} values (aliases of aliases?)")
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise DataFileError(
                        "a key must be plain text, not a list or a mapping (`? [a, b]`)",
                        key_node.start_mark.line + 1,
                    )
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
        elif isinstance(node, yaml.ScalarNode) and node.tag in _CHECKED_TAGS:
            # PyYAML raises a bare ValueError (no line) for a date-shaped value like 2021-13-01,
            # for `!!int abc`, or for a 5,000-digit number.
            try:
                self.construct_object(node)
            # AttributeError: `!!timestamp x` (PyYAML assumes its pattern matched).
            except (
                ValueError,
                TypeError,
                OverflowError,
                AttributeError,
                yaml.constructor.ConstructorError,
            ) as exc:
                where = ".".join(map(str, path)) or "value"
                what = _CHECKED_TAGS[node.tag]
                raise DataFileError(
                    f"{where}: {cut(node.value)} is not {what}"
                    + ("" if isinstance(exc, AttributeError) else f" ({cut(str(exc), 80)[1:-1]})"),
                    node.start_mark.line + 1,
                ) from None


_CHECKED_TAGS = {
    "tag:yaml.org,2002:timestamp": "a real date",
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
}


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object hook: a repeated key is an error, as in YAML (json keeps the last)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DataFileError(f"duplicate key {cut(key)}")
        out[key] = value
    return out


def load_text(text: str, *, suffix: str) -> tuple[Any, dict[tuple[str | int, ...], int]]:
    """Parse YAML or JSON text. Returns the data and a map from key path to line number."""
    if suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_unique_keys), {}
        except DataFileError:
            raise
        except json.JSONDecodeError as exc:
            raise DataFileError(f"not valid JSON: {exc.msg}", exc.lineno) from None
        except RecursionError:
            raise DataFileError("is nested too deeply to be a case file or manifest") from None
        except ValueError as exc:  # a number too long to convert
            raise DataFileError(f"not valid JSON: {cut(str(exc), 100)[1:-1]}") from None
    loader: _StrictLoader | None = None
    try:
        # Inside the try: the reader checks for non-printable characters as it is created.
        loader = _StrictLoader(text)
        data = loader.get_single_data()
    except DataFileError:
        raise
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise DataFileError(
            f"contains a character that is not allowed (U+{ord(char):04X}, a control character)", line
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        raise DataFileError(
            f"not valid YAML: {cut(problem, 120)[1:-1]}", mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as exc:
        raise DataFileError(f"not valid YAML: {cut(str(exc), 120)[1:-1]}") from None
    except RecursionError:
        raise DataFileError("is nested too deeply") from None
    except (ValueError, TypeError, OverflowError, AttributeError, KeyError, IndexError) as exc:
        # PyYAML's constructors trust their input after an explicit tag (`!!timestamp x`).
        raise DataFileError(f"not valid YAML: {cut(str(exc), 120)[1:-1]}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, loader.lines


def read_regular(path: Path, *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked on the open descriptor: a FIFO named ``case.yaml``
    would otherwise wait for a writer for ever, and a check before opening could be raced."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise DataFileError("file not found") from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a file") from None
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DataFileError("is a directory, not a file")
        if not stat.S_ISREG(mode):
            raise DataFileError("is not a regular file (a pipe, a socket or a device), so it is not read")
        try:
            raw = handle.read(limit + 1)
        except OSError as exc:
            raise DataFileError(f"cannot be read: {exc.strerror}") from None
    if len(raw) > limit:
        raise DataFileError(f"is larger than {limit // 1024 // 1024} MB, too large for this kind of file")
    return raw


def load_file(path: Path) -> tuple[Any, dict[tuple[str | int, ...], int], bytes]:
    """Read and parse ``path``; returns (data, key lines, raw bytes)."""
    raw = read_regular(path)
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
