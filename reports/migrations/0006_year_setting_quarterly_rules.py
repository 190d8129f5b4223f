from decimal import Decimal

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_report_event_base"),
    ]

    operations = [
        migrations.AddField(
            model_name="yearsetting",
            name="commend_by",
            field=models.CharField(
                choices=[
                    ("top", "The first N units of the ranking"),
                    ("rate", "Every ranked unit with a completion rate of at least Y percent"),
                ],
                default="top",
                max_length=8,
                verbose_name="commendation rule",
            ),
        ),
        migrations.AddField(
            model_name="yearsetting",
            name="commend_count",
            field=models.PositiveSmallIntegerField(
                default=3,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="N: units commended from the top",
            ),
        ),
        migrations.AddField(
            model_name="yearsetting",
            name="commend_rate",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("80.00"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(999),
                ],
                verbose_name="Y: completion rate (percent)",
            ),
        ),
        migrations.AddField(
            model_name="yearsetting",
            name="criticise_by",
            field=models.CharField(
                choices=[
                    ("bottom", "The last N units of the ranking"),
                    ("gap", "Every ranked unit more than X points behind the schedule"),
                ],
                default="bottom",
                max_length=8,
                verbose_name="criticism rule",
            ),
        ),
        migrations.AddField(
            model_name="yearsetting",
            name="criticise_count",
            field=models.PositiveSmallIntegerField(
                default=3,
                validators=[django.core.validators.MaxValueValidator(100)],
                verbose_name="N: units criticised from the bottom",
            ),
        ),
        migrations.AddField(
            model_name="yearsetting",
            name="criticise_gap",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("10.00"),
                max_digits=5,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="X: points behind the schedule",
            ),
        ),
    ]
