"""The stable import path of :func:`read_docx` (the pipeline uses it); the code is in :mod:`actionplan.ingest.docx`."""

from actionplan.ingest.docx import read_docx as read_docx
