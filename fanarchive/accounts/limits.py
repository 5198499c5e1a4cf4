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

# Failed log-ins (accounts.login_services, which explains the rule): counted in fixed
# windows per (account, client address), per client address across accounts, and per
# account across addresses, the last only high enough to slow a crowd of addresses.
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURES_PER_ACCOUNT = 50

# Two-factor log-in: how long the code page waits after the right password, and how many
# wrong codes it takes before the password must be given again.
TWO_FACTOR_LOGIN_SECONDS = 5 * 60
TWO_FACTOR_CODE_TRIES = 5

# The invitation queue (invitation_services): joins and status look-ups per client address
# in an hour; how many invitations an admin sends or gives at once; how many invitations a
# user may mail in an hour.
INVITE_WINDOW_SECONDS = 3600
INVITE_REQUESTS_PER_CLIENT = 5
INVITE_STATUS_PER_CLIENT = 30
INVITATIONS_SEND_MAX = 500
INVITATIONS_GIVE_MAX = 20
INVITATION_MAILS_PER_USER = 10

# Changing one's user name or e-mail address (change_services): a user name once a week
# (AO3's rule), e-mail change links valid three days and at most five mailed an hour.
USERNAME_CHANGE_DAYS = 7
EMAIL_CHANGE_VALID_SECONDS = 3 * 86_400
EMAIL_CHANGE_MAILS_PER_USER = 5
