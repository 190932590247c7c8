"""The phone's Bearer token, checked before each of its requests."""

from __future__ import annotations

from flask import g, request

from ..errors import ApiError
from ..models import Device
from ..phone.devices import signed_in_device


def authenticate_device() -> None:
    """Load the request's device from its Bearer token into `g.device`, or refuse with 401."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    device = None
    if scheme.lower() == "bearer" and token.strip():
        device = signed_in_device(token.strip())
    if device is None:
        raise signed_out()
    g.device = device


def signed_out() -> ApiError:
    error = ApiError(401, "unauthorized", "This device is not signed in, or was signed out.")
    error.www_authenticate = 'Bearer realm="aftercue"'
    return error


def current_device() -> Device:
    return g.device
