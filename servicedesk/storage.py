from django_tenants.files.storage import TenantFileSystemStorage


class SystemFileStorage(TenantFileSystemStorage):
    """Files of a System live under MEDIA_ROOT/systems/<schema>/ and have no public URL:
    they are served only by views that check the user's access."""

    def url(self, name):
        raise NotImplementedError("System files are served by access-checking views only.")
