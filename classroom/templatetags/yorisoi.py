"""Date display that reads naturally in each language, always in Japan time.

The filters are the template face of ``lib.localtime``, the one formatter of dates and times;
``{% chart %}`` is the template face of ``lib.charts``.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from lib import charts, localtime, wareki

register = template.Library()


@register.filter
def long_date(value):
    """2026年11月27日(金) / Fri, Nov 27, 2026"""
    return localtime.long_date(value)


@register.filter
def short_date(value):
    """11/27(金) / Fri 11/27"""
    return localtime.short_date(value)


@register.filter
def hm(value):
    """16:05, in Japan time for a datetime."""
    return localtime.hm(value)


@register.filter
def date_time(value):
    """2026年11月27日(金) 16:05"""
    return localtime.date_time(value)


@register.filter
def at(sequence, index):
    """``{{ months|at:forloop.counter0 }}``: the item of a list at a loop's position (a cell's column label)."""
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.filter
def era_date(value):
    """令和7年4月1日 (lib.wareki)."""
    return wareki.era_date(value)


@register.filter
def fiscal_year_label(value):
    """2025年度（令和7年度） (lib.wareki)."""
    return wareki.fiscal_year_label(int(value)) if value not in (None, "") else ""


@register.inclusion_tag("includes/chart.html")
def chart(value: charts.Chart, caption: str = ""):
    """``{% chart report.attendance_chart %}``: the SVG chart with its data table beside it (the table is
    smaller, but there for anyone who reads numbers rather than shapes, and for printing)."""
    return {"chart": value, "caption": caption or value.title}


@register.filter
def era_month(value):
    """令和7年4月 for any date in April 2025 (lib.wareki)."""
    return wareki.era_month(value.year, value.month) if value else ""


@register.filter
def browser(value):
    """A User-Agent header in words: "iPhone · Safari"."""
    from lib.useragent import describe

    return describe(value)


@register.simple_tag
def last_changed(record):
    """「最終更新: 佐藤 美咲 · 2026年11月27日(金) 16:05」: who changed ``record`` last and when, from its change
    history (``classroom.history``): one query; nothing for a record without history."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    history = getattr(record, "history", None)
    latest = history.only("history_date", "history_user_label").first() if history is not None else None
    if latest is None:
        return ""
    return format_html('<p class="last-changed muted">{}</p>', _("Last changed by %(who)s at %(when)s") % {
        "who": latest.history_user_label or "—", "when": localtime.date_time(latest.history_date)})


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms, title: str = ""):
    """``{% error_summary form guardians mode_form %}``: after an invalid submit, the page's one alert, a
    list of every error of these forms and formsets, each visible field's a link to it (a hidden field's
    error, such as the edit guard's, is listed as text). Nothing when they are all valid or unbound."""
    errors: list[tuple[str, str]] = []  # (anchor or "", text)

    def add_form(form):
        errors.extend(("", str(error)) for error in form.non_field_errors())
        for field in form.hidden_fields():  # the edit guard's version and token: no field to go to
            errors.extend(("", str(error)) for error in field.errors)
        for field in form.visible_fields():
            # A group of choices (radios, checkboxes) has no one id: its first choice's.
            anchor = field.id_for_label or (field.subwidgets[0].id_for_label if field.subwidgets else "") or ""
            errors.extend((anchor, f"{field.label}: {error}") for error in field.errors)

    for form in forms:
        if form is None or not getattr(form, "is_bound", False):
            continue
        if hasattr(form, "forms"):  # a formset
            errors.extend(("", str(error)) for error in form.non_form_errors())
            for each in form.forms:
                add_form(each)
        else:
            add_form(form)
    return {"errors": errors, "title": title}


@register.filter
def via_label(via: str) -> str:
    """The change history's channel in the reader's language (``classroom.history.via_label``)."""
    from classroom.history import via_label as label

    return label(via)


def lang_ja_attr() -> str:
    """' lang="ja"' when the page is not in Japanese: names and other Japanese data then keep their reading."""
    from django.utils.translation import get_language

    return mark_safe("" if (get_language() or "ja").startswith("ja") else ' lang="ja"')  # noqa: S308 - a constant


def _loaded_volunteer_kana(person) -> str:
    """The reading of a user account's volunteer profile when it is already loaded (select_related)."""
    cache = getattr(getattr(person, "_state", None), "fields_cache", {})
    volunteer = cache.get("volunteer") if hasattr(person, "get_username") else None
    return getattr(volunteer, "name_kana", "") or ""


@register.simple_tag
def person_name(person=None, name: str = "", kana: str = "", ruby: bool = False, name_id: str = ""):
    """A child's or volunteer's name with its kana reading available to assistive technology (issue 15):
    ``{% person_name student %}`` writes the name and the reading as visually hidden text (read with the
    name, never aria-hidden); ``ruby=True`` shows the reading above the name (<ruby>). In English the
    name carries lang="ja" so that a screen reader reads it as Japanese. ``name=``/``kana=`` for a row
    that is not a model (the roster's rows). A volunteer's reading is ``Volunteer.name_kana``: given the
    volunteer, or their user account when its volunteer profile is already loaded (never a query)."""
    if person is not None:
        from lib import names

        name = name or getattr(person, "full_name", "") or (names.person_name(person) if hasattr(person, "get_username") else str(person))
        kana = kana or getattr(person, "full_name_kana", "") or _loaded_volunteer_kana(person)
    id_attr = format_html(' id="{}"', name_id) if name_id else ""
    lang = mark_safe(lang_ja_attr())  # noqa: S308 - a constant attribute
    if kana and ruby:
        return format_html('<ruby class="person-name"{}{}>{}<rp>（</rp><rt>{}</rt><rp>）</rp></ruby>', id_attr, lang, name, kana)
    if kana:
        return format_html('<span class="person-name"{}{}>{}<span class="visually-hidden">（{}）</span></span>',
                           id_attr, lang, name, kana)
    return format_html('<span class="person-name"{}{}>{}</span>', id_attr, lang, name)


@register.filter
def ja(value):
    """``{{ activity.title|ja }}``: Japanese data marked lang="ja" on an English page (as is in Japanese)."""
    if value in (None, ""):
        return value
    lang = lang_ja_attr()
    return format_html("<span lang=\"ja\">{}</span>", value) if lang else value


@register.simple_tag
def lang_ja():
    """``<span{% lang_ja %}>``: the attribute lang="ja" on an English page, nothing on a Japanese one."""
    return mark_safe(lang_ja_attr())  # noqa: S308 - a constant attribute


@register.filter
def paginated_things(page) -> str:
    """What a page of a list holds, for the name of its pagination landmark: the model's plural name
    ("home visits"), "" when the page is not of a queryset (or a django-tables2 table's data)."""
    for source in (getattr(page, "object_list", None), getattr(page, "data", None)):
        model = getattr(source, "model", None)
        if model is not None:
            return str(model._meta.verbose_name_plural)
    return ""
