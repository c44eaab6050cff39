"""Service notices: the public status page and its Atom feed (public site), and closing
the banner (inside a System)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from legal import notice_selectors as selectors
from legal.notice_models import ServiceNotice
from legal.services.service_notices import service_notice_dismiss
from servicedesk.http import local_path
from servicedesk.markdown import render_markdown

PAST_PER_PAGE = 10


def status_page(request: HttpRequest) -> HttpResponse:
    """Notices under way, then scheduled ones, then past ones, each with its updates."""
    now = timezone.now()
    current = selectors.notices_current()
    past = Paginator(selectors.notices_past(), PAST_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "legal/status.html",
        {
            "under_way": [notice for notice in current if notice.starts_at <= now],
            "scheduled": [notice for notice in current if notice.starts_at > now],
            "past": past,
        },
    )


def status_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_public_get(pk=pk)
    if notice is None:
        raise Http404(_("No such notice."))
    return render(request, "legal/status_notice.html", {"notice": notice})


class StatusFeed(Feed):
    """Atom: one entry per notice, its date moving with each update and its end."""

    feed_type = Atom1Feed
    title = gettext_lazy("Service Desk status")
    subtitle = gettext_lazy("Incidents, maintenance and force majeure affecting Service Desk.")

    def link(self) -> str:
        return reverse("status")

    def items(self) -> list[ServiceNotice]:
        return selectors.notices_for_feed()

    def item_title(self, item: ServiceNotice) -> str:
        return f"{item.get_kind_display()}: {item.title}"

    def item_description(self, item: ServiceNotice) -> str:
        parts = [render_markdown(item.body)]
        for update in item.updates.all():
            stamp = f"{update.posted_at:%Y-%m-%d %H:%M} UTC"
            parts.append(f"<h3>{_('Update')} · {stamp}</h3>{render_markdown(update.body)}")
        if item.ended_at:
            parts.append(f"<p>{_('Ended')} {item.ended_at:%Y-%m-%d %H:%M} UTC</p>")
        return "".join(parts)

    def item_link(self, item: ServiceNotice) -> str:
        return reverse("status_notice", args=[item.pk])

    def item_pubdate(self, item: ServiceNotice):
        return item.published_at

    def item_updateddate(self, item: ServiceNotice):
        return item.last_activity  # type: ignore[attr-defined]


def status_feed(request: HttpRequest) -> HttpResponse:
    return StatusFeed()(request)


@login_required
@require_POST
def notice_dismiss(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Close a notice's banner for this person until its next update (a form, no JS)."""
    banner = next(
        (b for b in selectors.banners_for_system(system_id=request.system.pk) if b.id == notice_id),
        None,
    )
    if banner is None:
        if not selectors.notice_ended_here(pk=notice_id, system_id=request.system.pk):
            raise Http404(_("No such notice here."))
        return redirect(local_path(request.POST.get("next")) or "/")  # it ended meanwhile
    seen = request.POST.get("update", "")
    # As of the update the person saw: one posted since must still show.
    update_id = min(int(seen), banner.update_id) if seen.isdigit() else banner.update_id
    service_notice_dismiss(actor=request.user, notice_id=banner.id, update_id=update_id)
    messages.info(
        request, _("The notice is hidden until its next update. The status page keeps it.")
    )
    return redirect(local_path(request.POST.get("next")) or "/")
