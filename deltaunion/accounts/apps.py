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

    def ready(self) -> None:
        super().ready()
        from django.db.models.signals import post_delete, post_save

        from deltaunion.accounts.models import ApiToken, User

        post_save.connect(_user_saved, sender=User, dispatch_uid="accounts.forget_tokens_of_user")
        post_delete.connect(_token_deleted, sender=ApiToken, dispatch_uid="accounts.forget_deleted_token")
        post_save.connect(_token_deleted, sender=ApiToken, dispatch_uid="accounts.forget_saved_token")


def _user_saved(sender, instance, created, update_fields=None, **kwargs):
    """A user changed (deactivated, made staff…): their tokens' cached authentications go."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    from deltaunion.accounts.services import forget_tokens_of

    forget_tokens_of(instance.pk)


def _token_deleted(sender, instance, **kwargs):
    """A token deleted or saved (revoked from the admin, say): its cached authentication goes."""
    from deltaunion.accounts.services import forget_tokens

    forget_tokens([instance.digest])
