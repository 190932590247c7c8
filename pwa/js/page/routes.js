// The screens, by path. The server answers these paths and /enroll (the enrollment link) with
// the app, and tells the service worker which they are; tests/browser/test_shell.py checks that
// this list and the server's agree.
import { avoid } from "./views/avoid.js";
import { progress } from "./views/progress.js";
import { settings } from "./views/settings.js";
import { today } from "./views/today.js";

export const VIEWS = { "/": today, "/avoid": avoid, "/progress": progress, "/settings": settings };
