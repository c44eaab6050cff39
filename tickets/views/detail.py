"""One ticket: raise it, read and answer it, change it, merge it, download its files."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.permissions import Perm, can, require
from servicedesk.forms import add_errors
from servicedesk.markdown import render_markdown
from tickets import message_selectors, selectors, uploads
from tickets.collab.context import collab_context, keep_list, mention_handles
from tickets.collab.forms import ReplyGuardForm
from tickets.collab.services import ReplyCrossed, reply_post
from tickets.downloads import attachment_response
from tickets.fields import selectors as custom_fields
from tickets.fields.models import PREFIX as CUSTOM
from tickets.forms import MergeForm, ReplyForm, TicketFieldsForm, TicketForm, split_tags
from tickets.links import cloud_links
from tickets.mail import selectors as mail_selectors
from tickets.models import Category, Status, Tag, Ticket, TicketEvent
from tickets.rendering import Viewer, deleted_line, edited_mark, timeline_html, versions_html
from tickets.responses import selectors as response_selectors
from tickets.satisfaction.selectors import ticket_satisfaction
from tickets.services import merge, trash
from tickets.services import tickets as ticket_services
from tickets.sla.selectors import ticket_sla_box
from tickets.views.lists import filters_from


@uploads.stores_uploads
@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Perm.TICKET_CREATE)
    staff = can(request.user, Perm.TICKET_WORK)
    assignees = selectors.staff_people()
    fields = custom_fields.fields_for_user(user=request.user)
    form = TicketForm(staff=staff, assignees=assignees, custom_fields=fields)
    if request.method == "POST":
        form = TicketForm(
            request.POST,
            request.FILES,
            staff=staff,
            assignees=assignees,
            custom_fields=fields,
            upload_refused=uploads.refusal(request),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = ticket_services.ticket_create(
                    actor=request.user,
                    subject=data["subject"],
                    description=data["description"],
                    category=data["category"],
                    priority=data.get("priority") or "normal",
                    assignee=data.get("assignee"),
                    tags=split_tags(data.get("tags", "")),
                    files=data["files"],
                    custom=form.custom_values(),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Ticket #%(number)d is raised.") % {"number": ticket.number}
                )
                return redirect("ticket_detail", number=ticket.number)
    return render(request, "tickets/new.html", {"form": form}, status=400 if form.is_bound else 200)


def _sidebar_values(ticket: Ticket, tags: list[Tag]) -> dict[str, object]:
    return {
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "assignee": ticket.assignee_id,
        "category": ticket.category_id,
        "tags": ", ".join(tag.name for tag in tags),
        "due_on": ticket.due_on,
        **{CUSTOM + key: value for key, value in ticket.custom.items()},
    }


def _assignee_choices(ticket: Ticket) -> list[User]:
    """Staff, and whoever holds the ticket even if he no longer is: a sidebar left alone must
    send him back as he is, not as "Nobody"."""
    people = list(selectors.staff_people())
    if ticket.assignee is not None and all(p.pk != ticket.assignee_id for p in people):
        people.append(ticket.assignee)
    return people


def _assignees(ticket: Ticket) -> QuerySet[User]:
    """What the sidebar accepts as an assignee (the service still refuses non-staff)."""
    return selectors.staff_people() | User.objects.filter(pk=ticket.assignee_id)


def _detail_context(request, ticket, reply_form, fields_form=None, preview=None) -> dict:
    staff = can(request.user, Perm.TICKET_WORK)
    tags = list(ticket.tags.all())
    followers = list(ticket.followers.all())
    # Custom fields he may see: active ones are in the staff's sidebar form; the others
    # (all of them for members) are shown as text.
    fields = custom_fields.fields_for_user(user=request.user, archived=True)
    if staff and fields_form is None:
        fields_form = TicketFieldsForm(
            assignees=selectors.staff_people(),
            subject=not ticket.removed_reason,
            initial=_sidebar_values(ticket, tags),
            custom_fields=[field for field in fields if field.is_active],
            custom=ticket.custom,
        )
    timeline = selectors.ticket_timeline(user=request.user, ticket=ticket)
    # Cards come only from text the page shows: never from what the operator removed.
    texts = [] if ticket.removed_reason else [ticket.description]
    texts += [
        entry.reply.body for entry in timeline if entry.reply and not entry.reply.removed_reason
    ]
    # Stored HTML was sanitised when written; older rows are rendered now.
    description = (
        mark_safe(ticket.description_html)  # noqa: S308 - nh3-sanitised at write time
        if ticket.description_html
        else render_markdown(ticket.description)
    )
    report_url = reverse("content_report", args=[ticket.number])
    may_trash = trash.trash_allowed(user=request.user, system=request.system)
    origins = mail_selectors.mail_origins(
        ticket=ticket,
        by_mail=any(
            entry.event.kind == TicketEvent.Kind.CREATED and entry.event.new_value == "by email"
            for entry in timeline
            if entry.event
        ),
        reply_ids=[
            entry.reply.pk
            for entry in timeline
            if entry.reply and entry.reply.via_mail and not entry.reply.removed_reason
        ],
    )
    original = f"/tickets/{ticket.number}/mail/{{}}/"
    assignees = _assignee_choices(ticket) if staff else []
    viewer = Viewer(
        rule=message_selectors.ChangeRule.for_user(request.user),
        versions=message_selectors.message_versions(user=request.user, ticket=ticket),
        originals={reply: original.format(pk) for reply, pk in origins.replies.items()},
        contact=ticket.contact,
        mentions=mention_handles(assignees),
    )
    files = selectors.ticket_files(ticket=ticket)
    for file in files:
        file.may_delete = viewer.may_change(file.uploaded_by_id, file.created_at)  # type: ignore[attr-defined]
        if file.erased_at is not None:
            file.deleted_line = deleted_line(file.erased_by, file.erased_at)  # type: ignore[attr-defined]
    return {
        "ticket": ticket,
        "timeline_html": timeline_html(
            timeline,
            number=ticket.number,
            report_url=report_url,
            may_trash=may_trash,
            viewer=viewer,
        ),
        "may_edit_description": not ticket.removed_reason
        and message_selectors.description_may_change(user=request.user, ticket=ticket),
        "description_edited": edited_mark(
            ticket.description_edited_by, None, ticket.description_edited_at
        ),
        "description_versions": versions_html(viewer.versions.get(None, [])),
        "description_original": original.format(origins.description) if origins.description else "",
        "may_trash": may_trash,
        "trash_days": settings.TRASH_DAYS,
        "assignees": assignees,
        "categories": list(Category.objects.all()) if staff else [],
        "description": description,
        "timeline": timeline,
        "files": files,
        "links": [link for text in texts for link in cloud_links(text)],
        "reply_form": reply_form,
        "fields_form": fields_form,
        "merge_form": MergeForm() if staff else None,
        "staff": staff,
        "sla": ticket_sla_box(ticket=ticket) if staff else None,
        "satisfaction": ticket_satisfaction(user=request.user, ticket=ticket),
        "preview": preview,
        "is_requester": ticket.requester_id == request.user.pk,
        "is_follower": request.user in followers,
        "followers": followers,
        "tags": tags,
        "reply_tools": response_selectors.reply_tools(user=request.user) if staff else None,
        "custom_values": custom_fields.values_shown(
            ticket=ticket, fields=[f for f in fields if not (staff and f.is_active)]
        ),
        "delivery_problems": (
            mail_selectors.ticket_delivery_problems(ticket=ticket) if staff else []
        ),
        **collab_context(
            request,
            ticket=ticket,
            timeline=timeline,
            staff=staff,
            filters_from=filters_from,
            people=assignees,
        ),
    }


@uploads.stores_uploads
@login_required
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    staff = can(request.user, Perm.TICKET_WORK)
    default_status = Status.OPEN if ticket.status == Status.NEW else ticket.status
    initial = {"kind": "reply", "status": default_status}
    if staff and "response" in request.GET:  # "Insert a canned response" without script
        initial["body"] = response_selectors.response_text(
            user=request.user, ticket=ticket, response_id=request.GET["response"]
        )
    form = ReplyForm(staff=staff, initial=initial)
    preview = None
    crossed = None
    status = 200
    if request.method == "POST":
        form = ReplyForm(
            request.POST, request.FILES, staff=staff, upload_refused=uploads.refusal(request)
        )
        if form.is_valid():
            data = form.cleaned_data
            if "preview" in request.POST:
                preview = render_markdown(data["body"])
            else:
                guard = ReplyGuardForm(request.POST)
                try:
                    reply_post(
                        actor=request.user,
                        ticket=ticket,
                        body=data["body"],
                        internal=data.get("kind") == "note",
                        status=data.get("status") or None,
                        files=data["files"],
                        seen=guard.seen_value(),
                        confirmed=guard.confirmed(),
                    )
                except ReplyCrossed as clash:
                    crossed = clash
                except ValidationError as error:
                    add_errors(form, error)
                else:
                    note = data.get("kind") == "note"
                    messages.success(
                        request, _("Internal note added.") if note else _("Reply sent.")
                    )
                    path = reverse("ticket_detail", args=[ticket.number])
                    return redirect(keep_list(request, path))
        if not preview:
            status = 409 if crossed else 400
    context = _detail_context(request, ticket, form, preview=preview)
    if crossed is not None:  # not sent: the page tells what arrived, the text is kept
        files = bool(form.cleaned_data.get("files"))
        context["collab"] = context["collab"].crossed(crossed.arrived, files_dropped=files)
    return render(request, "tickets/detail.html", context, status=status)


@login_required
@require_POST
def ticket_fields(request: HttpRequest, number: int) -> HttpResponse:
    """The sidebar's save: only what this person changed from what his page showed is
    written; a field someone else changed meanwhile is asked about, with both values."""
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    subject = not ticket.removed_reason
    fields = custom_fields.fields_for_user(user=request.user)
    form = TicketFieldsForm(
        request.POST,
        assignees=_assignees(ticket),
        subject=subject,
        custom_fields=fields,
        custom=ticket.custom,
    )
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        changes = {key: data[key] for key in ticket_services.EDITABLE if key in data}
        changes.update(form.custom_changes())
        try:
            result = ticket_services.ticket_update(
                actor=request.user,
                ticket=ticket,
                changes=changes,
                tags=split_tags(data["tags"]),
                shown=data["shown"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not result.conflicts:
                messages.success(request, _("Ticket updated."))
                return redirect("ticket_detail", number=ticket.number)
            # Drawn again from the ticket as it is now, so that the fields he left alone carry
            # the current values; the fields asked about keep what he chose.
            ticket = selectors.ticket_get_for_user(user=request.user, number=number)
            now = _sidebar_values(ticket, list(ticket.tags.all()))
            form = TicketFieldsForm(
                assignees=_assignees(ticket),
                subject=subject,
                initial={**now, **{c.field: c.yours for c in result.conflicts}},
                shown=now,
                conflicts=result.conflicts,
                custom_fields=fields,
                custom=ticket.custom,
            )
            saved = [form.label_of(f) for f in result.changed if f in form.fields]
            if saved:
                messages.success(request, _("Saved: %(fields)s.") % {"fields": ", ".join(saved)})
            status = 409
    reply_form = ReplyForm(staff=True, initial={"kind": "reply", "status": ticket.status})
    context = _detail_context(request, ticket, reply_form, fields_form=form)
    return render(request, "tickets/detail.html", context, status=status)


@login_required
@require_POST
def ticket_close(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    ticket_services.ticket_close(actor=request.user, ticket=ticket)
    messages.success(request, _("Ticket #%(number)d is closed.") % {"number": ticket.number})
    return redirect("ticket_detail", number=ticket.number)


@login_required
@require_POST
def ticket_reopen(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    try:
        ticket_services.ticket_reopen(actor=request.user, ticket=ticket)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Ticket #%(number)d is open again.") % {"number": ticket.number}
        )
    return redirect("ticket_detail", number=ticket.number)


@login_required
@require_POST
def ticket_follow(request: HttpRequest, number: int) -> HttpResponse:
    ticket = selectors.ticket_get_for_user(user=request.user, number=number)
    follow = request.POST.get("follow") == "1"
    ticket_services.ticket_follow(actor=request.user, ticket=ticket, follow=follow)
    messages.success(
        request, _("You follow this ticket.") if follow else _("You no longer follow it.")
    )
    return redirect("ticket_detail", number=ticket.number)


@login_required
@require_POST
def ticket_merge(request: HttpRequest, number: int) -> HttpResponse:
    source = selectors.ticket_get_for_user(user=request.user, number=number)
    require(request.user, Perm.TICKET_WORK)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            target = selectors.ticket_get_for_user(
                user=request.user, number=form.cleaned_data["target"]
            )
        except Http404:
            messages.error(
                request,
                _("There is no ticket #%(number)d.") % {"number": form.cleaned_data["target"]},
            )
            return redirect("ticket_detail", number=source.number)
        try:
            merge.ticket_merge(actor=request.user, source=source, target=target)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("ticket_detail", number=source.number)
        messages.success(
            request,
            _("#%(source)d is merged into #%(target)d.")
            % {"source": source.number, "target": target.number},
        )
        return redirect("ticket_detail", number=target.number)
    messages.error(request, _("Give the number of the ticket to merge into."))
    return redirect("ticket_detail", number=source.number)


# --- files --------------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request: HttpRequest, number: int, attachment_id: int) -> HttpResponse:
    attachment = selectors.attachment_get_for_user(
        user=request.user, number=number, attachment_id=attachment_id
    )
    reason = selectors.removal_reason(attachment=attachment)
    if reason:
        return render(
            request, "tickets/file_removed.html", {"reason": reason, "file": attachment}, status=451
        )
    return attachment_response(attachment, thumbnail=request.GET.get("size") == "thumb")
