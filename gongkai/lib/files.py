"""Attachment checks: what a file really is (from its content, never its name), its size, and zip-bomb guards.

A publication's attachments (附件) may be PDF, DOCX, XLSX or PNG/JPEG/GIF/WebP images. The publisher's file
name is not trusted: :func:`sniff` decides the type from the first bytes, and a name whose extension says
something else is refused too, so that what the public downloads opens in the program its name promises.

DOCX and XLSX are zip archives. Their parsers trust the archive's declared sizes and, on a crafted one,
python-calamine aborts the whole process (NOTES-performance.md, "Reliability"), so :func:`check_upload`
reads the zip's central directory and refuses a zip bomb before any parser sees the file. The directory can
lie about sizes; that is why text extraction also runs in a child process with memory and time limits
(:mod:`gongkai.lib.extract`).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import PureWindowsPath
from typing import BinaryIO

__all__ = [
    "ALLOWED_KINDS",
    "DEFAULT_MAX_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL_BYTES",
    "FileKind",
    "FileRejected",
    "check_upload",
    "sha256_of",
    "sniff",
]

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MB

# Zip-bomb guard. A real 20 MB DOCX or XLSX declares at most a few hundred MB; text and XML compress
# about 10:1, so a member at more than 100:1 that is also large is refused.
MAX_ZIP_TOTAL_BYTES = 200 * MB
MAX_ZIP_RATIO = 100
MAX_ZIP_RATIO_MIN_BYTES = 10 * MB
MAX_ZIP_MEMBERS = 10_000

HEAD_BYTES = 4096
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    kind: str  # "pdf" | "docx" | "xlsx" | "png" | "jpeg" | "gif" | "webp"
    content_type: str
    extension: str  # canonical, with the dot: ".pdf"


_KINDS: dict[str, FileKind] = {
    k.kind: k
    for k in (
        FileKind("pdf", "application/pdf", ".pdf"),
        FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        FileKind("png", "image/png", ".png"),
        FileKind("jpeg", "image/jpeg", ".jpg"),
        FileKind("gif", "image/gif", ".gif"),
        FileKind("webp", "image/webp", ".webp"),
    )
}
ALLOWED_KINDS: tuple[str, ...] = tuple(_KINDS)

# Extensions a name may carry for each kind (lower case).
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "pdf": (".pdf",),
    "docx": (".docx",),
    "xlsx": (".xlsx",),
    "png": (".png",),
    "jpeg": (".jpg", ".jpeg", ".jpe"),
    "gif": (".gif",),
    "webp": (".webp",),
}
_KIND_OF_EXTENSION = {ext: kind for kind, exts in _EXTENSIONS.items() for ext in exts}

# How a type is named in messages: (Chinese, English).
_LABELS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF文档", "a PDF document"),
    "docx": ("Word文档（DOCX）", "a Word document (DOCX)"),
    "xlsx": ("Excel表格（XLSX）", "an Excel workbook (XLSX)"),
    "png": ("PNG图片", "a PNG image"),
    "jpeg": ("JPEG图片", "a JPEG image"),
    "gif": ("GIF图片", "a GIF image"),
    "webp": ("WebP图片", "a WebP image"),
}
_ACCEPTED = (
    "只能上传PDF、Word（DOCX）、Excel（XLSX）文件和PNG、JPEG、GIF、WebP图片",
    "only PDF, Word (DOCX) and Excel (XLSX) files and PNG, JPEG, GIF and WebP images are accepted",
)


class FileRejected(ValueError):
    """An upload that is refused. The message is Chinese first, then English, and names the file."""

    def __init__(self, message: str, *, name: str | None = None) -> None:
        super().__init__(message)
        self.name = name


def _rejected(name: str, chinese: str, english: str) -> FileRejected:
    return FileRejected(f'文件“{name}”{chinese} / The file "{name}" {english}', name=name)


@dataclass(frozen=True)
class _Foreign:
    """A type that is recognised but never accepted."""

    chinese: str
    english: str
    advice: tuple[str, str] = _ACCEPTED


_OLD_OFFICE = _Foreign(
    "旧版Office文档（.doc、.xls或.ppt）",
    "a legacy Office document (.doc, .xls or .ppt)",
    (
        "请用Office或WPS另存为DOCX、XLSX或PDF后重新上传",
        "save it as DOCX, XLSX or PDF in Office or WPS and upload again",
    ),
)
_ZIP = _Foreign("ZIP压缩包", "a ZIP archive")

# Magic numbers of types that are refused but worth naming, so the publisher knows what went wrong.
_FOREIGN_MAGIC: tuple[tuple[bytes, _Foreign], ...] = (
    (b"MZ", _Foreign("Windows可执行程序", "a Windows executable program")),
    (b"\x7fELF", _Foreign("Linux可执行程序（ELF）", "a Linux executable program (ELF)")),
    (b"\xfe\xed\xfa\xce", _Foreign("macOS可执行程序", "a macOS executable program")),
    (b"\xfe\xed\xfa\xcf", _Foreign("macOS可执行程序", "a macOS executable program")),
    (b"\xce\xfa\xed\xfe", _Foreign("macOS可执行程序", "a macOS executable program")),
    (b"\xcf\xfa\xed\xfe", _Foreign("macOS可执行程序", "a macOS executable program")),
    (
        b"\xca\xfe\xba\xbe",
        _Foreign("可执行程序（Java类文件或macOS程序）", "an executable (Java class or macOS program)"),
    ),
    (b"#!", _Foreign("脚本程序", "a script")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", _OLD_OFFICE),
    (b"Rar!\x1a\x07", _Foreign("RAR压缩包", "a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", _Foreign("7-Zip压缩包", "a 7-Zip archive")),
    (b"\x1f\x8b", _Foreign("gzip压缩包", "a gzip archive")),
    (b"{\\rtf", _Foreign("RTF文档", "an RTF document")),
    (b"II*\x00", _Foreign("TIFF图片", "a TIFF image")),
    (b"MM\x00*", _Foreign("TIFF图片", "a TIFF image")),
)
_MARKUP = re.compile(rb"<(!doctype\s+html|html|head|body|script|iframe|svg|\?xml)[\s>/]", re.IGNORECASE)
_MARKUP_FOREIGN = {
    b"svg": _Foreign("SVG图形（可能包含脚本）", "an SVG drawing (which can contain scripts)"),
    b"?xml": _Foreign("XML文件", "an XML file"),
}
_HTML = _Foreign("网页（HTML）", "a web page (HTML)")
_EMPTY = _Foreign("空文件", "empty")


def _identify(head: bytes) -> str | _Foreign | None:
    """A kind from ALLOWED_KINDS, "zip" (DOCX or XLSX, to be looked into), a refused type, or None."""
    if not head:
        return _EMPTY
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    for magic, foreign in _FOREIGN_MAGIC:
        if head.startswith(magic):
            return foreign
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        found = _MARKUP.match(text)
        if found:
            return _MARKUP_FOREIGN.get(found.group(1).lower(), _HTML)
    return None


def _name_extension(name: str) -> str:
    return PureWindowsPath(name).suffix.lower()


def _refuse_foreign(name: str, foreign: _Foreign) -> FileRejected:
    if foreign is _EMPTY:
        return _rejected(name, "是空文件，请检查后重新上传。", "is empty; check it and upload again.")
    expected = _KIND_OF_EXTENSION.get(_name_extension(name))
    chinese = f"的内容是{foreign.chinese}"
    english = f"is {foreign.english}"
    if expected:
        chinese += f"，不是{_LABELS[expected][0]}"
        english += f", not {_LABELS[expected][1]}"
    return _rejected(name, f"{chinese}；{foreign.advice[0]}。", f"{english}; {foreign.advice[1]}.")


def _match_name(kind: str, name: str) -> FileKind:
    """Refuse a name whose extension promises another type; suggest the right name."""
    extension = _name_extension(name)
    if extension in _EXTENSIONS[kind]:
        return _KINDS[kind]
    stem = PureWindowsPath(name).stem if extension else PureWindowsPath(name).name
    suggestion = f"{stem}{_KINDS[kind].extension}"
    chinese_label, english_label = _LABELS[kind]
    expected = _KIND_OF_EXTENSION.get(extension)
    if expected:
        raise _rejected(
            name,
            f"的内容是{chinese_label}，不是{_LABELS[expected][0]}；请改名为“{suggestion}”后重新上传。",
            f'is {english_label}, not {_LABELS[expected][1]}; rename it to "{suggestion}" and upload again.',
        )
    shown = f"“{extension}”" if extension else "为空"
    shown_en = f'"{extension}"' if extension else "missing"
    raise _rejected(
        name,
        f"的内容是{chinese_label}，但扩展名{shown}与内容不符；请改名为“{suggestion}”后重新上传。",
        f'is {english_label}, but its extension is {shown_en}; rename it to "{suggestion}" and upload again.',
    )


def sniff(head: bytes, name: str) -> FileKind:
    """The type of a file from its first bytes (at least the first 16; 4 KB is plenty), checked against `name`.

    Executables, scripts, web pages, legacy Office files and anything unrecognised are refused, naming the
    real type when it is known; so is a name whose extension does not match the content. A zip archive is
    DOCX or XLSX only by what is inside it: when `head` holds the whole archive it is looked into (with the
    zip-bomb guards), otherwise the name's .docx/.xlsx is taken provisionally and :func:`check_upload`,
    which sees the whole file, confirms it.
    """
    found = _identify(head)
    if isinstance(found, _Foreign):
        raise _refuse_foreign(name, found)
    if found is None:
        raise _rejected(name, f"的类型无法识别；{_ACCEPTED[0]}。", f"is of an unrecognised type; {_ACCEPTED[1]}.")
    if found == "zip":
        try:
            found = _inspect_zip(io.BytesIO(head), name)
        except zipfile.BadZipFile:
            provisional = _KIND_OF_EXTENSION.get(_name_extension(name))
            if provisional not in ("docx", "xlsx"):
                raise _refuse_foreign(name, _ZIP) from None
            found = provisional
    return _match_name(found, name)


def _format_mb(size: int) -> str:
    return f"{size / MB:.3g}"


def _read_head_and_size(fileobj: BinaryIO, name: str, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes, keeping only the head; refuse a file over the limit."""
    head = b""
    total = 0
    while total <= max_bytes:
        chunk = fileobj.read(min(_CHUNK, max_bytes + 1 - total))
        if not chunk:
            break
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        total += len(chunk)
    if total > max_bytes:
        limit = _format_mb(max_bytes)
        size = getattr(fileobj, "size", None)  # Django's UploadedFile knows its size
        if isinstance(size, int) and size > max_bytes:
            raise _rejected(
                name,
                f"大小为{_format_mb(size)} MB，超过了{limit} MB的上限；请压缩或拆分后重新上传。",
                f"is {_format_mb(size)} MB, over the {limit} MB limit; compress or split it and upload again.",
            )
        raise _rejected(
            name,
            f"超过了{limit} MB的大小上限；请压缩或拆分后重新上传。",
            f"is over the {limit} MB size limit; compress or split it and upload again.",
        )
    return head


