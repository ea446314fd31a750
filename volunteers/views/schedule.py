"""The volunteer's own pages (phone first)."""

from django.shortcuts import render
from django.utils import timezone

from classroom import rules
from classroom.models import TutoringRecord


@rules.role_required(rules.VOLUNTEER)
def home_volunteer(request):
    today = timezone.localdate()
    sessions = (
        TutoringRecord.objects.filter(tutor=request.user, class_day__date__gte=today)
        .exclude(class_day__status="cancelled")
        .select_related("class_day__site", "student")
        .order_by("class_day__date", "class_day__start_time")
    )
    done_count = TutoringRecord.objects.filter(tutor=request.user, class_day__date__lt=today).count()
    return render(request, "volunteers/schedule.html", {
        "today": today,
        "sessions": [
            {
                "class_day": record.class_day,
                "nickname": record.student.nickname or record.student.given_name,
                "grade": record.student.get_grade_display(),
                "subjects": record.get_subjects_display(),
            }
            for record in sessions
        ],
        "done_count": done_count,
    })


