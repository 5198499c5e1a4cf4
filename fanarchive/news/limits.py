"""Limits of news posts, their comments, the site's pages and the banner."""

# AO3's comment length limit, in characters of what the commenter typed.
COMMENT_MAX = 10_000
# Comments per user on news posts in one window (a fixed hour).
COMMENT_RATE_COUNT = 10
COMMENT_RATE_WINDOW_SECONDS = 3600
TITLE_MAX = 200
POST_BODY_MAX = 100_000
PAGE_BODY_MAX = 200_000
# The banner is one or two sentences at the top of every page.
BANNER_MAX = 1_000
POSTS_PER_PAGE = 10
COMMENTS_PER_PAGE = 50
FRONT_PAGE_POSTS = 3
FRONT_PAGE_WORKS = 10
FEED_SIZE = 20
