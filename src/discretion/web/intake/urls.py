from __future__ import annotations

from django.urls import path

from discretion.web.intake import public, views

app_name = "intake"

urlpatterns = [
    # The person's pages (public, translated): opened from the private link.
    path("i/<str:token>/", public.open_link, name="open"),
    path("intake/", public.home, name="home"),
    path("intake/next/", public.next_step, name="next"),
    path("intake/question/<str:path>/", public.ask, name="question"),
    path("intake/question/<str:path>/add/", public.entry, name="entry"),
    path("intake/question/<str:path>/more/", public.more, name="more"),
    path("intake/papers/", public.documents_list, name="documents"),
    path("intake/papers/<str:item_id>/", public.document, name="document"),
    path("intake/check/", public.review, name="review"),
    path("intake/summary/<str:lang>/", public.summary, name="summary"),
    path("intake/close/", public.leave, name="leave"),
    # The practitioner's.
    path("cases/<uuid:code>/intake/", views.case_intake, name="case"),
    path("intake-invitations/<uuid:code>/", views.invitation, name="invitation"),
    path("intake-invitations/<uuid:code>/email/", views.email_link, name="email"),
    path("intake-invitations/<uuid:code>/new-link/", views.new_link, name="new_link"),
    path("intake-invitations/<uuid:code>/revoke/", views.revoke, name="revoke"),
    path("intake-invitations/<uuid:code>/accept/", views.accept, name="accept"),
    path("intake-invitations/<uuid:code>/return/", views.give_back, name="return"),
    path("intake-invitations/<uuid:code>/summary/", views.release_summary, name="release_summary"),
]
