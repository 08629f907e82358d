"""Reading a baked badge: the credential inside a PNG or SVG image (Open Badges 3.0 §"Image Format").

PNG (OB-19): exactly one ``iTXt`` chunk with keyword ``openbadgecredential``, not compressed,
holding the credential's JSON or its compact JWS. SVG (OB-20): the namespace
``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` and exactly one
``<openbadges:credential>`` element carrying a ``verify`` attribute (a compact JWS) or the JSON
in its content (CDATA).

A baking that breaks those rules is still read when a credential can be found (a compressed
chunk, a ``tEXt`` chunk, Open Badges 2.0's keyword), so the credential itself is judged too; every
deviation is a finding the OB-19 / OB-20 checks report. Reading is bounded: chunk lengths are
checked against the file, decompression stops at :data:`MAX_TEXT`, an SVG declaring entities is
refused (no entity expansion).
"""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

__all__ = ["KEYWORD", "MAX_TEXT", "NAMESPACE", "Baked", "bake_png", "bake_svg", "sniff", "unbake", "unbake_png", "unbake_svg"]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KEYWORD = "openbadgecredential"
#: Open Badges 2.0 baked with this keyword (and the ``openbadges`` namespace URL below)
OB2_KEYWORD = "openbadges"
NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
#: the most text a chunk or element may carry (a baked credential is a few kB; a bomb stops here)
MAX_TEXT = 5 * 1024 * 1024
MAX_CHUNKS = 10_000
_PREFIXED = re.compile(r"""xmlns:openbadges\s*=\s*["']https://purl\.imsglobal\.org/ob/v3p0["']""")


@dataclass
class Baked:
    """What an image holds: ``payload`` (the credential text found, or None), how it was baked and
    every deviation from the spec's baking rules (``findings``, empty when the baking is right)."""

    image: str                      # "png" or "svg"
    payload: str | None = None
    findings: list[str] = field(default_factory=list)
    candidates: int = 0             # credential-bearing chunks or elements seen


def sniff(data: bytes) -> str | None:
    """"png", "svg" or None: what kind of image ``data`` is, by its first bytes."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"<svg" in data[:65536].lower():
        return "svg"
    return None


def unbake(data: bytes) -> Baked | None:
    kind = sniff(data)
    if kind == "png":
        return unbake_png(data)
    if kind == "svg":
        return unbake_svg(data)
    return None


def _inflate(data: bytes, budget: list[int]) -> bytes | None:
    """Inflate within what is left of the file's one budget (``budget[0]`` bytes): many small bombs in
    one image cost no more than one."""
    if budget[0] <= 0:
        return None
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, budget[0] + 1)
    except zlib.error:
        return None
    budget[0] -= len(out)
    return None if budget[0] < 0 else out


def _itxt(data: bytes, budget: list[int]) -> tuple[str, bool, str | None] | None:
    """(keyword, compressed, text) of an iTXt chunk (PNG 1.2 §11.3.4.5), or None when malformed."""
    try:
        keyword, rest = data.split(b"\0", 1)
        flag, method, rest = rest[0], rest[1], rest[2:]
        _language, rest = rest.split(b"\0", 1)
        _translated, text = rest.split(b"\0", 1)
    except (ValueError, IndexError):
        return None
    compressed = flag == 1
    if compressed:
        inflated = _inflate(text, budget) if method == 0 else None
        return keyword.decode("latin-1"), True, inflated.decode("utf-8", "replace") if inflated is not None else None
    return keyword.decode("latin-1"), False, text.decode("utf-8", "replace")


def _note_bomb(baked: Baked, budget: list[int], where: str) -> None:
    """Say once that the image's text inflates past what lerconf reads (a decompression bomb)."""
    if budget[0] < 0 and not any("inflates to more than" in f for f in baked.findings):
        baked.findings.append(f"{where} inflates to more than {MAX_TEXT // 2**20} MB: not read (a decompression bomb?)")


