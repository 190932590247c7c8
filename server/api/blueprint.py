"""The API's blueprint: flask-smorest's, reading bodies with json_body.JsonParser."""

from __future__ import annotations

import flask_smorest

from .json_body import JsonParser


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonParser()
