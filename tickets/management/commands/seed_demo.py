"""Fill an existing System with a realistic help desk: people, categories, tags, tickets,
replies and notes, followers, history — fast enough for 100,000 tickets in a few minutes.

    uv run python manage.py seed_demo --system acme --tickets 100000 --replies 5

People go through ``user_register`` (seats, ledger, verified address); everything else is
written with COPY in batches of whole tickets, each batch in one transaction with its search
vectors refreshed (``tickets.search.REFRESH_SQL``), so an interrupted run leaves only
complete, searchable tickets. Numbers come from ``tickets_number_seq`` itself, so tickets
raised afterwards continue the sequence. A System that already has tickets is refused
unless ``--append`` is given.

Searches to try afterwards: COMMON_WORD is in about 60% of the tickets, each of RARE_WORDS
in about one ticket in 8,000 (a dozen at 100k); the command prints the counts.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services.seats import seats_active, user_register
from servicedesk.markdown import render_markdown
from tenants.models import System
from tickets import search
from tickets.management.seed_text import (
    CATEGORIES,
    CATEGORY_WEIGHTS,
    COMMON_WORD,
    FIRST,
    LAST,
    PRIORITY_WEIGHTS,
    RARE_WORDS,
    STATUS_BY_AGE,
    TAGS,
    Text,
)
from tickets.models import (
    PRIORITY_RANK,
    Category,
    Priority,
    Reply,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)
from tickets.sla.services.clock import sla_backfill

SEED_PASSWORD = "demo-pass-2026"  # noqa: S105 - printed on screen; demo data only
# More than this many tickets and the System is taken for real (or already seeded).
FEW_TICKETS = 10
BATCH = 10_000
DAYS = 730

CREATED, CHANGED = TicketEvent.Kind.CREATED.value, TicketEvent.Kind.CHANGED.value


@dataclass
class People:
    agents: list[User]
    members: list[User]
    agent_weights: list[float] = field(default_factory=list)  # cumulative
    member_weights: list[float] = field(default_factory=list)  # cumulative


@dataclass
class Batch:
    tickets: list[tuple] = field(default_factory=list)
    replies: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    tags: list[tuple[int, int]] = field(default_factory=list)
    followers: list[tuple[int, int]] = field(default_factory=list)


class Command(BaseCommand):
    help = "Fill a System with realistic demo tickets, replies and people (bulk inserts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--system", required=True, help="The System's slug.")
        parser.add_argument("--tickets", type=int, default=1_000, help="How many to add.")
        parser.add_argument("--replies", type=float, default=3, help="Average per ticket.")
        parser.add_argument(
            "--agents", type=int, default=20, help="Agents the System should have at least."
        )
        parser.add_argument(
            "--members", type=int, default=300, help="Members the System should have at least."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")
        parser.add_argument(
            "--append",
            "--force",
            action="store_true",
            help="Add tickets even though the System already has some.",
        )

    def handle(
        self,
        *args: object,
        system: str,
        tickets: int,
        replies: float,
        agents: int,
        members: int,
        seed: int,
        append: bool,
        verbosity: int = 1,
        **options: object,
    ) -> None:
        started = time.perf_counter()
        found = System.objects.filter(slug=system).first()
        if found is None:
            raise CommandError(f"No System with slug “{system}”.")
        rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.verbose = verbosity > 0
        with schema_context(found.schema_name):
            existing = Ticket.objects.count()
            if existing > FEW_TICKETS and not append:
                raise CommandError(
                    f"System “{system}” already has {existing:,} tickets; "
                    "pass --append to add more anyway."
                )
            people = self._people(found, agents=agents, members=members, rng=rng)
            categories = self._categories()
            tags = self._tags()
            self._say(f"people, categories, tags: {time.perf_counter() - started:.1f} s")
            if tickets > 0:
                self._tickets(tickets, replies, people, categories, tags, rng)
                self._say(f"SLA targets: {sla_backfill()} open tickets looked at")
                self._vacuum()
                self._report_words()
        self._say(f"done in {time.perf_counter() - started:.1f} s")

    def _say(self, line: str) -> None:
        if self.verbose:
            self.stdout.write(line)
            self.stdout.flush()

    # --- people, categories, tags ---------------------------------------------------------

    def _people(self, system: System, *, agents: int, members: int, rng: random.Random) -> People:
        """Top the System up to ``agents`` agents and ``members`` members, seats and all."""
        active = User.objects.filter(is_active=True)
        missing = {
            Role.AGENT: max(0, agents - active.filter(role=Role.AGENT).count()),
            Role.MEMBER: max(0, members - active.filter(role=Role.MEMBER).count()),
        }
        needed = seats_active() + sum(missing.values())
        if needed > system.seat_cap:
            # Demo data needs the seats; the cap stays raised (nothing to restore to).
            System.objects.filter(pk=system.pk).update(seat_cap=needed)
            self._say(f"seat cap of {system.slug} raised from {system.seat_cap} to {needed}")
        taken = set(User.objects.values_list("email", flat=True))
        # One hash for everyone: hashing 300 passwords would take longer than the tickets.
        password_hash = make_password(SEED_PASSWORD)
        for role, how_many in missing.items():
            made = 0
            while made < how_many:
                first, last = rng.choice(FIRST), rng.choice(LAST)
                email = f"{first}.{last}.{rng.randrange(1000)}@{role}s.example".lower()
                if email in taken:
                    continue
                taken.add(email)
                user_register(
                    email=email,
                    full_name=f"{first} {last}",
                    role=role,
                    password_hash=password_hash,
                )
                made += 1
        if any(missing.values()):
            self._say(
                f"registered {missing[Role.AGENT]} agents and {missing[Role.MEMBER]} members "
                f"(password {SEED_PASSWORD})"
            )
        staff = list(active.filter(role__in=[Role.AGENT, Role.ADMIN]).order_by("id"))
        people = list(active.filter(role=Role.MEMBER).order_by("id"))
        if not staff or not people:
            raise CommandError("Need at least one agent and one member to raise tickets.")
        return People(
            agents=staff,
            members=people,
            # Some agents carry more of the load; a few members raise most tickets.
            # Cumulative, or choices() sums 300 weights again for every pick.
            agent_weights=list(accumulate(rng.uniform(0.5, 2.0) for _ in staff)),
            member_weights=list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(people)))),
        )

    def _categories(self) -> list[Category]:
        known = {name.lower() for name in Category.objects.values_list(Lower("name"), flat=True)}
        Category.objects.bulk_create(
            [
                Category(name=name, position=position)
                for position, name in enumerate(CATEGORIES)
                if name.lower() not in known
            ]
        )
        by_name = {c.name.lower(): c for c in Category.objects.all()}
        return [by_name[name.lower()] for name in CATEGORIES]

    def _tags(self) -> list[Tag]:
        Tag.objects.bulk_create([Tag(name=name) for name in TAGS], ignore_conflicts=True)
        by_name = {t.name: t for t in Tag.objects.filter(name__in=TAGS)}
        return [by_name[name] for name in TAGS]

    # --- tickets --------------------------------------------------------------------------

    def _tickets(
        self,
        count: int,
        replies: float,
        people: People,
        categories: list[Category],
        tags: list[Tag],
        rng: random.Random,
    ) -> None:
        started = time.perf_counter()
        now = timezone.now()
        text = Text(rng)
        # Sorted creation times, so numbers grow with time as they would for real.
        created = sorted(_created_at(rng, now) for _ in range(count))
        names = {u.pk: u.get_full_name() for u in people.agents}
        made_tickets = made_replies = 0
        for offset in range(0, count, BATCH):
            chunk = created[offset : offset + BATCH]
            with transaction.atomic():
                ids = _reserve(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [Ticket._meta.db_table, len(chunk)],
                )
                numbers = _reserve(
                    "SELECT nextval('tickets_number_seq') FROM generate_series(1, %s)",
                    [len(chunk)],
                )
                batch = Batch()
                for ticket_id, number, at in zip(ids, numbers, chunk, strict=True):
                    _ticket(
                        batch,
                        ticket_id=ticket_id,
                        number=number,
                        created_at=at,
                        now=now,
                        replies=replies,
                        people=people,
                        names=names,
                        categories=categories,
                        tags=tags,
                        text=text,
                        rng=rng,
                    )
                _write(batch)
                # Same SQL as the services use, so seeded vectors are exactly what they'd be.
                search.refresh(ids)
            made_tickets += len(chunk)
            made_replies += len(batch.replies)
            self._say(
                f"tickets {made_tickets:>9,}/{count:,}  replies {made_replies:>9,}  "
                f"{time.perf_counter() - started:6.1f} s"
            )
        self._say(
            f"inserted {made_tickets:,} tickets and {made_replies:,} replies "
            f"({made_replies / max(1, made_tickets):.1f} per ticket) "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _vacuum(self) -> None:
        """Statistics for the planner, and a clean visibility map so index-only scans
        work (refreshing the vectors rewrote every new row once)."""
        started = time.perf_counter()
        tables = [
            Ticket._meta.db_table,
            Reply._meta.db_table,
            TicketEvent._meta.db_table,
            Ticket.tags.through._meta.db_table,
            Ticket.followers.through._meta.db_table,
            Tag._meta.db_table,
            Category._meta.db_table,
            User._meta.db_table,
        ]
        # VACUUM can't run inside a transaction (call_command from a test, say).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'{command} "{table}"')
        self._say(f"{command.lower()}: {time.perf_counter() - started:.1f} s")

    def _report_words(self) -> None:
        with connection.cursor() as cursor:
            counts = {}
            for word in (COMMON_WORD, *RARE_WORDS):
                cursor.execute(
                    f"SELECT count(*) FROM {Ticket._meta.db_table} "  # noqa: S608 - model's own table
                    "WHERE search_vector @@ to_tsquery(%s, %s)",
                    [search.CONFIG, word],
                )
                counts[word] = cursor.fetchone()[0]
        total = Ticket.objects.count()
        self._say(
            f"search words: common “{COMMON_WORD}” in {counts[COMMON_WORD]:,} of {total:,} "
            "tickets; rare: " + ", ".join(f"“{word}” in {counts[word]:,}" for word in RARE_WORDS)
        )


def _created_at(rng: random.Random, now: datetime) -> datetime:
    """A moment in the last two years, more of them lately, mostly in office hours."""
    days_ago = DAYS * (1 - rng.random() ** (1 / 1.5))
    day = (now - timedelta(days=days_ago)).replace(hour=0, minute=0, second=0, microsecond=0)
    hours = min(23.99, max(0.0, rng.gauss(13, 3)))
    return min(now - timedelta(minutes=1), day + timedelta(hours=hours, seconds=rng.random()))


def _reserve(sql: str, params: Sequence[int | str]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(int(row[0]) for row in cursor.fetchall())


def _weighted_status(rng: random.Random, age_days: float) -> str:
    for limit, weights in STATUS_BY_AGE:
        if age_days < limit:
            return rng.choices(list(weights), weights=list(weights.values()))[0]
    raise AssertionError("unreachable")


def _ticket(
    batch: Batch,
    *,
    ticket_id: int,
    number: int,
    created_at: datetime,
    now: datetime,
    replies: float,
    people: People,
    names: dict[int, str],
    categories: list[Category],
    tags: list[Tag],
    text: Text,
    rng: random.Random,
) -> None:
    """One ticket's life: fields, conversation, history, tags and followers."""
    age = now - created_at
    status = _weighted_status(rng, age.total_seconds() / 86400)
    priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
    requester = rng.choices(people.members, cum_weights=people.member_weights)[0]
    assignee: User | None = None
    # New tickets are mostly still waiting for someone; a few worked ones lost theirs.
    if (status != Status.NEW or rng.random() < 0.15) and rng.random() < 0.97:
        assignee = rng.choices(people.agents, cum_weights=people.agent_weights)[0]
    category = rng.choices(categories, weights=CATEGORY_WEIGHTS)[0] if rng.random() < 0.95 else None
    context = text.context(requester, assignee)
    subject, description = text.subject(context), text.description(context)

    solved_at: datetime | None = None
    if status in {Status.SOLVED, Status.CLOSED}:
        took = timedelta(minutes=10) + timedelta(days=rng.expovariate(1 / 2))
        solved_at = min(created_at + took, now)
        end = solved_at
    else:
        end = created_at + age * rng.random()
    closed_at = None
    if solved_at and status == Status.CLOSED:
        closed_at = min(solved_at + timedelta(days=3), now)

    # Roughly ``replies`` per ticket; a brand-new ticket has had no answer yet.
    reply_count = 0 if status == Status.NEW else round(rng.gammavariate(2, replies / 2))
    moments = sorted(created_at + (end - created_at) * rng.random() for _ in range(reply_count))
    public = 0
    for at in moments:
        internal = rng.random() < 0.15
        if internal or public % 2 == 0:
            author = assignee or rng.choices(people.agents, cum_weights=people.agent_weights)[0]
            staff = True
        else:
            author, staff = requester, False
        public += 0 if internal else 1
        body = text.reply(context, internal=internal, staff=staff)
        batch.replies.append((ticket_id, author.pk, body, render_markdown(body), internal, at))

    updated_at = max([created_at, *moments[-1:], *(t for t in (solved_at, closed_at) if t)])
    due_on: date | None = None
    if rng.random() < 0.1:
        due_on = (created_at + timedelta(days=rng.randrange(1, 15))).date()
    batch.tickets.append(
        (
            ticket_id,
            number,
            subject,
            description,
            render_markdown(description),
            requester.pk,
            assignee.pk if assignee else None,
            status,
            priority,
            PRIORITY_RANK[Priority(priority)],
            category.pk if category else None,
            due_on,
            created_at,
            updated_at,
            solved_at,
            reply_count,
        )
    )

    events = batch.events
    events.append((ticket_id, requester.pk, CREATED, "", "", "", created_at))
    if assignee:
        at = created_at + (end - created_at) * 0.1
        events.append((ticket_id, assignee.pk, CHANGED, "assignee", "—", names[assignee.pk], at))
    if solved_at:
        actor = assignee.pk if assignee else None
        # The history keeps statuses as codes (tickets.event_values).
        events.append((ticket_id, actor, CHANGED, "status", "open", "solved", solved_at))
    if closed_at:
        # Solved tickets close themselves after three days.
        events.append((ticket_id, None, CHANGED, "status", "solved", "closed", closed_at))

    # Zipf-like: a few tags are on many tickets, most on a few.
    for tag in set(rng.choices(tags, cum_weights=_TAG_WEIGHTS, k=rng.choice((0, 1, 1, 2, 3)))):
        batch.tags.append((ticket_id, tag.pk))
    if rng.random() < 0.15:
        followers = {u.pk for u in rng.sample(people.members, k=min(2, len(people.members)))}
        if assignee and rng.random() < 0.3:
            followers.add(assignee.pk)
        for user_id in sorted(followers - {requester.pk}):
            batch.followers.append((ticket_id, user_id))


