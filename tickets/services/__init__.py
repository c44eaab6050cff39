"""Writes for tickets, split by domain: tickets, attachments, categories."""
