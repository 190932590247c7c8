"""Push reminders. schedule: rows planned from each plan, and snoozes. subscriptions: a phone's
push subscription and the client's preferences. delivery: claiming due rows and the send pass.
courier: messages built, sent and recorded. sender: the Web Push HTTP client. endpoints: which
push services may be contacted. vapid: the server's key pair. worker: the loop that runs it all.
"""
