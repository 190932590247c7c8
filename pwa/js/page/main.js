// The page's script: what runs, in this order. The server writes every module it imports into
// it (server/phone/bundle.py), so the page downloads one file, not one per module.
import "./layout.js";  // first, as when it was a script of its own: it watches the bars' heights
import "./app.js";
