"""The moderation services in one place (each lives in its own module by subject):
reports (`report_services`), resolving them (`action_services`), suspensions
(`suspension_services`) and appeals (`appeal_services`)."""

from fanarchive.moderation.action_services import APPEALABLE, report_resolve
from fanarchive.moderation.appeal_links import appeal_path
from fanarchive.moderation.appeal_services import (
    appeal_assign,
    appeal_create,
    appeal_decide,
    appeal_refusal,
)
from fanarchive.moderation.report_services import (
    report_assign,
    report_create,
    report_unassign,
)
from fanarchive.moderation.suspension_services import user_suspend, user_unsuspend

__all__ = [
    "APPEALABLE",
    "appeal_assign",
    "appeal_create",
    "appeal_decide",
    "appeal_path",
    "appeal_refusal",
    "report_assign",
    "report_create",
    "report_resolve",
    "report_unassign",
    "user_suspend",
    "user_unsuspend",
]
