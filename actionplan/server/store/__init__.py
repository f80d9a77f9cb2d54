"""The store: immutable plan versions, the official record of each imported plan.

Call it through :mod:`actionplan.server.store.api`.
"""
