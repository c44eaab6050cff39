"""Tickets in the REST API (/api/v1/tickets): the router (``routes``), its schemas, and the
reads and writes the API adds around the tickets' own selectors and services."""
