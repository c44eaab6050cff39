from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from legal import selectors
from servicedesk.markdown import render_markdown


def terms(request: HttpRequest) -> HttpResponse:
    current = selectors.terms_current()
    if current is None:
        raise Http404("No terms are published yet.")
    return render(
        request, "legal/terms.html", {"terms": current, "body": render_markdown(current.body)}
    )
