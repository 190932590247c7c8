"""Gunicorn's settings, read from the working directory; the Procfile sets workers and port."""

# One line per request on stdout, without the query string or the Referer: a search for a
# client by name (/clinic/clients?q=...) and the page it came from must not reach the logs.
# Tokens travel in the Authorization header and enrollment codes in the link's fragment,
# neither of which is logged.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    """Read and compress the app shell before the worker takes its first request, so the
    first phone to visit does not wait about a second for it."""
    from server.phone.app_shell import shell

    shell()
