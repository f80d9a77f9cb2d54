"""ICT statistics in the store: indicator definitions, observations with vintages, index frameworks.

:mod:`.store` is the only module that touches the models; the pages (:mod:`.views`), the
API (:mod:`actionplan.server.api.stats`) and the CLI (:mod:`actionplan.cli.stats`) call it.
The statistics themselves (validation, indices, uncertainty, comparison) are the
Django-free core :mod:`actionplan.stats`.
"""
