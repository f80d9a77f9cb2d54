"""Monitoring and evaluation data: indicator definitions for each plan (YAML)."""
