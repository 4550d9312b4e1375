"""Safe YAML loading: line numbers, refusals of unsafe or hostile documents."""

from __future__ import annotations

import pytest

from sim.errors import UserInputError
from sim.scenario.yamlio import MAX_FILE_BYTES, load_yaml, parse_yaml


def test_lines_are_recorded_for_nested_fields():
    """Every key and list item remembers its line, so errors can point at it."""
    data, source = parse_yaml("a: 1\nb:\n  - x: 2\n  - y: 3\n", "f.yaml")
    assert data == {"a": 1, "b": [{"x": 2}, {"y": 3}]}
    assert source.locate(("b", 1, "y")) == ("f.yaml", 4)
    assert source.locate(("b", 0, "x")) == ("f.yaml", 3)
    # a path below a known one falls back to its nearest ancestor
    assert source.locate(("b", 1, "y", "deeper")) == ("f.yaml", 4)


def test_python_tags_are_refused_and_never_run(tmp_path):
    """A !!python tag is an error, and the code in it is not executed."""
    marker = tmp_path / "pwned"
    text = f"x: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(UserInputError) as err:
        parse_yaml(text, "evil.yaml")
    assert "evil.yaml:1" in str(err.value)
    assert "not allowed" in str(err.value)
    assert not marker.exists()


def test_custom_tags_on_maps_are_refused():
    """Unknown tags on maps or lists are refused too, not silently dropped."""
    with pytest.raises(UserInputError, match="not allowed"):
        parse_yaml("x: !custom {a: 1}\n", "t.yaml")


def test_duplicate_keys_are_refused_with_their_line():
    """A repeated key is an error at the line of the repeat, not a silent overwrite."""
    with pytest.raises(UserInputError) as err:
        parse_yaml("turns: 10\nname: a\nturns: 20\n", "dup.yaml")
    assert "dup.yaml:3" in str(err.value)
    assert "duplicate key 'turns'" in str(err.value)


def test_alias_bomb_is_refused():
    """'Billion laughs' aliases stop at a size limit instead of eating memory."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(UserInputError, match="alias bomb"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")


def test_small_aliases_still_work():
    """Ordinary anchors and merge keys remain usable."""
    data, _ = parse_yaml("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n", "ok.yaml")
    assert data["other"] == {"x": 1, "y": 3}


def test_syntax_error_names_the_line():
    """A YAML syntax error says where it is."""
    with pytest.raises(UserInputError) as err:
        parse_yaml("name: a\nforces: [1, 2\nturns: 3\n", "broken.yaml")
    problem = err.value.problems[0]
    assert problem.file == "broken.yaml"
    assert problem.line is not None and problem.line >= 2
    assert "YAML syntax error" in problem.message


def test_huge_file_is_refused(tmp_path):
    """Files beyond the size limit are not read at all."""
    path = tmp_path / "huge.yaml"
    path.write_text("x: " + "a" * (MAX_FILE_BYTES + 10))
    with pytest.raises(UserInputError, match="limit"):
        load_yaml(path)


def test_missing_and_non_utf8_files(tmp_path):
    """A missing file and a binary file each get a plain message."""
    with pytest.raises(UserInputError, match="file not found"):
        load_yaml(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(UserInputError, match="not UTF-8"):
        load_yaml(binary)
