"""The server-rendered pages: browse a plan version, search it, trace it (namespace ``web``).

Layout (one module per page family, see ``urls.py`` for the URL map):

``current.py``      which version a request shows (``?version=``), ETag and Cache-Control
``links.py``        element ids and references -> page URLs (``urls_for_eid``, ``ref_url``)
``texts.py``        plan texts in the UI language, fallbacks marked
``context.py``      the ``site`` context processor: language, version query, navigation
``views/``          overview (+ objectives, indicators, introduction), outputs, references,
                    trace, search, lint, versions
``templatetags/plan.py``  ``tr``, ``vurl``, ``eid_url``, ``ref_url``, ``blocks``, …
``templates/web/``  one template per page; ``templates/404.html`` is the site's 404 page
``static/web/``     site.css (screen and print), site.js, charts.js; ``static/vendor/`` is vendored

UI strings are English msgids translated in ``actionplan/server/locale/{zh_Hans,en}``. After
changing a string, from ``actionplan/server/web``::

    ../../../.venv/bin/python -m actionplan.server makemessages -l zh_Hans -l en --no-location
    # translate the new entries in locale/zh_Hans/LC_MESSAGES/django.po (and en: msgstr = msgid)
    cd .. && ../../.venv/bin/python -m actionplan.server compilemessages

(``tests/server/web/test_catalogues.py`` fails while an entry is untranslated or a ``.mo``
is stale.) Pages use no inline scripts or event handlers: JavaScript is in static files and
data reaches it through ``data-*`` attributes and ``<script type="application/json">`` blocks.
"""
