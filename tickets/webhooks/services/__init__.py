"""Webhooks' writes: endpoints (admins), deliveries (events, attempts, retries)."""