_TAG_WEIGHTS = list(accumulate(1 / (rank + 1) for rank in range(len(TAGS))))


def _copy(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """COPY ``rows`` into ``model``'s table. Columns not given get their field's default:
    Django keeps defaults in Python, so a field added later would otherwise be NULL."""
    given = set(columns)
    extra = []
    for model_field in model._meta.concrete_fields:
        if model_field.column in given or model_field.primary_key:
            continue
        default = model_field.get_db_prep_save(model_field.get_default(), connection)
        if default is not None:
            extra.append((model_field.column, default))
    names = ", ".join(f'"{column}"' for column in (*columns, *(c for c, _ in extra)))
    tail = tuple(value for _, value in extra)
    sql = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + tail)


def _write(batch: Batch) -> None:
    ticket_columns = (
        "id",
        "number",
        "subject",
        "description",
        "description_html",
        "requester_id",
        "assignee_id",
        "status",
        "priority",
        "priority_rank",
        "category_id",
        "due_on",
        "created_at",
        "updated_at",
        "solved_at",
        "reply_count",
    )
    _copy(Ticket, ticket_columns, batch.tickets)
    # The HTML is made here as the services make it, so pages read it as they do live data.
    reply_columns = ("ticket_id", "author_id", "body", "body_html", "is_internal", "created_at")
    _copy(Reply, reply_columns, batch.replies)
    event_columns = (
        "ticket_id",
        "actor_id",
        "kind",
        "field",
        "old_value",
        "new_value",
        "created_at",
    )
    _copy(TicketEvent, event_columns, batch.events)
    for m2m, rows in ((Ticket.tags, batch.tags), (Ticket.followers, batch.followers)):
        columns = (m2m.field.m2m_column_name(), m2m.field.m2m_reverse_name())
        # Unique on the pair: _ticket never repeats one.
        _copy(m2m.through, columns, rows)
