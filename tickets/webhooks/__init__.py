"""Webhooks: endpoints an admin registers, the events they receive, signed deliveries with
retries, and their log (README, "Webhooks")."""
