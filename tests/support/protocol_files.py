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
