from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "fanarchive.challenges"
    label = "challenges"
    verbose_name = "Challenges: gift exchanges and prompt memes"
