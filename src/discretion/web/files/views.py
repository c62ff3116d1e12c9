from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from discretion.web.audit.log import record
from discretion.web.audit.models import Action
from discretion.web.cases.views import _get_case_for_user
from discretion.web.files import blobs
from discretion.web.files.models import StoredFile
from discretion.web.files.store import UploadRejected, store

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def file_response(f: StoredFile, *, as_attachment: bool = True) -> FileResponse:
    """Stream a stored file's clear bytes from the storage (data folder or bucket), opened chunk
    by chunk when sealed, never read whole into memory. 404 if the bytes are missing."""
    if not blobs.exists(f.path):
        raise Http404("The file is missing from storage")
    response = FileResponse(f.chunks(), content_type=f.content_type)
    # FileResponse sets these only for a file object; the chunks of a sealed file are not one.
    response["Content-Length"] = str(f.size)
    response["Content-Disposition"] = content_disposition_header(as_attachment, f.original_name) or "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def download(request: HttpRequest, code: UUID) -> HttpResponseBase:
    try:
        f = StoredFile.objects.select_related("case").get(code=code)
    except StoredFile.DoesNotExist:
        raise Http404("No such file") from None
    _get_case_for_user(request, f.case.code)  # 404 unless the file's case is in the user's organisation
    inline = request.GET.get("inline") == "1" and f.content_type in INLINE_TYPES
    response = file_response(f, as_attachment=not inline)
    record(request, Action.DOWNLOAD, obj=f, case=f.case, summary=f"Downloaded {f.original_name}")
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    return response


@require_POST
def upload(request: HttpRequest, code: UUID) -> HttpResponse:
    case = _get_case_for_user(request, code, write=True)
    uploads = request.FILES.getlist("file")
    back = reverse("cases:detail", kwargs={"code": case.code}) + "#files"
    if request.POST.get("next", "").startswith(f"/cases/{case.code}/"):
        back = request.POST["next"]
    if not uploads:
        messages.error(request, "File: choose at least one file to upload.")
        return redirect(back)
    description = request.POST.get("description", "").strip()
    proves = [p for p in request.POST.getlist("proves") if p][:20]
    saved = 0
    for u in uploads:
        try:
            f = store(u, case=case, by=request.user, description=description, proves=proves)
        except UploadRejected as exc:
            messages.error(request, f"File: {exc}.")
            continue
        saved += 1
        record(request, Action.UPLOAD, obj=f, case=case, summary=f"Uploaded {f.original_name}")
    if saved:
        messages.success(request, f"{saved} file{'s' if saved > 1 else ''} uploaded.")
    return redirect(back)
