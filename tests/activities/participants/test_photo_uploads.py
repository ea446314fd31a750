"""Activity photo uploads: pictures are accepted by their content (JPEG, PNG, WebP only), PostScript is
refused without Ghostscript ever running, and the stored original keeps no EXIF/GPS, XMP or comment."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import EpsImagePlugin, Image, PngImagePlugin, UnidentifiedImageError

from activities.models import ActivityPhoto
from activities.services.participants import activity_photos_add
from lib import images

from .conftest import png_bytes

# A complete, tiny Encapsulated PostScript file: a grey 10x10 square.
EPS = (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
       b"0.5 setgray 0 0 10 10 rectfill\nshowpage\n%%EOF\n")
GPS = {1: "N", 2: (36.0, 11.0, 0.0), 3: "E", 4: (139.0, 16.0, 0.0)}  # Fukaya


def upload_url(activity):
    return f"/activities/{activity.pk}/report/photos/"


def phone_jpeg() -> bytes:
    """A photo as a phone writes it: turned by EXIF orientation, with GPS, XMP and a comment."""
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90 degrees to show
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (200, 80, 40)).save(
        buffer, format="JPEG", exif=exif, comment=b"taken at home", xmp=b"<x:xmpmeta>exif:GPSLatitude</x:xmpmeta>")
    return buffer.getvalue()


def stored_bytes(photo) -> bytes:
    with photo.image.open("rb") as handle:
        return handle.read()


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif(), dict(image.getexif())
        assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp", "Comment"} & set(image.info), image.info
    for secret in (b"Exif\x00\x00", b"PhoneMaker", b"taken at home", b"GPSLatitude", b"xmpmeta"):
        assert secret not in data


@pytest.fixture
def no_ghostscript(monkeypatch):
    """Fails the test if Pillow tries to start Ghostscript."""
    calls = []

    def record(*args, **kwargs):
        calls.append(args)
        raise AssertionError("Ghostscript was started")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", record)
    return calls


def test_an_eps_named_jpg_is_refused_in_japanese_and_ghostscript_never_runs(staff_client, activity, no_ghostscript):
    upload = SimpleUploadedFile("IMG_0001.jpg", EPS, content_type="image/jpeg")
    response = staff_client.post(upload_url(activity), {"images": [upload]}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    errors = " ".join(response.context["photo_form"].errors["images"])
    assert "IMG_0001.jpg は写真として使えません" in errors and "JPEG・PNG・WebP" in errors
    assert "IMG_0001.jpg は写真として使えません" in response.content.decode()
    assert not ActivityPhoto.objects.exists() and not no_ghostscript


def test_the_service_refuses_eps_too_and_stores_nothing(staff, activity, no_ghostscript):
    good = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    bad = SimpleUploadedFile("b.eps", EPS, content_type="image/png")
    with pytest.raises(images.ImageRefused):
        activity_photos_add(activity=activity, images=[good, bad], by=staff)
    assert not ActivityPhoto.objects.exists() and not no_ghostscript


def test_pillow_cannot_open_postscript_anywhere_in_the_process(no_ghostscript):
    """Django's own ImageField (the admin's) opens images without a format list: EPS is off for it too."""
    with pytest.raises(UnidentifiedImageError):
        Image.open(io.BytesIO(EPS))
    assert "EPS" not in Image.OPEN and "EPS" not in Image.ID
    assert not EpsImagePlugin.has_ghostscript()
    with pytest.raises(UnidentifiedImageError):
        images.open_image(io.BytesIO(EPS))


@pytest.mark.parametrize("data, name", [
    (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,"
     b"\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;", "anim.jpg"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.webp"),
    (png_bytes()[:60], "cut.png"),
])
def test_other_kinds_and_damaged_files_are_refused(staff_client, activity, data, name):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    response = staff_client.post(upload_url(activity), {"images": [upload]}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert f"{name} は写真として使えません" in " ".join(response.context["photo_form"].errors["images"])
    assert not ActivityPhoto.objects.exists()


def test_a_png_named_jpg_is_stored_as_the_png_it_is(staff_client, activity):
    upload = SimpleUploadedFile("holiday.jpg", png_bytes(), content_type="image/jpeg")
    assert staff_client.post(upload_url(activity), {"images": [upload]}).status_code == 302
    photo = ActivityPhoto.objects.get()
    assert photo.image.name.endswith("holiday.png")
    served = staff_client.get(f"/activities/photos/{photo.pk}/")
    assert served["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as image:
        assert image.format == "PNG" and image.size == (40, 30)


def test_the_stored_original_loses_gps_exif_xmp_and_comment_and_stays_upright(staff_client, activity):
    data = phone_jpeg()
    with Image.open(io.BytesIO(data)) as sent:  # the file really carries what must go
        assert sent.getexif().get_ifd(0x8825) and sent.info.get("comment") and sent.info.get("xmp")
    upload = SimpleUploadedFile("IMG_0002.JPG", data, content_type="image/jpeg")
    assert staff_client.post(upload_url(activity), {"images": [upload]}).status_code == 302
    photo = ActivityPhoto.objects.get()
    original = stored_bytes(photo)
    assert_no_metadata(original)
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == "JPEG" and image.size == (100, 200)  # turned as the phone meant it
        assert image.getpixel((50, 100))[0] > 150  # still the photo
    with photo.thumbnail.open("rb") as handle:
        assert_no_metadata(handle.read())
    served = staff_client.get(f"/activities/photos/{photo.pk}/")
    assert b"".join(served.streaming_content) == original


def test_a_webp_is_accepted_and_cleaned(staff_client, activity):
    exif = Image.Exif()
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, format="WEBP", exif=exif, xmp=b"<x:xmpmeta/>")
    upload = SimpleUploadedFile("pic.webp", buffer.getvalue(), content_type="application/octet-stream")
    assert staff_client.post(upload_url(activity), {"images": [upload]}).status_code == 302
    photo = ActivityPhoto.objects.get()
    original = stored_bytes(photo)
    assert_no_metadata(original)
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == "WEBP" and image.size == (60, 40)
    assert staff_client.get(f"/activities/photos/{photo.pk}/")["Content-Type"] == "image/webp"
    assert photo.thumbnail


def test_a_multi_picture_jpeg_from_a_phone_keeps_its_first_picture_as_a_jpeg(staff_client, activity):
    exif = Image.Exif()
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), (255, 0, 0)).save(buffer, format="MPO", save_all=True, exif=exif,
                                                append_images=[Image.new("RGB", (50, 40), (0, 0, 255))])
    upload = SimpleUploadedFile("DSC_0001.JPG", buffer.getvalue(), content_type="image/jpeg")
    assert staff_client.post(upload_url(activity), {"images": [upload]}).status_code == 302
    original = stored_bytes(ActivityPhoto.objects.get())
    assert_no_metadata(original)
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == "JPEG" and image.getpixel((25, 20))[0] > 200 and not getattr(image, "n_frames", 1) > 1


def test_png_text_and_exif_chunks_are_removed_and_transparency_kept(staff, activity):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at home")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude</x:xmpmeta>")
    exif = Image.Exif()
    exif[0x8825] = GPS
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 0, 0)).save(buffer, format="PNG", pnginfo=info, exif=exif)
    photo = activity_photos_add(activity=activity, by=staff,
                                images=[SimpleUploadedFile("t.png", buffer.getvalue())])[0]
    original = stored_bytes(photo)
    assert_no_metadata(original)
    with Image.open(io.BytesIO(original)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("width, height", [(30_000, 30_000), (10_000, 7_000)])
def test_a_small_file_that_would_decode_to_gigabytes_is_refused(staff_client, activity, width, height):
    upload = SimpleUploadedFile("bomb.png", _png_header_only(width, height), content_type="image/png")
    response = staff_client.post(upload_url(activity), {"images": [upload]}, HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200
    assert "bomb.png は画素数が多すぎます" in " ".join(response.context["photo_form"].errors["images"])
    assert not ActivityPhoto.objects.exists()


def test_the_file_input_asks_for_the_accepted_kinds(staff_client, activity):
    page = staff_client.get(f"/activities/{activity.pk}/report/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    assert "撮影場所（GPS）などの情報は取り除いて保存します" in page
