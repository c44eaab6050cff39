"""Mail in: messages per second from SMTP to stored ticket, and receipt-to-ticket latency.

Runs the real SMTP receiver (``manage.py mail_receiver``) and one real Celery worker (prefork,
concurrency 2, as ``make run`` starts it) against a throw-away database beside DATABASE_URL's
and the real Redis. A few client threads send realistic messages (text + HTML, every tenth
with a 30 KB attachment; from the System's people and from strangers, who become contacts)
over SMTP to two Systems. Three phases of N messages each:

1. the receiver alone (no worker running): messages accepted (250) per second;
2. the worker alone, draining that backlog: messages turned into tickets per second;
3. both at once: first 250 to last ticket stored, per second, and each message's time
   from its 250 to its ticket being committed (p50/p95; a backlog when mail comes faster
   than the worker takes it);
4. light load: messages one by one at ``--paced-rate`` per second, the same latency.

Target: at least 50 messages per second with one worker.

    uv run python benchmarks/mail_throughput.py [--messages 300] [--clients 4] [--paced 40]
        [--profile 100]   instead: cProfile the worker's processing of 100 stored messages
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from _common import ROOT, ms, p50, p95, setup_django

TARGET_PER_SECOND = 50
PARAGRAPH = (
    "Since this morning the shared printer on the third floor shows error E42 and refuses "
    "every job. We restarted it twice, checked the paper trays and the toner; the display "
    "says the fuser is too cold. Colleagues from accounting need it for the month-end run.\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(index: int, *, sender: str, to: str) -> tuple[bytes, str]:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = f"Printer on floor 3 shows E42 (message {index})"
    message_id = make_msgid(domain="client.example")
    mail["Message-ID"] = message_id
    mail.set_content(f"Hello,\n\n{PARAGRAPH * 4}\nThanks,\nSender {index}\n")
    mail.add_alternative(
        f"<html><body><p>Hello,</p>{'<p>' + PARAGRAPH + '</p>' * 4}<p>Thanks</p></body></html>",
        subtype="html",
    )
    if index % 10 == 0:
        mail.add_attachment(
            (PARAGRAPH * 120).encode(), maintype="text", subtype="plain", filename="printer.log"
        )
    raw = mail.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return raw, message_id.strip("<>")


def send_all(port: int, batch: list[tuple[bytes, str, str, str]], clients: int) -> dict[str, float]:
    """Send ``batch`` (raw, message id, sender, recipient) over ``clients`` connections at
    once; returns each message's time of 250 (epoch seconds)."""
    accepted: dict[str, float] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def client(part: list[tuple[bytes, str, str, str]]) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
            for raw, message_id, sender, to in part:
                try:
                    smtp.sendmail(sender, [to], raw)
                except smtplib.SMTPException as error:
                    with lock:
                        errors.append(f"{message_id}: {error}")
                    continue
                with lock:
                    accepted[message_id] = time.time()

    threads = [
        threading.Thread(target=client, args=(batch[index::clients],)) for index in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"{len(errors)} messages refused, e.g. {errors[0]}")
    return accepted


