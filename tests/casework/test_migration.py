"""Moving case work into its own app keeps an existing database's data: same tables, same rows,
foreign keys intact, content types (and with them permissions and admin log entries) moved.

The database goes back to the schema before the move (classroom 0006, casework not there), gets
a row of every moved model through the models of that time, and migrates forward.
"""

import datetime as dt

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from casework.models import (
    Contact,
    FollowUpAction,
    HomeVisit,
    InformationShare,
    WarningNotice,
    WarningSettings,
)
from classroom.models import Student

BEFORE = [("classroom", "0006_edit_versions_and_form_submissions"), ("casework", None)]
MOVED = ("homevisit", "contact", "followupaction", "informationshare", "warningsettings", "warningnotice")


def migrate(targets):
    """Migrate to ``targets``; the models of the schema the database then has (every other app at its latest,
    unless going back unapplied it with them: an app whose migrations depend on a later classroom)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    apps_named = {app for app, _name in targets}
    applied = executor.loader.applied_migrations
    nodes = [n for n in executor.loader.graph.leaf_nodes() if n[0] not in apps_named and n in applied]
    return executor.loader.project_state(nodes + [t for t in targets if t[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# serialized_rollback: the test starts from the database's first contents (its content types
# included, whatever the test before it left) and leaves them for the next test.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_existing_database_keeps_its_case_work():
    old = migrate(BEFORE)
    old_ct = old.get_model("contenttypes", "ContentType")
    assert set(old_ct.objects.filter(app_label="classroom", model__in=MOVED).values_list("model", flat=True)) \
        == set(MOVED), "going back puts the content types under classroom again"
    # (The change history's content types, made when the test database was created, stay behind: stale rows
    # Django leaves for a model whose migration was unapplied.)
    assert not old_ct.objects.filter(app_label="casework").exclude(model__startswith="historical").exists()
    type_ids = dict(old_ct.objects.filter(app_label="classroom", model__in=MOVED).values_list("model", "pk"))

    User = old.get_model("auth", "User")
    Site = old.get_model("classroom", "Site")
    Household = old.get_model("classroom", "Household")
    Guardian = old.get_model("classroom", "Guardian")
    OldStudent = old.get_model("classroom", "Student")
    staff = User.objects.create(username="mig-staff", first_name="花子", last_name="佐藤")
    site = Site.objects.create(name="移行テスト教室")
    household = Household.objects.create(address="深谷市1-2-3")
    guardian = Guardian.objects.create(household=household, family_name="森", given_name="恵",
                                       family_name_kana="モリ", given_name_kana="メグミ", relationship="母")
    caseworker = old.get_model("classroom", "HouseholdContact").objects.create(
        household=household, kind="caseworker", name="深谷市 生活福祉課")
    child = OldStudent.objects.create(family_name="森", given_name="大地", family_name_kana="モリ",
                                      given_name_kana="ダイチ", site=site, household=household)
    consent = old.get_model("classroom", "Consent").objects.create(
        student=child, guardian=guardian, purpose="info_sharing", partners="深谷市 福祉事務所",
        recipient_kinds="caseworker", given_on=dt.date(2026, 4, 1))
    now = timezone.now()
    visit = old.get_model("classroom", "HomeVisit").objects.create(
        student=child, visited_at=now, purpose="regular", status="done", created_by=staff,
        child_condition="表情は明るい", next_visit_due=dt.date(2026, 12, 24))
    visit.staff.add(staff)
    contact = old.get_model("classroom", "Contact").objects.create(
        student=child, kind="phone", contacted_at=now, staff=staff, notes="母親と電話で話した")
    FollowUp = old.get_model("classroom", "FollowUpAction")
    from_visit = FollowUp.objects.create(student=child, visit=visit, description="学校へ連絡する", owner=staff,
                                         due_on=dt.date(2026, 12, 1))
    from_contact = FollowUp.objects.create(student=child, contact=contact, description="書類を届ける",
                                           due_on=dt.date(2026, 12, 2))
    share = old.get_model("classroom", "InformationShare").objects.create(
        student=child, recipient=caseworker, recipient_kind="caseworker", recipient_name="深谷市 生活福祉課",
        what="出席状況", shared_by=staff, basis="consent", consent=consent)
    old.get_model("classroom", "WarningSettings").objects.create(site=site, consecutive_absences=3)
    old.get_model("classroom", "WarningNotice").objects.create(student=child, recipient=staff, kind="absences",
                                                               key="2026-11-20")
    permission = old.get_model("auth", "Permission").objects.get(content_type_id=type_ids["homevisit"],
                                                                 codename="view_homevisit")
    log = old.get_model("admin", "LogEntry").objects.create(
        user=staff, content_type_id=type_ids["contact"], object_id=str(contact.pk), object_repr="電話",
        action_flag=ADDITION, change_message="")

    migrate(latest())
    ContentType.objects.clear_cache()

    visit_now = HomeVisit.objects.get(pk=visit.pk)
    assert visit_now.student == Student.objects.get(pk=child.pk)
    assert visit_now.child_condition == "表情は明るい" and visit_now.next_visit_due == dt.date(2026, 12, 24)
    assert [u.pk for u in visit_now.staff.all()] == [staff.pk] and visit_now.created_by_id == staff.pk
    assert Contact.objects.get(pk=contact.pk).notes == "母親と電話で話した"
    assert FollowUpAction.objects.get(pk=from_visit.pk).visit == visit_now
    assert FollowUpAction.objects.get(pk=from_contact.pk).contact.pk == contact.pk
    assert [f.pk for f in visit_now.follow_ups.all()] == [from_visit.pk]
    share_now = InformationShare.objects.select_related("consent", "recipient").get(pk=share.pk)
    assert share_now.consent.pk == consent.pk and share_now.recipient.pk == caseworker.pk
    assert WarningSettings.objects.get(site_id=site.pk).consecutive_absences == 3
    assert WarningNotice.objects.get(student_id=child.pk).key == "2026-11-20"
    assert Student.objects.get(pk=child.pk).home_visits.get() == visit_now

    for model in (HomeVisit, Contact, FollowUpAction, InformationShare, WarningSettings, WarningNotice):
        content_type = ContentType.objects.get_for_model(model)
        assert (content_type.app_label, content_type.pk) == ("casework", type_ids[model._meta.model_name])
    assert not ContentType.objects.filter(app_label="classroom", model__in=MOVED).exists()
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "casework"
    assert LogEntry.objects.get(pk=log.pk).get_edited_object() == Contact.objects.get(pk=contact.pk)