def _unsafe_member_name(member: str) -> bool:
    if member.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", member):
        return True
    return ".." in re.split(r"[/\\]", member)


def _bomb(name: str, chinese: str, english: str) -> FileRejected:
    return _rejected(
        name,
        f"不是正常的Office文档：{chinese}（可能是“压缩炸弹”）；请用Office或WPS重新保存后上传。",
        f"is not a normal Office document: {english} (possibly a zip bomb); save it again in Office or WPS "
        "and upload again.",
    )


def _declared_member_count(fileobj: BinaryIO) -> int | None:
    """The number of members the end-of-central-directory record declares (APPNOTE 4.3.16, zip64 4.3.14).

    Read before zipfile builds an object per member, so that 400,000 tiny members cost nothing to refuse.
    None when the record is not found (zipfile then reports the archive as damaged).
    """
    size = fileobj.seek(0, io.SEEK_END)
    start = max(0, size - (22 + 0xFFFF))  # the record is 22 bytes plus a comment of at most 64 KB
    fileobj.seek(start)
    tail = fileobj.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    locator = at - 20
    if count == 0xFFFF and locator >= 0 and tail[locator : locator + 4] == b"PK\x06\x07":
        (record_offset,) = struct.unpack_from("<Q", tail, locator + 8)
        fileobj.seek(record_offset)
        record = fileobj.read(40)
        if len(record) == 40 and record.startswith(b"PK\x06\x06"):
            (count,) = struct.unpack_from("<Q", record, 32)
    return count


