"""Import plan documents (text, DOCX; Chinese and English) into the model.

``parse_file(path)`` is the one entry point: it picks the reader by format and runs the
structure stages (see :mod:`actionplan.ingest.pipeline`).
"""

from actionplan.ingest.pipeline import load_model, parse_bytes, parse_document, parse_file

__all__ = ["load_model", "parse_bytes", "parse_document", "parse_file"]
