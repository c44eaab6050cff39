from django import forms


class Form(forms.Form):
    """Our forms: labels without the trailing colon (they read as questions, not fields)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
