from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp


class CoreConfig(DomainApp):
    name = "deltaunion.core"
    label = "core"
    verbose_name = _("Core")
    urls = [("", "deltaunion.core.urls")]

    def ready(self) -> None:
        super().ready()
        from deltaunion.core.viewer import connect

        connect()  # the versions of cached page parts (core.fragments), bumped on writes