def start(command: list[str], *, log: str, ready: Callable[[], bool]) -> subprocess.Popen:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=open(log, "w"),  # noqa: SIM115 - the child keeps it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not ready():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise SystemExit(f"{command[:4]} did not start; see {log}")
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--paced", type=int, default=40, help="Messages sent one by one.")
    parser.add_argument("--paced-rate", type=float, default=5, help="Their rate per second.")
    parser.add_argument("--profile", type=int, default=0, help="Profile the worker instead.")
    args = parser.parse_args()
    setup_django("mail")
    os.environ["MAIL_RECEIVER_PORT"] = str(free_port())
    import kombu.transport.redis  # noqa: F401 - loaded at start-up by the real processes
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import User
    from servicedesk import redis
    from tenants.models import System
    from tenants.onboarding import services as onboarding
    from tests.support.tenancy import in_schema
    from tickets.mail.addresses import support_address
    from tickets.mail.models import InboundMessage, MailSettings, WhoMayWrite

    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    customer = onboarding.customer_create(name="Bench Mail Ltd", email="bench@example.com")
    systems = []
    senders: dict[int, list[str]] = {}
    for slug in ("bench-mail-a", "bench-mail-b"):
        system = onboarding.system_create(customer=customer, name=slug, slug=slug)
        System.objects.filter(pk=system.pk).update(seat_cap=50)
        with in_schema(system):
            MailSettings.objects.create(who_may_write=WhoMayWrite.ANYONE)
            people = [
                User.objects.create_user(
                    f"person{i}@{slug}.example", None, full_name=f"Person {i}", role="member"
                ).email
                for i in range(10)
            ]
        # Each sender writes fewer messages than the per-sender hourly limit.
        strangers = [f"customer{i}@client-of-{slug}.example" for i in range(args.messages // 10)]
        senders[system.pk] = people + strangers
        systems.append(system)
    print(f"set-up: {time.perf_counter() - started:.1f} s (database, 2 Systems, 20 people)")

    counter = iter(range(1_000_000))

    def batch(size: int) -> list[tuple[bytes, str, str, str]]:
        out = []
        for _ in range(size):
            index = next(counter)
            system = systems[index % len(systems)]
            pool = senders[system.pk]
            sender = pool[(index // len(systems)) % len(pool)]
            to = support_address(slug=system.slug)
            raw, message_id = build(index, sender=sender, to=to)
            out.append((raw, message_id, sender, to))
        return out

    def processed() -> int:
        done = 0
        for system in systems:
            with in_schema(system):
                done += InboundMessage.objects.exclude(
                    status=InboundMessage.Status.RECEIVED
                ).count()
        return done

    def outcomes() -> dict[str, int]:
        found: dict[str, int] = {}
        for system in systems:
            with in_schema(system):
                for status in InboundMessage.objects.values_list("status", flat=True):
                    found[status] = found.get(status, 0) + 1
        return found

    port = int(os.environ["MAIL_RECEIVER_PORT"])
    logs = ROOT / ".devdata" / "bench-mail"
    logs.mkdir(parents=True, exist_ok=True)
    # Control commands go to this worker only: others may share the broker.
    name = f"bench-mail-{os.getpid()}@{socket.gethostname()}"
    worker_command = [
        sys.executable, "-m", "celery", "-A", "servicedesk", "worker",
        "--concurrency=2", "--queues", settings.CELERY_TASK_DEFAULT_QUEUE,
        "--without-mingle", "--without-gossip", "--loglevel=WARNING", f"--hostname={name}",
    ]  # fmt: skip
    heartbeat = redis.key("worker-heartbeat")

    def worker_ready() -> bool:
        return bool(redis.client().get(heartbeat))

    def start_worker() -> subprocess.Popen:
        from servicedesk.celery import app

        redis.client().delete(heartbeat)
        app.send_task("servicedesk.tasks.heartbeat", queue=settings.CELERY_TASK_DEFAULT_QUEUE)
        return start(worker_command, log=str(logs / "worker.log"), ready=worker_ready)

    from servicedesk.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    receiver = worker = None
    try:
        receiver = start(
            [sys.executable, "manage.py", "mail_receiver", "--port", str(port)],
            log=str(logs / "receiver.log"),
            ready=lambda: _answers(port),
        )
        worker = start_worker()
        if args.profile:
            stop(worker)
            worker = None
            send_all(port, batch(args.profile), args.clients)
            _profile(systems)
            return
        n = args.messages
        # 1. The receiver alone: the worker (started, warm) stops reading the queue.
        app.control.cancel_consumer(queue, reply=True, destination=[name])
        first = batch(n)
        began = time.time()
        send_all(port, first, args.clients)
        accept_rate = n / (time.time() - began)
        # 2. The worker alone, draining what phase 1 left.
        began = time.time()
        app.control.add_consumer(queue, reply=True, destination=[name])
        _wait(lambda: processed() >= n, seconds=600)
        drain_rate = n / (time.time() - began)
        # 3. Both at once.
        second = batch(n)
        began = time.time()
        accepted = send_all(port, second, args.clients)
        _wait(lambda: processed() >= 2 * n, seconds=600)
        latencies, last = [], 0.0
        for system in systems:
            with in_schema(system):
                rows = InboundMessage.objects.filter(message_id__in=list(accepted))
                for message_id, done in rows.values_list("message_id", "processed_at"):
                    assert isinstance(done, datetime)
                    latencies.append(done.timestamp() - accepted[message_id])
                    last = max(last, done.timestamp())
        live_rate = n / (last - began)
        # 4. Light load: one message at a time, a fixed rate well under the worker's.
        paced: list[float] = []
        for raw, message_id, sender, to in batch(args.paced):
            began = time.time()
            accepted = send_all(port, [(raw, message_id, sender, to)], 1)
            _wait(lambda: processed() >= 2 * n + len(paced) + 1, seconds=60)
            paced.append(_visible_after(systems, message_id, accepted[message_id]))
            time.sleep(max(0.0, 1 / args.paced_rate - (time.time() - began)))
    finally:
        for process in (worker, receiver):
            if process is not None:
                stop(process)
        for system in systems:
            shutil.rmtree(os.path.join(settings.MEDIA_ROOT, "systems", system.schema_name), True)

    print(f"\nmail in, {n} messages a phase, {args.clients} SMTP clients, worker concurrency 2")
    print(f"  receiver alone (250s/s)             {accept_rate:7.1f} /s")
    print(f"  worker alone (tickets/s, backlog)   {drain_rate:7.1f} /s")
    print(
        f"  SMTP 250 to ticket, both running    {live_rate:7.1f} /s   "
        f"(target >= {TARGET_PER_SECOND}/s: {live_rate / TARGET_PER_SECOND:.2f}x)"
    )
    print(
        f"  250 to ticket, under that load     p50 {ms(p50(latencies))}   p95 {ms(p95(latencies))}"
    )
    print(
        f"  250 to ticket, {args.paced_rate:g}/s one by one     "
        f"p50 {ms(p50(paced))}   p95 {ms(p95(paced))}"
    )
    print(f"  outcomes: {outcomes()}")
    print(f"  machine load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def _visible_after(systems: list, message_id: str, accepted_at: float) -> float:
    from tests.support.tenancy import in_schema
    from tickets.mail.models import InboundMessage

    for system in systems:
        with in_schema(system):
            done = (
                InboundMessage.objects.filter(message_id=message_id)
                .values_list("processed_at", flat=True)
                .first()
            )
        if done is not None:
            return done.timestamp() - accepted_at
    raise SystemExit(f"{message_id} was not processed")


def _answers(port: int) -> bool:
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=2) as smtp:
            return smtp.noop()[0] == 250
    except OSError:
        return False


def _wait(check: Callable[[], bool], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"not done within {seconds} s")
        time.sleep(0.05)


def _profile(systems: list) -> None:
    """Process the stored messages in this process under cProfile; print where time goes."""
    import cProfile
    import pstats

    from tests.support.tenancy import in_schema
    from tickets.mail.models import InboundMessage
    from tickets.mail.services.processing import inbound_process

    profiler = cProfile.Profile()
    count = 0
    began = time.perf_counter()
    for system in systems:
        with in_schema(system):
            waiting = InboundMessage.objects.filter(status=InboundMessage.Status.RECEIVED)
            for pk in waiting.values_list("pk", flat=True):
                profiler.enable()
                inbound_process(message_pk=pk)
                profiler.disable()
                count += 1
    elapsed = time.perf_counter() - began
    print(f"\nprocessed {count} messages in one process: {count / elapsed:.1f} /s")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
