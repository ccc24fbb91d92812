"""Pictures are read by us: inside the allowed folders, ordinary files, capped, self-contained.

Every refusal is checked by its reason, and every case must finish quickly: a picture that
blocks (a FIFO, a device) fails its test through ``within`` instead of hanging the run.
"""

from __future__ import annotations

import datetime as dt
import os
import textwrap
import time
import tracemalloc
from pathlib import Path

import pytest

from player.core import bundled, pictures
from player.core.loader import load_library, load_routine, validate_file
from player.core.pictures import PictureKind, PictureRefused, allowed_folders, read_picture
from tests.pictures import (
    GOOD_SVG,
    HOSTILE_SVGS,
    data_url,
    jpeg_header,
    png,
    png_header,
    svg,
    within,
)

QUICK = 5.0  # seconds: the most any one picture may take to be read or refused


def refused(path: Path, folders: tuple[Path, ...]) -> str:
    """The reason ``path`` is refused (failing when it is read, or when it takes long)."""

    def read() -> str:
        try:
            read_picture(path, folders)
        except PictureRefused as refusal:
            return refusal.message
        raise AssertionError(f"{path.name} was read")

    return within(QUICK, read)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The routine's folder."""
    path = tmp_path / "routine"
    path.mkdir()
    return path


@pytest.fixture
def folders(folder: Path) -> tuple[Path, ...]:
    return allowed_folders(folder / "r.yaml")


# --- what is read -------------------------------------------------------------------------------

def test_the_allowed_folders_are_the_routines_and_the_bundled_media(folder: Path) -> None:
    assert allowed_folders(folder / "r.yaml") == (folder.resolve(), bundled.MEDIA_DIR.resolve())
    assert allowed_folders(None) == (bundled.MEDIA_DIR.resolve(),)


def test_every_bundled_illustration_is_read(folders: tuple[Path, ...]) -> None:
    for path in sorted(bundled.ILLUSTRATIONS_DIR.glob("*.svg")):
        picture = read_picture(path, folders)
        assert picture.kind is PictureKind.SVG and picture.data == path.read_bytes()


def test_an_svg_next_to_the_routine_is_read(folder: Path, folders: tuple[Path, ...]) -> None:
    (folder / "pics").mkdir()
    path = folder / "pics" / "mine.svg"
    path.write_text(GOOD_SVG)
    picture = read_picture(path, folders)
    assert (picture.kind, picture.data, picture.path) == (PictureKind.SVG, GOOD_SVG.encode(),
                                                          path.resolve())


@pytest.mark.parametrize(("name", "data", "kind", "size"), [
    ("photo.png", png(64, 48), PictureKind.PNG, (64, 48)),
    ("photo.jpg", jpeg_header(1600, 1200), PictureKind.JPEG, (1600, 1200)),
    ("photo.jpeg", jpeg_header(7000, 5000), PictureKind.JPEG, (7000, 5000)),
    ("named-png.jpg", png(5, 5), PictureKind.PNG, (5, 5)),  # a PNG saved as .jpg is still a PNG
])
def test_png_and_jpeg_are_read_with_their_size(folder: Path, folders: tuple[Path, ...], name: str,
                                               data: bytes, kind: PictureKind,
                                               size: tuple[int, int]) -> None:
    (folder / name).write_bytes(data)
    picture = read_picture(folder / name, folders)
    assert (picture.kind, picture.width, picture.height) == (kind, *size)


def test_a_self_contained_svg_with_the_usual_editor_markup_is_read() -> None:
    inkscape = svg(
        '<defs><linearGradient id="g1"><stop offset="0" stop-color="#fff"/></linearGradient>'
        '<linearGradient id="g2" xlink:href="#g1"/><g id="leg"><path d="M0 0 L9 9"/></g></defs>'
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
        'sodipodi-0.dtd" id="base"/>'
        '<style>.ink { fill: url(#g2); stroke: url( "#g1" ) }</style>'
        '<rect class="ink" width="9" height="9" style="fill:url(#g1)" clip-path="url(#leg)"/>'
        '<use href="#leg"/><use xlink:href="#leg" transform="scale(-1 1)"/>'
        f'<image width="4" height="3" href="{data_url("image/png", png())}"/>'
        f'<image xlink:href="{data_url("image/jpeg", jpeg_header(40, 30))}"/>'
        '<a xlink:href="#leg"><title>Leg</title></a>',
        head='<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
             '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
             '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- made by hand -->\n')
    pictures.check_svg(inkscape.encode(), "inkscape.svg")


