"""Where an image file ends, read from its container (markers, chunks, blocks, boxes),
not from its decoder: anything after that end is a second file riding on the first.

A polyglot (a JPEG with HTML after it) decodes as a good image, and re-encoding would
drop the trailer, but the issue asks for such a file to be refused: what it carries is
not a picture, and an upload that is two things at once is not one we want to keep.
Each walker returns the offset just past the image's last byte, or None when the
structure is broken (the decoder then says the file is damaged anyway).
"""

from __future__ import annotations

import struct


def image_end(data: bytes, fmt: str) -> int | None:
    """The offset where the image of format `fmt` (a key of models.FORMATS) ends."""
    walker = {"JPEG": jpeg_end, "PNG": png_end, "GIF": gif_end, "WEBP": riff_end, "AVIF": isobmff_end}[fmt]
    try:
        return walker(data)
    except (IndexError, struct.error):
        return None


def trailing_bytes(data: bytes, fmt: str) -> bytes | None:
    """What follows the image, ignoring NUL padding (some cameras pad to a block size);
    None when the container cannot be walked."""
    end = image_end(data, fmt)
    if end is None:
        return None
    return data[end:].rstrip(b"\x00")


def jpeg_end(data: bytes) -> int | None:
    """Segments by their lengths (an EXIF thumbnail's own FFD9 sits inside APP1 and is
    skipped); after each SOS, the entropy-coded data runs to the next marker that is
    not a stuffed FF00, a restart marker (FFD0-FFD7) or fill bytes. EOI (FFD9) ends it."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at < len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker == 0xD9:
            return at + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
        if marker == 0xDA:  # start of scan: skip the entropy-coded data
            at = next_marker(data, at)
            if at is None:
                return None
    return None


def next_marker(data: bytes, at: int) -> int | None:
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            return None
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at


def png_end(data: bytes) -> int | None:
    """Chunks (length, type, data, CRC) from the signature to IEND."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at : at + 8])
        at += 12 + length
        if kind == b"IEND":
            return at if at <= len(data) else None
    return None


def gif_end(data: bytes) -> int | None:
    """Header, screen descriptor and its colour table, then images and extensions
    (each a run of sub-blocks ending in a zero length) up to the trailer (3B)."""
    if data[:3] != b"GIF":
        return None
    flags = data[10]
    at = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    while at < len(data):
        introducer = data[at]
        if introducer == 0x3B:
            return at + 1
        if introducer == 0x21:  # extension: label, then sub-blocks
            at = skip_sub_blocks(data, at + 2)
        elif introducer == 0x2C:  # image: descriptor, local colour table, LZW size, sub-blocks
            flags = data[at + 9]
            at += 10 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
            at = skip_sub_blocks(data, at + 1)
        else:
            return None
    return None


def skip_sub_blocks(data: bytes, at: int) -> int:
    while data[at]:
        at += 1 + data[at]
    return at + 1


def riff_end(data: bytes) -> int | None:
    """WebP is a RIFF file: its header says how long it is (padded to an even length)."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    (size,) = struct.unpack("<I", data[4:8])
    end = 8 + size + (size & 1)
    return end if end <= len(data) else None


def isobmff_end(data: bytes) -> int | None:
    """AVIF is an ISO base media file: top-level boxes, each with its size (1: a 64-bit
    size follows; 0: to the end of the file)."""
    at = 0
    while at + 8 <= len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        if size == 1:
            (size,) = struct.unpack(">Q", data[at + 8 : at + 16])
        elif size == 0:
            return len(data)
        if size < 8:
            return None
        at += size
    return at if at == len(data) else (None if at > len(data) else at)
