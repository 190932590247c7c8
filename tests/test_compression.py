"""Compressed answers: the app shell (compressed once), the plan and the API; streams as made."""

from __future__ import annotations

import gzip
import json
import re

import brotli
import flask_compress.flask_compress
import pytest

from server.phone import app_shell, bundle, shell_files

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
SHELL_PATHS = ("/index.html", "/app.css", "/js/page/main.js", "/manifest.webmanifest")


def url_of(path: str) -> str:
    """The URL the page uses for a shell file (the page itself is served at /)."""
    return "/" if path == "/index.html" else app_shell.shell().files[path].url


def read(client, url: str, **headers):
    with client.get(url, headers=headers) as response:
        response.get_data()
    return response


@pytest.fixture
def nothing_compressed_per_request(monkeypatch):
    """Compressing a shell file while answering fails: it must come compressed already."""
    app_shell.shell()  # read (and compressed) once, as the first request would

    def refuse(*args, **kwargs):
        raise AssertionError("compressed while answering a request")

    monkeypatch.setattr(shell_files.brotli, "compress", refuse)
    monkeypatch.setattr(shell_files.gzip, "compress", refuse)
    monkeypatch.setattr(flask_compress.flask_compress, "_compress_data", refuse)


@pytest.mark.parametrize("path", SHELL_PATHS)
@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_shell_comes_compressed_once_when_asked(
    client, path, encoding, nothing_compressed_per_request
):
    expected = app_shell.shell().files[path].body
    response = read(client, url_of(path), **{"Accept-Encoding": f"{encoding}, identity"})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert DECODE[encoding](response.get_data()) == expected
    assert len(response.get_data()) < len(expected) / 2


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_worker_comes_stamped_and_compressed_once(client, encoding, monkeypatch):
    """sw.js, with its modules written in the shell's largest file, is filled in and compressed
    when the shell is read, not per request."""
    worker = app_shell.shell().worker
    compressed = []
    real = flask_compress.flask_compress._compress_data
    monkeypatch.setattr(
        flask_compress.flask_compress,
        "_compress_data",
        lambda *args, **kwargs: compressed.append(args) or real(*args, **kwargs),
    )
    response = read(client, "/sw.js", **{"Accept-Encoding": encoding})
    assert (response.headers["Content-Encoding"], compressed) == (encoding, [])
    body = DECODE[encoding](response.get_data())
    assert body == worker.body
    assert f'const VERSION="{app_shell.shell().version}";'.encode() in body
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", SHELL_PATHS)
def test_the_shell_comes_plain_to_a_browser_that_takes_no_compression(client, path):
    response = read(client, url_of(path), **{"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.get_data() == app_shell.shell().files[path].body


def test_brotli_is_preferred_and_the_browsers_weights_count(client):
    url = url_of("/js/page/main.js")
    assert read(client, url, **{"Accept-Encoding": "gzip, deflate, br"}).content_encoding == "br"
    weighted = read(client, url, **{"Accept-Encoding": "br;q=0.5, gzip"})
    assert weighted.content_encoding == "gzip"


def test_a_versioned_url_is_kept_for_a_year_and_any_other_is_revalidated(client):
    file = app_shell.shell().files["/js/page/main.js"]
    assert "immutable" in read(client, file.url).headers["Cache-Control"]
    for url in (file.path, file.path + "?v=0123456789abcdef", "/", "/manifest.webmanifest"):
        assert read(client, url).headers["Cache-Control"] == "no-cache", url


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_a_shell_file_revalidates_to_304_in_any_encoding(client, encoding):
    first = read(client, "/", **{"Accept-Encoding": encoding})
    again = read(
        client, "/", **{"Accept-Encoding": encoding, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.get_data() == b""


def test_the_pages_modules_import_each_other_by_versioned_urls():
    files = app_shell.shell().files
    page = files["/index.html"].body.decode()
    assert f'src="{files["/js/page/main.js"].url}"' in page
    assert f'href="{files["/app.css"].url}"' in page
    # (The page's script has its modules written in; each is still served, for a reader.)
    app = files["/js/page/app.js"].body.decode()
    # (Served slimmed: `import{get}from"/js/...";`, without the spaces of the source.)
    assert f'from"{files["/js/shared/store.js"].url}"' in app or "store.js" not in app
    for file in files.values():
        if file.path.endswith(".js"):
            for target in re.findall(r'\bfrom\s*"([./][^"]*)"', file.body.decode()):
                assert ".js?v=" in target, f"{file.path}: {target}"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_the_plan_comes_compressed_and_still_answers_304(client, world, encoding):
    asked = {**world.a.phone, "Accept-Encoding": encoding}
    response = read(client, "/api/v1/me/plan", **asked)
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    plan = json.loads(DECODE[encoding](response.get_data()))
    # The app revalidates with the plan's version as its tag; a cache with the tag it was given.
    for tag in (f'"{plan["version"]}"', response.headers["ETag"]):
        again = read(client, "/api/v1/me/plan", **asked, **{"If-None-Match": tag})
        assert again.status_code == 304, tag
        assert "Accept-Encoding" in again.headers["Vary"]
    stale = read(client, "/api/v1/me/plan", **asked, **{"If-None-Match": '"stale"'})
    assert stale.status_code == 200


def test_the_plan_comes_plain_when_not_asked(client, world):
    response = read(client, "/api/v1/me/plan", **world.a.phone, **{"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.get_json()["version"] == response.headers["ETag"].strip('"')


def test_an_api_answer_comes_compressed(client):
    response = read(client, "/api/v1/protocols/seven-derma", **{"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.get_data()))["id"] == "seven-derma"
    plain = read(client, "/api/v1/protocols/seven-derma")
    assert "Content-Encoding" not in plain.headers


def streamed_chunks(response) -> list[bytes]:
    try:
        return [chunk for chunk in response.response if chunk]
    finally:
        response.close()


def test_the_clients_export_still_streams(client, world):
    response = client.get(
        "/api/v1/me/export",
        headers={**world.a.phone, "Accept-Encoding": "br, gzip"},
        buffered=False,
    )
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Encoding" not in response.headers
    chunks = streamed_chunks(response)
    assert len(chunks) > 3  # sent a piece at a time, not gathered into one body
    assert json.loads(b"".join(chunks))["client"]["name"] == "Sam"


def test_the_dashboards_csv_download_still_streams(clinician):
    response = clinician.get(
        "/clinic/clients.csv", headers={"Accept-Encoding": "br, gzip"}, buffered=False
    )
    assert response.status_code == 200 and response.is_streamed
    assert "Content-Encoding" not in response.headers
    chunks = streamed_chunks(response)
    assert len(chunks) > 1
    assert b"Sam" in b"".join(chunks)


def test_the_page_loads_one_script_with_every_module_it_imports_written_in():
    """One request and one compressed stream for the page's code, however many modules."""
    files = app_shell.shell().files
    page = files["/index.html"].body.decode()
    scripts = re.findall(r'<script type="module" src="([^"]+)"></script>', page)
    assert scripts == [files["/js/page/main.js"].url]
    assert "modulepreload" not in page
    script = files["/js/page/main.js"].body.decode()
    assert not re.search(r'\b(?:from\s*|import\s*\(?\s*)"[./]', script)  # no import left
    for module in ("/js/page/layout.js", "/js/page/app.js", "/js/shared/i18n.js"):
        assert f"const {bundle._variable(module)}=" in script
