"""Case work moves to the ``casework`` app: its six models leave classroom's migration state only.

The tables stay where they are (the models keep them with ``db_table``); ``casework``'s
0001 takes the models into its own state, and its 0002 moves their content types (and with them
permissions and admin log entries) from app label ``classroom`` to ``casework``.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('classroom', '0006_edit_versions_and_form_submissions'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='followupaction',
                    name='contact',
                ),
                migrations.RemoveField(
                    model_name='followupaction',
                    name='owner',
                ),
                migrations.RemoveField(
                    model_name='followupaction',
                    name='student',
                ),
                migrations.RemoveField(
                    model_name='followupaction',
                    name='visit',
                ),
                migrations.RemoveField(
                    model_name='homevisit',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='homevisit',
                    name='staff',
                ),
                migrations.RemoveField(
                    model_name='homevisit',
                    name='student',
                ),
                migrations.RemoveField(
                    model_name='informationshare',
                    name='consent',
                ),
                migrations.RemoveField(
                    model_name='informationshare',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='informationshare',
                    name='shared_by',
                ),
                migrations.RemoveField(
                    model_name='informationshare',
                    name='student',
                ),
                migrations.RemoveField(
                    model_name='warningnotice',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='warningnotice',
                    name='student',
                ),
                migrations.RemoveField(
                    model_name='warningsettings',
                    name='site',
                ),
                migrations.DeleteModel(
                    name='Contact',
                ),
                migrations.DeleteModel(
                    name='FollowUpAction',
                ),
                migrations.DeleteModel(
                    name='HomeVisit',
                ),
                migrations.DeleteModel(
                    name='InformationShare',
                ),
                migrations.DeleteModel(
                    name='WarningNotice',
                ),
                migrations.DeleteModel(
                    name='WarningSettings',
                ),
            ],
        ),
    ]
