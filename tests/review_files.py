"""What the review tests screen: made-up personal numbers (the ID's check digit is right) and DOCX uploads."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

ID = "370303199003071235"  # valid check digit, born 1990-03-07
ID_MASKED = "370303********1235"
OTHER_ID = "370303198506123012"
MOBILE = "13905331234"


def docx_upload(name: str, *lines: str) -> SimpleUploadedFile:
    """A DOCX of one paragraph per line, as a form upload."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
