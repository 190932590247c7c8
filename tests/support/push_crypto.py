"""The browser's and push service's cryptography for tests: RFC 8291 decryption, RFC 8292 VAPID.

Built on `cryptography` alone rather than http_ece or py_vapid, which pywebpush uses to build
its requests, so that a mistake in the sender cannot be mirrored by the checker.
"""

from __future__ import annotations

import base64
import json
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
# salt (16) + rs (4) + idlen (1) + keyid (65): RFC 8291 fixes keyid to the sender's public key.
HEADER_SIZE = 86
TAG_SIZE = 16
# RFC 8292 §2: a push service may reject a token that expires more than 24 hours ahead.
MAX_TOKEN_LIFETIME = 24 * 60 * 60


def b64url_encode(data: bytes) -> str:
    """Base64url without padding, the form subscriptions and VAPID use."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Bytes from base64url with or without padding; ValueError for any other alphabet."""
    text = text.rstrip("=")
    if not BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def point_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """A P-256 public key as the 65-byte uncompressed point."""
    return public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


@dataclass(frozen=True)
class BrowserKeys:
    """The private half of a subscription: the P-256 key pair and auth secret a browser keeps."""

    private_key: ec.EllipticCurvePrivateKey
    auth: bytes

    @classmethod
    def generate(cls) -> BrowserKeys:
        """Fresh keys, as PushManager.subscribe() makes them (RFC 8291 §2)."""
        return cls(ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    @property
    def public_bytes(self) -> bytes:
        """The uncompressed public point, which the subscription shares as `p256dh`."""
        return point_bytes(self.private_key.public_key())

    def as_json(self) -> dict[str, str]:
        """The `keys` member of PushSubscription.toJSON()."""
        return {"p256dh": b64url_encode(self.public_bytes), "auth": b64url_encode(self.auth)}


class DecryptError(ValueError):
    """The body is not an RFC 8291 message for these keys; the message says why."""


def decrypt(body: bytes, keys: BrowserKeys) -> bytes:
    """The plaintext of an aes128gcm push message body, checked as strictly as RFC 8291 allows."""
    if len(body) < HEADER_SIZE:
        raise DecryptError("body shorter than the 86-byte aes128gcm header")
    salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    sender_bytes, record = body[21:HEADER_SIZE], body[HEADER_SIZE:]
    if id_length != 65 or sender_bytes[0] != 0x04:
        raise DecryptError("keyid must be the sender's 65-byte uncompressed public key")
    # RFC 8291 §4: an application server sends exactly one record.
    if len(record) > record_size:
        raise DecryptError(f"more than one record of rs={record_size}")
    if len(record) <= TAG_SIZE:
        raise DecryptError("the record is too short to hold a tag and a delimiter")
    try:
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_bytes)
    except ValueError as error:
        raise DecryptError("keyid is not a point on P-256") from error
    key, nonce = _content_key_and_nonce(keys, sender_bytes, sender, salt)
    try:
        # The nonce is XORed with the record's sequence number, which for the only record is 0.
        padded = AESGCM(key).decrypt(nonce, record, None)
    except InvalidTag as error:
        raise DecryptError("ciphertext does not authenticate with these keys") from error
    content = padded.rstrip(b"\x00")
    # 0x01 would mark a record with more to follow, so a truncated message; RFC 8291 §4
    # says any value but 0x02 must cause the message to be discarded.
    if not content or content[-1] != 0x02:
        raise DecryptError("the last record's padding delimiter must be 0x02")
    # Checked after the delimiter so a truncated message is reported as such.
    if len(record) == record_size:
        raise DecryptError("rs must exceed the length of the only record (RFC 8291 §4)")
    return content[:-1]


def _content_key_and_nonce(
    keys: BrowserKeys, sender_bytes: bytes, sender: ec.EllipticCurvePublicKey, salt: bytes
) -> tuple[bytes, bytes]:
    """The AES-128-GCM key and nonce for a message (RFC 8291 §3.4, RFC 8188 §2.2)."""
    shared_secret = keys.private_key.exchange(ec.ECDH(), sender)
    key_info = b"WebPush: info\x00" + keys.public_bytes + sender_bytes
    ikm = HKDF(hashes.SHA256(), 32, salt=keys.auth, info=key_info).derive(shared_secret)
    key = HKDF(hashes.SHA256(), 16, salt=salt, info=b"Content-Encoding: aes128gcm\x00")
    nonce = HKDF(hashes.SHA256(), 12, salt=salt, info=b"Content-Encoding: nonce\x00")
    return key.derive(ikm), nonce.derive(ikm)


class VapidError(ValueError):
    """The request's VAPID authorization is absent (401) or invalid (403); says why."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class VapidIdentity:
    """Who signed a push request: the `k` public key, and the token's `sub` and `exp`."""

    key: str
    sub: str
    exp: int


def verify_vapid(authorization: str | None, audience: str, now: float) -> VapidIdentity:
    """The signer of an `Authorization: vapid t=<JWT>, k=<key>` header, checked per RFC 8292."""
    scheme, _, params = (authorization or "").strip().partition(" ")
    # Only RFC 8292's scheme: the drafts' `WebPush` + Crypto-Key form is refused, as by FCM.
    if scheme.lower() != "vapid":
        raise VapidError(401, "expected Authorization: vapid t=<JWT>, k=<key> (RFC 8292)")
    fields = _auth_params(params)
    token, key = fields.get("t"), fields.get("k")
    if not token or not key:
        raise VapidError(401, "the vapid scheme needs both t and k")
    try:
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(
            ec.SECP256R1(), b64url_decode(key)
        )
    except ValueError as error:
        raise VapidError(403, "k is not a base64url P-256 public key") from error
    claims = _verified_claims(token, public_key)
    if claims.get("aud") != audience:
        raise VapidError(403, f"aud must be the push service origin {audience}")
    exp = claims.get("exp")
    if type(exp) is not int or not now < exp <= now + MAX_TOKEN_LIFETIME:
        raise VapidError(403, "exp must be in the future and at most 24 hours ahead")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not re.match(r"(mailto:|https:).", sub):
        raise VapidError(403, "sub must be a mailto: or https: URL")
    return VapidIdentity(key=b64url_encode(point_bytes(public_key)), sub=sub, exp=exp)


def _auth_params(text: str) -> dict[str, str]:
    """The comma-separated name=value pairs of an Authorization header, quotes removed."""
    fields = {}
    for item in text.split(","):
        name, _, value = item.strip().partition("=")
        fields[name.strip().lower()] = value.strip().strip('"')
    return fields


def _verified_claims(token: str, public_key: ec.EllipticCurvePublicKey) -> dict:
    """A compact ES256 JWT's claims, once its signature verifies with `public_key`."""
    parts = token.split(".")
    if len(parts) != 3:
        raise VapidError(403, "t is not a compact JWT")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError as error:
        raise VapidError(403, "t is not base64url JSON") from error
    if not isinstance(header, dict) or header.get("alg") != "ES256":
        raise VapidError(403, "the JWT must be signed with ES256")
    # JWS carries ECDSA as raw r || s; cryptography verifies DER.
    if len(signature) != 64:
        raise VapidError(403, "an ES256 signature is 64 bytes")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    signed = f"{parts[0]}.{parts[1]}".encode("ascii")
    try:
        public_key.verify(encode_dss_signature(r, s), signed, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature as error:
        raise VapidError(403, "the JWT signature does not verify with k") from error
    if not isinstance(claims, dict):
        raise VapidError(403, "the JWT claims must be an object")
    return claims
