"""Engagement: blocks, kudos, comments, hits (and bookmarks, subscriptions, the inbox)."""
