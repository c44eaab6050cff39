"""Quoted history and signatures fold away from the new text, in each client's style."""

from __future__ import annotations

import pytest

from tickets.mail.quoting import REPLY_MARKER, new_text

CASES = {
    "gmail": (
        "Works now, thanks!\n\nOn Tue, 3 Mar 2026 at 11:02, ACME Support <s@x.example> wrote:\n\n"
        "> We unlocked it.\n",
        "Works now, thanks!",
    ),
    "gmail-wrapped-attribution": (
        "Works now.\n\nOn Tue, 3 Mar 2026 at 11:02, ACME Support via ACME Desk <\n"
        "s@x.example> wrote:\n\n> We unlocked it.\n",
        "Works now.",
    ),
    "apple-quoted-attribution": (
        "Fixed.\n\n> On 6. Mar 2026, at 15:20, ACME <s@x.example> wrote:\n>\n> Restart it.\n",
        "Fixed.",
    ),
    "thunderbird": (
        "Back again.\n\nOn 09.03.26 09:40, ACME Support wrote:\n> Log out and in.\n",
        "Back again.",
    ),
    "outlook-original-message": (
        "See log.\n\n-----Original Message-----\nFrom: ACME\nSent: Monday\nSubject: x\n\nOld\n",
        "See log.",
    ),
    "outlook-header-block-with-rule": (
        "Yes.\n\n________________________________\nFrom: ACME <s@x.example>\n"
        "Sent: Thursday, March 5, 2026 11:02\nTo: Anna\nSubject: Monitor\n\nTry a cable.\n",
        "Yes.",
    ),
    "outlook-german-labels": (
        "Danke.\n\nVon: ACME <s@x.example>\nGesendet: Donnerstag, 5. März 2026 11:02\n"
        "An: Anna\nBetreff: Monitor\n\nBitte Kabel tauschen.\n",
        "Danke.",
    ),
    "german-am-schrieb": (
        "Danke!\n\nAm 11.03.2026 um 12:40 schrieb ACME Support:\n> Neues Kabel.\n",
        "Danke!",
    ),
    "vietnamese": (
        "Cảm ơn anh.\n\nVào Th 5, 12 thg 3, 2026 lúc 10:05 ACME <s@x.example> đã viết:\n> Cũ\n",
        "Cảm ơn anh.",
    ),
    "chinese": (
        "谢谢。\n\n在 2026年3月12日 10:05\uff0cACME <s@x.example> 写道\uff1a\n> 旧的\n",
        "谢谢。",
    ),
    "french": ("Merci.\n\nLe 12 mars 2026 à 10:05, ACME a écrit :\n> Ancien\n", "Merci."),
    "our-marker": (f"All good now.\n\n{REPLY_MARKER}\nYour ticket was updated.\n", "All good now."),
    "our-marker-quoted": (f"Done.\n\n> {REPLY_MARKER}\n> Updated.\n", "Done."),
    "trailing-quote-block": ("Agreed.\n\n> old line 1\n> old line 2\n\n> old 3\n", "Agreed."),
    "signature-dash-dash": (
        "Please reset it.\n\n-- \nAnna Berger\nRoom 3.12\n",
        "Please reset it.",
    ),
    "sent-from-my-iphone": ("On my way.\n\nSent from my iPhone\n", "On my way."),
    "german-iphone": ("Bin unterwegs.\n\nVon meinem iPhone gesendet\n", "Bin unterwegs."),
    "get-outlook-for-ios": ("Ok.\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n", "Ok."),
}


@pytest.mark.parametrize("body, expected", CASES.values(), ids=CASES.keys())
def test_it_folds_history_and_signature_away(body, expected):
    assert new_text(body) == expected


def test_it_keeps_answers_written_between_quotes():
    body = "> Which printer?\nThe one on floor 3.\n> Since when?\nSince Monday.\n"
    assert new_text(body) == body.strip()


def test_it_keeps_a_list_that_looks_like_a_signature_to_other_parsers():
    body = "Steps:\n- open the tray\n- remove paper\nThanks,\nAnna"
    assert new_text(body) == body


def test_it_keeps_everything_when_folding_would_leave_nothing():
    body = "> only a quote, nothing new\n> more quote\n"
    assert new_text(body) == body.strip()


def test_a_forward_keeps_its_history_but_not_our_marker():
    body = (
        "FYI\n\n---------- Forwarded message ---------\nFrom: Vendor <v@x.example>\n"
        "Date: Monday\nSubject: Renewal\nTo: Anna\n\nLicence expires.\n"
    )
    assert new_text(body, keep_history=True) == body.strip()
    assert new_text(f"FYI\n{REPLY_MARKER}\nold", keep_history=True) == "FYI"


def test_a_sentence_starting_with_on_is_not_an_attribution():
    body = "On Monday the printer worked.\nToday it does not.\n"
    assert new_text(body) == body.strip()


def test_inline_pgp_armor_is_not_part_of_the_text():
    body = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nThe backup ran.\n- -- not a sig\n"
        "-----BEGIN PGP SIGNATURE-----\n\niQEz\n=ab12\n-----END PGP SIGNATURE-----\n"
    )
    assert new_text(body) == "The backup ran.\n-- not a sig"
