"""Attachments are typed from their content, size-limited and checked for zip bombs before anything is saved."""

import hashlib
import io
import struct
import zipfile
import zlib

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from gongkai.lib import files
from gongkai.lib.files import ALLOWED_KINDS, DEFAULT_MAX_BYTES, FileKind, FileRejected, check_upload, sha256_of, sniff

MB = 1024 * 1024


# --- samples, built from the formats' own definitions ------------------------------------------------


def png_bytes() -> bytes:
    """A real 1×1 grey PNG (PNG spec: signature, IHDR, IDAT, IEND, each chunk with its CRC)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF87 = (
    b"GIF87a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
GIF89 = GIF87.replace(b"GIF87a", b"GIF89a")
WEBP = b"RIFF" + struct.pack("<I", 26) + b"WEBPVP8L" + struct.pack("<I", 14) + b"\x2f" + b"\x00" * 13
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00PE\x00\x00"
)
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("张店区发展和改革局")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["名称", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ooxml(kind: str = "docx", members: dict[str, bytes] | None = None, *, skip: tuple[str, ...] = ()) -> bytes:
    """A zip shaped like a DOCX or XLSX (the parts check_upload looks for), plus `members`."""
    parts = {"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>"}
    parts["word/document.xml" if kind == "docx" else "xl/workbook.xml"] = b"<document/>"
    parts.update(members or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name not in skip:
                archive.writestr(name, data)
    return buffer.getvalue()


def write_zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    """Stream `size` zero bytes into a member, so a huge declared size costs little time and disk."""
    block = b"\x00" * MB
    with archive.open(name, "w", force_zip64=True) as member:
        for _ in range(size // MB):
            member.write(block)
        member.write(b"\x00" * (size % MB))


def refusal(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(FileRejected) as caught:
        check_upload(io.BytesIO(data), name, **kwargs)
    message = str(caught.value)
    assert message.startswith(f"文件“{name}”"), "the message is Chinese first and names the file"
    assert f' / The file "{name}" ' in message, "then English, naming the file again"
    return message


# --- what a file is, from its content ----------------------------------------------------------------


def test_an_exe_renamed_pdf_is_refused_naming_the_real_type():
    message = refusal(WINDOWS_EXE + b"\x00" * 2000, "报告.pdf")
    assert "的内容是Windows可执行程序，不是PDF文档" in message
    assert "is a Windows executable program, not a PDF document" in message


def test_a_png_named_pdf_is_refused_and_told_the_name_to_use():
    message = refusal(png_bytes(), "photo.pdf")
    assert "的内容是PNG图片，不是PDF文档" in message
    assert "请改名为“photo.png”" in message
    assert "is a PNG image, not a PDF document" in message


@pytest.mark.parametrize(
    ("data", "name", "kind", "content_type", "extension"),
    [
        (PDF, "通知.pdf", "pdf", "application/pdf", ".pdf"),
        (PDF, "通知.PDF", "pdf", "application/pdf", ".pdf"),
        (png_bytes(), "图.png", "png", "image/png", ".png"),
        (JPEG, "图.jpg", "jpeg", "image/jpeg", ".jpg"),
        (JPEG, "图.JPEG", "jpeg", "image/jpeg", ".jpg"),
        (GIF87, "图.gif", "gif", "image/gif", ".gif"),
        (GIF89, "图.gif", "gif", "image/gif", ".gif"),
        (WEBP, "图.webp", "webp", "image/webp", ".webp"),
        (
            real_docx(),
            "通知.docx",
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        (
            real_xlsx(),
            "名单.xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ".xlsx",
        ),
    ],
)
def test_each_accepted_type_is_recognised_from_its_content(data, name, kind, content_type, extension):
    assert check_upload(io.BytesIO(data), name) == FileKind(kind, content_type, extension)
    assert kind in ALLOWED_KINDS


def test_the_allowed_kinds_are_exactly_the_documented_ones():
    assert set(ALLOWED_KINDS) == {"pdf", "docx", "xlsx", "png", "jpeg", "gif", "webp"}
    assert DEFAULT_MAX_BYTES == 20 * MB


def test_a_file_without_an_extension_is_refused_with_the_name_to_use():
    message = refusal(PDF, "年度报告")
    assert "扩展名为空" in message
    assert "请改名为“年度报告.pdf”" in message


def test_a_pdf_with_an_unrelated_extension_is_refused():
    message = refusal(PDF, "年度报告.txt")
    assert "扩展名“.txt”与内容不符" in message
    assert "请改名为“年度报告.pdf”" in message


def test_an_ole2_doc_is_refused_with_advice_to_save_it_as_docx():
    message = refusal(OLE2_DOC, "旧通知.doc")
    assert "旧版Office文档" in message
    assert "另存为DOCX、XLSX或PDF" in message
    assert "legacy Office document" in message


@pytest.mark.parametrize(
    ("data", "real_type"),
    [
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "Linux可执行程序"),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 100, "macOS可执行程序"),
        (b"#!/bin/sh\nrm -rf /\n", "脚本程序"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><body>x</body></html>", "网页（HTML）"),
        (b"<html><script>alert(1)</script></html>", "网页（HTML）"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG图形"),
        (b'<?xml version="1.0"?><a/>', "XML文件"),
        (b"Rar!\x1a\x07\x00" + b"\x00" * 20, "RAR压缩包"),
        (b"{\\rtf1\\ansi hello}", "RTF文档"),
    ],
)
def test_other_refused_types_are_named(data, real_type):
    message = refusal(data, "附件.pdf")
    assert f"的内容是{real_type}" in message
    assert "只能上传PDF、Word（DOCX）、Excel（XLSX）文件和PNG、JPEG、GIF、WebP图片" in message


def test_unrecognised_content_is_refused():
    message = refusal(b"just some text that is no document at all", "说明.pdf")
    assert "的类型无法识别" in message
    assert "unrecognised type" in message


def test_an_empty_file_is_refused():
    assert "是空文件" in refusal(b"", "空.pdf")


def test_sniff_decides_from_the_first_bytes_alone():
    assert sniff(PDF[:16], "a.pdf").kind == "pdf"
    assert sniff(png_bytes()[:16], "a.png").kind == "png"
    with pytest.raises(FileRejected, match="Windows可执行程序"):
        sniff(WINDOWS_EXE[:16], "a.pdf")


def test_sniff_looks_inside_a_zip_it_holds_whole_and_trusts_a_docx_name_only_provisionally():
    document = real_docx()
    assert sniff(document, "a.docx").kind == "docx"
    with pytest.raises(FileRejected, match="Word文档（DOCX），不是Excel表格（XLSX）"):
        sniff(document, "a.xlsx")
    # The head of a larger archive cannot be opened: the name decides, check_upload confirms.
    assert sniff(document[:4096], "a.xlsx").kind == "xlsx"
    with pytest.raises(FileRejected, match="Word文档（DOCX），不是Excel表格（XLSX）"):
        check_upload(io.BytesIO(document), "a.xlsx")
    with pytest.raises(FileRejected, match="ZIP压缩包"):
        sniff(document[:4096], "a.pdf")


# --- size ----------------------------------------------------------------------------------------------


def test_an_oversized_file_is_refused_with_the_limit_in_mb():
    message = refusal(PDF + b"\x00" * MB, "大文件.pdf", max_bytes=MB)
    assert "超过了1 MB的大小上限" in message
    assert "over the 1 MB size limit" in message


def test_a_file_of_exactly_the_limit_is_accepted():
    data = PDF + b"\x00" * (MB - len(PDF))
    assert len(data) == MB
    assert check_upload(io.BytesIO(data), "刚好.pdf", max_bytes=MB).kind == "pdf"


def test_an_oversized_django_upload_is_refused_with_its_size_and_the_default_limit():
    upload = SimpleUploadedFile("大文件.pdf", PDF + b"\x00" * (21 * MB), content_type="application/pdf")
    with pytest.raises(FileRejected) as caught:
        check_upload(upload, upload.name)
    assert "大小为21 MB，超过了20 MB的上限" in str(caught.value)
    assert "is 21 MB, over the 20 MB limit" in str(caught.value)


class EndlessPdf(io.RawIOBase):
    """A seekable stream that never ends, counting what is read from it."""

    def __init__(self) -> None:
        self.position = 0
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.position = offset
        return offset

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        head = PDF[self.position : self.position + len(buffer)]
        data = head + b"\x00" * (len(buffer) - len(head))
        buffer[: len(data)] = data
        self.position += len(data)
        self.bytes_read += len(data)
        return len(data)


def test_it_reads_at_most_one_byte_past_the_limit():
    stream = EndlessPdf()
    with pytest.raises(FileRejected, match="超过了2 MB的大小上限"):
        check_upload(stream, "无尽.pdf", max_bytes=2 * MB)
    assert stream.bytes_read == 2 * MB + 1
    assert stream.tell() == 0


# --- DOCX and XLSX: what is inside the zip ----------------------------------------------------------


def test_a_zip_bomb_docx_is_refused_before_any_member_is_decompressed(tmp_path, monkeypatch):
    bomb = tmp_path / "炸弹.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        write_zeros_member(archive, "word/document.xml", 300 * MB)
    assert bomb.stat().st_size < 2 * MB

    def no_decompressing(*args, **kwargs):
        raise AssertionError("check_upload must not decompress a member")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompressing)
    with bomb.open("rb") as upload, pytest.raises(FileRejected) as caught:
        check_upload(upload, "炸弹.docx")
    message = str(caught.value)
    assert "“word/document.xml”声明解压后为300 MB" in message
    assert "超过100:1" in message
    assert "压缩炸弹" in message and "zip bomb" in message


def test_a_zip_bomb_xlsx_is_refused_too(tmp_path):
    bomb = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        write_zeros_member(archive, "xl/worksheets/sheet1.xml", 50 * MB)
    with bomb.open("rb") as upload, pytest.raises(FileRejected, match=r"sheet1\.xml”声明解压后为50 MB"):
        check_upload(upload, "炸弹.xlsx")


def test_a_small_member_that_compresses_very_well_is_accepted(tmp_path):
    # Below 10 MB a high ratio is normal (a sheet of repeated cells); only large members are suspect.
    path = tmp_path / "名单.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        write_zeros_member(archive, "xl/worksheets/sheet1.xml", 9 * MB)
    with path.open("rb") as upload:
        assert check_upload(upload, "名单.xlsx").kind == "xlsx"


def test_an_archive_declaring_more_than_200_mb_in_total_is_refused(tmp_path):
    path = tmp_path / "大表.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for number in range(1, 24):  # 23 × 9 MB: each member passes the ratio rule, the sum does not
            write_zeros_member(archive, f"xl/worksheets/sheet{number}.xml", 9 * MB)
    with path.open("rb") as upload, pytest.raises(FileRejected) as caught:
        check_upload(upload, "大表.xlsx")
    assert "声明解压后共207 MB，超过200 MB" in str(caught.value)


def test_more_than_10000_members_are_refused_and_10000_accepted():
    filler = {f"word/media/{number}.xml": b"" for number in range(files.MAX_ZIP_MEMBERS - 3)}
    assert check_upload(io.BytesIO(ooxml("docx", filler)), "多.docx").kind == "docx"
    filler["word/media/one-too-many.xml"] = b""
    assert "包含10001个文件，超过10000个" in refusal(ooxml("docx", filler), "多.docx")


def test_an_archive_of_65536_members_is_refused_from_its_zip64_end_record_without_listing_them(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # over 65,535 members: the count lives in the zip64 record
        for number in range(0x10000):
            archive.writestr(str(number), b"")

    def no_listing(*args, **kwargs):
        raise AssertionError("the members must not be listed one by one")

    monkeypatch.setattr(zipfile.ZipFile, "__init__", no_listing)
    assert "包含65536个文件，超过10000个" in refusal(buffer.getvalue(), "多.docx")


@pytest.mark.parametrize("member", ["../evil.xml", "word/../../evil.xml", "/etc/cron.d/x", "C:/evil.xml", "\\evil.xml"])
def test_a_member_path_leaving_the_archive_is_refused(member):
    message = refusal(ooxml("docx", {member: b"x"}), "路径.docx")
    assert f"包含指向文档之外的路径“{member}”" in message


def test_a_member_name_merely_containing_two_dots_is_fine():
    assert check_upload(io.BytesIO(ooxml("docx", {"word/media/image..1.png": b"x"})), "点.docx").kind == "docx"


def mark_encrypted(data: bytes, member: str) -> bytes:
    """Set the "encrypted" bit (general-purpose flag 0x1) of `member` in the central directory.

    Python's zipfile cannot write encrypted members; check_upload reads only the central directory, where
    each entry is "PK\\x01\\x02", flags at offset 8, name length at 28 and the name at 46 (APPNOTE 4.3.12).
    """
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        (name_length,) = struct.unpack_from("<H", patched, at + 28)
        if patched[at + 46 : at + 46 + name_length] == member.encode():
            (flags,) = struct.unpack_from("<H", patched, at + 8)
            struct.pack_into("<H", patched, at + 8, flags | 0x1)
            return bytes(patched)
        at = patched.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no member {member}")


def test_an_encrypted_member_is_refused():
    data = mark_encrypted(ooxml("docx", {"word/secret.xml": b"x"}), "word/secret.xml")
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/secret.xml").flag_bits & 0x1
    message = refusal(data, "加密.docx")
    assert "已加密或设置了密码" in message


def test_a_macro_enabled_document_renamed_docx_is_refused():
    message = refusal(ooxml("docx", {"word/vbaProject.bin": b"\x00"}), "宏.docx")
    assert "包含宏" in message


def test_a_docx_named_xlsx_is_refused_saying_it_is_a_word_document():
    message = refusal(ooxml("docx"), "名单.xlsx")
    assert "的内容是Word文档（DOCX），不是Excel表格（XLSX）" in message
    assert "请改名为“名单.docx”" in message


@pytest.mark.parametrize(
    ("members", "skip", "real_type"),
    [
        ({"readme.txt": b"hi"}, ("[Content_Types].xml", "_rels/.rels", "word/document.xml"), "ZIP压缩包"),
        ({"ppt/presentation.xml": b"<p/>"}, ("word/document.xml",), "PowerPoint演示文稿（PPTX）"),
        ({"mimetype": b"application/vnd.oasis.opendocument.text"}, ("[Content_Types].xml",), "OpenDocument文档"),
        ({}, ("word/document.xml",), "无法识别的Office文档"),
        ({"xl/workbook.xml": b"<w/>"}, (), "无法识别的Office文档"),
    ],
)
def test_archives_that_are_not_a_docx_or_xlsx_are_refused_naming_what_they_are(members, skip, real_type):
    message = refusal(ooxml("docx", members, skip=skip), "文档.docx")
    assert f"的内容是{real_type}" in message


def test_a_truncated_docx_is_refused_as_damaged():
    data = real_docx()
    message = refusal(data[: len(data) // 2], "残缺.docx")
    assert "已损坏" in message and "damaged" in message


# --- file objects --------------------------------------------------------------------------------------


def test_check_upload_rewinds_the_file_after_acceptance_and_after_refusal():
    accepted = io.BytesIO(real_docx())
    accepted.seek(100)  # a caller that already read some of it
    assert check_upload(accepted, "a.docx").kind == "docx"
    assert accepted.tell() == 0
    refused = io.BytesIO(WINDOWS_EXE)
    with pytest.raises(FileRejected):
        check_upload(refused, "a.pdf")
    assert refused.tell() == 0


def test_it_accepts_django_uploaded_files_in_memory_and_on_disk():
    in_memory = SimpleUploadedFile("名单.xlsx", real_xlsx())
    assert check_upload(in_memory, in_memory.name).kind == "xlsx"
    assert in_memory.read(2) == b"PK"
    on_disk = TemporaryUploadedFile("通知.docx", "application/octet-stream", 0, None)
    data = real_docx()
    on_disk.write(data)
    on_disk.size = len(data)
    assert check_upload(on_disk, on_disk.name).kind == "docx"
    assert sha256_of(on_disk) == hashlib.sha256(data).hexdigest()
    on_disk.close()


def test_sha256_of_reads_the_whole_file_from_the_start_and_rewinds():
    data = b"%PDF-" + bytes(range(256)) * 10_000
    stream = io.BytesIO(data)
    stream.seek(1234)
    assert sha256_of(stream) == hashlib.sha256(data).hexdigest()
    assert stream.tell() == 0


def test_a_refusal_is_a_value_error_that_keeps_the_file_name():
    with pytest.raises(ValueError) as caught:
        check_upload(io.BytesIO(WINDOWS_EXE), "报告.pdf")
    assert isinstance(caught.value, FileRejected)
    assert caught.value.name == "报告.pdf"


MAGIC_PREFIXES = [
    b"",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF",
]


@given(
    prefix=st.sampled_from(MAGIC_PREFIXES),
    body=st.binary(max_size=600),
    name=st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.png", "a.jpg", "a.gif", "a.webp", "a", "a.exe"]),
)
def test_any_bytes_are_either_accepted_as_an_allowed_kind_or_refused_cleanly(prefix, body, name):
    data = prefix + body
    try:
        kind = check_upload(io.BytesIO(data), name)
    except FileRejected as error:
        assert str(error).startswith(f"文件“{name}”")
        return
    assert kind.kind in ALLOWED_KINDS
    assert name.endswith(kind.extension)
