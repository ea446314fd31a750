"""django-tables2 Tables. The same Table renders the list and writes the CSV/XLSX export."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from classroom import grades
from classroom.grades import Grade
from classroom.models import Student
from classroom.templatetags.yorisoi import lang_ja_attr
from lib.names import person_name

TEMPLATE = "django_tables2/yorisoi.html"
GRADE_ORDER = [*grades.SCHOOL_YEAR_GRADES, Grade.HS_AGE, Grade.OTHER]
# Columns only staff may see; a coordinator's table is built without them.
SENSITIVE_COLUMNS = ("reasons",)


def grade_rank(on: dt.date) -> Case:
    """The grade as a sortable number, computed in SQL the way ``Student.grade_on`` does in Python."""
    whens = [When(grade_override=grade, then=Value(rank)) for rank, grade in enumerate(GRADE_ORDER)]
    for rank, grade in enumerate(grades.SCHOOL_YEAR_GRADES):
        whens.append(When(Q(grade_override="", birth_date__range=grades.birth_date_range(grade, on)), then=Value(rank)))
    return Case(*whens, default=Value(len(GRADE_ORDER) - 1), output_field=IntegerField())


def with_grade_rank(queryset: QuerySet, on: dt.date) -> QuerySet:
    return queryset.annotate(grade_rank=grade_rank(on))


class StudentTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Name"), accessor="family_name_kana", order_by=("family_name_kana", "given_name_kana", "pk"),
        attrs={"td": {"class": "student-table__name"}},
    )
    kana = tables.Column(verbose_name=_("Reading"), accessor="family_name_kana", visible=False, orderable=False)
    nickname = tables.Column(verbose_name=_("Nickname"))
    grade = tables.Column(verbose_name=_("Grade"), accessor="grade_rank", order_by=("grade_rank", "family_name_kana",
                                                                                     "given_name_kana", "pk"))
    school = tables.Column(verbose_name=_("School"))
    site = tables.Column(verbose_name=_("Site"), accessor="site__name", order_by=("site__name", "family_name_kana",
                                                                                 "given_name_kana", "pk"))
    status = tables.Column(verbose_name=_("Status"))
    usual_weekdays = tables.Column(verbose_name=_("Usual weekdays"), orderable=False)
    staff_in_charge = tables.Column(
        verbose_name=_("Staff in charge"),
        order_by=("staff_in_charge__last_name", "staff_in_charge__first_name", "family_name_kana", "pk"),
    )
    reasons = tables.Column(verbose_name=_("Enrollment reasons"), accessor="pk", orderable=False)

    class Meta:
        model = Student
        fields = ()
        template_name = TEMPLATE
        order_by = ("name",)
        empty_text = _("No students match these conditions.")
        attrs = {"class": "table student-table", "id": "student-table-grid"}
        row_attrs = {"class": lambda record: "row--muted" if record.status == "left" else ""}

    def render_name(self, record):
        return format_html(
            '<a href="{}" hx-boost="false"{}>{}</a><span class="kana"{}>{}</span>',  # the reading is read, and in Japanese
            reverse("classroom:student_detail", args=[record.pk]), lang_ja_attr(), record.full_name, lang_ja_attr(),
            record.full_name_kana,
        )

    def value_name(self, record):
        return record.full_name

    def render_nickname(self, value):
        return format_html("<span{}>{}</span>", lang_ja_attr(), value)

    def value_kana(self, record):
        return record.full_name_kana

    def render_grade(self, record):
        return record.get_grade_display()

    def value_grade(self, record):
        return record.get_grade_display()

    def render_status(self, record):
        return record.get_status_display()

    def render_usual_weekdays(self, record):
        return record.get_usual_weekdays_display()

    def render_staff_in_charge(self, value):
        return person_name(value)

    def render_reasons(self, record):
        return "、".join(r.get_reason_display() for r in record.reasons.all()) or "—"

    def value_reasons(self, record):
        return "、".join(r.get_reason_display() for r in record.reasons.all())
