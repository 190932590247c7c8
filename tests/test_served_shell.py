"""The app's JavaScript and CSS as served: slimmed (slim.py) and, for sw.js and the page's
script, their modules written in (bundle.py); the catalogs complete. The served code must mean
what the source means."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from server.phone import app_shell
from server.phone.bundle import inlined
from server.phone.slim import js_tokens, slim_css, slim_js

TESTS = Path(__file__).resolve().parent
# What a careless comment stripper gets wrong: comment marks in strings, templates (nested too)
# and regular expressions, a regular expression after `return` and a division after a value.
TRICKY = r"""// a comment
const url = "http://example.org/*not a comment*/"; // the end
const quoted = 'it\'s // here';
const text = `line one
    // kept, with its indentation
  ${url + `nested /* ${"//"} */`} end`;
/* a block
   comment */ const pattern = /\/\/[^/*]*\/*$/g; const half = 4 / 2 / 1;
function slashes(value) { return /^ \/\/ a$/.test(value) }
const chained = url
  .replace(/x/g, "y") // a line break that ends nothing
const sum = 1
+2;
let matched = 0;
if (sum) /^ 3 a$/.test(" 3 a") && matched++;
{ matched++ }
/^ b$/.test(" b") && matched++;
const names = [typeof url, half, 1 .toFixed(1)];
export const all = [url, quoted, text, pattern.source, half, slashes(" // a"), chained, sum];
all.push(names, matched);
"""


def node(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["node", *args], capture_output=True, text=True, timeout=120)


def evaluated(tmp_path: Path, name: str, source: str) -> str:
    """The JSON of the module's `all`, as node runs it."""
    module = tmp_path / f"{name}.mjs"
    module.write_text(source, encoding="utf-8")
    script = "console.log(JSON.stringify((await import(process.argv[1])).all))"
    result = node("--input-type=module", "-e", script, module.as_uri())
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_tokens_give_back_the_source():
    assert "".join(token.text for token in js_tokens(TRICKY)) == TRICKY


def test_slimmed_code_means_what_its_source_means(tmp_path):
    slimmed = slim_js(TRICKY)
    assert evaluated(tmp_path, "slim", slimmed) == evaluated(tmp_path, "source", TRICKY)
    assert "leading remark" not in slimmed and "block" not in slimmed and "the end" not in slimmed
    assert "\n    // kept, with its indentation\n" in slimmed


def test_every_served_module_parses(tmp_path):
    served = [f for f in app_shell.shell().files.values() if f.path.endswith(".js")]
    assert len(served) > 30
    for file in served:
        module = tmp_path / (file.path.strip("/").replace("/", "_") + ".mjs")
        module.write_bytes(file.body)
        result = node("--check", str(module))
        assert result.returncode == 0, f"{file.path}: {result.stderr}"


def test_the_apps_node_tests_pass_on_the_slimmed_modules(tmp_path):
    """The JavaScript tests (tests/js) run against a copy of pwa/ as slim.py serves it."""
    pwa = app_shell.PWA_DIR
    shutil.copytree(pwa, tmp_path / "pwa")  # the catalogs and the rest, as they are
    for source in pwa.rglob("*.js"):
        copy = tmp_path / "pwa" / source.relative_to(pwa)
        copy.write_text(slim_js(source.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(TESTS / "js", tmp_path / "tests" / "js")
    result = node("--test", str(tmp_path / "tests" / "js"))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def test_the_stylesheet_keeps_its_strings_and_the_spaces_calc_needs():
    source = """/* a comment */
.a::before { content: "/* kept */ ,  {"; }
.b ,
.c > .d {
  width: calc(100% - 2 * var(--gap, 1px));
  font: 1rem/1.5 "Some Font", sans-serif;
}
"""
    assert slim_css(source) == (
        '.a::before{content: "/* kept */ ,  {";}.b,.c > .d{'
        'width: calc(100% - 2 * var(--gap,1px));font: 1rem/1.5 "Some Font",sans-serif;}\n'
    )


def test_the_served_worker_imports_nothing_and_runs(tmp_path):
    """sw.js as served: one file, whose modules all run (a stub stands in for the worker's
    global scope: its listeners are only registered)."""
    worker = app_shell.shell().files["/sw.js"].body.decode()
    assert "import{" not in worker and "import " not in worker
    filled = worker.replace("__PRECACHE__", "[]").replace("__ROUTES__", "[]")
    (tmp_path / "sw.mjs").write_text(filled, encoding="utf-8")
    script = (
        "globalThis.self = { addEventListener: (type) => console.log(type) };"
        "await import(process.argv[1]);"
    )
    result = node("--input-type=module", "-e", script, (tmp_path / "sw.mjs").as_uri())
    assert result.returncode == 0, result.stderr
    assert {"install", "activate", "fetch", "push", "sync"} <= set(result.stdout.split())


def test_an_inlined_module_keeps_its_own_names_and_exports_under_other_names(tmp_path):
    modules = {
        "/sw.js": 'import { twice as double, NAME } from "/a.js";\n'
        'const b = "worker";\n'
        "export const all = [double(2), NAME, b];\n",
        "/a.js": 'import * as b from "./b.js";\n'
        'const NAME = "a";\n'
        "function twice(n) { return b.add(n, n) }\n"
        "export { twice, NAME };\n",
        "/b.js": "const NAME = 'b';\nexport function add(x, y) { return x + y }\n",
    }
    source, order = inlined("/sw.js", modules)
    assert order == ["/b.js", "/a.js"]
    assert evaluated(tmp_path, "bundle", source) == '[4,"a","worker"]\n'


@pytest.mark.parametrize(
    "module, refused",
    [
        ("export let count = 0;", "export let"),
        ("export default function f() {}", "export default"),
        ('export { x } from "./b.js";', "re-export"),
        ("export const { a, b } = {};", "destructuring"),
        ("const here = import.meta.url;\nexport const a = 1;", "import.meta"),
        ('export const a = () => import("./b.js");', "dynamic import"),
        ("await Promise.resolve();\nexport const a = 1;", "top-level await"),
        ("const __module_js = 1;\nexport const a = __module_js;", "__module_js"),
    ],
)
def test_what_one_file_cannot_keep_is_refused_at_start(module, refused):
    modules = {"/sw.js": 'import { a } from "/a.js";\n', "/a.js": module, "/b.js": ""}
    with pytest.raises(ValueError, match=refused):
        inlined("/sw.js", modules)


def test_an_import_of_a_name_not_exported_is_refused():
    modules = {"/sw.js": 'import { b } from "/a.js";\n', "/a.js": "export const a = 1;\n"}
    with pytest.raises(ValueError, match="does not export"):
        inlined("/sw.js", modules)


def test_modules_may_declare_the_same_top_level_names(tmp_path):
    """Each module keeps its names to itself, as modules do: no clash in the one file."""
    modules = {
        "/main.js": 'import "./layout.js";\nimport { all } from "./app.js";\nexport { all };\n',
        "/layout.js": "const today = 'layout';\nfunction label() { return today }\n"
        "globalThis.seen = [label()];\n",
        "/app.js": 'import { label as other } from "./view.js";\n'
        "const today = 'app';\nfunction label() { return today }\n"
        "export const all = [...globalThis.seen, label(), other()];\n",
        "/view.js": "let today = 'view';\nexport function label() { return today }\n",
    }
    source, order = inlined("/main.js", modules)
    assert order == ["/layout.js", "/view.js", "/app.js"]  # as modules run: layout first
    assert evaluated(tmp_path, "clash", source) == '["layout","app","view"]\n'


def test_two_paths_that_would_share_a_variable_are_refused():
    modules = {
        "/main.js": 'import { a } from "./a_b.js";\nimport { b } from "./a/b.js";\n',
        "/a_b.js": "export const a = 1;\n",
        "/a/b.js": "export const b = 2;\n",
    }
    with pytest.raises(ValueError, match="share the variable"):
        inlined("/main.js", modules)


def test_an_import_cycle_is_refused():
    modules = {
        "/main.js": 'import "./a.js";\n',
        "/a.js": 'import "./b.js";\nexport const a = 1;\n',
        "/b.js": 'import { a } from "./a.js";\nexport const b = a;\n',
    }
    with pytest.raises(ValueError, match="import cycle"):
        inlined("/main.js", modules)


def test_the_page_and_the_worker_each_are_one_file_and_their_modules_not_precached_apart(tmp_path):
    """A module written into sw.js or the page's script needs no copy of its own on the phone;
    one that neither has written in is precached as before."""
    files = app_shell.shell().files
    precached = {path for path, file in files.items() if path.endswith(".js") and file.precached}
    assert precached == {"/sw.js", "/js/page/main.js"}
    page = files["/js/page/main.js"].body.decode()
    assert "import{" not in page and "import " not in page
    copy = tmp_path / "pwa"
    shutil.copytree(app_shell.PWA_DIR, copy)
    (copy / "js" / "extra.js").write_text("export const extra = 1;\n", encoding="utf-8")
    assert app_shell.shell(copy).files["/js/extra.js"].precached


def test_a_catalog_is_served_complete_english_where_it_lacks_a_key(tmp_path):
    """A phone downloads its own language's catalog only, so each has every key as served."""
    files = app_shell.shell().files
    arabic_source = (app_shell.PWA_DIR / "i18n" / "ar.json").read_bytes()
    assert files["/i18n/ar.json"].body == arabic_source  # complete: served as written
    copy = tmp_path / "pwa"
    shutil.copytree(app_shell.PWA_DIR, copy)
    catalog = json.loads(arabic_source)
    del catalog["tab.today"]
    (copy / "i18n" / "ar.json").write_text(json.dumps(catalog, ensure_ascii=False), "utf-8")
    served = json.loads(app_shell.shell(copy).files["/i18n/ar.json"].body)
    english = json.loads(files["/i18n/en.json"].body)
    assert served["tab.today"] == english["tab.today"]
    assert served.keys() == english.keys()
    assert served["tab.avoid"] == catalog["tab.avoid"]


def test_a_json_file_in_the_shell_is_compressed_once_too(tmp_path):
    """Such as a language's catalog of the app's texts: compressed when read, like the rest."""
    copy = tmp_path / "pwa"
    shutil.copytree(app_shell.PWA_DIR, copy)
    catalog = {f"text {n}": f"texto {n}" for n in range(100)}
    (copy / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    served = app_shell.shell(copy).files["/catalog.json"]
    assert served.mimetype == "application/json"
    assert json.loads(gzip.decompress(served.encoded["gzip"])) == catalog
    assert set(served.encoded) == {"br", "gzip"}
