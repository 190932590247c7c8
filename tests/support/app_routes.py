"""The app's routes, for tests that go through every one of them."""


def routes(app):
    """(rule, method) for every route, HEAD and OPTIONS aside."""
    return [
        (rule, method)
        for rule in app.url_map.iter_rules()
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
