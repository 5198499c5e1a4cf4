from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "fanarchive.engagement"
    label = "engagement"

    def ready(self) -> None:
        # Works (below) shows and sorts by counts that this app keeps (works.stats).
        from fanarchive.engagement.stats import counts_of
        from fanarchive.works.stats import counts_supplied_by

        counts_supplied_by(counts_of)

        # Works (below) announces new works, chapters, series parts, gifts, invitations
        # and renamed creators; this app tells subscribers and the inbox (works.events).
        from fanarchive.engagement.work_events import EngagementWorkEvents
        from fanarchive.works.events import listen

        listen(EngagementWorkEvents())
