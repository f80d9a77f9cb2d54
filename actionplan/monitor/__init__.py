"""Monitoring and evaluation of a plan's performance indicators, Django-free.

- :mod:`~actionplan.monitor.definitions`: indicator definitions as validated YAML data
- :mod:`~actionplan.monitor.values`: computed values, progress and status (renderers read these)
- :mod:`~actionplan.monitor.records`: the record kinds and their SDMX-style code lists
- :mod:`~actionplan.monitor.importing`: CSV/XLSX import with every error at once; templates
- :mod:`~actionplan.monitor.schema`: table DDL (the Django models use the same names)
- :mod:`~actionplan.monitor.compute`: definitions compiled to SQL (SQLite, PostgreSQL, DuckDB)
- :mod:`~actionplan.monitor.reference`: a plain-Python evaluator that tests hold compute() to
- :mod:`~actionplan.monitor.progress`: status against the yearly targets
- :mod:`~actionplan.monitor.demo`: deterministic demo records
- :mod:`~actionplan.monitor.quality`: data-quality notes per indicator and year
"""
