"""Words and prose for ``seed_demo``: names, subjects, replies and notes that read like a
real help desk, drawn at random but consistently within one ticket."""

from __future__ import annotations

import random

from accounts.models import User
from tickets.models import Priority

COMMON_WORD = "error"
RARE_WORDS = ("quokka", "zeppelin", "marzipan", "kazoo", "tamarind", "xylophone")

FIRST = (
    "Aisha", "Ben", "Carla", "Dmitri", "Elena", "Femi", "Grace", "Hiro", "Ines", "Jonas", "Kemal",
    "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera",
    "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Chloe", "Diego", "Emil", "Farah", "Gustav",
    "Hana", "Igor", "Julia", "Kofi", "Lucia", "Marta", "Noah"
)  # fmt: skip
LAST = (
    "Adams", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quinlan", "Rossi",
    "Silva", "Tanaka", "Ueda", "Vargas", "Weber", "Xu", "Yilmaz", "Zimmermann", "Andersen",
    "Becker", "Novak", "Horvat", "Murphy", "Kelly", "Schmidt", "Santos", "Lopez", "Khan"
)  # fmt: skip
CATEGORIES = (
    "Hardware",
    "Software",
    "Network",
    "Accounts & access",
    "Email",
    "Billing",
    "Facilities",
    "Other",
)
CATEGORY_WEIGHTS = (18, 22, 12, 16, 12, 8, 5, 7)
TAGS = (
    "vpn", "printer", "laptop", "email", "outlook", "wifi", "password", "onboarding",
    "offboarding", "hardware", "software", "billing", "refund", "invoice", "vip", "mobile",
    "windows", "macos", "linux", "teams", "zoom", "sharepoint", "security", "phishing", "backup",
    "license", "monitor", "network", "how-to", "known-issue"
)  # fmt: skip
THINGS = (
    "printer",
    "laptop",
    "monitor",
    "VPN",
    "Outlook",
    "Wi-Fi",
    "docking station",
    "keyboard",
    "headset",
    "desk phone",
    "badge reader",
    "SharePoint site",
    "Teams",
    "Zoom room",
    "CRM",
    "payroll portal",
    "expense tool",
    "shared drive",
    "calendar",
    "mailbox",
    "password manager",
    "scanner",
    "projector",
    "webcam",
    "mobile app",
    "customer portal",
    "checkout page",
    "API key",
    "nightly backup",
    "reporting dashboard",
    "license server",
)
SUBJECTS = (
    "{Thing} not working",
    "Cannot connect to the {thing}",
    "{Thing} is very slow today",
    "{Thing} keeps crashing",
    "{Thing} shows error {code}",
    "Error {code} when opening the {thing}",
    "Request: new {thing} for {first}",
    "Access to the {thing} for {first} {last}",
    "How do I set up the {thing}?",
    "{Thing} stopped syncing",
    "Problem with my {thing} after the update",
    "{Thing} asks for my password again and again",
    "Question about the {thing}",
    "Replace broken {thing}",
    "{Thing} missing after the move to {place}",
    "Urgent: {thing} down for the whole {team} team",
    "Invoice {invoice} not received",
    "Refund for order {order}",
    "Cannot sign in to the {thing}",
    "{Thing} in {place} needs attention",
)
GREETINGS = ("Hi,", "Hello team,", "Hi support,", "Good morning,", "Hello,", "Hey there,", "")
SYMPTOMS = (
    "does not start",
    "shows an error message",
    "is extremely slow",
    "disconnects every few minutes",
    "freezes when I open attachments",
    "asks me to sign in again",
    "prints blank pages",
    "cannot find the network",
    "shows a blank screen",
    "does not sync my files",
    "rejects my password",
    "times out after a minute",
)
WHEN = (
    "this morning",
    "yesterday afternoon",
    "last week",
    "Monday",
    "the last update",
    "the office move",
    "the holidays",
    "the new release",
)
PLACES = (
    "building B",
    "the third floor",
    "the Berlin office",
    "the warehouse",
    "meeting room 4",
    "home",
    "the Lisbon office",
    "reception",
)
TEAMS = ("sales", "finance", "marketing", "logistics", "legal", "engineering", "HR", "support")
OPENERS = (
    "Since {when} my {thing} {symptom}.",
    "After {when}, the {thing} {symptom}.",
    "The {thing} in {place} {symptom}.",
    "Every time I use the {thing} it {symptom}.",
    "I need help with the {thing}: it {symptom}.",
    "Could someone look at the {thing}? It {symptom}.",
)
DETAILS = (
    "The error says `{code}`.",
    "I get error {code} every single time.",
    "A colleague sees the same thing on her machine.",
    "I already restarted it twice.",
    "Colleagues in {team} have the same problem.",
    "It worked fine until {when}.",
    "I attached a screenshot of what I see.",
    "This blocks the {team} month-end close.",
    "My asset tag is {asset}.",
    "I'm working from {place} today.",
    "Here is the document: https://drive.google.com/file/d/{token}/view",
    "The file is on Dropbox: https://www.dropbox.com/s/{token}/report-{step}.xlsx",
    "Not urgent, but it is annoying.",
    "We have a customer demo on Friday, so a quick fix would be great.",
    "The order number is {order}.",
    "I followed the wiki page but got stuck at step {step}.",
)
STEPS = (
    "Steps to reproduce:\n\n1. Open the {thing}\n2. Sign in as usual\n3. Wait — it {symptom}",
    "What I tried:\n\n- restarting the {thing}\n- another cable\n- signing out and in again",
)
CLOSINGS = (
    "Thanks!",
    "Thank you in advance.",
    "Best regards,\n{first}",
    "Could you please have a look?",
    "Cheers, {first}",
    "",
)
AGENT_REPLIES = (
    "Thanks for reporting this. Could you tell us when it last worked?",
    "We have reset the {thing}; please try again and let us know.",
    "This is a known issue with the {thing}; a fix is planned for next week.",
    "I've passed this on to the {team} team, they will get back to you.",
    "Can you send a screenshot of the error? The exact code helps a lot.",
    "Please restart the {thing} and check whether you still get {code}.",
    "A replacement {thing} is on its way to {place}.",
    "Marking this as solved — just reply if the problem comes back.",
    "I've given you access; it may take 15 minutes to show up.",
)
MEMBER_REPLIES = (
    "Thanks, it works now!",
    "Still broken, same code {code}.",
    "Here is the screenshot you asked for.",
    "I tried that but the {thing} still {symptom}.",
    "Any update on this? The {team} team is waiting.",
    "It happens mostly in the morning.",
    "Great, thank you for the quick help.",
)
NOTES = (
    "Checked the logs: {code} at 09:{minute:02d}.",
    "Vendor case opened: CASE-{order}.",
    "Probably the same root cause as the other {thing} tickets this week.",
    "Waiting for the hardware order to arrive.",
    "Asked {colleague} from {team} to have a look.",
    "Customer is a VIP, keep them posted daily.",
    "Reproduced on a test machine; the {error} comes from the {thing}.",
)
# Status mix by age: fresh tickets are mostly being worked on, old ones are done.
STATUS_BY_AGE = (
    (2, {"new": 45, "open": 35, "pending": 10, "solved": 10}),
    (30, {"new": 5, "open": 30, "pending": 20, "solved": 30, "closed": 15}),
    (10**6, {"new": 0.3, "open": 2, "pending": 2, "solved": 5.7, "closed": 90}),
)
# Plain strings: COPY writes what it is given, and an Enum member is not its value.
PRIORITY_WEIGHTS = {
    Priority.LOW.value: 20,
    Priority.NORMAL.value: 55,
    Priority.HIGH.value: 20,
    Priority.URGENT.value: 5,
}


