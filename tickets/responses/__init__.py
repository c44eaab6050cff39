"""Canned responses and macros: the agent's saved replies, and saved sets of changes."""
