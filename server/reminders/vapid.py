"""The server's VAPID identity (RFC 8292): its P-256 key pair, in the forms each party wants.

config.py keeps a generated one in the instance folder when none is configured.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02


class VapidKeyError(ValueError):
    pass


def new_pem() -> str:
    """A fresh P-256 private key as PEM."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def to_pem(value: str) -> str:
    """Accept a PEM key or the base64url raw 32-byte private number that web-push tools print."""
    text = value.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            number = int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")
            key = ec.derive_private_key(number, ec.SECP256R1())
    except ValueError as error:
        raise VapidKeyError(
            "VAPID_PRIVATE_KEY is not a P-256 private key (PEM or base64url)"
        ) from error
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise VapidKeyError("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) key")
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def signer(pem: str) -> Vapid02:
    return Vapid02.from_pem(pem.encode())


def application_server_key(pem: str) -> str:
    """The public key as the browser's pushManager.subscribe() wants it (base64url)."""
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def new_raw_key() -> str:
    """A fresh private key in the base64url form web-push tools print."""
    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).decode().rstrip("=")