def unbake_png(data: bytes) -> Baked:
    baked = Baked("png")
    found: list[tuple[str, str]] = []   # (how it was baked, text)
    budget = [MAX_TEXT]                 # inflated bytes the whole file may cost
    position, chunks = len(PNG_SIGNATURE), 0
    while position + 8 <= len(data):
        chunks += 1
        if chunks > MAX_CHUNKS:
            baked.findings.append(f"more than {MAX_CHUNKS} chunks: not read further")
            break
        start = position
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body_end = position + 8 + length
        if body_end + 4 > len(data):
            baked.findings.append(f"chunk {kind.decode('latin-1', 'replace')!r} at byte {position} runs past the end "
                                  "of the file")
            break
        body = data[position + 8:body_end]
        crc = struct.unpack(">I", data[body_end:body_end + 4])[0]
        name = kind.decode("latin-1", "replace")
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc and name in ("iTXt", "tEXt", "zTXt"):
            baked.findings.append(f"the {name} chunk at byte {start} has a wrong CRC")
        position = body_end + 4
        if name == "iTXt":
            if len(found) > 2:  # enough to say there is more than one
                continue
            parsed = _itxt(body, budget)
            if parsed is None:
                baked.findings.append(f"a malformed iTXt chunk at byte {start}")
                continue
            keyword, compressed, text = parsed
            _note_bomb(baked, budget, f"the iTXt chunk at byte {start}")
            if keyword == KEYWORD:
                if compressed:
                    baked.findings.append(f"the {KEYWORD} iTXt chunk is compressed; it must not be")
                if text is not None:
                    found.append(("iTXt", text))
            elif keyword == OB2_KEYWORD and text is not None:
                found.append((f"iTXt with Open Badges 2.0's keyword {OB2_KEYWORD!r}", text))
        elif name in ("tEXt", "zTXt"):
            keyword_bytes, _, rest = body.partition(b"\0")
            keyword = keyword_bytes.decode("latin-1")
            if keyword in (KEYWORD, OB2_KEYWORD) and len(found) <= 2:
                raw = _inflate(rest[1:], budget) if name == "zTXt" else rest
                _note_bomb(baked, budget, f"the {name} chunk at byte {start}")
                if raw is not None:
                    found.append((f"a {name} chunk with keyword {keyword!r}", raw.decode("latin-1")))
        if name == "IEND":
            break
    right = [text for how, text in found if how == "iTXt"]
    wrong = [how for how, _ in found if how != "iTXt"]
    baked.candidates = len(found)
    if len(right) > 1:
        baked.findings.append(f"{len(right)} iTXt chunks with keyword {KEYWORD!r}; exactly one is allowed")
    if wrong:
        baked.findings.append("the credential is baked in " + "; ".join(wrong) + f", not an iTXt chunk with keyword "
                              f"{KEYWORD!r}")
    if not found:
        baked.findings.append(f"no iTXt chunk with keyword {KEYWORD!r}: no credential is baked in this PNG")
    texts = right or [text for _, text in found]
    baked.payload = texts[0].strip() if texts else None
    return baked


def unbake_svg(data: bytes) -> Baked:
    baked = Baked("svg")
    text = data.decode("utf-8", "replace")
    if "<!ENTITY" in text:
        baked.findings.append("the SVG declares XML entities: not read (no entity expansion)")
        return baked
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        baked.findings.append(f"the SVG is not well-formed XML: {exc}")
        return baked
    elements = list(root.iter(f"{{{NAMESPACE}}}credential"))
    old = list(root.iter(f"{{{OB2_NAMESPACE}}}assertion"))
    baked.candidates = len(elements) + len(old)
    if not _PREFIXED.search(text):
        baked.findings.append(f'the SVG does not declare xmlns:openbadges="{NAMESPACE}"')
    if len(elements) > 1:
        baked.findings.append(f"{len(elements)} <openbadges:credential> elements; exactly one is allowed")
    if not elements:
        baked.findings.append("no <openbadges:credential> element: no credential is baked in this SVG"
                              + (" (it has an Open Badges 2.0 <openbadges:assertion>)" if old else ""))
        return baked
    element = elements[0]
    verify = element.get("verify")
    content = "".join(element.itertext()).strip()
    if verify and content:
        baked.findings.append("the <openbadges:credential> element has both a verify attribute and content; "
                              "it carries one of them")
    payload = (verify or content).strip()
    if len(payload) > MAX_TEXT:
        baked.findings.append("the baked credential is larger than 5 MB: not read")
        return baked
    if not payload:
        baked.findings.append("the <openbadges:credential> element carries neither a verify attribute nor JSON")
        return baked
    baked.payload = payload
    return baked


# -- baking (the reference's delivered artefacts, tests) --------------------------------------------------
def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def bake_png(image: bytes, payload: str) -> bytes:
    """``image`` with the credential (its JSON or compact JWS) in one uncompressed ``iTXt`` chunk
    ``openbadgecredential`` right after ``IHDR``, as OB-19 asks."""
    if not image.startswith(PNG_SIGNATURE) or image[12:16] != b"IHDR":
        raise ValueError("not a PNG that starts with its IHDR chunk")
    end_of_header = 8 + 12 + struct.unpack(">I", image[8:12])[0]
    # keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword, then the text
    body = KEYWORD.encode("latin-1") + b"\0\0\0\0\0" + payload.encode("utf-8")
    return image[:end_of_header] + _chunk(b"iTXt", body) + image[end_of_header:]


def bake_svg(image: str, payload: str) -> str:
    """``image`` with ``xmlns:openbadges`` on its root and one ``<openbadges:credential>`` first in
    it: a compact JWS in its ``verify`` attribute, JSON as CDATA content (OB-20)."""
    start = re.search(r"<svg\b[^>]*?(/?)>", image)
    if start is None or start.group(1):
        raise ValueError("not an SVG with a root <svg> element that has content")
    if "]]>" in payload or ('"' in payload and not payload.lstrip().startswith("{")):
        raise ValueError("the payload cannot be carried in CDATA or an attribute")
    is_json = payload.lstrip().startswith("{")
    element = (f"<openbadges:credential><![CDATA[{payload}]]></openbadges:credential>" if is_json
               else f'<openbadges:credential verify="{payload}"/>')
    root = start.group(0)
    opened = root[:-1] + f' xmlns:openbadges="{NAMESPACE}">' if not _PREFIXED.search(root) else root
    return image[:start.start()] + opened + element + image[start.end():]
