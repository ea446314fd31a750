"""The ``--date`` option the daily cron commands share."""

import datetime as dt

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from lib import plausible


def add_date_option(parser: CommandParser, help_text: str) -> None:
    parser.add_argument("--date", type=parse_date_option, help=help_text)


def parse_date_option(value: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
    if not plausible.is_plausible(day):
        raise CommandError(f"--date: {plausible.out_of_range_message()}")
    return day


def today_or(option: dt.date | None) -> dt.date:
    return option or timezone.localdate()
