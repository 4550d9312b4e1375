"""Adjudication rules: pure functions on NumPy arrays with an explicit random generator.

Each module holds the rules of one phase of the turn. Nothing here knows about
Mesa or the scenario files: the model gathers arrays, calls a rule, and writes
the result back. That keeps every rule testable on its own and readable next to
the model documentation (`docs/model.md`).
"""
