"""The CJK faces the print worker renders with: each Noto CJK SC face the base style names is preceded
by a "common characters" subset of it, made once and kept in the site folder.

WeasyPrint subsets every face a PDF uses, keeping glyph ids; on a 65,535-glyph Noto CJK face that was
about half of a first render and made each embedded face 0.8 MB. The common face (GB 2312 plus ASCII,
Latin-1 and CJK punctuation: 13,500 glyphs after the layout closure) is made with HarfBuzz-Subset in
under a second. A fontconfig rule puts "<family> Common" before "<family>" wherever a style names the
family, so Pango takes each character from the common face and any other (a rare name character such
as 䶮 or 𠮷) from the full face, character by character: the printed text is the same either way.

One font configuration is kept per thread and reused: fontconfig, Pango's font caches and the faces'
data stay loaded between renders. A page bringing its own @font-face gets a fresh one, so that no
administrator's face reaches another format. Without HarfBuzz-Subset, the Noto faces or a site folder
to keep the common faces in, the faces are WeasyPrint's own, as before.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC")
STYLES = ("Regular", "Bold")
SUFFIX = " Common"
CHARSET = "1"  # raise when common_characters() changes: the faces are made again
FOLDER = "print_fonts"

CDEF = """
typedef struct _FcPattern FcPattern;
void *FcConfigGetCurrent(void);
int FcConfigParseAndLoadFromMemory(void *config, const unsigned char *buffer, int complain);
FcPattern *FcNameParse(const unsigned char *name);
int FcConfigSubstitute(void *config, FcPattern *p, int kind);
void FcDefaultSubstitute(FcPattern *p);
FcPattern *FcFontMatch(void *config, FcPattern *p, int *result);
int FcPatternGetString(const FcPattern *p, const char *object, int n, unsigned char **s);
int FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
void FcPatternDestroy(FcPattern *p);
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
void hb_set_add(hb_set_t *set, unsigned int codepoint);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_unicode_set(hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_local = threading.local()
_build_lock = threading.Lock()
_faces: dict[str, list[Path]] | None = None
_ruled: dict[tuple[str, ...], int] = {}  # families -> the fontconfig configuration given their rule


@functools.cache
def _native():
    """cffi, fontconfig, HarfBuzz and HarfBuzz-Subset (the libraries WeasyPrint loads), or None for
    a library that is missing; loaded at the first print, not when a web process imports this."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(CDEF)

    def load(name):
        try:
            return ffi.dlopen(name)
        except OSError:
            return None

    return ffi, load("libfontconfig.so.1"), load("libharfbuzz.so.0"), load("libharfbuzz-subset.so.0")


def common_characters() -> list[int]:
    """GB 2312 (6,763 hanzi and its symbols), ASCII, Latin-1, general and CJK punctuation, full-width forms."""
    chars = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(range(0x2000, 0x2070))
    chars |= set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return sorted(chars)


def source_face(family: str, style: str) -> tuple[str, int] | None:
    """The installed file and face index fontconfig gives for exactly this family and style."""
    ffi, fc, _hb, _hb_subset = _native()
    if fc is None:
        return None
    pattern = fc.FcNameParse(f"{family}:style={style}".encode())
    fc.FcConfigSubstitute(ffi.NULL, pattern, 0)
    fc.FcDefaultSubstitute(pattern)
    match = fc.FcFontMatch(ffi.NULL, pattern, ffi.new("int *"))
    fc.FcPatternDestroy(pattern)
    if match == ffi.NULL:
        return None
    string, index = ffi.new("unsigned char **"), ffi.new("int *")
    try:
        if fc.FcPatternGetString(match, b"family", 0, string) or ffi.string(string[0]).decode() != family:
            return None  # fontconfig's nearest face is another family: leave this one to WeasyPrint
        fc.FcPatternGetString(match, b"file", 0, string)
        path = ffi.string(string[0]).decode()
        fc.FcPatternGetInteger(match, b"index", 0, index)
        return path, index[0]
    finally:
        fc.FcPatternDestroy(match)


def _subset(path: str, index: int, characters: list[int]) -> bytes | None:
    ffi, _fc, hb, hb_subset = _native()
    if hb is None or hb_subset is None:
        return None
    blob = hb.hb_blob_create_from_file_or_fail(path.encode())
    if blob == ffi.NULL:
        return None
    face = hb.hb_face_create(blob, index)
    plan = hb_subset.hb_subset_input_create_or_fail()
    try:
        unicodes = hb_subset.hb_subset_input_unicode_set(plan)
        for char in characters:
            hb.hb_set_add(unicodes, char)
        subset = hb_subset.hb_subset_or_fail(face, plan)
        if subset == ffi.NULL:
            return None
        out = hb.hb_face_reference_blob(subset)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(out, length)
        result = ffi.unpack(data, length[0]) if data != ffi.NULL and length[0] else None
        hb.hb_blob_destroy(out)
        hb.hb_face_destroy(subset)
        return result
    finally:
        hb_subset.hb_subset_input_destroy(plan)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)


def _renamed(data: bytes, family: str) -> bytes:
    """The face named "<family> Common" in its own name table: WeasyPrint merges the faces that Pango
    describes alike into one embedded font, so the common and the full face must not share a name."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    for record in font["name"].names:
        record.string = record.toUnicode().replace(family, family + SUFFIX)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def common_face(family: str, style: str) -> Path | None:
    """The common-characters face of an installed face, made at first use and kept until its source
    or the character set changes; None when it cannot be made here."""
    source = source_face(family, style)
    if source is None:
        return None
    path, index = source
    stat = os.stat(path)
    made_of = f"{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{CHARSET}"
    folder = Path(settings.SITE_DIR) / FOLDER
    name = f"{family.replace(' ', '')}-{style}-"
    target = folder / f"{name}{hashlib.sha256(made_of.encode()).hexdigest()[:16]}.otf"
    if target.exists():
        return target
    with _build_lock:
        if target.exists():
            return target
        data = _subset(path, index, common_characters())
        if data is not None:
            data = _renamed(data, family)
        if data is None:
            logger.warning("no common-characters face for %s %s: printing with the full face", family, style)
            return None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as handle:
                handle.write(data)
            os.chmod(handle.name, 0o644)
            os.replace(handle.name, target)  # atomic: another worker making the same face meanwhile is harmless
        except OSError as exc:
            logger.warning("cannot keep the common-characters face in %s (%s): printing with the full face",
                           folder, exc)
            return None
        for old in folder.glob(f"{name}*.otf"):
            if old != target:
                old.unlink(missing_ok=True)
    return target


def common_faces() -> dict[str, list[Path]]:
    """Each family's common faces, looked up once per process."""
    global _faces
    if _faces is None:
        faces = {family: [path for style in STYLES if (path := common_face(family, style))] for family in FAMILIES}
        _faces = {family: paths for family, paths in faces.items() if paths}
    return _faces


def _rules(families) -> bytes:
    """fontconfig: a style asking for "<family>" asks for "<family> Common" first."""
    rules = []
    for family in families:
        common = family + SUFFIX
        rules.append(f'<match target="pattern"><test name="family"><string>{family}</string></test>'
                     f'<edit name="family" mode="prepend" binding="strong"><string>{common}</string></edit></match>')
    return ('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
            f'<fontconfig>{"".join(rules)}</fontconfig>').encode()


def _prefer_common(families: tuple[str, ...]) -> None:
    """The rule goes to fontconfig's current configuration: Pango's FT2 font map substitutes a
    style's families there, not in the font map's own configuration (which holds the faces)."""
    ffi, fc, _hb, _hb_subset = _native()
    current = int(ffi.cast("uintptr_t", fc.FcConfigGetCurrent()))
    if _ruled.get(families) != current:
        with _build_lock:  # once per process: no other thread of ours changes fontconfig meanwhile
            if _ruled.get(families) != current:
                fc.FcConfigParseAndLoadFromMemory(ffi.cast("void *", current), _rules(families), True)
                _ruled[families] = current


def new_configuration():
    """A WeasyPrint font configuration with the common faces placed before their full faces."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    configuration = FontConfiguration()
    faces = common_faces()
    if faces:
        for path in (path for paths in faces.values() for path in paths):
            fontconfig.FcConfigAppFontAddFile(configuration._config, str(path).encode())
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", configuration.font_map))
    return configuration


def configuration_for(html: str):
    """This thread's kept configuration, or a fresh one for a page that declares its own faces."""
    if faces := common_faces():
        _prefer_common(tuple(faces))  # each time: fontconfig may have loaded its configuration anew
    if "@font-face" in html.lower():
        return new_configuration()
    configuration = getattr(_local, "configuration", None)
    if configuration is None:
        configuration = _local.configuration = new_configuration()
    return configuration


def warm() -> None:
    """Makes the common faces and lays out a line with each, so that this thread's configuration has
    them open (the print worker at start: its forked jobs inherit it)."""
    from weasyprint import HTML

    page = "".join(f'<p style="font-family: \'{family}\'">印 <b>印</b></p>' for family in FAMILIES)
    HTML(string=f'<html lang="zh-CN">{page}</html>').render(font_config=configuration_for(page))