class _Values(dict):
    """Template values drawn only when a template asks for them."""

    def __init__(self, text: Text, fixed: dict[str, str]) -> None:
        super().__init__(fixed)
        self.text = text

    def __missing__(self, key: str) -> object:
        value = self.text.value(key)
        self[key] = value
        return value


class Text:
    """Random but plausible help-desk prose from the word lists above. A ticket's subject,
    description and replies share a context: the same thing, requester and agent."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        r = rng
        self._draw = {
            "symptom": lambda: r.choice(SYMPTOMS),
            "when": lambda: r.choice(WHEN),
            "place": lambda: r.choice(PLACES),
            "team": lambda: r.choice(TEAMS),
            "first": lambda: r.choice(FIRST),
            "last": lambda: r.choice(LAST),
            "colleague": lambda: r.choice(FIRST),
            "code": self.code,
            "error": lambda: COMMON_WORD,
            "asset": lambda: f"AT-{r.randrange(10_000, 99_999)}",
            "order": lambda: f"{r.randrange(100_000, 999_999)}",
            "invoice": lambda: f"INV-{r.randrange(2024, 2027)}-{r.randrange(1, 9999):04d}",
            "token": lambda: f"{r.getrandbits(64):016x}",
            "step": lambda: r.randrange(2, 9),
            "minute": lambda: r.randrange(60),
        }

    def value(self, key: str) -> object:
        return self._draw[key]()

    def context(self, requester: User, agent: User | None) -> dict[str, str]:
        thing = self.rng.choice(THINGS)
        return {
            "thing": thing,
            "Thing": thing[0].upper() + thing[1:],
            "first": requester.get_short_name(),
            "agent": agent.get_short_name() if agent else "The support team",
        }

    def _fill(self, template: str, context: dict[str, str]) -> str:
        return template.format_map(_Values(self, context))

    def code(self) -> str:
        rng = self.rng
        kind = rng.randrange(3)
        if kind == 0:
            return f"0x8007{rng.randrange(0x10000):04X}"
        if kind == 1:
            return f"E{rng.randrange(100, 999)}"
        return f"ERR_{rng.choice(('TIMEOUT', 'AUTH', 'DNS', 'QUOTA', 'TLS'))}"

    def subject(self, context: dict[str, str]) -> str:
        return self._fill(self.rng.choice(SUBJECTS), context)[:200]

    def description(self, context: dict[str, str]) -> str:
        rng = self.rng
        parts = [self._fill(rng.choice(OPENERS), context)]
        parts += [self._fill(rng.choice(DETAILS), context) for _ in range(rng.randrange(1, 6))]
        paragraphs = [p for p in (rng.choice(GREETINGS), " ".join(parts)) if p]
        if rng.random() < 0.2:
            paragraphs.append(self._fill(rng.choice(STEPS), context))
        if rng.random() < 0.00075:
            # The rare words: only a handful of tickets mention each one.
            paragraphs.append(f"Our project is called {rng.choice(RARE_WORDS).title()}.")
        closing = self._fill(rng.choice(CLOSINGS), context)
        if closing:
            paragraphs.append(closing)
        return "\n\n".join(paragraphs)

    def reply(self, context: dict[str, str], *, internal: bool, staff: bool) -> str:
        rng = self.rng
        pool = NOTES if internal else AGENT_REPLIES if staff else MEMBER_REPLIES
        said = " ".join(self._fill(t, context) for t in rng.sample(pool, rng.randrange(1, 3)))
        if internal:
            return said
        if staff:
            return self._fill("Hi {first},\n\n", context) + said + f"\n\nBest,\n{context['agent']}"
        return said + (f"\n\n{context['first']}" if rng.random() < 0.5 else "")
