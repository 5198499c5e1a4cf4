from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "fanarchive.engagement"
    label = "engagement"

    def ready(self) -> None:
        # Works (below) shows and sorts by counts that this app keeps (works.stats).
        from fanarchive.engagement.stats import counts_of
        from fanarchive.works.stats import counts_supplied_by

        counts_supplied_by(counts_of)

        # Works (below) decides who is a new account by their published works and
        # comments; this app counts the comments (works.new_accounts).
        from fanarchive.engagement.spam_selectors import published_comments_of
        from fanarchive.works.new_accounts import comment_count_supplied_by

        comment_count_supplied_by(published_comments_of)

        # Works (below) announces new works, chapters, series parts, gifts, invitations
        # and renamed creators; this app tells subscribers and the inbox (works.events).
        from fanarchive.engagement.work_events import EngagementWorkEvents
        from fanarchive.works.events import listen

        listen(EngagementWorkEvents())

        # Works (below) builds every blurb; this app offers the reader's reading-list
        # status form on it (works.blurb_actions).
        from fanarchive.engagement.reading_list_blurbs import reading_status_actions
        from fanarchive.works.blurb_actions import blurb_actions_supplied_by

        blurb_actions_supplied_by(reading_status_actions)
