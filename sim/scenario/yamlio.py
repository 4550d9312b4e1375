"""Safe YAML reading that remembers where every value came from.

Scenario and map files are user input, so loading them must never run code and
must point at the line of any mistake. `load_yaml` builds plain Python data from
PyYAML's node tree itself, which lets it

- record the line of every key and list item (`SourceMap`), so that a schema
  error deep inside the data can still say `file.yaml:42`;
- refuse anything but the standard YAML tags (no `!!python/...` objects);
- refuse duplicate keys instead of silently keeping the last one;
- stop "billion laughs" alias bombs and oversized files before they eat memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, UserInputError

MAX_FILE_BYTES = 2_000_000
"""Largest YAML file accepted; real scenarios and maps are a few tens of kB."""

MAX_NODES = 200_000
"""Most values a document may expand to once aliases are followed."""

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
        return self.loader.construct_object(node, deep=True)

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


def load_yaml(path: str | Path) -> tuple[Any, SourceMap]:
    """Read one YAML document safely, returning its data and where each value was."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise UserInputError(Problem("file not found", file=shown))
    if path.is_dir():
        raise UserInputError(Problem("is a folder, expected a YAML file", file=shown))
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UserInputError(
            Problem(
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (is this really a scenario?)",
                file=shown,
            )
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise UserInputError(Problem(f"not UTF-8 text ({exc.reason})", file=shown)) from None
    except OSError as exc:
        raise UserInputError(Problem(f"cannot read: {exc.strerror}", file=shown)) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse YAML text (see `load_yaml`); `file` is the name used in messages."""
    loader = yaml.SafeLoader(text)
    try:
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
    except yaml.YAMLError as exc:
        raise UserInputError(Problem(f"YAML error: {exc}", file=file)) from None
    finally:
        loader.dispose()


def dump_yaml(data: Any) -> str:
    """Plain, readable YAML for files we write (keys kept in their order)."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
