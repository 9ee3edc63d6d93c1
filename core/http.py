"""HTTP answers shared by apps: a generated PDF with an ETag, so a repeat costs a 304."""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified


def pdf_response(pdf: bytes, *, request, filename: str) -> HttpResponse:
    """``pdf`` inline under ``filename``; its hash is the ETag. Never cached without asking
    again: a refund changes a receipt."""
    etag = f'"{hashlib.sha256(pdf).hexdigest()[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response
