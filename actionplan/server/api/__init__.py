"""The read-only JSON API at ``/api/`` (django-ninja; schema at ``/api/openapi.json``, docs at ``/api/docs``).

============================================== ==================================================
``GET /api/``                                   where to start
``GET /api/plans``                              plans, each with all its versions
``GET /api/plans/{code}``                       one plan with its versions
``GET /api/plans/{code}/versions[/{n}]``        versions; one version's metadata and links
``GET /api/plans/{code}/objectives[/{n}]``      objective summaries; one objective (parse JSON)
``GET /api/plans/{code}/outcomes[/{number}]``   outcomes with indicators (parse JSON)
``GET /api/plans/{code}/indicators[/{number}]`` performance indicators (parse JSON)
``GET /api/plans/{code}/outputs[/{number}]``    output summaries; one output (parse JSON)
``GET /api/plans/{code}/references``            cited references and the outputs citing each
                                                (``?scheme=sdg_target&code=9.c`` for one)
``GET /api/plans/{code}/matrices[/{name}]``     traceability matrices (``?goal=9`` for sdg_targets)
``GET /api/plans/{code}/coverage``              SDG targets and WSIS lines no output addresses
``GET /api/search?q=…``                         full-text search (``plan``, ``version``, ``lang``)
============================================== ==================================================

Routes under a plan read its latest version; ``?version=N`` pins another (see
:mod:`.caching` for ETags and cache lifetimes). Lists take ``limit``/``offset`` (see
:mod:`.pagination`). Every error has one body (see :mod:`.errors`). Modules: :mod:`.app`
(the NinjaAPI), one module per group of routes (:mod:`.plans`, :mod:`.elements`,
:mod:`.references`, :mod:`.matrices`, :mod:`.search`), :mod:`.schemas`, :mod:`.loading`,
:mod:`.docs`, :mod:`.urls`. Nothing here is imported before Django is set up.
"""
