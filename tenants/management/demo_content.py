"""What the demo System's help desk holds: the support desk of Acme, a small software company
that sells Acme Books (invoicing and bookkeeping, on the web and on phones).

Max Member works in customer success: he raises what customers tell him, and his own
problems. Ava (agent) and Adam (admin) work the tickets; Olivia (owner) raises a few
herself. Each ticket is raised ``days_ago`` before the demo runs; each step happens
``hours`` after the ticket was raised. ``demo_tickets`` plays them through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tickets.models import Priority, Status

LOW, HIGH, URGENT = Priority.LOW, Priority.HIGH, Priority.URGENT
PENDING, SOLVED = Status.PENDING, Status.SOLVED

# Staff keep the list of categories (Settings); archived ones stay on old tickets.
CATEGORIES = [
    "Bug report",
    "Billing",
    "Account & access",
    "Integrations",
    "How-to",
    "Feature request",
]


@dataclass(frozen=True)
class Step:
    hours: float  # after the ticket was raised
    who: str  # "owner", "admin", "agent" or "member"
    kind: str  # "reply", "note", "change" or "close"
    text: str = ""
    status: str = ""
    image: str = ""  # a file name: the builder draws a screenshot by that name
    assign: str = ""
    priority: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()  # the ticket's tags after this step
    due_in_days: int | None = None  # counted from the day the demo runs


@dataclass(frozen=True)
class DemoTicket:
    days_ago: float
    by: str
    subject: str
    body: str
    category: str = ""
    priority: str = Priority.NORMAL  # a member's ticket starts at normal whatever this says
    image: str = ""
    steps: tuple[Step, ...] = ()


def reply(hours: float, who: str, text: str, *, status: str = "", image: str = "") -> Step:
    return Step(hours, who, "reply", text=text, status=status, image=image)


def note(hours: float, who: str, text: str) -> Step:
    return Step(hours, who, "note", text=text)


def triage(hours: float, who: str, **fields: Any) -> Step:
    """A change of fields: assign, priority, category, tags, due_in_days."""
    return Step(hours, who, "change", **fields)


def close(hours: float, who: str) -> Step:
    return Step(hours, who, "close")


# The ruff formatter would put every argument on a line of its own: twice as long to read.
# fmt: off
TICKETS = [
    DemoTicket(
        34.6, "member", "Invoice PDF cuts off the last line items",
        "Northwind Traders sent an invoice with 23 lines and the PDF stops after line 18: no "
        "total, no payment details. The web view shows everything. Screenshot attached.",
        category="Bug report", image="invoice-pdf-cut-off.png",
        steps=(
            triage(1, "admin", assign="agent", priority=HIGH, tags=("invoice-pdf", "regression")),
            reply(3, "agent", "Thanks Max, I can reproduce it with any invoice longer than 18 "
                  "lines. It started with last week's release. I'll keep you posted."),
            note(4, "agent", "The page-break code ignores the table footer since 4.12.0. "
                 "Engineering has it as ENG-2291, fix is in review."),
            reply(50, "agent", "Fixed in 4.12.1, out this morning. Regenerating the invoice "
                  "(**More → Regenerate PDF**) gives the full document.", status=SOLVED),
            close(54, "member"),
        ),
    ),
    DemoTicket(
        33.1, "member", "Google sign-in loops back to the login page",
        "Everyone at Tailspin Toys gets sent back to the login page after choosing their Google "
        "account. Password sign-in works. They have 40 people locked out of invoicing today.",
        category="Account & access",
        steps=(
            triage(0.3, "agent", assign="agent", priority=URGENT, tags=("sso",)),
            reply(0.5, "agent", "On it. Could you ask them which domain their Google accounts "
                  "use, and whether it changed recently?", status=PENDING),
            reply(1.5, "member", "They moved from `TailspinToys.com` to `tailspintoys.com` in "
                  "their Google admin last night."),
            note(2, "agent", "Our callback compares the hosted domain case-sensitively. "
                 "Hotfix deployed; also asked engineering to normalise domains on save."),
            reply(3, "agent", "Fixed: sign-in with Google works again for Tailspin Toys. Sorry "
                  "for the morning they had.", status=SOLVED),
        ),
    ),
    DemoTicket(
        31.4, "owner", "Clearer refund wording for annual plans on the pricing page",
        "Two customers this month read \"cancel anytime\" as a pro-rata refund of an annual "
        "plan. Can we make the pricing page say what we actually do?",
        category="Billing", priority=LOW,
        steps=(
            triage(2, "admin", assign="admin"),
            reply(20, "admin", "Proposed text, now live on staging:\n\n> Annual plans can be "
                  "cancelled anytime and stay active until the end of the paid year. We refund "
                  "unused months only within 30 days of purchase.", status=SOLVED),
            close(26, "owner"),
        ),
    ),
    DemoTicket(
        30.2, "member", "CSV export of transactions times out",
        "Fabrikam's bookkeeper exports all transactions every month. Since they passed about "
        "200,000 entries the download fails after a minute with \"Gateway timeout\".",
        category="Bug report",
        steps=(
            triage(1, "agent", assign="agent", priority=HIGH, tags=("export", "performance")),
            note(2, "agent", "The export query sorts the whole ledger before sending the first "
                 "row. Engineering is moving it to a streamed export."),
            reply(2.5, "agent", "Until the fix ships, exporting one quarter at a time works "
                  "(Reports → Transactions → *Period*).", status=PENDING),
            reply(20, "member", "Quarter by quarter works, thanks. They'd still like one file."),
            reply(170, "agent", "The streamed export is live: the full file now starts "
                  "downloading at once, whatever its size.", status=SOLVED),
        ),
    ),
    DemoTicket(
        29.3, "member", "Bank feed from Nordbank stopped syncing",
        "Three customers banking with Nordbank see no new transactions since Monday. The "
        "connection page says \"Connected\".",
        category="Integrations",
        steps=(
            triage(0.5, "admin", assign="admin", priority=HIGH, tags=("bank-feed",)),
            reply(5, "admin", "Nordbank changed their consent flow: old connections keep "
                  "saying connected but get no data. Customers need to **reconnect** once "
                  "under Banking → Nordbank → Reconnect.", status=SOLVED),
            close(9, "member"),
        ),
    ),
    DemoTicket(
        28.0, "admin", "Rotate the API signing keys before the security audit",
        "The webhook signing keys are 14 months old; the auditors ask for yearly rotation. "
        "Customers need two weeks' notice because they verify signatures.",
        priority=HIGH,
        steps=(
            triage(0.1, "admin", assign="admin", tags=("security", "api"), due_in_days=12),
            note(1, "admin", "Runbook and customer notice draft: "
                 "https://docs.google.com/document/d/1x4DemoKeyRotationRunbook/edit"),
            reply(2, "admin", "Notice sent to API customers; waiting for the vendor to "
                  "enable dual keys on their side.", status=PENDING),
        ),
    ),
    DemoTicket(
        27.2, "member", "How do I add a second currency to a customer?",
        "Contoso invoices some clients in EUR and some in USD. Where do they set that?",
        category="How-to", priority=LOW,
        steps=(
            reply(2, "agent", "Each customer has one currency:\n\n1. Open the customer.\n"
                  "2. **Edit → Billing → Currency**.\n3. Save; new invoices use it.\n\n"
                  "Existing invoices keep theirs. The screenshot shows where it is.",
                  status=SOLVED, image="customer-currency-setting.png"),
            close(8, "member"),
        ),
    ),
    DemoTicket(
        26.1, "member", "Recurring invoices every two weeks",
        "A cleaning company wants to bill clients fortnightly. We only offer monthly, "
        "quarterly and yearly schedules.",
        category="Feature request", priority=LOW,
        steps=(
            triage(3, "agent", tags=("roadmap",)),
            note(3.2, "agent", "Third request for fortnightly schedules this quarter; added "
                 "to the vote count in the product tracker."),
            reply(3.5, "agent", "Thanks, it's on the product team's list with your vote. I'll "
                  "close this one; we'll write when it ships.", status=SOLVED),
        ),
    ),
    DemoTicket(
        25.3, "member", "Customer got the same payment reminder three times",
        "Alpine Ski House got three identical reminders for invoice INV-2207 within a minute.",
        category="Bug report",
        steps=(
            triage(1, "agent", assign="agent", tags=("email",)),
            reply(1.5, "agent", "Sorry about that. Did it happen for other invoices too?",
                  status=PENDING),
            reply(4, "member", "Only that one as far as they know."),
            note(5, "agent", "The reminder job ran three times after the deploy on the 3rd; "
                 "its lock expired early. Engineering made the job idempotent per invoice."),
            reply(30, "agent", "Fixed: a reminder is now sent once per invoice and day, "
                  "however often the job runs.", status=SOLVED),
        ),
    ),
    DemoTicket(
        24.2, "member", "Android app crashes when attaching a receipt photo",
        "Several users on Android 14 say the app closes when they take a photo of a receipt. "
        "Picking an existing photo works.",
        category="Bug report",
        steps=(
            triage(0.5, "agent", assign="agent", priority=HIGH, tags=("mobile", "android")),
            reply(1, "agent", "Which app version are they on? A screen recording would help.",
                  status=PENDING),
            reply(3, "member", "Version 3.8.1. One of them recorded it: "
                  "https://www.dropbox.com/s/q7demo2kx9/receipt-photo-crash.mp4?dl=0"),
            note(4, "agent", "Crash in the camera permission callback on Android 14 only. "
                 "Mobile team fixed it in 3.8.2."),
            reply(52, "agent", "Version 3.8.2 is in the Play Store and fixes the crash.",
                  status=SOLVED),
            close(60, "member"),
        ),
    ),
    DemoTicket(
        22.4, "member", "Changing the company name printed on invoices",
        "Woodgrove renamed itself to Woodgrove Bank Ltd. Will old invoices change too?",
        category="How-to", priority=LOW,
        steps=(
            reply(1, "agent", "Settings → Company → Legal name. Invoices issued before the "
                  "change keep the old name, as they must; new ones use the new one.",
                  status=SOLVED),
            close(2, "member"),
        ),
    ),
    DemoTicket(
        21.2, "member", "VAT number missing on credit notes",
        "Credit notes don't show the customer's VAT number, invoices do. Lucerne Publishing's "
        "accountant refuses them without it.",
        category="Billing",
        steps=(
            triage(0.5, "admin", assign="admin", priority=HIGH, tags=("invoice-pdf", "tax")),
            note(1, "admin", "Credit notes use an older template. Copying the tax block over."),
            reply(26, "admin", "Credit notes now show the VAT number. Lucerne can regenerate "
                  "theirs from the credit note's page.", status=SOLVED),
        ),
    ),
    DemoTicket(
        20.0, "owner", "Quote for 40 more seats for Contoso",
        "Contoso wants to add their Lisbon office: 40 people. Please send them a quote with "
        "our volume discount.",
        category="Billing",
        steps=(
            triage(0.2, "owner", assign="admin", due_in_days=-15),
            reply(5, "admin", "Quote sent: 40 seats at the 25+ tier, 15 % off, starting on "
                  "the 1st.", status=SOLVED),
        ),
    ),
    DemoTicket(
        19.1, "member", "Webhook deliveries fail with 410 Gone",
        "Proseware's integration stopped getting invoice events. Their logs show nothing.",
        category="Integrations",
        steps=(
            triage(1, "agent", assign="agent", tags=("api", "webhooks")),
            reply(2, "agent", "Their endpoint answers `410 Gone`, so we paused it after 20 "
                  "tries. Once they fix the URL, **Developers → Webhooks → Resume** sends "
                  "the missed events.", status=SOLVED),
        ),
    ),
    DemoTicket(
        18.0, "member", "Dashboard takes seconds to load since Tuesday",
        "Several customers say the home dashboard is slow, 5 seconds or more.",
        category="Bug report",
        steps=(
            triage(0.5, "admin", assign="admin", priority=HIGH, tags=("performance",)),
            note(2, "admin", "p95 went from 380 ms to 2.1 s after Tuesday's migration dropped "
                 "an index on invoices(company_id, due_on). Recreating it concurrently."),
            reply(4, "admin", "Back to normal speed; we're adding a check so it can't happen "
                  "again.", status=SOLVED),
        ),
    ),
    DemoTicket(
        16.9, "member", "Xero import: opening balances don't match",
        "Litware imported from Xero and their opening balances are off by 1,240.50 EUR.",
        category="Integrations",
        steps=(
            triage(1, "agent", assign="agent", tags=("import",)),
            reply(2, "agent", "Could you send their trial balance from Xero on the import "
                  "date?", status=PENDING),
            reply(26, "member", "Here it is: https://docs.google.com/spreadsheets/d/"
                  "1bDemoLitwareTrialBalance/edit"),
            note(28, "agent", "The difference is one invoice dated on the import day, counted "
                 "in both the balances and the open invoices. Asked engineering which side wins."),
        ),
    ),
    DemoTicket(
        15.2, "member", "Two-factor codes rejected after a phone change",
        "Someone at Trey Research got a new phone and the codes from the new authenticator "
        "app are refused.",
        category="Account & access",
        steps=(
            triage(0.5, "agent", priority=HIGH, tags=("2fa",)),
            reply(1, "agent", "The new app has a new secret, so the old one doesn't match. "
                  "They can sign in with one of their recovery codes, then set up the new "
                  "phone under Account → Security.", status=SOLVED),
            close(3, "member"),
        ),
    ),
    DemoTicket(
        14.1, "member", "Payment link in invoice emails goes to a 404",
        "Clicking \"Pay now\" in this morning's invoice emails shows a Not found page.",
        category="Bug report",
        steps=(
            triage(0.2, "agent", assign="agent", priority=URGENT, tags=("email", "payments")),
            note(0.5, "agent", "The link lost its locale prefix in yesterday's release. Paging "
                 "on-call."),
            reply(2, "agent", "Fixed, and the links in emails already sent work again.",
                  status=SOLVED),
        ),
    ),
    DemoTicket(
        13.0, "admin", "Status page still shows last week's incident",
        "status.acme.example still says \"Investigating\" for the incident of the 12th.",
        steps=(
            triage(0.1, "admin", assign="admin", tags=("status-page",)),
            note(1, "admin", "The incident was resolved in the tool but the page's cache "
                 "never expired. Purged, and the cache now lasts five minutes."),
            close(1.2, "admin"),
        ),
    ),
    DemoTicket(
        12.2, "member", "Vietnamese as an invoice language",
        "A new customer in Hanoi would like invoices in Vietnamese. Is it planned?",
        category="Feature request", priority=LOW,
        steps=(
            triage(5, "agent", tags=("localisation", "roadmap")),
            reply(6, "agent", "It is, for the autumn. Would they review the translation before "
                  "we ship it?", status=PENDING),
            reply(30, "member", "Yes, gladly. Their contact is the finance lead."),
        ),
    ),
    DemoTicket(
        11.1, "member", "Profit & loss shows last year under \"This year\"",
        "In Reports → Profit & loss, the period \"This year\" shows last year's figures.",
        category="Bug report",
        steps=(
            triage(1, "agent", assign="agent", priority=HIGH, tags=("reports", "regression")),
            note(2, "agent", "Only for companies whose financial year starts in April: the "
                 "period is computed from the calendar year."),
            reply(30, "agent", "A fix is live. Could you ask them to check their report "
                  "again?", status=PENDING),
        ),
    ),
    DemoTicket(
        10.0, "member", "Archiving many old customers at once",
        "Bellows College has 600 customers they haven't billed in years. Can they archive them "
        "in one go?",
        category="How-to", priority=LOW,
        steps=(
            reply(3, "agent", "Yes: Customers → filter *Last invoice before* → select all → "
                  "**Archive**. Archived customers stay on old invoices.", status=SOLVED),
        ),
    ),
    DemoTicket(
        9.2, "member", "Card payment declined though the bank approved it",
        "A customer of Relecloud paid invoice INV-8812 by card; their bank shows the payment, "
        "we show \"Declined\".",
        category="Billing",
        steps=(
            triage(0.5, "admin", assign="admin", priority=HIGH, tags=("payments",)),
            reply(2, "admin", "Could you get the last four digits of the card and the time of "
                  "the payment?", status=PENDING),
            reply(20, "member", "Card ending 4821, paid on the 14th around 16:05."),
            note(22, "admin", "The provider's webhook arrived before the payment was saved; "
                 "the retry marked it declined. Asked the provider for the final state."),
        ),
    ),
    DemoTicket(
        8.1, "member", "API rate limit too low for a nightly sync",
        "Adatum syncs 5,000 invoices every night and hits the rate limit after 1,000.",
        category="Integrations",
        steps=(
            triage(2, "agent", assign="agent", tags=("api",)),
            note(2.5, "agent", "They make one request per invoice; the batch endpoint takes 100 "
                 "at a time, which fits well within the limit."),
            reply(3, "agent", "The batch endpoint (`POST /v2/invoices/batch`) takes 100 "
                  "invoices per request: 50 requests instead of 5,000. Would that work for "
                  "them?", status=PENDING),
        ),
    ),
    DemoTicket(
        7.0, "member", "Customer portal in the wrong language",
        "Customers in Belgium see the payment portal in Dutch although their browser asks for "
        "French.",
        category="Bug report", priority=LOW,
        steps=(
            triage(4, "agent", assign="agent", tags=("customer-portal", "localisation")),
            reply(5, "agent", "Reproduced: the portal uses the country, not the browser's "
                  "language. Engineering is looking at it."),
        ),
    ),
    DemoTicket(
        6.1, "owner", "Renewal of the Fabrikam enterprise contract",
        "Fabrikam's contract ends next month. Please prepare the renewal with their new seat "
        "count and book a call with their finance team.",
        category="Billing",
        steps=(
            triage(0.1, "owner", assign="owner", due_in_days=9, tags=("renewal",)),
            note(3, "owner", "They asked for a 3-year term; draft prices in the shared deck."),
        ),
    ),
    DemoTicket(
        5.0, "member", "Last year's invoices as PDFs for an auditor",
        "Margie's Travel needs every invoice of last year as a PDF for their auditor.",
        category="How-to",
        steps=(
            triage(1, "agent", assign="agent"),
            reply(2, "agent", "Invoices → filter the year → select all → **Download PDFs**: "
                  "they get a ZIP by email within minutes. Did that work?", status=PENDING),
        ),
    ),
    DemoTicket(
        4.0, "member", "Bank reconciliation suggests the wrong matches",
        "For Coho Winery, reconciliation matches incoming payments to the wrong invoices when "
        "two invoices have the same amount.",
        category="Bug report",
        steps=(
            triage(1, "agent", assign="agent", tags=("bank-feed",)),
            note(2, "agent", "The matcher ignores the reference when amounts tie. Asked "
                 "engineering to prefer the reference, then the oldest invoice."),
            reply(3, "agent", "Confirmed, and reported to engineering. Until then they can "
                  "pick the right invoice under **Match → Other**."),
        ),
    ),
    DemoTicket(
        3.5, "member", "Sign-in emails arrive after the link expired",
        "Some people at Wide World Importers receive the sign-in email 20 minutes late, when "
        "the link no longer works.",
        category="Account & access",
        steps=(
            triage(0.5, "admin", assign="admin", priority=HIGH, tags=("email",)),
            note(1, "admin", "Their mail gateway holds our mail for greylisting. Asked them "
                 "to allowlist our sending domain; meanwhile we could make the link last longer."),
        ),
    ),
    DemoTicket(
        3.0, "member", "Invoice numbers started again at 1",
        "Since Fourth Coffee changed their numbering settings, new invoices start again at 1 "
        "and clash with old ones. Their accountant needs this fixed before the next VAT return.",
        category="Billing",
        steps=(
            triage(0.3, "agent", assign="agent", priority=URGENT, tags=("invoice-numbering",),
                   due_in_days=1),
            note(1, "agent", "They chose \"restart every year\" without a prefix, and the "
                 "numbers restarted at once. Renumbering needs engineering."),
            reply(2, "agent", "We can give the new invoices a prefix (FC-0001 and up) so "
                  "nothing clashes. Shall we?"),
        ),
    ),
    DemoTicket(
        2.5, "member", "Dark mode makes the PDF preview unreadable",
        "With dark mode on, the PDF preview shows black text on a dark grey background.",
        category="Bug report", priority=LOW,
        steps=(triage(4, "agent", tags=("ui",)),),
    ),
    DemoTicket(
        2.0, "member", "A read-only role for our accountant",
        "Several customers want to give their outside accountant access to everything "
        "without letting them change anything.",
        category="Feature request",
    ),
    DemoTicket(
        1.2, "member", "Stripe payouts missing from the bank feed since Friday",
        "Blue Yonder Airlines sees no Stripe payouts in their bank feed since Friday, though "
        "Stripe shows three.",
        category="Integrations",
    ),
    DemoTicket(
        0.8, "member", "Password reset link says \"invalid token\"",
        "A user at Graphic Design Institute clicks the reset link straight away and gets "
        "\"invalid token\". She uses Outlook.",
        category="Account & access",
    ),
    DemoTicket(
        0.3, "member", "Logo blurry on printed quotes",
        "Quotes printed on paper show a blurry logo; the screen looks fine.",
    ),
    DemoTicket(
        0.1, "member", "Timesheet totals off by one hour",
        "Since Sunday, weekly timesheets add up to one hour more than the days they contain.",
        category="Bug report",
    ),
]
# fmt: on
