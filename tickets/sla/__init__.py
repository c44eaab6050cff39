"""Service levels: each System's business hours and holidays, SLA policies per priority
(and category), each ticket's targets, their outcome, and the warnings before a breach."""
