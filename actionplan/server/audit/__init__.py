"""The audit trail: every write to the store, in an append-only, hash-chained log.

:mod:`.models` holds :class:`~.models.AuditEntry`; :mod:`.api` the functions the rest of
the project calls (``record``, ``tracking``, ``acting_as``, ``verify``, ``export_csv``);
:mod:`.signals` records every ORM save and delete of the store's models and of users and
groups, and sign-ins; :mod:`.triggers` the database triggers that refuse to change or
delete an entry. See ``docs/audit.md``.
"""