# --- where it is ------------------------------------------------------------------------------

def test_a_picture_outside_the_folders_is_refused(tmp_path: Path, folders: tuple[Path, ...]
                                                  ) -> None:
    outside = tmp_path / "secret.svg"
    outside.write_text(GOOD_SVG)
    assert refused(outside, folders) == pictures.OUTSIDE.format(name="secret.svg")


def test_dotdot_that_leaves_the_folder_is_refused(tmp_path: Path, folder: Path,
                                                  folders: tuple[Path, ...]) -> None:
    (tmp_path / "secret.svg").write_text(GOOD_SVG)
    (folder / "pics").mkdir()
    assert "is outside the routine's folder" in refused(folder / "pics/../../secret.svg", folders)


@pytest.mark.parametrize("target", ["/proc/self/environ", "/dev/zero", "/dev/stdin",
                                    "/etc/passwd"])
def test_system_files_are_refused_without_being_opened(target: str, folders: tuple[Path, ...]
                                                       ) -> None:
    # /proc/self and /dev/stdin are links themselves: either way, nothing outside is read.
    assert "outside the routine's folder and the bundled media" in refused(Path(target), folders)


@pytest.mark.parametrize("target", ["/proc/self/environ", "/dev/zero", "/etc/passwd"])
def test_a_symlink_pointing_outside_is_refused(folder: Path, folders: tuple[Path, ...],
                                               target: str) -> None:
    os.symlink(target, folder / "pic.svg")
    assert refused(folder / "pic.svg", folders) == pictures.LINKED.format(name="pic.svg")


def test_a_symlinked_folder_pointing_outside_is_refused(tmp_path: Path, folder: Path,
                                                        folders: tuple[Path, ...]) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "pic.svg").write_text(GOOD_SVG)
    os.symlink(tmp_path / "elsewhere", folder / "pics")
    assert "is a link that points outside" in refused(folder / "pics" / "pic.svg", folders)


def test_a_symlink_inside_the_folder_is_followed(folder: Path, folders: tuple[Path, ...]) -> None:
    (folder / "real.svg").write_text(GOOD_SVG)
    os.symlink("real.svg", folder / "pic.svg")
    assert read_picture(folder / "pic.svg", folders).path == (folder / "real.svg").resolve()


def test_a_missing_picture_is_refused(folder: Path, folders: tuple[Path, ...]) -> None:
    assert refused(folder / "gone.svg", folders) == pictures.NOT_FOUND.format(name="gone.svg")


# --- what it is ---------------------------------------------------------------------------------

def test_a_fifo_is_refused_without_blocking(folder: Path, folders: tuple[Path, ...]) -> None:
    os.mkfifo(folder / "pipe.svg")
    assert refused(folder / "pipe.svg", folders) == pictures.NOT_A_FILE.format(
        name="pipe.svg", what="a pipe")


def test_a_fifo_behind_a_symlink_is_refused_without_blocking(folder: Path,
                                                             folders: tuple[Path, ...]) -> None:
    os.mkfifo(folder / "pipe")
    os.symlink("pipe", folder / "pipe.png")
    assert "is a pipe, not an ordinary file" in refused(folder / "pipe.png", folders)


def test_a_folder_is_refused(folder: Path, folders: tuple[Path, ...]) -> None:
    (folder / "dir.svg").mkdir()
    assert "is a folder, not an ordinary file" in refused(folder / "dir.svg", folders)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_a_device_in_an_allowed_folder_is_refused(tmp_path: Path) -> None:
    # /dev itself stands in for a folder a device was made in (mknod needs root).
    assert "is a device, not an ordinary file" in refused(Path("/dev/null"), (Path("/dev"),))


