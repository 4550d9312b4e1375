"""Property-based fuzzing: the shipped scenarios, mutated, and hostile --set values never make
validation fail with anything but a located user error (exit 2), and never hang.

Seeded (`derandomize=True`), so a failure is the same on every machine; each example is held to
a few seconds by an alarm, and the whole file runs in well under 30 s.
"""

from __future__ import annotations

import contextlib
import io
import signal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.errors import UserInputError

from conftest import SCENARIOS

SHIPPED = ["tutorial.yaml", "sudzha_jan2025.yaml", "whatif_no_ew.yaml"]
TEXTS = {name: (SCENARIOS / name).read_text(encoding="utf-8") for name in SHIPPED}

HOSTILE = [
    "true",
    "false",
    "!!str 10",
    "2025-02-30",
    "9999-12-31",
    "0001-01-01",
    "-1",
    "0",
    "1e309",
    "-.inf",
    ".nan",
    "''",
    "null",
    "[",
    "{a: 1}",
    "[1, 2, 3]",
    "&a [*a]",
    "a\x01b",
    "\x00",
    "!!python/object/apply:os.system ['true']",
    "*undefined",
    "9" * 5000,
    "Суджа",
    "'" + "x" * 300 + "'",
    "[" * 200 + "]" * 200,
    "/dev/zero",
]

SET_PATHS = [
    "days",
    "turns",
    "turn_hours",
    "hex_km",
    "start_date",
    "name",
    "map",
    "extends",
    "line_of_control",
    "forces.0.personnel",
    "forces.0.vehicles",
    "forces.0.at",
    "forces.0.position",
    "forces.1.arrive_date",
    "forces.99.personnel",
    "forces.0",
    "forces",
    "weather.clear",
    "weather",
    "sides.RU.air.aircraft",
    "sides.UA.jammers",
    "parameters.combat.breakthrough_ratio",
    "parameters.combat",
    "objectives.sudzha",
    "logistics.interdiction",
    "reported",
    "nonexistent.field",
]

FUZZ = settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@contextlib.contextmanager
def at_most(seconds: int):
    """Fail (never hang) if the block takes longer than `seconds`."""

    def hung(signum, frame):
        raise AssertionError(f"validation took more than {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def validate(path, overrides=()) -> list:
    """What --validate does for one scenario (load, then build the battlefield): its problems, if any.

    Anything but a `UserInputError` escapes and fails the test: that would be exit 1.
    """
    from sim.loading import check_buildable, load_scenario

    with at_most(20):
        try:
            check_buildable(load_scenario(path, overrides))
        except UserInputError as exc:
            assert exc.problems
            return exc.problems
    return []


def assert_located(problems) -> None:
    for problem in problems:
        assert problem.file, f"no file named: {problem}"
        if problem.file.startswith("--set"):
            continue
        # a file's problem names its line or its field, unless it is about the whole file
        assert (
            problem.line is not None
            or problem.field
            or "file" in problem.message
            or ("is a" in problem.message)
        ), f"no line or field: {problem}"
        assert "\n" not in str(problem)


def _mutate(text: str, data) -> str:
    lines = text.splitlines() or [""]
    kind = data.draw(st.sampled_from(["value", "delete", "duplicate", "truncate", "indent", "insert"]))
    i = data.draw(st.integers(0, len(lines) - 1))
    if kind == "value" and ":" in lines[i]:
        key, _, _ = lines[i].partition(":")
        lines[i] = f"{key}: {data.draw(st.sampled_from(HOSTILE))}"
    elif kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "truncate":
        return text[: data.draw(st.integers(0, len(text)))]
    elif kind == "indent":
        lines[i] = " " * data.draw(st.integers(1, 5)) + lines[i]
    else:
        lines.insert(i, data.draw(st.text(min_size=1, max_size=30)))
    return "\n".join(lines) + "\n"


@FUZZ
@given(data=st.data())
def test_mutated_shipped_scenarios_fail_only_with_located_errors(tmp_path_factory, data):
    """One to three mutations of a shipped scenario (a hostile value, a line deleted, doubled,
    indented or inserted, the file cut short): valid, or refused with located problems."""
    name = data.draw(st.sampled_from(SHIPPED))
    text = TEXTS[name]
    for _ in range(data.draw(st.integers(1, 3))):
        text = _mutate(text, data)
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "maps").symlink_to(SCENARIOS / "maps")
    for base in SCENARIOS.glob("*.yaml"):  # the variants' bases, beside them as shipped
        if base.name != name:
            (folder / base.name).symlink_to(base)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    assert_located(validate(path))


@FUZZ
@given(
    name=st.sampled_from(SHIPPED),
    assignments=st.lists(
        st.tuples(
            st.sampled_from(SET_PATHS),
            st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20), st.integers().map(str)),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_hostile_set_values_fail_only_with_located_errors(name, assignments):
    """--set of any path to any value: valid, or refused with located problems (never exit 1)."""
    overrides = [f"{path}={value}" for path, value in assignments]
    assert_located(validate(SCENARIOS / name, overrides))


@pytest.mark.parametrize("value", ["2025-02-30", "true", "a\x01b", "[" * 300, "9" * 5000])
def test_the_command_line_exits_2_for_hostile_set_values(value):
    """In-process `main`: the hostile values exit 2 through the command line too, never 1."""
    from sim.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), at_most(20):
        code = main([str(SCENARIOS / "tutorial.yaml"), "--validate", "--set", f"forces.0.vehicles={value}"])
    assert code == 2 and "this is a bug" not in err.getvalue()
