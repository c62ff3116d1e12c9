from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from discretion.web import monitoring
from discretion.web.accounts import email_links, people, security
from discretion.web.accounts import views as accounts
from discretion.web.audit import views as audit
from discretion.web.cases import exports, notes
from discretion.web.cases import views as cases
from discretion.web.documents import views as documents
from discretion.web.files import views as files
from discretion.web.tracking import due
from discretion.web.tracking import views as tracking

admin.site.site_header = "discretion back office"
admin.site.site_title = "discretion"

accounts_urls = (
    [
        path("login/", accounts.login_view, name="login"),
        path("login/code/", accounts.login_code, name="login_code"),
        path("logout/", accounts.logout_view, name="logout"),
        path("password/", accounts.password_change, name="password"),
        path("password/reset/", email_links.PasswordReset.as_view(), name="password_reset"),
        path("password/reset/sent/", email_links.PasswordResetSent.as_view(), name="password_reset_done"),
        path(
            "password/reset/<uidb64>/<token>/",
            email_links.PasswordResetConfirm.as_view(),
            name="password_reset_confirm",
        ),
        path("password/reset/done/", email_links.PasswordResetComplete.as_view(), name="password_reset_complete"),
        path("two-factor/", security.overview, name="two_factor"),
        path("two-factor/setup/", security.setup, name="two_factor_setup"),
        path("two-factor/recovery-codes/", security.recovery_codes, name="recovery_codes"),
        path("two-factor/off/", security.turn_off, name="two_factor_off"),
        path("join/<str:token>/", email_links.join, name="join"),
        path("people/", people.people, name="people"),
        path("people/invite/", people.invite, name="invite"),
        path("people/invitations/<uuid:code>/resend/", people.invitation_resend, name="invitation_resend"),
        path("people/invitations/<uuid:code>/withdraw/", people.invitation_withdraw, name="invitation_withdraw"),
        path("people/<int:user_id>/", people.member_update, name="member"),
        path("people/<int:user_id>/two-factor/reset/", people.member_reset_two_factor, name="member_reset_two_factor"),
    ],
    "accounts",
)

cases_urls = (
    [
        path("", cases.case_list, name="list"),
        path("new/", cases.case_new, name="new"),
        path("import/", cases.case_import, name="import"),
        path("export.csv", exports.case_list_csv, name="list_csv"),
        path("courts/", cases.court_search, name="courts"),
        path("<uuid:code>/", cases.case_detail, name="detail"),
        path("<uuid:code>/facts/<slug:section>/", cases.section_edit, name="section"),
        path("<uuid:code>/facts/<slug:section>/check/", cases.section_validate, name="section_check"),
        path("<uuid:code>/screen/", cases.screen_now, name="screen"),
        path("<uuid:code>/compare/", cases.compare, name="compare"),
        path("<uuid:code>/settings/", cases.case_settings, name="settings"),
        path("<uuid:code>/export.json", exports.case_json, name="export"),
        path("<uuid:code>/export.yaml", exports.case_yaml, name="export_yaml"),
        path("<uuid:code>/notes/", notes.note_new, name="note_new"),
        path("notes/<uuid:code>/edit/", notes.note_edit, name="note_edit"),
        path("notes/<uuid:code>/delete/", notes.note_delete, name="note_delete"),
        path("<uuid:code>/tasks/", due.task_new, name="task_new"),
        path("<uuid:code>/history/", cases.history, name="history"),
        path("<uuid:code>/screening.md", cases.screening_report, name="screening_report"),
        path("<uuid:code>/files/", files.upload, name="upload"),
        path("<uuid:code>/requests/new/", tracking.request_new, name="request_new"),
    ],
    "cases",
)

tracking_urls = (
    [
        path("", tracking.dashboard, name="dashboard"),
        path("requests/<uuid:code>/", tracking.request_detail, name="request"),
        path("requests/<uuid:code>/events/", tracking.request_event, name="request_event"),
        path("requests/<uuid:code>/edit/", tracking.request_edit, name="request_edit"),
        path("due/", due.due, name="due"),
        path("due/digest/", due.digest_settings, name="digest"),
        path("tasks/<uuid:code>/edit/", due.task_edit, name="task_edit"),
        path("tasks/<uuid:code>/done/", due.task_done, name="task_done"),
        path("tasks/<uuid:code>/delete/", due.task_delete, name="task_delete"),
        path("calendar/", tracking.calendar_settings, name="calendar"),
        path("calendar/<str:token>.ics", tracking.calendar_feed, name="feed"),
    ],
    "tracking",
)

urlpatterns = [
    path("", include(tracking_urls)),
    path("accounts/", include(accounts_urls)),
    path("cases/", include(cases_urls)),
    path("cases/", include("discretion.web.documents.urls")),
    path("accounts/signer/", documents.signer_profile, name="signer"),
    path("accounts/letterhead/", documents.letterhead, name="letterhead"),
    path("files/<uuid:code>/", files.download, name="download"),
    path("audit/", audit.audit_log, name="audit"),
    path("healthz", monitoring.healthz, name="healthz"),
    path("metrics", monitoring.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("", include("discretion.web.booking.urls")),
    path("", include("discretion.web.intake.urls")),
]
