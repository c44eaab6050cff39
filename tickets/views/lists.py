"""The dashboard and the ticket list (filters, search, counts, bulk actions)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.permissions import Perm, can, require
from tickets import selectors
from tickets.fields import selectors as custom_fields
from tickets.fields.models import PREFIX as CUSTOM
from tickets.models import Category, Contact, Priority, Status, Tag
from tickets.onboarding import selectors as onboarding
from tickets.responses import selectors as response_selectors
from tickets.saved import selectors as saved
from tickets.saved.query import query_parse
from tickets.services import bulk
from tickets.services.trash import trash_allowed
from tickets.views.columns import field_columns


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _requester(value: str) -> tuple[int | None, int | None]:
    """(account id, contact id) from an account id or an email typed in the filter form: a
    contact's address (someone who wrote by mail) finds his tickets."""
    value = value.strip()
    if value.isdigit():
        return int(value), None
    if "@" in value:
        found = User.objects.filter(email__iexact=value).values_list("pk", flat=True).first()
        if found is not None:
            return found, None
        contact = Contact.objects.filter(email__iexact=value).values_list("pk", flat=True).first()
        return (None, contact) if contact is not None else (0, None)
    return None, None


def filters_from(query: QueryDict) -> selectors.TicketFilters:
    requester, contact = _requester(query.get("requester", ""))
    return selectors.TicketFilters(
        statuses=[s for s in query.getlist("status") if s in Status.values],
        priority=query.get("priority", "") if query.get("priority") in Priority.values else "",
        assignee=query.get("assignee", "")
        if query.get("assignee", "") in {"me", "none"} or query.get("assignee", "").isdigit()
        else "",
        category=_int(query.get("category", "")),
        tag=query.get("tag", "")[:50],
        requester=requester,
        contact=contact,
        created_from=_date(query.get("from", "")),
        created_to=_date(query.get("to", "")),
        q=query.get("q", "")[:200],
        sort=query.get("sort", "updated") if query.get("sort") in selectors.SORTS else "updated",
        sla=query.get("sla", "") if query.get("sla") in selectors.SLA_FILTERS else "",
        custom=_custom(query),
    )


def _custom(query: QueryDict) -> dict[str, str]:
    """``cf_<key>=<value>`` filters on custom fields (tickets.fields checks them)."""
    # Only the cf_ keys are read (saved views keep the keys the list reads).
    names = [name for name in query if name.startswith(CUSTOM)]
    chosen = {name.removeprefix(CUSTOM): query[name][:200] for name in names if query[name].strip()}
    return dict(sorted(chosen.items())[:20])


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = selectors.TicketFilters(
        statuses=[Status.NEW, Status.OPEN, Status.PENDING],
        assignee="me" if can(user, Perm.TICKET_WORK) else "",
    )
    return render(
        request,
        "tickets/dashboard.html",
        {
            "counts": selectors.dashboard_counts(user=user),
            "page": selectors.ticket_page(user=user, filters=mine),
            "staff": can(user, Perm.TICKET_WORK),
            "checklist": onboarding.checklist_for_user(user=user),
            "reports": can(user, Perm.VIEW_REPORTS),
        },
    )


@login_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    filters, current = query_parse(request.GET, parse=filters_from)
    opened = (
        saved.view_open(user=request.user, ref=request.GET["view"])
        if "view" in request.GET
        else None
    )
    if opened is not None and opened.query and set(request.GET) <= {"view", "page"}:
        return redirect(opened.url)  # ?view=<id> alone: the view's filters, in the address
    page_number = _int(request.GET.get("page", "")) or 1
    page = selectors.ticket_page(user=request.user, filters=filters, page=page_number)
    staff = can(request.user, Perm.TICKET_WORK)
    # The custom fields he may see, read once: the filter form and the columns.
    fields = custom_fields.fields_for_user(user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    status_query = query.copy()
    status_query.pop("status", None)
    return render(
        request,
        "tickets/list.html",
        {
            "page": page,
            "filters": filters,
            "staff": staff,
            "query": query.urlencode(),
            # Each ticket's link carries the list (tickets.collab: previous / next).
            "row_query": urlencode({"list": request.GET.urlencode()}),
            "status_query": status_query.urlencode(),
            "statuses": Status.choices,
            "priorities": Priority.choices,
            "categories": Category.objects.all(),
            "agents": selectors.staff_people() if staff else User.objects.none(),
            "requester_email": request.GET.get("requester", "")[:254],
            "tags": Tag.objects.all()[:200],
            "bulk_actions": bulk.BULK_ACTIONS,
            "macros": response_selectors.reply_tools(user=request.user).macros if staff else [],
            "may_trash": staff and trash_allowed(user=request.user, system=request.system),
            "sort_choices": selectors.SORT_LABELS.items(),
            "sla_choices": selectors.SLA_FILTERS.items(),
            "views": saved.list_views(
                user=request.user,
                query=current,
                opened=opened,
                parse=filters_from,
                extra_columns=field_columns(fields),
            ),
            "custom_filters": custom_fields.filter_controls(
                user=request.user, chosen=filters.custom, fields=fields
            ),
        },
    )


@login_required
@require_POST
def ticket_bulk(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_WORK)
    numbers = [int(n) for n in request.POST.getlist("ticket") if n.isdigit()][:500]
    action = request.POST.get("action", "")
    raw = request.POST.get(f"value_{action}", "")
    back = request.POST.get("back", "")
    back = back if back.startswith("/tickets/") else "/tickets/"
    if not numbers:
        messages.error(request, _("Tick at least one ticket first."))
        return redirect(back)
    value: object = raw
    if action == "assign":
        value = selectors.staff_people().filter(pk=_int(raw) or 0).first() if raw else None
        if raw and value is None:
            messages.error(request, _("Choose someone who works tickets."))
            return redirect(back)
    elif action == "status" and raw not in Status.values:
        messages.error(request, _("Choose a status."))
        return redirect(back)
    elif action == "priority" and raw not in Priority.values:
        messages.error(request, _("Choose a priority."))
        return redirect(back)
    elif action == "tag" and not raw.strip():
        messages.error(request, _("Type the tag to add."))
        return redirect(back)
    elif action == "macro":
        value = response_selectors.macros_for_user(user=request.user).filter(pk=_int(raw) or 0)
        value = value.first()
        if value is None:
            messages.error(request, _("Choose a macro."))
            return redirect(back)
    tickets = selectors.visible_tickets(request.user).filter(number__in=numbers)
    try:
        count = bulk.tickets_bulk(actor=request.user, tickets=tickets, action=action, value=value)
    except ValidationError as error:
        nothing = " " + _("No ticket was changed.") if action == "macro" else ""
        messages.error(request, " ".join(error.messages) + nothing)
    else:
        if action == "trash":
            done = ngettext(
                "Moved %(count)d ticket to the trash.",
                "Moved %(count)d tickets to the trash.",
                count,
            ) % {"count": count}
            later = ngettext(
                "Restore them from the Trash page within %(days)d day.",
                "Restore them from the Trash page within %(days)d days.",
                settings.TRASH_DAYS,
            ) % {"days": settings.TRASH_DAYS}
            messages.success(request, f"{done} {later}")
        elif action == "macro":
            messages.success(
                request,
                ngettext(
                    "Macro “%(name)s” applied to %(count)d ticket.",
                    "Macro “%(name)s” applied to %(count)d tickets.",
                    count,
                )
                % {"name": value, "count": count},
            )
        else:
            messages.success(
                request,
                ngettext("Done for %(count)d ticket.", "Done for %(count)d tickets.", count)
                % {"count": count},
            )
    return redirect(back)
