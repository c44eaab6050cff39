"""Pages of the mail channel: one module per page group (settings, inbox, contacts,
mailbox, unsubscribe)."""
