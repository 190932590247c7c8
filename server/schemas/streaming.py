"""A schema's dump as JSON text, a piece at a time: a big document never sits whole in memory.

Lists of nested objects may be given as iterators (rows read from the database in batches);
each item is dumped and sent on its own. The text parses to exactly `schema.dump(data)`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from marshmallow import Schema, fields


def json_chunks(schema: Schema, data: Mapping) -> Iterator[str]:
    yield "{"
    for number, (name, field) in enumerate(schema.dump_fields.items()):
        yield ("," if number else "") + json.dumps(field.data_key or name) + ":"
        if isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
            inner = field.inner.schema
            yield "["
            for index, item in enumerate(data[field.attribute or name]):
                yield ("," if index else "") + json.dumps(inner.dump(item))
            yield "]"
        else:
            yield json.dumps(field.serialize(name, data, accessor=schema.get_attribute))
    yield "}"
