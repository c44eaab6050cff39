"""Satisfaction: the requester rates each solve of his ticket good or bad (by a signed link
in the mail that asks, or on the ticket), with an optional comment; reports count them."""
