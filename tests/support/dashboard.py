"""A test client that uses the dashboard as a person would: forms, with their CSRF token."""

import html
import re

from tests.support.clinics import PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Dashboard:
    """A test client using the dashboard as a person would: forms with their CSRF token."""

    def __init__(self, client) -> None:
        self.client = client

    def token(self, path: str = "/clinic/login") -> str:
        """This browser's CSRF token, from a page with a form (sign-in redirects once in)."""
        response = self.client.get(path)
        if response.status_code == 302:
            response = self.client.get(response.location)
        return TOKEN.search(response.get_data(as_text=True)).group(1)

    def sign_in(self, email: str, password: str = PASSWORD):
        data = {"csrf_token": self.token(), "email": email, "password": password}
        return self.client.post("/clinic/login", data=data)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, *, token: bool = True, **kwargs):
        form = dict(data or {})
        if token:
            form["csrf_token"] = self.token("/clinic/password")
        return self.client.post(path, data=form, **kwargs)


def readable(page: str) -> str:
    """A page's text as a reader sees it: no tags (names sit in <bdi>, dates in <time>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))
