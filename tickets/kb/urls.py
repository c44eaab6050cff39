"""URLs of the knowledge base, on each System's host (included by tickets.urls)."""

from django.urls import path

from tickets.kb.views import center, manage, sections

urlpatterns = [
    # The help center (readers).
    path("help/", center.kb_home, name="kb_home"),
    path("help/search/", center.kb_search, name="kb_search"),
    path("help/suggest/", center.kb_suggest, name="kb_suggest"),
    path("help/sections/<int:section_id>/", center.kb_section, name="kb_section"),
    path(
        "help/articles/<int:article_id>-<slug:article_slug>/", center.kb_article, name="kb_article"
    ),
    path("help/articles/<int:article_id>/vote/", center.kb_vote, name="kb_vote"),
    # The agents' pages.
    path("help/manage/", manage.kb_manage, name="kb_manage"),
    path("help/manage/settings/", manage.kb_settings, name="kb_settings"),
    path("help/manage/lookup/", manage.kb_article_lookup, name="kb_article_lookup"),
    path("help/manage/articles/new/", manage.kb_article_new, name="kb_article_new"),
    path("help/manage/articles/<int:article_id>/", manage.kb_article_edit, name="kb_article_edit"),
    path(
        "help/manage/articles/<int:article_id>/history/",
        manage.kb_article_history,
        name="kb_article_history",
    ),
    path(
        "help/manage/articles/<int:article_id>/delete/",
        manage.kb_article_delete,
        name="kb_article_delete",
    ),
    path("help/manage/sections/", sections.kb_sections, name="kb_sections"),
    path(
        "help/manage/sections/<int:section_id>/", sections.kb_section_edit, name="kb_section_edit"
    ),
    path(
        "help/manage/sections/<int:section_id>/delete/",
        sections.kb_section_delete,
        name="kb_section_delete",
    ),
]
