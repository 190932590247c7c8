"""The clinic's CSV opened by a real spreadsheet, LibreOffice Calc (skipped where it is not
installed): phone numbers stay text as typed, a hostile name is not run, times are times."""

import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

import pytest

from server.extensions import db
from server.models import Client

SOFFICE = shutil.which("soffice")
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Comma-separated, double-quoted, UTF-8, from line 1, "detect special numbers" on (as Excel
# does), "evaluate formulas" on: the most eager reading, where an unguarded cell would run.
CSV_IMPORT = "CSV:44,34,76,1,,0,false,true,false,false,false,false,true"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def cells(xlsx) -> dict[str, tuple[str, str | None, str | None]]:
    """{"B2": (type, value, formula)}, shared strings resolved."""
    with zipfile.ZipFile(xlsx) as book:
        strings = [
            "".join(t.text or "" for t in si.iter(f"{MAIN}t"))
            for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{MAIN}si")
        ]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    found = {}
    for cell in sheet.iter(f"{MAIN}c"):
        kind, value = cell.get("t", "n"), cell.findtext(f"{MAIN}v")
        found[cell.get("r")] = (
            kind,
            strings[int(value)] if kind == "s" else value,
            cell.findtext(f"{MAIN}f"),
        )
    return found


def test_libreoffice_reads_phones_as_text_runs_no_name_and_reads_times(
    app, world, clinician_a, tmp_path
):
    with app.app_context():
        sam = db.session.get(Client, world.a.client_id)
        sam.name, sam.contact = "=1+1", "+447700900107"
        db.session.commit()
    path = tmp_path / "clients.csv"
    path.write_bytes(clinician_a.get("/clinic/clients.csv").get_data())
    profile = (tmp_path / "profile").as_uri()
    options = ["--headless", f"--infilter={CSV_IMPORT}", "--convert-to", "xlsx"]
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            *options,
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    found = cells(tmp_path / "clients.xlsx")
    header = {value: ref[0] for ref, (_, value, _) in found.items() if ref.endswith("1")}
    name, contact = found[f"{header['name']}2"], found[f"{header['contact']}2"]
    assert name == ("s", "'=1+1", None), "text, not run"
    assert contact == ("s", "\u2060+447700900107", None), "text, not the number 447700900107"
    kind, value, _ = found[f"{header['next_session (UTC)']}2"]
    assert kind == "n" and 40000 < float(value) < 60000, "a date and time, as a day number"
