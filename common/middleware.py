from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in user.

    Pages, documents and exports hold what only this user may see: neither a shared
    proxy nor the browser's disk (a shared office computer) may keep a copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
