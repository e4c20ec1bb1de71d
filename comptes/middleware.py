from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's login-required default, except for DRF views.

    API views authenticate with a token or the session and answer 401/403 in JSON
    themselves (``DEFAULT_PERMISSION_CLASSES`` is ``IsAuthenticated``); a redirect to the
    login page would be meaningless to an API client.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "cls", None) is not None and hasattr(view_func, "initkwargs"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