def _zip_members(fileobj: BinaryIO) -> list[zipfile.ZipInfo]:
    """The central directory of an archive; any failure to read it is BadZipFile."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return archive.infolist()
    except zipfile.BadZipFile:
        raise
    except (OSError, ValueError, EOFError, NotImplementedError, struct.error) as error:
        raise zipfile.BadZipFile(str(error)) from error


def _inspect_zip(fileobj: BinaryIO, name: str, max_unzipped: int = MAX_ZIP_TOTAL_BYTES) -> str:
    """Check a zip archive's directory and return "docx" or "xlsx"; refuse anything else.

    Only the central directory is read; nothing is decompressed. Raises zipfile.BadZipFile for an archive
    that cannot be opened (the caller decides what that means).
    """
    declared = _declared_member_count(fileobj)
    fileobj.seek(0)
    members = [] if declared is not None and declared > MAX_ZIP_MEMBERS else _zip_members(fileobj)
    count = max(declared or 0, len(members))
    if count > MAX_ZIP_MEMBERS:
        raise _bomb(
            name,
            f"包含{count}个文件，超过{MAX_ZIP_MEMBERS}个",
            f"it holds {count} files, over {MAX_ZIP_MEMBERS}",
        )
    total = 0
    for member in members:
        if _unsafe_member_name(member.filename):
            raise _bomb(
                name,
                f"包含指向文档之外的路径“{member.filename}”",
                f'it holds a path outside the document, "{member.filename}"',
            )
        if member.flag_bits & 0x1:
            raise _rejected(
                name,
                "已加密或设置了密码；请取消密码后重新上传。",
                "is encrypted or password-protected; remove the password and upload again.",
            )
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_ZIP_RATIO_MIN_BYTES and ratio > MAX_ZIP_RATIO:
            raise _bomb(
                name,
                f"其中“{member.filename}”声明解压后为{_format_mb(member.file_size)} MB，压缩比{ratio:.0f}:1，"
                f"超过{MAX_ZIP_RATIO}:1",
                f'its member "{member.filename}" declares {_format_mb(member.file_size)} MB uncompressed, '
                f"a ratio of {ratio:.0f}:1, over {MAX_ZIP_RATIO}:1",
            )
    if total > max_unzipped:
        raise _bomb(
            name,
            f"声明解压后共{_format_mb(total)} MB，超过{_format_mb(max_unzipped)} MB",
            f"it declares {_format_mb(total)} MB uncompressed, over {_format_mb(max_unzipped)} MB",
        )
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        if "word/vbaProject.bin" in names or "xl/vbaProject.bin" in names:
            raise _rejected(
                name,
                "包含宏（VBA程序）；请另存为不含宏的DOCX或XLSX后重新上传。",
                "contains macros (VBA); save it as a DOCX or XLSX without macros and upload again.",
            )
        is_docx = "word/document.xml" in names
        is_xlsx = "xl/workbook.xml" in names
        if is_docx != is_xlsx:
            return "docx" if is_docx else "xlsx"
        if "ppt/presentation.xml" in names:
            raise _refuse_foreign(name, _Foreign("PowerPoint演示文稿（PPTX）", "a PowerPoint presentation (PPTX)"))
        raise _refuse_foreign(name, _Foreign("无法识别的Office文档", "an unrecognised Office document"))
    if "mimetype" in names:
        raise _refuse_foreign(name, _Foreign("OpenDocument文档（ODF）", "an OpenDocument file (ODF)"))
    raise _refuse_foreign(name, _ZIP)


def _seekable(fileobj: BinaryIO) -> BinaryIO:
    if not fileobj.seekable():
        raise TypeError("check_upload needs a seekable file object (Django's UploadedFile is one)")
    return fileobj


def check_upload(
    fileobj: BinaryIO, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES, max_unzipped: int = MAX_ZIP_TOTAL_BYTES
) -> FileKind:
    """Check an uploaded file before anything is saved: size, real type, and for DOCX/XLSX the zip guards.

    `fileobj` is a Django ``UploadedFile`` or a seekable binary file; it is read from the start and rewound
    to 0 before returning (or raising). Raises :class:`FileRejected` with a bilingual message naming `name`.
    """
    _seekable(fileobj)
    fileobj.seek(0)
    try:
        head = _read_head_and_size(fileobj, name, max_bytes)
        found = _identify(head)
        if found == "zip":
            fileobj.seek(0)
            try:
                found = _inspect_zip(fileobj, name, max_unzipped)
            except zipfile.BadZipFile:
                raise _rejected(
                    name,
                    "已损坏，无法作为Word或Excel文档打开；请重新保存后上传。",
                    "is damaged and cannot be opened as a Word or Excel document; save it again and upload again.",
                ) from None
            return _match_name(found, name)
        return sniff(head, name)
    finally:
        fileobj.seek(0)


def sha256_of(fileobj: BinaryIO) -> str:
    """The SHA-256 of the whole file, read in chunks from the start; the file is rewound afterwards."""
    _seekable(fileobj)
    fileobj.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(_CHUNK), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()
