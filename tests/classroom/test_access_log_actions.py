"""Every action the access log records has a name on the log's page and in its download (in Japanese too)."""

from django.utils import translation

from classroom import access_log


def test_every_action_has_a_label_in_both_languages():
    actions = {value for name, value in vars(access_log).items()
               if name.isupper() and isinstance(value, str) and name != "ACTION_LABELS"}
    assert actions >= {"view", "delete", "export", "account_2fa_reset"}
    assert actions == set(access_log.ACTION_LABELS)
    with translation.override("ja"):
        japanese = {action: access_log.action_label(action) for action in actions}
    with translation.override("en"):
        english = {action: access_log.action_label(action) for action in actions}
    untranslated = [action for action in actions if japanese[action] == english[action]]
    assert not untranslated, untranslated
