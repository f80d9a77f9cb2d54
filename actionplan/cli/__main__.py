"""``python -m actionplan.cli``: the same as the ``actionplan`` command."""

from actionplan.cli import main

main()
