from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fanarchive.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib import admin

        from fanarchive.accounts.views import admin_login

        # The admin's own log-in form would check passwords without the login throttle
        # or the two-factor code: its log-in page sends people to the site's.
        admin.site.login = admin_login  # type: ignore[method-assign]
        # A guest's cached page is drawn in their reader settings (the theme, the font...).
        from fanarchive.accounts.reader_settings_selectors import reader_settings_for
        from fanarchive.core.page_cache import pages_vary_by

        pages_vary_by(reader_settings_for)
