"""Accounts: roles (Django groups), organisation memberships, API tokens, and the access rules.

The rules live in one place, :mod:`.permissions`; the store, the pages and the API call it.
"""
