"""The roles, as Django groups (made by migration ``0002_roles``).

=============== ================================================================
administrator   manages accounts (users, roles, memberships, tokens); reads as a reviewer
secretariat     secretariat editor: changes amendment statuses, puts contributions under
                review, decides and adopts new versions
delegate        member-state or sector-member delegate, bound to organisations: writes
                and submits its organisations' contributions, withdraws them
reviewer        reads submitted contributions; cannot write or decide
(no account)    the public: adopted versions and submitted contributions
=============== ================================================================

Django superusers count as administrators. The command line acts as the machine's
operator (``user=None`` in the store functions), with every right.
"""

from __future__ import annotations

ADMINISTRATOR = "administrator"
SECRETARIAT = "secretariat"
DELEGATE = "delegate"
REVIEWER = "reviewer"

ROLES = (ADMINISTRATOR, SECRETARIAT, DELEGATE, REVIEWER)
"""Every role, as the names of their groups."""
