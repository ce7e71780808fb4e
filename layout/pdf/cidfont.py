"""CID-keyed fonts: one embedded Type0 font per face per page.

Owns turning the characters a page draws with each face into one composite font per face
(PDF 32000-1 §9.7): a ``/Type0`` font with ``/Encoding /Identity-H`` over a ``/CIDFontType2``
descendant whose ``/FontFile2`` is a TrueType subset holding exactly the page's glyphs
(``sfnt``). CIDs are assigned per character, in code point order (CID 0 is .notdef), and the
subset's glyph i is CID i, so ``/CIDToGIDMap`` is ``/Identity``; two characters that share a
glyph get a CID each, so the ``/ToUnicode`` CMap gives every character back exactly (text
extraction, search, accessibility). Widths (``/W``) are the advances layout measured with,
so glyph positions in the PDF are the frame tree's.

This replaces ReportLab's simple-font subsets of 256 glyphs (page 05 carried nine, four for
the body face) and its parse of every full face: a page carries one font object per face.
The subset tag is derived from the face and the character list (same page, same bytes), and
font programs are kept in memory and in the cache (``cache``) by that same content.
"""

from __future__ import annotations

import hashlib
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import cache
from ..errors import logger
from .sfnt import TrueTypeFace

FONT_COMPRESSION = 6
"""zlib level of embedded font programs and CMaps (level 9 is 2 % smaller and 3× slower)."""

PROGRAM_MEMO_ENTRIES = 32
"""Compressed font programs kept in memory per process (a watch loop re-embeds after edits)."""

FACE_MEMO_ENTRIES = 16
"""Opened (memory-mapped) faces kept per process."""

SUBSET_VERSION = 1
"""Bump when ``sfnt.TrueTypeFace.subset`` changes its output, to retire cached programs."""

CACHE_KIND = "fontsubsets"
"""Cache folder of compressed font programs."""

_FACES: OrderedDict[tuple, TrueTypeFace] = OrderedDict()
_PROGRAMS: OrderedDict[str, tuple[bytes, int]] = OrderedDict()


def open_face(path: str, index: int) -> TrueTypeFace:
    """The memory-mapped face at ``path`` (memoised by path, index, size and mtime)."""
    import os

    st = os.stat(path)
    memo = (path, index, st.st_size, st.st_mtime_ns)
    face = _FACES.get(memo)
    if face is None:
        cache.touch(path)  # a converted face in the cache is in use: keep it from pruning
        face = TrueTypeFace(path, index)
        while len(_FACES) >= FACE_MEMO_ENTRIES:
            _FACES.popitem(last=False)[1].close()
        _FACES[memo] = face
    else:
        _FACES.move_to_end(memo)
    return face


