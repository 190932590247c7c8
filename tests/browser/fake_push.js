// Stands in for the browser's side of Web Push in the page, for test_push.py: Chromium can't
// subscribe in these tests (an off-the-record context is refused at once, and a real profile
// waits for Google's push service, which a test without network never reaches).
// Only PushManager's subscribe() and getSubscription() are replaced, on the page; everything
// else (permissions, the service worker, notifications, IndexedDB, the app) is the browser's own.
// The subscriptions to hand out, in order, come from globalThis.FAKE_PUSH, set by the test;
// the one this "browser" holds is kept in localStorage, so it survives a reload as a real one
// does, and so does a log of the calls, for the test to read.
(() => {
  const config = globalThis.FAKE_PUSH;
  if (!config || location.origin !== config.origin) return;
  const STORE = "fake-push";
  const load = () => JSON.parse(localStorage.getItem(STORE) || '{"handed":0,"current":null,"calls":[]}');
  const save = (state) => localStorage.setItem(STORE, JSON.stringify(state));
  const base64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

  function log(state, call) {
    state.calls.push(call);
    save(state);
  }

  function subscription({ json, key }) {
    return {
      endpoint: json.endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true, applicationServerKey: bytes(key).buffer },
      toJSON: () => json,
      unsubscribe: async () => {
        const state = load();
        state.current = null;
        log(state, "unsubscribe");
        return true;
      },
    };
  }

  PushManager.prototype.subscribe = async function subscribe(options) {
    if (Notification.permission !== "granted") throw new DOMException("Registration failed - permission denied", "NotAllowedError");
    const state = load();
    if (!state.current) {
      const json = config.subscriptions[state.handed];
      if (!json) throw new DOMException("The test has no more subscriptions to hand out", "AbortError");
      state.handed += 1;
      state.current = { json, key: base64url(options.applicationServerKey) };
    }
    log(state, "subscribe");
    return subscription(state.current);
  };

  PushManager.prototype.getSubscription = async function getSubscription() {
    const state = load();
    log(state, "getSubscription");
    return state.current && subscription(state.current);
  };
})();
