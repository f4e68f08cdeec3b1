from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class AccountsConfig(DomainApp):
    name = "deltaunion.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    urls = [("accounts/", "deltaunion.accounts.urls")]
    api = [("/", "deltaunion.accounts.api:router")]
    nav = [NavItem(_("API tokens"), "accounts:tokens", permission="accounts.use_api_tokens", section="user")]
    demo = "deltaunion.accounts.demo:load"
    demo_after = ["orgs", "people"]
    audit_actions = {
        "api_token.create": _("created an API token"),
        "api_token.revoke": _("revoked an API token"),
    }
