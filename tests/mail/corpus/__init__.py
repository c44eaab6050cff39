"""A corpus of real-world-shaped inbound messages, written for these tests, with a manifest.

``SAMPLES`` is the manifest: one ``Sample`` per message, in a stable order, names unique.

- ``name``: a short slug ("outlook-reply-original-message").
- ``outcome``: what processing the message must reach, one of ``OUTCOMES``:
  "ticket" (a new ticket), "reply" (lands on an existing ticket), "held" (a stranger, a forged
  or unauthenticated sender, no sender at all), "ignored-auto" (out-of-office, list, auto-reply:
  stored, never answered, no ticket), "bounce" (recorded on the recipient of our mail),
  "failed" (not mail at all: kept raw and listed with the error), "duplicate" (same Message-ID
  as an earlier sample: no second ticket).
- ``envelope(values)``: the SMTP ``MAIL FROM`` and ``RCPT TO`` list to send it with.
- ``build()``: returns the raw template bytes (CRLF line ends) with placeholders; ``raw(values)``
  fills them. Placeholders (all optional in ``values``; ``DEFAULTS`` fills the rest):
  ``{support}`` the System's support address, ``{person}`` a person of the System,
  ``{stranger}`` an unknown sender, ``{other_system_person}`` a person of another System,
  ``{ticket_message_id}`` a Message-ID (without <>) of a mail we sent about an existing ticket,
  ``{ticket_number}`` that ticket's number, ``{our_message_id}`` a Message-ID (without <>) of a
  mail we sent that bounced.
- ``thread_by`` (replies only): "in-reply-to", "references" or "subject" ("[#{ticket_number}]"
  in the subject, the sender being on that ticket); ``in_reply_to`` the placeholder that header
  uses ("{ticket_message_id}").
- ``duplicate_of``: for "duplicate", the name of the sample delivered first (send it first).
- ``large``: True for the 20 MB message (built at run time, never stored in the repository).
- ``expect``: what ``tickets.mail.parsing.parse`` must read from it, checked by
  tests/mail/test_parsing_corpus.py. Keys: ``subject``, ``from_address`` (a placeholder name such
  as "{person}" or a literal), ``from_name``, ``in_reply_to``, ``text_has`` / ``text_lacks`` /
  ``full_has`` / ``html_has`` / ``html_lacks`` (lists of substrings), ``attachments`` (list of
  (filename, content_type, inline)), ``auto_reason`` (prefix; "" means human), ``bounce``
  (dict of Bounce fields, placeholders allowed), ``authentication_failed``, ``unparseable``.
"""

from __future__ import annotations

from tests.mail.corpus.build import DEFAULTS, OUTCOMES, Sample, fill

__all__ = ["BY_NAME", "DEFAULTS", "OUTCOMES", "SAMPLES", "Sample", "fill"]


def _samples() -> tuple[Sample, ...]:
    from tests.mail.corpus import clients, languages, machines, malformed, odd, outlook, senders

    samples = (
        *outlook.SAMPLES,
        *clients.SAMPLES,
        *languages.SAMPLES,
        *odd.SAMPLES,
        *malformed.SAMPLES,
        *senders.SAMPLES,
        *machines.SAMPLES,
    )
    names = [sample.name for sample in samples]
    assert len(names) == len(set(names)), "sample names must be unique"
    assert all(sample.outcome in OUTCOMES for sample in samples)
    return samples


SAMPLES: tuple[Sample, ...] = _samples()
BY_NAME = {sample.name: sample for sample in SAMPLES}
