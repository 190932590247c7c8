"""The smallest valid protocol file, for tests that write protocol files of their own."""

MINIMAL = """
id = "{id}"
title = "Test protocol"
version = "1"
source = "A test"

[[questions]]
id = "hair_length"
label = "Hair"
default = "short"
options = [{{ value = "shaved", label = "Shaved" }}, {{ value = "short", label = "Short" }}]

[[restrictions]]
id = "no-water"
title = "No water"
detail = "Keep it dry."
category = "water"
lifted = "Water is fine"
windows = [{{ anchor = "each_session", start = {{ at = "end" }}, end = {{ day = 4 }} }}]

[[tasks]]
id = "cleanse"
title = "Cleanse"
how = "Gently."
placement = "spread"
per_day = {{ min = 2, target = 3 }}
blocked_by = ["no-water"]
windows = [{{ anchor = "each_session", start = {{ day = 2 }}, end = {{ day = 4 }} }}]

[[tasks]]
id = "balm"
title = "Balm"
how = "Thinly."
after = "cleanse"
windows = [{{ anchor = "each_session", start = {{ day = 2 }}, end = {{ day = 4 }} }}]
"""


def write(tmp_path, text, name="test-protocol"):
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace("{id}", name) if "{id}" in text else text)
    return path


def minimal(name="test-protocol"):
    return MINIMAL.format(id=name)


# A complete Spanish translation of MINIMAL (tests drop lines from it to leave gaps).
SPANISH = """
language = "es"
title = "Protocolo de prueba"

[questions.hair_length]
label = "Pelo"
options = { shaved = "Rapado", short = "Corto" }

[restrictions.no-water]
title = "Nada de agua"
detail = "Mantenlo seco."
lifted = "Ya puedes mojarlo"

[tasks.cleanse]
title = "Limpia"
how = "Con suavidad."

[tasks.balm]
title = "Bálsamo"
how = "Una capa fina."
"""


def translated(tmp_path, name="test-protocol", overlay=SPANISH, languages='["en", "es"]'):
    """MINIMAL claiming `languages`, with `overlay` as its Spanish file; the protocol's path."""
    path = write(
        tmp_path,
        minimal(name).replace('source = "A test"', f'source = "A test"\nlanguages = {languages}'),
        name,
    )
    if overlay is not None:
        (tmp_path / f"{name}.es.toml").write_text(overlay)
    return path
