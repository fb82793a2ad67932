"""Clinic mode: many patients and their practitioners in PostgreSQL, behind a login.

Chosen by configuration ($BACKTRACK_DATABASE_URL); local mode never imports this package.
Every read and write here is scoped to the signed-in person (their OIDC subject): a
patient's store reaches only their own journal, a practitioner's only their own patients.
"""
