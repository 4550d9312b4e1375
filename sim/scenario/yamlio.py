"""Safe YAML reading that remembers where every value came from.

Scenario and map files are user input, so loading them must never run code and
must point at the line of any mistake. `load_yaml` builds plain Python data from
PyYAML's node tree itself, which lets it

- record the line of every key and list item (`SourceMap`), so that a schema
  error deep inside the data can still say `file.yaml:42`;
- refuse anything but the standard YAML tags (no `!!python/...` objects);
- refuse duplicate keys instead of silently keeping the last one;
- stop "billion laughs" alias bombs, recursive aliases, deep nesting and oversized
  files before they eat memory or the stack;
- read regular files only (a device such as `/dev/zero` or a FIFO is refused by its
  type, before it is opened for reading, so nothing reads forever or waits);
- report a value YAML cannot build (`2025-02-30` looks like a date but is none) or a
  control character at its line.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, UserInputError

MAX_FILE_BYTES = 2_000_000
"""Largest YAML file accepted; real scenarios and maps are a few tens of kB."""

MAX_NODES = 200_000
"""Most values a document may expand to once aliases are followed."""

MAX_DEPTH = 64
"""Deepest nesting of maps and lists accepted; real scenarios are under ten levels deep."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}

Path_ = tuple[str | int, ...]


def format_path(path: Path_) -> str:
    """`('forces', 3, 'personnel')` -> `forces[3].personnel`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class SourceMap:
    """Where each value of a loaded document was written: path -> (file, line)."""

    locations: dict[Path_, tuple[str, int | None]] = field(default_factory=dict)

    def locate(self, path: Path_) -> tuple[str | None, int | None]:
        """The file and line of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if path in self.locations:
                return self.locations[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def problem(self, path: Path_, message: str) -> Problem:
        file, line = self.locate(path)
        return Problem(message, file=file, line=line, field=format_path(path) or None)


class _Builder:
    def __init__(self, file: str, loader: yaml.SafeLoader):
        self.file = file
        self.loader = loader
        self.nodes = 0
        self.source = SourceMap()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise UserInputError(
                Problem(
                    f"the document expands to more than {MAX_NODES:,} values "
                    "(an alias bomb?); refusing to load it",
                    file=self.file,
                )
            )
        line = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            raise UserInputError(
                Problem(
                    f"nested more than {MAX_DEPTH} levels deep (a recursive alias?); refusing to load it",
                    file=self.file,
                    line=line,
                )
            )
        self.source.locations.setdefault(path, (self.file, line))
        if node.tag not in _STANDARD_TAGS:
            raise UserInputError(
                Problem(
                    f"the tag {node.tag!r} is not allowed; only plain YAML values "
                    "(maps, lists, text, numbers, booleans, dates) are read",
                    file=self.file,
                    line=line,
                    field=format_path(path) or None,
                )
            )
        if isinstance(node, yaml.MappingNode):
            self._refuse_duplicate_keys(node, path)
            self.loader.flatten_mapping(node)  # resolves `<<:` merge keys; explicit keys come last
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = str(self.build(key_node, path + ("<key>",)))
                self.source.locations[path + (key,)] = (self.file, key_node.start_mark.line + 1)
                out[key] = self.build(value_node, path + (key,))
            self.source.locations.pop(path + ("<key>",), None)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # 2025-02-30, a 5,000-digit number ...
            raise UserInputError(
                Problem(
                    f"{_shown(node.value)} cannot be read as a {_kind(node.tag)} ({exc}); "
                    "write a valid one, or quote it to make it text",
                    file=self.file,
                    line=line,
                    field=format_path(path) or None,
                )
            ) from None

    def _refuse_duplicate_keys(self, node: yaml.MappingNode, path: Path_) -> None:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            if key in seen:
                raise UserInputError(
                    Problem(
                        f"duplicate key {key!r}: each key may appear once in a map",
                        file=self.file,
                        line=key_node.start_mark.line + 1,
                        field=format_path(path + (key,)),
                    )
                )
            seen.add(key)


def _shown(text: Any) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _kind(tag: str) -> str:
    name = tag.rsplit(":", 1)[-1]
    return {"timestamp": "date", "int": "whole number", "float": "number", "bool": "boolean"}.get(name, name)


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing nesting deeper than `MAX_DEPTH` before it exhausts the stack."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise UserInputError(
                    Problem(
                        f"nested more than {MAX_DEPTH} levels deep; refusing to load it",
                        file=self.name if isinstance(self.name, str) else None,
                        line=mark.line + 1,
                    )
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (UserInputError otherwise).

    Devices, FIFOs, sockets and folders are refused by their type: the file is opened
    without blocking and checked before a byte is read, so neither `/dev/zero` nor a FIFO
    that nobody writes to can hold the reader.
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise UserInputError(Problem("file not found", file=shown)) from None
    except IsADirectoryError:
        raise UserInputError(Problem("is a folder, expected a YAML file", file=shown)) from None
    except OSError as exc:
        raise UserInputError(Problem(f"cannot read: {exc.strerror}", file=shown)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            what = _file_kind(info.st_mode)
            expected = "a YAML file" if what == "a folder" else "a regular YAML file"
            raise UserInputError(Problem(f"is {what}, expected {expected}", file=shown))
        if info.st_size > limit:
            raise UserInputError(
                Problem(
                    f"file is {info.st_size:,} bytes; the limit is {limit:,} (is this really a scenario?)",
                    file=shown,
                )
            )
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise UserInputError(
                    Problem(f"file is over {limit:,} bytes (is this really a scenario?)", file=shown)
                )
        return b"".join(chunks)
    except OSError as exc:
        raise UserInputError(Problem(f"cannot read: {exc.strerror}", file=shown)) from None
    finally:
        os.close(fd)


def load_yaml(path: str | Path) -> tuple[Any, SourceMap]:
    """Read one YAML document safely, returning its data and where each value was."""
    shown = str(path)
    data = read_regular_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserInputError(Problem(f"not UTF-8 text ({exc.reason})", file=shown, line=line)) from None
    return parse_yaml(text.replace("\r\n", "\n").replace("\r", "\n"), shown)  # as read_text reads


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text (see `load_yaml`); `file` is the name used in messages."""
    loader = None
    try:
        loader = _Loader(text)  # checks every character first
        loader.name = file
        root = loader.get_single_node()
        if root is None:
            return None, SourceMap()
        builder = _Builder(file, loader)
        data = builder.build(root, ())
        return data, builder.source
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(what):
            what = "this tag is not allowed; only plain YAML values are read"
        raise UserInputError(Problem(f"YAML syntax error: {what}", file=file, line=line)) from None
    except yaml.reader.ReaderError as exc:  # a control character, a surrogate ...
        line = text.count("\n", 0, max(0, exc.position)) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise UserInputError(
            Problem(
                f"the character {char!r} (U+{ord(char):04X}) is not allowed in YAML: control "
                "characters (and a few other special ones) cannot be written in a scenario",
                file=file,
                line=line,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise UserInputError(Problem(f"YAML error: {exc}", file=file)) from None
    except RecursionError:
        raise UserInputError(
            Problem("nested too deeply to read (a recursive alias?); refusing to load it", file=file)
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def dump_yaml(data: Any) -> str:
    """Plain, readable YAML for files we write (keys kept in their order)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
