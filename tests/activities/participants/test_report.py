"""The report: counts by role (attended, else going), reflection notes, photos served only through a checked view."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities.factories import ActivityFactory
from activities.models import ActivityPhoto, Answer, Participant, ParticipantRole
from activities.services.participants import report_counts
from classroom.models import AttendanceStatus

from .conftest import HX, png_bytes


def url(activity):
    return f"/activities/{activity.pk}/report/"


def harvest(site, staff, add_people):
    """The newsletter's harvest: 21 students and guardians plus 2 others (23 in all)."""
    activity = ActivityFactory(site=site, lead=staff, capacity=30, title="野菜の収穫体験")
    add_people(activity, 14)
    add_people(activity, 7, role=ParticipantRole.GUARDIAN)
    add_people(activity, 1, role=ParticipantRole.OTHER_YOUTH)
    add_people(activity, 1, role=ParticipantRole.OTHER)
    add_people(activity, 2, answer=Answer.DECLINED)
    return activity


def test_harvest_counts_without_attendance(site, staff, add_people):
    counts = report_counts(harvest(site, staff, add_people))
    assert (counts.students, counts.guardians, counts.siblings, counts.others, counts.total) == (14, 7, 0, 2, 23)
    assert not counts.attendance_taken


def test_counts_from_attendance(site, staff, add_people, staff_client):
    activity = harvest(site, staff, add_people)
    going = list(activity.participants.filter(answer=Answer.GOING, role=ParticipantRole.STUDENT))
    going[0].attendance = AttendanceStatus.ABSENT
    going[0].save()
    activity.participants.filter(answer=Answer.GOING).exclude(pk=going[0].pk).update(
        attendance=AttendanceStatus.PRESENT)
    Participant.objects.filter(pk=going[1].pk).update(attendance=AttendanceStatus.LATE)  # late still counts
    counts = report_counts(activity)
    assert (counts.students, counts.guardians, counts.others, counts.total) == (13, 7, 2, 22)
    response = staff_client.get(url(activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-count="total"><th scope="row">' in html and ">22</td>" in html
    fragment = staff_client.get(url(activity), **HX).content.decode()
    assert fragment.lstrip().startswith('<section id="report-counts"')


def test_reflection_notes(staff_client, activity):
    response = staff_client.post(url(activity), {"reflection": "  普段話さない子が農家さんに質問していた。 "}, **HX)
    assert response.status_code == 200 and 'id="report-reflection"' in response.content.decode()
    activity.refresh_from_db()
    assert activity.reflection == "普段話さない子が農家さんに質問していた。"
    assert staff_client.post(url(activity), {"reflection": "次回は雨天時の計画も"}).status_code == 302
    bad = staff_client.post(url(activity), {}, **HX)
    assert bad.status_code == 200


def test_upload_view_and_delete_photos(staff_client, activity, settings):
    images = [SimpleUploadedFile(f"harvest{i}.png", png_bytes(), content_type="image/png") for i in range(2)]
    response = staff_client.post(f"/activities/{activity.pk}/report/photos/", {"images": images, "caption": "収穫"})
    assert response.status_code == 302
    photos = list(ActivityPhoto.objects.all())
    assert len(photos) == 2
    path = photos[0].image.path
    assert str(settings.MEDIA_ROOT) in path and "static" not in path
    served = staff_client.get(f"/activities/photos/{photos[0].pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    assert staff_client.post(f"/activities/photos/{photos[0].pk}/delete/").status_code == 302
    assert ActivityPhoto.objects.count() == 1


def test_non_image_refused(staff_client, activity):
    fake = SimpleUploadedFile("list.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = staff_client.post(f"/activities/{activity.pk}/report/photos/", {"images": [fake]},
                                 HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert response.context["photo_form"].errors
    assert not ActivityPhoto.objects.exists()


def test_too_large_refused(staff_client, activity):
    big = SimpleUploadedFile("big.png", png_bytes() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    response = staff_client.post(f"/activities/{activity.pk}/report/photos/", {"images": [big]})
    assert response.status_code == 200
    assert "5 MB" in str(response.context["photo_form"].errors)
    assert not ActivityPhoto.objects.exists()


@pytest.fixture
def photo(activity, staff):
    from activities.services.participants import activity_photos_add

    return activity_photos_add(activity=activity, by=staff,
                               images=[SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")])[0]


def test_photo_access(client, photo, coordinator, volunteer, outsider):
    photo_url = f"/activities/photos/{photo.pk}/"
    anonymous = client.get(photo_url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(coordinator)
    assert client.get(photo_url).status_code == 200
    assert client.get(f"{photo_url}thumbnail/").status_code == 200
    for user in (volunteer, outsider):
        client.force_login(user)
        assert client.get(photo_url).status_code == 404
        assert client.get(f"{photo_url}thumbnail/").status_code == 404
        assert client.post(f"/activities/photos/{photo.pk}/delete/").status_code == 404
    assert ActivityPhoto.objects.filter(pk=photo.pk).exists()


def test_media_is_not_under_static(settings):
    from pathlib import Path

    static_roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT).resolve()]
    media = Path(settings.MEDIA_ROOT).resolve()
    assert all(root not in media.parents and root != media for root in static_roots)


@pytest.mark.parametrize("persona", ["volunteer", "outsider"])
def test_forbidden(request, client, activity, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(activity)).status_code == 404
    assert client.post(url(activity), {"reflection": "x"}).status_code == 404
    activity.refresh_from_db()
    assert activity.reflection == ""


def test_no_photos_when_the_policy_says_none(staff_client, activity):
    activity.photo_policy = "none"
    activity.save()
    image = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    response = staff_client.post(f"/activities/{activity.pk}/report/photos/", {"images": [image]})
    assert response.status_code == 200 and response.context["photo_form"].non_field_errors()
    assert not ActivityPhoto.objects.exists()


def test_thumbnail_is_small_upright_and_without_exif(staff_client, activity, django_capture_on_commit_callbacks):
    """A phone's photo: large, turned by its EXIF orientation, with a GPS position. The report shows
    a small upright JPEG without any EXIF; the original is kept as it was."""
    from PIL import Image

    original = Image.new("RGB", (2000, 1000), (200, 80, 40))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees to show
    exif[0x8825] = {1: "N", 2: (36.0, 11.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    original.save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")
    assert staff_client.post(f"/activities/{activity.pk}/report/photos/", {"images": [upload]}).status_code == 302
    photo = ActivityPhoto.objects.get()
    served = staff_client.get(f"/activities/photos/{photo.pk}/thumbnail/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as thumb:
        assert thumb.size == (320, 640)  # upright (portrait) and at most 640 px
        assert not thumb.getexif()
    page = staff_client.get(url(activity)).content.decode()
    assert f'src="/activities/photos/{photo.pk}/thumbnail/"' in page and f'href="/activities/photos/{photo.pk}/"' in page
    thumb_path, image_path = photo.thumbnail.path, photo.image.path
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/activities/photos/{photo.pk}/delete/")
    assert not os.path.exists(thumb_path) and not os.path.exists(image_path)


def test_a_photo_without_thumbnail_shows_itself(staff_client, photo):
    ActivityPhoto.objects.filter(pk=photo.pk).update(thumbnail="")
    served = staff_client.get(f"/activities/photos/{photo.pk}/thumbnail/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == png_bytes()


def test_a_photo_pillow_cannot_shrink_is_kept_without_thumbnail(staff, activity, monkeypatch):
    from activities.services import participants as services_participants

    def broken(photo):
        raise OSError("image file is truncated")

    monkeypatch.setattr(services_participants, "photo_thumbnail", broken)
    photos = services_participants.activity_photos_add(
        activity=activity, by=staff, images=[SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")])
    assert len(photos) == 1 and ActivityPhoto.objects.get().image and not ActivityPhoto.objects.get().thumbnail
