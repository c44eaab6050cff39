"""parse() is fast on everyday mail and grows linearly with the message, not worse.

Times are minima over several runs (the least disturbed by other work on the machine), and the
growth checks compare ratios, not absolute times.
"""

from __future__ import annotations

import contextlib
import time

from tests.mail.corpus import SAMPLES
from tickets.mail.parsing import Unparseable, parse


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def typical(number: int, paragraphs: int = 12) -> bytes:
    """A reply of about 5 KB: plain and HTML alternatives, Gmail-quoted history."""
    text = "\r\n\r\n".join(
        f"Paragraph {i} about the printer on floor {i % 5}." * 2 for i in range(paragraphs)
    )
    html = "".join(f"<p>Paragraph {i} about the <b>printer</b>.</p>" for i in range(paragraphs))
    quoted = "\r\n".join(f"> old line {i} of the history" for i in range(paragraphs * 3))
    return (
        f"From: Anna <anna@x.example>\r\nTo: support@desk.example\r\nSubject: Re: [#12] Printer\r\n"
        f"Message-ID: <m{number}@x.example>\r\nIn-Reply-To: <t1@desk.example>\r\n"
        f"MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/alternative; boundary="b{number}"\r\n\r\n'
        f"--b{number}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\n"
        f"On Mon, 2 Mar 2026 at 10:00, ACME <support@desk.example> wrote:\r\n{quoted}\r\n"
        f"--b{number}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>{html}</div>"
        f"<blockquote>{quoted}</blockquote>\r\n--b{number}--\r\n"
    ).encode()


def test_a_typical_5_kb_message_parses_well_under_5_ms():
    messages = iter([typical(n) for n in range(40)])  # a new boundary each time, as in life
    assert 4000 < len(typical(0)) < 7000
    assert best_of(40, lambda: parse(next(messages))) < 0.005


def test_parse_time_grows_linearly_with_the_message():
    small, large = typical(1, paragraphs=12), typical(2, paragraphs=240)
    ratio = best_of(5, lambda: parse(large)) / best_of(5, lambda: parse(small))
    size_ratio = len(large) / len(small)
    assert ratio < size_ratio * 3, (ratio, size_ratio)


def test_the_corpus_parses_in_time_proportional_to_its_size():
    corpus = [s.raw() for s in SAMPLES if not s.large]

    def run(messages: list[bytes]) -> None:
        for raw in messages:
            with contextlib.suppress(Unparseable):
                parse(raw)

    once = best_of(3, lambda: run(corpus))
    four_times = best_of(3, lambda: run(corpus * 4))
    assert four_times < once * 4 * 2
    assert once < 2.0  # generous: about 0.2 s on the development machine
