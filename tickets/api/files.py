"""/api/v1/tickets/{number}/files: a ticket's files — list them, read one, download its
bytes, upload new ones. The same rules as the ticket's page: files on internal notes are
staff's; uploads go through ``ticket_reply`` (a reply or a note carrying them, as the reply
box sends them) with the same content checks, limits, quota and thumbnails; downloads
answer with the page's headers (``tickets.downloads``). Mounted by TicketsConfig.ready()."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile
from pydantic import Field

from accounts.api.etags import etag_for, none_match, not_modified
from accounts.api.pagination import Key, keyset_page, list_body, page_size
from accounts.api.problems import ApiProblem
from accounts.models import User
from accounts.permissions import Perm, can
from tickets import selectors, uploads
from tickets.api.refs import person_ref, user_of
from tickets.api.schemas import PersonRef, ReplyOut, StatusCode
from tickets.api.selectors import reply_shape, reply_values
from tickets.downloads import attachment_response
from tickets.models import Attachment, Ticket
from tickets.services.tickets import ticket_reply

router = Router(tags=["files"])

# The upload's URL name: its view is marked for the upload handler (tickets.uploads), which
# refuses a body the System can't take before it is spooled (TicketsConfig.ready()).
UPLOAD_URL_NAME = "ticket_files"


class FileOut(Schema):
    id: int
    name: str
    content_type: str = Field(description="Found from the content, never from the name.")
    kind: str = Field(description="image, video or file (anything else is only downloaded).")
    size: int
    sha256: str
    created_at: str
    reply: int | None = Field(description="The reply or note it came with; null: the ticket's.")
    internal: bool = Field(description="On an internal note (staff only).")
    uploaded_by: PersonRef | None
    removed: bool = Field(description="Disabled by the operator: the download answers 451.")
    url: str
    download_url: str
    thumbnail_url: str | None


class FileList(Schema):
    items: list[FileOut]
    next: str | None
    next_cursor: str | None


class Uploaded(Schema):
    reply: ReplyOut
    files: list[FileOut]


# --- reads ---------------------------------------------------------------------------------


def files_visible(*, user: User, ticket: Ticket) -> QuerySet[Attachment]:
    """The ticket's files ``user`` may download (``attachment_get_for_user``'s rule):
    neither trashed nor deleted; those of internal notes for staff only."""
    files = Attachment.objects.live().filter(ticket=ticket)
    if not can(user, Perm.TICKET_VIEW_ALL):
        files = files.exclude(reply__is_internal=True)
    return files


def _removed(attachment: Attachment, ticket: Ticket) -> bool:
    reply = attachment.reply
    if attachment.removed_reason or (reply is not None and reply.removed_reason):
        return True
    return reply is None and bool(ticket.removed_reason)


def file_shape(
    attachment: Attachment, *, request: HttpRequest, ticket: Ticket, staff: bool
) -> dict[str, object]:
    keys = {"number": ticket.number, "attachment_id": attachment.pk}
    url = request.build_absolute_uri(reverse("api:ticket_file", kwargs=keys))
    download = request.build_absolute_uri(reverse("api:ticket_file_content", kwargs=keys))
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "kind": attachment.kind,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "created_at": attachment.created_at.isoformat(),
        "reply": attachment.reply_id,
        "internal": bool(attachment.reply and attachment.reply.is_internal),
        "uploaded_by": person_ref(attachment.uploaded_by, show_email=staff),
        "removed": _removed(attachment, ticket),
        "url": url,
        "download_url": download,
        "thumbnail_url": f"{download}?size=thumb" if attachment.thumbnail else None,
    }


def _etag(attachment: Attachment) -> str:
    # The bytes never change; removal by the operator and a thumbnail made later do.
    return etag_for(
        "file",
        attachment.pk,
        attachment.sha256,
        attachment.removed_reason,
        attachment.thumbnail.name if attachment.thumbnail else "",
    )


@router.get(
    "/{int:number}/files",
    response=FileList,
    url_name=UPLOAD_URL_NAME,
    summary="List a ticket's files",
)
def list_files(
    request: HttpRequest, number: int, cursor: str | None = None, limit: int | None = None
):
    """The files you may download, oldest first: the ticket's own and those of its replies
    (of internal notes for staff only)."""
    user = user_of(request)
    ticket = selectors.ticket_get_for_user(user=user, number=number)
    staff = can(user, Perm.TICKET_VIEW_ALL)

    def load(ids: list[int]) -> list[Attachment]:
        rows = Attachment.objects.filter(pk__in=ids).select_related("reply", "uploaded_by")
        found = {row.pk: row for row in rows}
        return [found[pk] for pk in ids]

    page = keyset_page(
        files_visible(user=user, ticket=ticket),
        keys=(Key("id"),),
        cursor=cursor,
        limit=page_size(limit),
        load=load,
    )
    return list_body(
        request,
        page,
        [file_shape(a, request=request, ticket=ticket, staff=staff) for a in page.items],
    )


@router.get(
    "/{int:number}/files/{int:attachment_id}",
    response={200: FileOut, 304: None},
    url_name="ticket_file",
    summary="Read a file's details",
)
def read_file(request: HttpRequest, number: int, attachment_id: int, response: HttpResponse):
    user = user_of(request)
    attachment = selectors.attachment_get_for_user(
        user=user, number=number, attachment_id=attachment_id
    )
    etag = _etag(attachment)
    if none_match(request, etag):
        return not_modified(etag)
    response["ETag"] = etag
    staff = can(user, Perm.TICKET_VIEW_ALL)
    return file_shape(attachment, request=request, ticket=attachment.ticket, staff=staff)


@router.get(
    "/{int:number}/files/{int:attachment_id}/content",
    response={200: None, 304: None},
    url_name="ticket_file_content",
    summary="Download a file",
)
def download_file(
    request: HttpRequest, number: int, attachment_id: int, size: str | None = None
) -> HttpResponseBase:
    """The bytes, as the ticket page serves them: images and videos inline, anything else
    (HTML, SVG, unknown types) as a download, with ``nosniff`` and a sandbox. ``size=thumb``:
    the image's preview, once made. A file the operator disabled answers 451."""
    attachment = selectors.attachment_get_for_user(
        user=user_of(request), number=number, attachment_id=attachment_id
    )
    reason = selectors.removal_reason(attachment=attachment)
    if reason:
        raise ApiProblem(
            451, "file-removed", title=_("This file was removed by the operator."), detail=reason
        )
    thumbnail = size == "thumb" and bool(attachment.thumbnail)
    etag = etag_for(_etag(attachment), thumbnail)
    if none_match(request, etag):
        return not_modified(etag)
    response = attachment_response(attachment, thumbnail=thumbnail)
    response["ETag"] = etag
    return response


