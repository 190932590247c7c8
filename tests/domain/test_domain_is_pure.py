"""The domain package depends on the standard library only."""

import ast
import json
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).parents[2] / "server" / "domain"
FORBIDDEN = {"flask", "sqlalchemy", "flask_sqlalchemy", "marshmallow", "werkzeug", "server"}


def test_domain_imports_no_framework_or_database():
    for path in DOMAIN.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_the_engine_loads_no_framework():
    # `server/__init__.py` imports the app's parts only inside create_app: a script or a test
    # that needs the plan engine does not pay for Flask, SQLAlchemy and the rest.
    modules = sorted(path.stem for path in DOMAIN.glob("*.py") if path.stem != "__init__")
    code = (
        f"import json, sys, {', '.join(f'server.domain.{name}' for name in modules)}; "
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert set(json.loads(loaded.stdout)) & (FORBIDDEN - {"server"}) == set()
