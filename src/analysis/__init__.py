"""Reproducible policy analysis of Dutch youth care and the social domain on CBS open data."""

from __future__ import annotations

__version__ = "0.1.0"
