"""actionplan: the ITU-D action plan as living, machine-readable, measurable data.

The core sub-packages (model, ingest, lint, trace, render, data) are plain Python over
pydantic models and never import Django; only :mod:`actionplan.server` does.
Data flows one way: documents -> ingest -> model -> store -> analyses -> renderers.
"""

__version__ = "0.1.0"
