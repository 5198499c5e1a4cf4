from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "fanarchive.backup"
    label = "backup"
    verbose_name = "Backup and restore"
