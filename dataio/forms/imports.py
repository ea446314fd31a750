"""Forms of the import screens: the upload, and the matching of the file's columns to fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from classroom.models import Site
from dataio.models import ImportKind, ImportRun
from dataio.services import imports_columns as cols
from dataio.services.imports_read import MAX_BYTES


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportKind.choices, widget=forms.RadioSelect)
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=None,
                                  help_text=_("Students and volunteers are imported into this site."))
    file = forms.FileField(label=_("File"), help_text=_("Excel (.xlsx) or CSV (UTF-8 or Shift_JIS), up to 5 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.visible_to(user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it into several files."))
        return upload


class ImportMappingForm(forms.Form):
    """One choice per column of the file: the field it fills, or nothing."""

    def __init__(self, *args, run: ImportRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        choices = [("", _("(not imported)")), *((c.key, c.label) for c in cols.columns(run.kind))]
        for i, heading in enumerate(run.headings):
            sample = next((row[i] for row in run.rows if i < len(row) and row[i]), "")
            self.fields[str(i)] = forms.ChoiceField(
                label=heading, choices=choices, required=False, initial=run.mapping.get(str(i), ""),
                help_text=_("For example: %(value)s") % {"value": sample[:40]} if sample else "")

    def clean(self):
        cleaned = super().clean()
        chosen = [value for value in cleaned.values() if value]
        twice = {value for value in chosen if chosen.count(value) > 1}
        if twice:
            labels = "、".join(str(cols.column(self.run.kind, key).label) for key in sorted(twice))
            raise forms.ValidationError(_("Each field can come from one column only: %(fields)s.") % {"fields": labels})
        return cleaned