@pytest.mark.parametrize(("name", "cap"), [("huge.svg", "2 MB"), ("huge.png", "10 MB")])
def test_a_200_mb_file_is_refused_without_being_read(folder: Path, folders: tuple[Path, ...],
                                                     name: str, cap: str) -> None:
    path = folder / name
    with path.open("wb") as f:
        f.truncate(200 * pictures.MB)  # sparse: instant, and takes no disk
    tracemalloc.start()
    started = time.monotonic()
    reason = refused(path, folders)
    elapsed = time.monotonic() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert reason.startswith(f"the picture {name} is 200 MB, more than the {cap} allowed")
    assert elapsed < 1 and peak < 1 * pictures.MB


def test_the_caps_are_the_documented_ones() -> None:
    assert pictures.SVG_MAX_BYTES == 2 * 1024 * 1024
    assert pictures.RASTER_MAX_BYTES == 10 * 1024 * 1024
    assert pictures.MAX_PIXELS == 40_000_000


def test_a_file_just_under_the_cap_is_read_and_one_byte_over_is_not(
        folder: Path, folders: tuple[Path, ...]) -> None:
    padding = pictures.SVG_MAX_BYTES - len(GOOD_SVG.encode()) - len("<!---->")
    fits = GOOD_SVG.replace("</svg>", f"<!--{' ' * padding}--></svg>")
    (folder / "fits.svg").write_text(fits)
    assert len(fits.encode()) == pictures.SVG_MAX_BYTES
    assert read_picture(folder / "fits.svg", folders).kind is PictureKind.SVG
    (folder / "over.svg").write_text(fits.replace("<!-- ", "<!--  "))
    assert "more than the 2 MB allowed for SVG pictures" in refused(folder / "over.svg", folders)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_is_refused(folder: Path, folders: tuple[Path, ...]) -> None:
    path = folder / "locked.svg"
    path.write_text(GOOD_SVG)
    path.chmod(0)
    assert "cannot be read (permission denied)" in refused(path, folders)


# --- PNG and JPEG -------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "reason"), [
    ("wrong-magic.png", b"\x89PNX\r\n\x1a\n" + png()[8:], pictures.NOT_RASTER),
    ("text.png", b"just some text", pictures.NOT_RASTER),
    ("svg-inside.jpg", GOOD_SVG.encode(), pictures.NOT_RASTER),
    ("empty.png", b"", pictures.NOT_RASTER),
    ("truncated.png", b"\x89PNG\r\n\x1a\n\x00\x00", pictures.DAMAGED),
    ("no-ihdr.png", b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIDAT" + b"\x00" * 20,
     pictures.DAMAGED),
    ("zero-width.png", png_header(0, 10), pictures.DAMAGED),
    ("no-frame.jpg", b"\xff\xd8\xff\xe0\x00\x04ab\xff\xd9", pictures.DAMAGED),
    ("data-first.jpg", b"\xff\xd8\xff\xda\x00\x04ab", pictures.DAMAGED),
    ("overlong.jpg", b"\xff\xd8\xff\xe0\xff\xff", pictures.DAMAGED),
    ("zero-height.jpg", jpeg_header(100, 0), pictures.DAMAGED),
    ("junk-between.jpg", b"\xff\xd8\xff\xe0\x00\x04ab" + b"junk" + jpeg_header(9, 9)[2:],
     pictures.DAMAGED),
])
def test_bad_png_and_jpeg_are_refused(folder: Path, folders: tuple[Path, ...], name: str,
                                      data: bytes, reason: str) -> None:
    (folder / name).write_bytes(data)
    assert refused(folder / name, folders) == reason.format(name=name)


@pytest.mark.parametrize(("name", "data", "size"), [
    ("huge.png", png_header(100_000, 100_000), "100000 × 100000"),
    ("wide.png", png_header(4_000_000_000, 1), "4000000000 × 1"),
    ("huge.jpg", jpeg_header(65_535, 65_535), "65535 × 65535"),
    ("just-over.jpeg", jpeg_header(8001, 5000), "8001 × 5000"),
])
def test_huge_dimensions_in_the_header_are_refused(folder: Path, folders: tuple[Path, ...],
                                                   name: str, data: bytes, size: str) -> None:
    (folder / name).write_bytes(data)
    assert refused(folder / name, folders) == (
        f"the picture {name} is {size} pixels, more than the 40 megapixels allowed; "
        "save it smaller (1600 × 1200 is plenty)")


def test_exactly_40_megapixels_is_allowed(folder: Path, folders: tuple[Path, ...]) -> None:
    (folder / "big.jpg").write_bytes(jpeg_header(8000, 5000))
    assert read_picture(folder / "big.jpg", folders).width == 8000


