"""The Django project that persists (and, later, serves) action plans.

Only this package imports Django; the core never imports it. The CLI reaches the store
through :mod:`actionplan.server.store.api` after :func:`actionplan.server.bootstrap.setup`.
"""