# --- upload ------------------------------------------------------------------------------


@router.post(
    "/{int:number}/files",
    response={201: Uploaded},
    url_name=UPLOAD_URL_NAME,
    summary="Upload files to a ticket",
)
def upload_files(
    request: HttpRequest,
    number: int,
    files: list[UploadedFile] = File(None),  # noqa: B008 - ninja's way to declare a part
    body: str = Form(""),
    internal: bool = Form(False),
    status: StatusCode | None = Form(None),  # noqa: B008
):
    """``multipart/form-data`` with one or more ``files`` parts, as the reply box sends them:
    they arrive on a new reply (``body`` may be empty) or, for staff, an internal note
    (``internal=true``). The type is found from the content: HTML or SVG named ``.png`` is
    stored as a file only ever downloaded. A file over the System's limit, or beyond its
    storage, is refused (413 before it is read, 422 after) and nothing is kept."""
    refused = uploads.refusal(request)
    if refused:
        raise ApiProblem(
            413,
            "upload-refused",
            title=_("These files can't be stored."),
            detail=refused,
            errors=[{"field": "files", "message": refused}],
        )
    sent = files or []
    if not sent:
        raise ApiProblem(
            422,
            "invalid-request",
            title=_("The request is not valid."),
            detail=_("Attach at least one file."),
            errors=[{"field": "files", "message": _("Attach at least one file.")}],
        )
    user = user_of(request)
    ticket = selectors.ticket_get_for_user(user=user, number=number)
    reply = ticket_reply(
        actor=user, ticket=ticket, body=body, internal=internal, status=status, files=sent
    )
    staff = can(user, Perm.TICKET_VIEW_ALL)
    stored = list(reply.attachments.select_related("reply", "uploaded_by").order_by("id"))
    return Status(
        201,
        {
            "reply": reply_shape(reply_values(reply), staff=staff),
            "files": [file_shape(a, request=request, ticket=ticket, staff=staff) for a in stored],
        },
    )
