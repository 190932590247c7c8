"""The domain package depends on the standard library only."""

import ast
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