# --- SVG ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", sorted(HOSTILE_SVGS))
def test_hostile_svgs_are_refused_with_their_reason(folder: Path, folders: tuple[Path, ...],
                                                    case: str) -> None:
    text, expected = HOSTILE_SVGS[case]
    path = folder / f"{case}.svg"
    path.write_text(text, encoding="utf-8")
    reason = refused(path, folders)  # how fast: bench/bench_hostile.py
    assert reason.startswith(f"the picture {case}.svg {expected}"), reason


def test_an_svg_in_utf16_is_refused(folder: Path, folders: tuple[Path, ...]) -> None:
    (folder / "wide.svg").write_bytes(GOOD_SVG.encode("utf-16"))
    assert "is not saved as UTF-8 (it says UTF-16)" in refused(folder / "wide.svg", folders)


def test_the_line_of_an_external_link_is_the_svgs_own() -> None:
    text = svg("\n" * 10 + '<image xlink:href="/home/someone/photo.jpg"/>')
    with pytest.raises(PictureRefused) as refusal:
        pictures.check_svg(text.encode(), "bird-dog.svg")
    assert refusal.value.message == (
        "the picture bird-dog.svg links to another file (line 12 of the SVG); pictures must be "
        "self-contained")


def test_file_text_quoted_in_a_reason_is_short() -> None:
    with pytest.raises(PictureRefused) as refusal:
        pictures.check_svg(f"<{'x' * 5000}/>".encode(), "odd.svg")
    assert refusal.value.message == (
        f"the picture odd.svg is not an SVG drawing (it starts with <{'x' * 39}\u2026>)")


# --- validate -----------------------------------------------------------------------------------

ROUTINE = """\
    format: 1
    title: Pictures
    exercises:
      mine:
        name: My exercise
        illustration: {picture}
    blocks:
      - name: Main
        steps:
          - exercise: mine
            hold: 10s
    """


def write_routine(folder: Path, picture: str) -> Path:
    path = folder / "r.yaml"
    path.write_text(textwrap.dedent(ROUTINE.format(picture=picture)), encoding="utf-8")
    return path


def test_validate_reports_a_refused_picture_at_the_line_that_names_it(folder: Path) -> None:
    (folder / "bird-dog.svg").write_text(svg("\n" * 10 + '<image href="/etc/passwd"/>'))
    found = validate_file(write_routine(folder, "bird-dog.svg"), load_library(),
                          today=dt.date(2026, 1, 1))
    assert [p.format("r.yaml") for p in found] == [
        "r.yaml:6:19: warning: exercise `mine`, illustration: the picture bird-dog.svg links to "
        "another file (line 12 of the SVG); pictures must be self-contained; the app shows a "
        "placeholder instead"]


def test_a_refused_picture_is_a_warning_and_the_routine_still_plays(folder: Path) -> None:
    (folder / "pic.svg").write_text(HOSTILE_SVGS["script"][0])
    result = load_routine(write_routine(folder, "pic.svg"), load_library())
    assert result.routine is not None
    assert [p.message for p in result.warnings] == [
        "the picture pic.svg contains a script (a <script> element, line 2 of the SVG); pictures "
        "may only draw; the app shows a placeholder instead"]
    # The picture stays named, so the window can say why it shows the placeholder.
    assert result.routine.blocks[0].steps[0].exercise.illustration == (folder / "pic.svg")


def test_a_routine_naming_a_fifo_loads_without_blocking(folder: Path) -> None:
    os.mkfifo(folder / "pipe.png")
    result = within(QUICK, lambda: load_routine(write_routine(folder, "pipe.png"),
                                                load_library()))
    assert result.routine is not None and len(result.warnings) == 1
    assert result.routine.blocks[0].steps[0].exercise.illustration is None


def test_a_good_picture_gives_no_problem(folder: Path) -> None:
    (folder / "mine.png").write_bytes(png())
    (folder / "mine.svg").write_text(GOOD_SVG)
    library = load_library()
    for name in ("mine.png", "mine.svg", "illustrations/plank.svg"):
        assert validate_file(write_routine(folder, name), library,
                             today=dt.date(2026, 1, 1)) == ()
