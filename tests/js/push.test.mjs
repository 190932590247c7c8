import assert from "node:assert/strict";
import { test } from "node:test";
import { keyBytes, pushState, sameBytes } from "../../pwa/js/shared/push.js";

// The tests' VAPID public key (tests/conftest.py): an uncompressed P-256 point, 65 bytes from 0x04.
const KEY = "BMjQIp55pdbU8pfCBKyXcZjlmER_mXt5LqNrN1hrXbdBS5EnhIbMu3Au-RV53iIpztzNXkGI56BFB1udQ8Bq_H4";

test("a base64url key becomes the bytes subscribe() takes", () => {
  const bytes = keyBytes(KEY);
  assert.ok(bytes instanceof Uint8Array);
  assert.equal(bytes.length, 65);
  assert.equal(bytes[0], 4);
  assert.deepEqual(keyBytes("_-8"), Uint8Array.from([0xff, 0xef]));  // the url-safe letters
  assert.deepEqual(keyBytes("YQ=="), keyBytes("YQ"));  // padded or not
  assert.deepEqual(keyBytes(""), new Uint8Array(0));
});

test("a subscription's key is compared byte for byte", () => {
  const bytes = keyBytes(KEY);
  assert.ok(sameBytes(bytes.buffer, bytes));
  assert.ok(!sameBytes(bytes.buffer.slice(1), bytes));
  assert.ok(!sameBytes(Uint8Array.from(bytes, (b, i) => (i === 64 ? b ^ 1 : b)), bytes));
  assert.ok(!sameBytes(null, bytes));
});

test("what Settings says about push on this phone", () => {
  const phone = { hasPush: true, ios: false, standalone: false, permission: "default", subscribed: false };
  assert.equal(pushState(phone), "off");
  assert.equal(pushState({ ...phone, permission: "granted" }), "off");
  assert.equal(pushState({ ...phone, permission: "granted", subscribed: true }), "on");
  assert.equal(pushState({ ...phone, permission: "denied", subscribed: true }), "blocked");
  // Safari on iPhone has push only in the installed app.
  assert.equal(pushState({ ...phone, hasPush: false, ios: true }), "install");
  assert.equal(pushState({ ...phone, hasPush: false, ios: true, standalone: true }), "unsupported");
  assert.equal(pushState({ ...phone, hasPush: false }), "unsupported");
});
