import assert from "node:assert/strict";
import "./support/english.mjs";
import { test } from "node:test";
import { problem, success } from "../../pwa/js/page/notice.js";
import { ApiError } from "../../pwa/js/shared/api.js";

test("offline, a problem says what the connection is needed for", () => {
  assert.deepEqual(problem(new TypeError("Failed to fetch"), "change your day"),
    { text: "You're offline. Connect to the internet to change your day.", error: true });
});

test("the server's problem reads as its first invalid field, else its message", () => {
  const fields = { bed: ["Leave at least 6 hours between getting up and going to bed."] };
  assert.equal(problem(new ApiError(422, "invalid_fields", "Invalid.", fields), "x").text, fields.bed[0]);
  assert.equal(problem(new ApiError(500, "server_error", "Try again later."), "x").text, "Try again later.");
});

test("a failure in the browser gets the caller's words, never the exception's", () => {
  const failed = new DOMException("Registration failed - permission denied", "NotAllowedError");
  assert.equal(problem(failed, "x").text, "Something went wrong on this phone. Try again later.");
  assert.equal(problem(failed, "x", "This browser couldn't.").text, "This browser couldn't.");
});

test("good news is not an error", () => {
  assert.deepEqual(success("Saved."), { text: "Saved.", error: false });
});
