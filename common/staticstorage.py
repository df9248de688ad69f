"""The static files' storage in production (STATIC_MANIFEST=1): WhiteNoise's, hashed
names and compressed copies, with each file's URL worked out once a process. The
manifest is read when the process starts and does not change while it runs; working a
URL out from it took some 50 µs, and a page names five files."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        key = (name, settings.DEBUG)  # in DEBUG the names are not hashed
        found = self._urls.get(key)
        if found is None:  # a name the manifest lacks raises, and nothing is kept
            found = self._urls[key] = super().url(name)
        return found
