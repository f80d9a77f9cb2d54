"""``python -m actionplan.server ARGS`` is Django's ``manage.py ARGS`` for this project."""

import sys

from actionplan.server.bootstrap import manage

if __name__ == "__main__":
    manage(sys.argv[1:])
