"""The mail channel: each System's support address, mail in (SMTP, IMAP, provider webhooks)
turned into tickets and replies, and mail out that threads in any mail client."""
