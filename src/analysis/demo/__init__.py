"""Demoland: a synthetic country in the exact shapes of the real CBS tables (test fixture, demo).

Nothing generated here is CBS data. See :mod:`analysis.demo.generator`.
"""

from analysis.demo.generator import DemolandInfo, bump_release, generate, load_info, planned_tables

__all__ = ["DemolandInfo", "bump_release", "generate", "load_info", "planned_tables"]
