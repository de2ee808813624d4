from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from awareness.models import User

admin.site.site_header = _("Scam Spotter administration")
admin.site.site_title = _("Scam Spotter admin")


@admin.register(User)
class SiteUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "groups")
    search_fields = ("username", "display_name")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Site"), {"fields": ("role", "display_name", "created_by", "must_change_password")}),
    )
    raw_id_fields = ("created_by",)
