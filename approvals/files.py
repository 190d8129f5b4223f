"""An approval node's attached document (the 批复 scanned or signed), served by the app.

The file is never linked by its storage address: on local media nothing serves /media/ in
production, and on an S3-compatible store the address is a signed URL that anyone holding it can
open. The view reads it through the same scope as the node plan, like the report photos
(reports.views.photo_file); the security middleware adds `X-Content-Type-Options: nosniff` and, for a
signed-in user, `Cache-Control: no-store` (keyproj.middleware.NoStoreWhenSignedIn).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import ApprovalNode

# The types RecordForm.clean_attachment lets in (checked by their first bytes on upload).
ATTACHMENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A node's document for whoever reads its plan (a project's or a reserve candidate's): 404 for a
    node out of the user's sight, one without a file, or a file gone from the storage."""
    visible = ApprovalNode.objects.plans_of(request.user)
    node = get_object_or_404(visible.exclude(attachment=""), pk=pk)
    ext = node.attachment.name.rsplit(".", 1)[-1].lower()
    content_type = ATTACHMENT_TYPES.get(ext)
    try:
        handle = node.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("The attachment's file was removed.")
    # A known type opens in the browser (a PDF viewer, an image); anything else is only downloaded.
    return FileResponse(
        handle,
        as_attachment=content_type is None,
        filename=f"{node.name}.{ext}",
        content_type=content_type or "application/octet-stream",
    )
