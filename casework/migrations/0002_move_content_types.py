"""Move the case-work models' content types from app label ``classroom`` to ``casework``.

Permissions and admin log entries point at a content type by id, so they follow. A database
migrated from scratch has no content types yet at this point (Django creates them after all
migrations): nothing to move. Where ``casework`` already has a row for a model, the classroom
row is left as it is (Django then reports it as stale, and nothing points at the new one yet).
"""

from django.db import migrations

MODELS = ("homevisit", "contact", "followupaction", "informationshare", "warningsettings", "warningnotice")


def _move(apps, schema_editor, source: str, target: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    taken = set(ContentType.objects.using(db).filter(app_label=target, model__in=MODELS)
                .values_list("model", flat=True))
    ContentType.objects.using(db).filter(app_label=source, model__in=MODELS).exclude(model__in=taken).update(
        app_label=target)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "classroom", "casework")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "casework", "classroom")


class Migration(migrations.Migration):

    dependencies = [
        ("casework", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
