from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.accounts.forms import LoginForm, TokenCreateForm
from deltaunion.accounts.selectors import api_token_for_user_or_404, api_tokens_of
from deltaunion.accounts.services import api_token_create, api_token_revoke
from deltaunion.core.permissions import can, require


def home_url_for(user) -> str:
    """Where a user lands after signing in: officers on their home (the work plans), a judge
    who holds no office on 我的评分, a worker on their own space (我的)."""
    if can(user, "accounts.use_api_tokens"):
        return resolve_url(settings.LOGIN_REDIRECT_URL)
    for permission, url_name in (("contests.use_judge_pages", "contests:judge_home"), ("me.use_space", "me:home")):
        if can(user, permission):
            try:
                return reverse(url_name)
            except NoReverseMatch:  # the app is not installed
                continue
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return home_url_for(self.request.user)


@login_required
def tokens(request):
    """The officer's API tokens: create one (shown once), see and revoke the others."""
    require(request.user, "accounts.use_api_tokens")
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"], by=request.user)
        form = TokenCreateForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "new_token": new_token, "tokens": api_tokens_of(request.user)},
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    api_token_revoke(token=api_token_for_user_or_404(request.user, token_id), by=request.user)
    messages.success(request, _("The token has been revoked"))
    return redirect("accounts:tokens")
