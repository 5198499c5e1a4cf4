"""Reading zip files (archives of works, and EPUBs) without trusting them.

Refused with a message naming the file: a damaged or truncated zip, more members
or more bytes than the limits allow, or a member that inflates suspiciously far
(a zip bomb). Sizes are checked as the bytes come out, not only as declared.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from fanarchive.formats import limits
from fanarchive.formats.errors import ImportFailed


class SafeZip:
    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise ImportFailed(
                name,
                _("is not a readable zip file; it may be truncated or damaged (%(error)s).")
                % {"error": error},
            ) from None
        if len(infos) > limits.MAX_ARCHIVE_MEMBERS:
            raise ImportFailed(
                name,
                _("holds %(count)s files; at most %(max)s are read.")
                % {"count": f"{len(infos):,}", "max": f"{limits.MAX_ARCHIVE_MEMBERS:,}"},
            )
        declared = sum(info.file_size for info in infos)
        if declared > limits.MAX_ARCHIVE_BYTES:
            raise ImportFailed(name, self._too_big(declared))
        self.infos = {info.filename: info for info in infos}
        self.read_total = 0

    @staticmethod
    def _too_big(size: int) -> str:
        return (
            f"unpacks to {size / 1_048_576:.0f} MB; archives over "
            f"{limits.MAX_ARCHIVE_BYTES // 1_048_576} MB unpacked are not imported."
        )

    def names(self) -> list[str]:
        return list(self.infos)

    def has(self, member: str) -> bool:
        return member in self.infos

    def read(self, member: str) -> bytes:
        info = self.infos.get(member)
        label = f"{self.name}:{member}"
        if info is None:
            raise ImportFailed(self.name, _("has no file %(member)s.") % {"member": member})
        if info.file_size > limits.MAX_FILE_BYTES:
            raise ImportFailed(
                label,
                _("is over %(max)s MB and is not imported.")
                % {"max": limits.MAX_FILE_BYTES // 1_048_576},
            )
        ratio_cap = max(info.compress_size, 1) * limits.MAX_COMPRESSION_RATIO + 65_536
        cap = min(limits.MAX_FILE_BYTES, ratio_cap)
        try:
            with self.zip.open(info) as handle:
                data = handle.read(cap + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
            raise ImportFailed(
                label,
                _("cannot be read; the archive may be truncated or damaged (%(error)s).")
                % {"error": error},
            ) from None
        if len(data) > cap:
            raise ImportFailed(
                self.name,
                _(
                    "%(member)s inflates more than %(ratio)s times; "
                    "it looks like a zip bomb and nothing was imported from it."
                )
                % {"member": member, "ratio": limits.MAX_COMPRESSION_RATIO},
            )
        self.read_total += len(data)
        if self.read_total > limits.MAX_ARCHIVE_BYTES:
            raise ImportFailed(self.name, self._too_big(self.read_total))
        return data
