"""Monitoring and evaluation in the store: activity records, indicator sets, approved snapshots.

The tables of activity records have the names and columns that
:mod:`actionplan.monitor.compute` compiles its SQL against, so the indicators are computed
in the database (SQLite or PostgreSQL) rather than in Python.
"""
