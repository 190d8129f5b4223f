from django.contrib import admin

from .models import Region, Township

admin.site.register(Region)
admin.site.register(Township)
