"""Preflight under hostile PDFs: budgets on decoded bytes, tokens and time ("too complex to
check", never memory exhaustion), damage that qpdf repairs reported as damage, and the
``paiban preflight`` command on files that are not regular or that take too long."""

from __future__ import annotations

import os
import time

import pikepdf
import pytest

from layout.pdf.preflight import Budget, preflight

from . import corpus as C
from .clirun import assert_clean_error, invoke

MIB = 1024 * 1024


def _budget_findings(report):
    return [f for f in report.findings if f.check == "budget"]


def test_a_flate_bomb_stops_at_the_decoded_budget(tmp_path):
    pdf = C.pdf_with_content(tmp_path / "bomb.pdf", C.flate_bomb(8 * MIB), precompressed=True)
    assert pdf.stat().st_size < 40_000
    start = time.perf_counter()
    report = preflight(pdf, budget=Budget(decoded_bytes=1 * MIB))
    assert time.perf_counter() - start < 5
    (finding,) = _budget_findings(report)
    assert finding.severity == "error" and finding.page == 1 and not report.ok
    assert "too complex to check: page 1: its content decodes to more than 1 MiB" in finding.message
    assert "the rest of the file was not checked" in finding.message


def test_millions_of_operators_stop_at_the_token_budget(tmp_path):
    pdf = C.pdf_with_content(tmp_path / "ops.pdf", C.path_operators(200_000))
    report = preflight(pdf, budget=Budget(tokens=100_000))
    (finding,) = _budget_findings(report)
    assert "more than 100,000 tokens" in finding.message
    within = preflight(pdf, budget=Budget(tokens=1_000_000))  # paths are parsed, not kept: cheap
    assert not _budget_findings(within)


def test_the_time_budget_stops_the_walk(tmp_path):
    pdf = C.pdf_with_content(tmp_path / "p.pdf", b"0 0 1 rg 0 0 10 10 re f")
    report = preflight(pdf, budget=Budget(seconds=0))
    (finding,) = _budget_findings(report)
    assert "took longer than 0 s" in finding.message


def test_other_filters_are_decoded_only_when_their_worst_case_fits(tmp_path):
    path = tmp_path / "lzw.pdf"
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, b"")
    stream.write(b"\x80" * 4096, filter=pikepdf.Name.LZWDecode)  # 4 KiB could inflate ~16 MiB
    page.obj.Contents = pdf.make_indirect(stream)
    pdf.save(
        path, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none
    )  # as it is
    (finding,) = _budget_findings(preflight(path, budget=Budget(decoded_bytes=1 * MIB)))
    assert "filters /LZWDecode could decode to more than 1 MiB" in finding.message


def test_an_icc_profile_bomb_is_not_inflated(tmp_path):
    path = tmp_path / "icc.pdf"
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    profile = pikepdf.Stream(pdf, b"")
    profile.write(C.flate_bomb(64 * MIB), filter=pikepdf.Name.FlateDecode)
    profile.N = 3
    page.obj.Resources = pikepdf.Dictionary(
        ColorSpace=pikepdf.Dictionary(
            CS0=pikepdf.Array([pikepdf.Name.ICCBased, pdf.make_indirect(profile)])
        )
    )
    page.obj.Contents = pdf.make_indirect(pikepdf.Stream(pdf, b"/CS0 cs 1 0 0 sc 0 0 10 10 re f"))
    pdf.save(path)
    start = time.perf_counter()
    report = preflight(path)
    assert time.perf_counter() - start < 3
    assert any(f.check == "colour" and "ICCBased-RGB" in f.message for f in report.findings)


def test_a_truncated_pdf_is_reported_as_damaged(tmp_path):
    good = C.pdf_with_content(tmp_path / "good.pdf", b"0 0 0 1 k 0 0 10 10 re f")
    assert not [f for f in preflight(good).findings if f.check == "damage"]
    data = good.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) - 60])  # no startxref, no trailer: qpdf rebuilds the xref
    (damage,) = [f for f in preflight(cut).findings if f.check == "damage"]
    assert damage.severity == "error"
    assert "the file is damaged and had to be repaired to be read" in damage.message


# ---------------------------------------------------------------- the command


def test_paiban_preflight_reports_too_complex_and_exits_1(tmp_path):
    C.pdf_with_content(tmp_path / "bomb.pdf", C.flate_bomb(80 * MIB), precompressed=True)
    proc = invoke(tmp_path, "preflight", "bomb.pdf", "--no-pdfx")
    assert proc.returncode == 1, proc
    assert "too complex to check" in proc.stdout and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "which, words",
    [
        ("/dev/zero", "character device"),
        ("fifo.pdf", "FIFO"),
        ("missing.pdf", "file not found"),
        ("notes.txt", "not a PDF"),
    ],
)
def test_paiban_preflight_of_what_is_not_a_pdf_file(tmp_path, which, words):
    os.mkfifo(tmp_path / "fifo.pdf")
    (tmp_path / "notes.txt").write_text("不是 PDF", encoding="utf-8")
    start = time.perf_counter()
    proc = invoke(tmp_path, "preflight", which)
    assert time.perf_counter() - start < 10
    assert_clean_error(proc, names=which, words=(words,))


def test_paiban_preflight_timeout_exits_4(tmp_path):
    C.pdf_with_content(tmp_path / "p.pdf", C.path_operators(600_000))  # some 0.3 s of parsing
    proc = invoke(tmp_path, "preflight", "p.pdf", "--timeout", "0.001")
    assert_clean_error(proc, code=4, names="p.pdf", words=("took longer than 0.001 s",))
