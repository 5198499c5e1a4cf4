from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "fanarchive.challenges"
    label = "challenges"
    verbose_name = _("Challenges: gift exchanges and prompt memes")

    def ready(self) -> None:
        # A collection's reveals (collections, below) are announced through a port.
        from fanarchive.challenges.reveal_services import ChallengeReveals
        from fanarchive.collections.reveal_events import listen

        listen(ChallengeReveals())
