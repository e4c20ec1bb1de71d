"""Form helpers shared by every app: Bootstrap classes and accessible error links."""

from django import forms


class FormulaireAccessibleMixin:
    """Adds Bootstrap classes, and ``aria-invalid`` / ``aria-describedby`` on fields in error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            widget = champ.widget
            if getattr(widget, "input_type", None) in ("checkbox", "radio"):
                css = "form-check-input"
            elif widget.__class__.__name__ in ("Select", "SelectMultiple"):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for nom in self.errors:
            if nom in self.fields:
                attrs = self.fields[nom].widget.attrs
                attrs["aria-invalid"] = "true"
                identifiant = f"id_{self.add_prefix(nom)}_erreurs"
                decrit = attrs.get("aria-describedby", "")
                attrs["aria-describedby"] = f"{identifiant} {decrit}".strip()


class ChoixConstantsMixin:
    """For a choice field whose choices never change: each form shares them instead of
    deep-copying them (Django copies every choice of every field for each form, 40,000
    copies for the public search's 130 choices)."""

    def __deepcopy__(self, memo):
        copie = forms.Field.__deepcopy__(self, memo)  # ChoiceField's own copies the choices
        copie._choices = self._choices
        return copie


class ChoixFixe(ChoixConstantsMixin, forms.ChoiceField):
    pass


class ChoixMultiplesFixes(ChoixConstantsMixin, forms.MultipleChoiceField):
    pass
