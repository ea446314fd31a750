"""The case-work models, taken over from ``classroom`` in Django's state only: their tables exist already.

A new database got them from classroom's 0004-0006; ``db_table`` keeps the old names. Index and
constraint names are those classroom's migrations gave them, so the state matches the database.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('classroom', '0007_casework_leaves_classroom'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Contact',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('kind', models.CharField(choices=[('phone', 'Phone call'), ('message', 'Message'), ('school_meeting', 'Meeting at school'), ('classroom_meeting', 'Meeting at the classroom')], max_length=20, verbose_name='kind')),
                        ('contacted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date and time')),
                        ('with_whom', models.CharField(blank=True, max_length=100, verbose_name='with whom')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('concern_level', models.CharField(choices=[('none', 'No concern'), ('watch', 'Watch'), ('concern', 'Concern'), ('urgent', 'Urgent')], default='none', max_length=10, verbose_name='concern level')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('done', 'Finished')], default='done', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('staff', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='staff')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contacts', to='classroom.student', verbose_name='student')),
                    ],
                    options={
                        'verbose_name': 'contact',
                        'verbose_name_plural': 'contacts',
                        'db_table': 'classroom_contact',
                        'ordering': ['-contacted_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HomeVisit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('visited_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='visited at')),
                        ('purpose', models.CharField(choices=[('first', 'First visit'), ('regular', 'Regular visit'), ('absences', 'Follow-up on absences'), ('urgent', 'Urgent'), ('other', 'Other')], default='regular', max_length=20, verbose_name='purpose')),
                        ('family_met', models.BooleanField(blank=True, null=True, verbose_name='the family was met')),
                        ('living_environment', models.TextField(blank=True, verbose_name='living environment')),
                        ('parent_child', models.TextField(blank=True, verbose_name='parent-child communication')),
                        ('child_condition', models.TextField(blank=True, verbose_name="the child's condition")),
                        ('parenting_consultation', models.TextField(blank=True, verbose_name='parenting consultation')),
                        ('concern_level', models.CharField(choices=[('none', 'No concern'), ('watch', 'Watch'), ('concern', 'Concern'), ('urgent', 'Urgent')], default='none', max_length=10, verbose_name='concern level')),
                        ('next_visit_due', models.DateField(blank=True, null=True, verbose_name='next visit due')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('done', 'Finished')], default='draft', max_length=10, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('staff', models.ManyToManyField(blank=True, related_name='home_visits', to=settings.AUTH_USER_MODEL, verbose_name='staff who went')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='home_visits', to='classroom.student', verbose_name='student')),
                    ],
                    options={
                        'verbose_name': 'home visit',
                        'verbose_name_plural': 'home visits',
                        'db_table': 'classroom_homevisit',
                        'ordering': ['-visited_at'],
                    },
                ),
                migrations.CreateModel(
                    name='FollowUpAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('description', models.CharField(max_length=200, verbose_name='action')),
                        ('due_on', models.DateField(verbose_name='due on')),
                        ('done_on', models.DateField(blank=True, null=True, verbose_name='done on')),
                        ('contact', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='casework.contact')),
                        ('owner', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to=settings.AUTH_USER_MODEL, verbose_name='owner')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='classroom.student')),
                        ('visit', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follow_ups', to='casework.homevisit')),
                    ],
                    options={
                        'verbose_name': 'follow-up action',
                        'verbose_name_plural': 'follow-up actions',
                        'db_table': 'classroom_followupaction',
                        'ordering': ['due_on'],
                    },
                ),
                migrations.CreateModel(
                    name='InformationShare',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('recipient_kind', models.CharField(blank=True, choices=[('caseworker', 'Public-assistance caseworker'), ('ssw', 'School social worker'), ('school', 'School'), ('child_guidance', 'Child guidance centre'), ('agency', 'Other agency')], help_text='Empty only for a recipient outside the list, shared under an exception.', max_length=20, verbose_name='kind of recipient')),
                        ('recipient_name', models.CharField(max_length=120, verbose_name='recipient')),
                        ('what', models.TextField(verbose_name='what was shared')),
                        ('shared_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='shared at')),
                        ('basis', models.CharField(choices=[('consent', 'Consent on file'), ('law', 'Required by law (e.g. a report of suspected abuse)'), ('life', "To protect a person's life, body or property"), ('child_welfare', 'Child-welfare exception')], max_length=20, verbose_name='basis')),
                        ('exception_reason', models.TextField(blank=True, verbose_name='reason for the exception')),
                        ('consent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='shares', to='classroom.consent', verbose_name='consent')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='shares', to='classroom.householdcontact', verbose_name='shared with')),
                        ('shared_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='shared by')),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='information_shares', to='classroom.student', verbose_name='student')),
                    ],
                    options={
                        'verbose_name': 'information share',
                        'verbose_name_plural': 'information shares',
                        'db_table': 'classroom_informationshare',
                        'ordering': ['-shared_at'],
                    },
                ),
                migrations.CreateModel(
                    name='WarningNotice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=30)),
                        ('key', models.CharField(help_text="What makes this warning new, e.g. the last absence's date.", max_length=100)),
                        ('notified_on', models.DateField(default=django.utils.timezone.localdate)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='classroom.student')),
                    ],
                    options={
                        'db_table': 'classroom_warningnotice',
                    },
                ),
                migrations.CreateModel(
                    name='WarningSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False)),
                        ('consecutive_absences', models.PositiveSmallIntegerField(default=2, verbose_name='consecutive absences without notice')),
                        ('rate_below', models.PositiveSmallIntegerField(default=50, verbose_name='attendance rate fell below (%)')),
                        ('rate_before', models.PositiveSmallIntegerField(default=75, verbose_name='after being at least (%)')),
                        ('no_contact_days', models.PositiveSmallIntegerField(default=30, verbose_name='days without any contact')),
                        ('site', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='warning_settings', to='classroom.site')),
                    ],
                    options={
                        'verbose_name': 'early-warning settings',
                        'verbose_name_plural': 'early-warning settings',
                        'db_table': 'classroom_warningsettings',
                    },
                ),
                migrations.AddIndex(
                    model_name='contact',
                    index=models.Index(fields=['student', 'contacted_at'], name='classroom_c_student_b5971c_idx'),
                ),
                migrations.AddIndex(
                    model_name='homevisit',
                    index=models.Index(fields=['student', 'visited_at'], name='classroom_h_student_55bde3_idx'),
                ),
                migrations.AddConstraint(
                    model_name='followupaction',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('contact__isnull', True), ('visit__isnull', False)), models.Q(('contact__isnull', False), ('visit__isnull', True)), _connector='OR'), name='follow_up_has_one_origin'),
                ),
                migrations.AddConstraint(
                    model_name='informationshare',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('basis', 'consent'), ('consent__isnull', False)), models.Q(('basis__in', ['law', 'life', 'child_welfare']), models.Q(('exception_reason', ''), _negated=True)), _connector='OR'), name='share_has_a_basis'),
                ),
                migrations.AddConstraint(
                    model_name='warningnotice',
                    constraint=models.UniqueConstraint(fields=('student', 'recipient', 'kind', 'key'), name='unique_warning_notice'),
                ),
            ],
        ),
    ]
