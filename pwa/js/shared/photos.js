// Photos taken on this phone: kept in IndexedDB (the "photos" store) from the moment they are
// taken, uploaded when online with the id made here, so an upload sent twice, or cut off and
// sent again, is stored once (the server answers 200 for bytes it already has). Never cached
// by the service worker (shell.js leaves /api/ alone) and never in a push.
import { deviceTime } from "./fold.js";
import { all, promised, transaction } from "./store.js";

export const LONGEST_SIDE = 1600;

// A photo added to a check-in being answered (`checkInId`: the id its form made) is "held":
// kept, but not uploaded until releaseHeld, so it never reaches the clinic without the answers.
export async function keepPhoto(blob, now = new Date(), checkInId = null) {
  const photo = { id: crypto.randomUUID(), blob, type: blob.type, taken_at: deviceTime(now), state: "waiting" };
  if (checkInId) Object.assign(photo, { check_in_id: checkInId, state: "held" });
  await transaction(["photos"], "readwrite", (s) => { s.photos.put(photo); });
  return photo;
}

// Newest first.
export const photos = async () => (await all("photos")).sort((a, b) => (a.taken_at < b.taken_at ? 1 : -1));

// Every held photo is let go to upload: with its check-in if that check-in is kept on the phone
// (`kept`: their ids), on its own otherwise (the form was left, or the app closed while it was
// open): a photo of the treated area still shows the clinic how it heals, so none is thrown away.
export function releaseHeld(kept) {
  return transaction(["photos"], "readwrite", async (s) => {
    for (const photo of (await promised(s.photos.getAll())).filter((p) => p.state === "held")) {
      s.photos.put({ ...photo, state: "waiting", check_in_id: kept.has(photo.check_in_id) ? photo.check_in_id : null });
    }
  });
}

// Send every photo still waiting; stops at the first that cannot go (offline: a TypeError).
// A photo the server refuses for good (not an image, its id taken) is marked and kept here.
export async function sendPhotos(token) {
  for (const photo of (await photos()).filter((p) => p.state === "waiting")) {
    const query = new URLSearchParams({ taken_at: photo.taken_at });
    if (photo.check_in_id) query.set("check_in_id", photo.check_in_id);
    const response = await fetch(`/api/v1/me/photos/${photo.id}?${query}`, {
      method: "PUT", body: photo.blob, cache: "no-store",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": photo.type, Accept: "application/json" },
    });
    if (response.status === 401 || response.status === 429 || response.status >= 500) return;
    const error = response.ok ? null : ((await response.json().catch(() => null)) || {}).error;
    await mark(photo.id, response.ok ? { state: "uploaded" } : { state: "refused", reason: error?.message || "" });
  }
}

function mark(id, change) {
  return transaction(["photos"], "readwrite", (s) => {
    const stored = s.photos.get(id);
    stored.onsuccess = () => stored.result && s.photos.put({ ...stored.result, ...change });
  });
}

// The phone's own copy: at most LONGEST_SIDE, as a JPEG drawn from the pixels (so the camera's
// EXIF, GPS included, never leaves the phone either). Page only: it needs a canvas.
export async function shrink(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return canvas.convertToBlob({ type: "image/jpeg", quality: 0.85 });
}
