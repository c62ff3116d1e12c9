from __future__ import annotations

from django.urls import path

from discretion.web.booking import public, views

app_name = "booking"

urlpatterns = [
    # The person's pages (public, translated).
    path("book/<slug:slug>/", public.start, name="start"),
    path("book/<slug:slug>/court/", public.court, name="court"),
    path("book/<slug:slug>/careful/", public.safety, name="safety"),
    path("book/<slug:slug>/detained/", public.detained, name="detained"),
    path("book/<slug:slug>/court-date/", public.hearing, name="hearing"),
    path("book/<slug:slug>/day/", public.day, name="day"),
    path("book/<slug:slug>/day/<str:day>/", public.time, name="time"),
    path("book/<slug:slug>/contact/", public.contact, name="contact"),
    path("book/<slug:slug>/check/", public.check, name="check"),
    path("booked/<str:token>/", public.manage, name="manage"),
    path("booked/<str:token>/calendar.ics", public.calendar_file, name="calendar"),
    path("booked/<str:token>/cancel/", public.cancel, name="cancel"),
    path("booked/<str:token>/move/", public.move_day, name="move_day"),
    path("booked/<str:token>/move/<str:day>/", public.move_time, name="move_time"),
    # The practitioner's.
    path("consultations/", views.bookings, name="list"),
    path("consultations/<uuid:code>/cancel/", views.cancel, name="org_cancel"),
    path("consultations/availability/", views.availability, name="availability"),
    path("consultations/availability/blocked/", views.blackout_add, name="blackout_add"),
    path(
        "consultations/availability/blocked/<int:pk>/remove/", views.blackout_remove, name="blackout_remove"
    ),
    path("consultations/page/", views.page_settings, name="page"),
]
