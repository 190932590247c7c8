"""Two requests storing one new push subscription at once: both succeed, one row is kept."""

import threading

from sqlalchemy import func, select

from server.extensions import db
from server.models import PushSubscription
from tests.support.phones import KEYS


def test_concurrent_subscribes_of_one_endpoint_store_it_once(app, enrolled):
    app.config["PUSH_EXTRA_ORIGINS"] = ("http://127.0.0.1:9",)
    body = {"endpoint": "http://127.0.0.1:9/push/race", "keys": KEYS}
    start, statuses = threading.Barrier(4), []

    def post(headers):
        start.wait()
        response = app.test_client().post(
            "/api/v1/me/push-subscriptions", json=body, headers=headers
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=post, args=(h,)) for h in (enrolled.phone,) * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1
