"""The clinic's desk in the chaos run: it disconnects phones mid-run and sends each a new link.

At random points of the run the desk signs in to the clinic's API, revokes one phone (with
its unused links) and issues a new link, which it hands to that phone; the phone, refused with
401 meanwhile, keeps its unsent ticks and reconnects with the link (device.py). A phone whose
link stopped working (its reply lost after it was used) asks for another. Straight to the
server, not through the faulty proxy; workers killed meanwhile are retried.
"""

from __future__ import annotations

import threading
import time
import traceback

import requests

from .device import Device, ProtocolError
from .seed import DESK_PASSWORD
from .servers import HOST


class Desk:
    def __init__(self, port: int, count: int, devices: list[Device], desks: dict, rng, progress):
        self.base, self.desks, self.progress = f"http://{HOST}:{port}", desks, progress
        self.rng = rng
        # One phone per client: a second link for a client would cancel the first, unused.
        one_each = list({device.client_id: device for device in devices}.values())
        chosen = rng.sample(one_each, min(count, len(one_each)))
        for device in devices:
            device.ask_for_link = self.relink
        self.plan = sorted(((rng.uniform(0.1, 0.8), device) for device in chosen), key=first)
        self.disconnected = 0
        self.errors: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="desk")

    def _run(self) -> None:
        try:
            while self.plan and not self.stop.wait(self.rng.uniform(0.0, 0.2)):
                point, device = self.plan[0]
                if self.progress() < point:
                    continue
                self.disconnect_and_link(device)
                self.disconnected += 1
                self.plan.pop(0)
        except Exception:
            self.errors.append(traceback.format_exc())

    def finish(self) -> None:
        """Whatever points the run did not reach are done now, so every phone gets its link."""
        self.stop.set()
        self.thread.join()
        for _, device in self.plan:
            self.disconnect_and_link(device)
            self.disconnected += 1
        self.plan.clear()

    def disconnect_and_link(self, device: Device) -> None:
        device.link = self.relink(device)

    def relink(self, device: Device) -> str:
        """Revoke the phone's live device (if any) with the unused links, and issue a new one."""
        session = requests.Session()
        token = self._call(session, "GET", "/api/v1/clinic/session")["csrf_token"]
        signed = self._call(
            session,
            "POST",
            "/api/v1/clinic/session",
            {"email": self.desks[device.client_id], "password": DESK_PASSWORD},
            token,
        )
        token = signed["csrf_token"]
        client = f"/api/v1/clinic/clients/{device.client_id}"
        devices = self._call(session, "GET", client)["devices"]
        for phone in devices:
            if phone["label"] == device.label and not phone["revoked_at"]:
                revoke = f"{client}/devices/{phone['id']}/revoke"
                self._call(session, "POST", revoke, {"cancel_links": True}, token)
        return self._call(session, "POST", f"{client}/enrollment-codes", None, token)["code"]

    def _call(self, session, method: str, path: str, body=None, token=None, attempts=50):
        headers = {"X-CSRFToken": token} if token else {}
        for _ in range(attempts):
            try:
                response = session.request(
                    method, self.base + path, json=body, headers=headers, timeout=30
                )
            except requests.RequestException:
                time.sleep(0.2)
                continue
            if response.status_code >= 500:
                time.sleep(0.2)
                continue
            if response.status_code >= 400:
                raise ProtocolError(f"{method} {path} answered {response.status_code}")
            return response.json()
        raise ProtocolError(f"{method} {path}: no answer after {attempts} tries")


def first(pair: tuple) -> float:
    return pair[0]
