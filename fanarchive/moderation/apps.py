from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "fanarchive.moderation"
    label = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # Moderators review adult works whatever the age-gate policy (works.age_gate
        # asks the checks registered here; it may not import this app).
        from fanarchive.accounts.moderators import is_moderator
        from fanarchive.works import age_gate

        age_gate.register_exempt(is_moderator)
