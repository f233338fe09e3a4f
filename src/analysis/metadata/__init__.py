"""Metadata declared once: the processed-layer schema, region levels and divisions, cohesion
thresholds. Every other layer imports from here; this package imports nothing of the project
except :mod:`analysis.config`."""
