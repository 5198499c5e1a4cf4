"""Account limits and reserved names."""

# The account orphaned works are handed to (works.creator_services); nobody may sign up
# as it or log in to it.
ORPHAN_USERNAME = "orphan_account"

# Password-reset e-mails: an owner who lost a mail can ask again a few times, but nobody
# can fill someone's inbox through the form. Counted per address (known or not) and per
# client IP address, in fixed windows (see core.ratelimit).
PASSWORD_RESET_WINDOW_SECONDS = 3600
PASSWORD_RESET_MAILS_PER_ADDRESS = 3
PASSWORD_RESET_REQUESTS_PER_CLIENT = 10
