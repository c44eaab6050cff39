"""Writes for accounts, split by domain: audit, seats, people, invitations, security."""
