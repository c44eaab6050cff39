"""Writes for the legal promises, split by domain: terms, operator access, consents, takedowns."""
