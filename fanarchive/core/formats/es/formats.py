"""Spanish dates, as short as the English ones: 6 dic 2026, 6 dic 2026 14:05 (`b`: the
month abbreviated in lower case, as Spanish writes it)."""

DATE_FORMAT = "j b Y"
DATETIME_FORMAT = "j b Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j b"
YEAR_MONTH_FORMAT = r"F \d\e Y"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
