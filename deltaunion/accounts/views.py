from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deltaunion.accounts.forms import TokenCreateForm
from deltaunion.accounts.selectors import api_token_for_user_or_404, api_tokens_of
from deltaunion.accounts.services import api_token_create, api_token_revoke
from deltaunion.core.permissions import require


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