def _tag(text: str) -> str:
    """Six capital letters from a digest (the subset prefix of PDF 32000-1 §9.6.4)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _utf16_hex(ch: str) -> str:
    return ch.encode("utf-16-be").hex().upper()


@dataclass
class EmbeddedFont:
    """One face's font on one page: its CIDs, how to encode text, and its PDF objects' data."""

    key: str
    face: object
    chars: list[str]
    codes: dict[str, str]
    tag: str
    gids: list[int]

    @property
    def base_font(self) -> str:
        """The PDF font name: subset tag + the face's unique key."""
        return f"{self.tag}+{self.face.key}"

    def encode(self, text: str) -> str:
        """Hex string of the CIDs of ``text`` (Identity-H: two bytes per character)."""
        codes = self.codes
        return "".join([codes[ch] for ch in text])

    def widths(self) -> list:
        """The ``/W`` array: widths in 1000-unit glyph space of CIDs whose width is not 1000."""
        out: list = []
        run_start, run = None, []
        for cid, ch in enumerate(self.chars, start=1):
            w = round(self.face.advance(ch) * 1000, 3)  # what layout measured with
            w = int(w) if w == int(w) else w
            if w == 1000:
                if run:
                    out += [run_start, run]
                    run_start, run = None, []
                continue
            if run and cid == run_start + len(run):
                run.append(w)
            else:
                if run:
                    out += [run_start, run]
                run_start, run = cid, [w]
        if run:
            out += [run_start, run]
        return out

    def to_unicode(self) -> bytes:
        """The ``/ToUnicode`` CMap: every CID back to its character (PDF 32000-1 §9.10.3)."""
        lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
                 "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
                 f"/CMapName /{self.tag}-UCS def", "/CMapType 2 def",
                 "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
        pairs = [f"<{cid:04X}> <{_utf16_hex(ch)}>" for cid, ch in enumerate(self.chars, start=1)]
        for i in range(0, len(pairs), 100):
            chunk = pairs[i:i + 100]
            lines += [f"{len(chunk)} beginbfchar", *chunk, "endbfchar"]
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def program(self) -> tuple[bytes, int]:
        """The compressed TrueType subset and its uncompressed length (memory, then disk cache)."""
        face = self.face
        src = open_face(str(face.path), face.index)
        # everything that decides the stored bytes is in the name (the compression level too):
        # the output must not depend on what an earlier version left in the cache
        name = hashlib.sha256(repr((SUBSET_VERSION, FONT_COMPRESSION, str(face.path), face.index,
                                    src.stamp, self.gids)).encode()).hexdigest()[:32]
        hit = _PROGRAMS.get(name)
        if hit is not None:
            _PROGRAMS.move_to_end(name)
            return hit
        entry = cache.read(CACHE_KIND, name + ".zz")
        hit = None
        if entry is not None and len(entry) > 4:
            length = int.from_bytes(entry[:4], "big")
            hit = (entry[4:], length)
        if hit is None:
            raw = src.subset(self.gids)
            hit = (zlib.compress(raw, FONT_COMPRESSION), len(raw))
            cache.write(CACHE_KIND, name + ".zz", hit[1].to_bytes(4, "big") + hit[0])
        while len(_PROGRAMS) >= PROGRAM_MEMO_ENTRIES:
            _PROGRAMS.popitem(last=False)
        _PROGRAMS[name] = hit
        return hit


def embed(faces: Mapping[str, object],
          chars: Mapping[str, Iterable[str]]) -> dict[str, EmbeddedFont]:
    """Plan one CID font per face key: ``chars[key]`` are the characters drawn with it."""
    out = {}
    for key in sorted(chars):
        face = faces[key]
        src = open_face(str(face.path), face.index)
        used = sorted(set(chars[key]))
        gids = [0]
        for ch in used:
            g = src.glyph_id(ord(ch))
            if g == 0:  # layout reports missing glyphs before; never drop one silently here
                logger.warning("%s has no glyph for %r (U+%04X); it prints as a blank box",
                               face.key, ch, ord(ch))
            gids.append(g)
        codes = {ch: f"{cid:04X}" for cid, ch in enumerate(used, start=1)}
        tag = _tag(f"{face.key}\0{''.join(used)}")
        out[key] = EmbeddedFont(key, face, used, codes, tag, gids)
    return out


def font_objects(pdf, font: EmbeddedFont):
    """Build the Type0 font of ``font`` in the pikepdf document ``pdf``; return it (indirect)."""
    from pikepdf import Array, Dictionary, Name, Stream

    data, length = font.program()
    m = open_face(str(font.face.path), font.face.index).metrics()
    program = Stream(pdf, data)
    program.Filter = Name.FlateDecode
    program.Length1 = length
    base = Name("/" + font.base_font)
    descriptor = Dictionary(
        Type=Name.FontDescriptor, FontName=base, Flags=4, FontBBox=Array(list(m.bbox)),
        ItalicAngle=m.italic_angle, Ascent=round(font.face.ascent * 1000),
        Descent=round(font.face.descent * 1000), CapHeight=m.cap_height, StemV=m.stem_v,
        FontFile2=pdf.make_indirect(program))
    cid_font = Dictionary(
        Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=base,
        CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor), DW=1000, W=Array(font.widths()),
        CIDToGIDMap=Name.Identity)
    cmap = Stream(pdf, zlib.compress(font.to_unicode(), FONT_COMPRESSION))
    cmap.Filter = Name.FlateDecode
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type0, BaseFont=base, Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]), ToUnicode=pdf.make_indirect(cmap)))


def clear_memo() -> None:
    """Forget faces and font programs held by this process (the disk cache stays)."""
    while _FACES:
        _FACES.popitem()[1].close()
    _PROGRAMS.clear()
