"""Two indexes every complaint write paid for and no read needs: each is the prefix of a list
index of 0007 (ward, created_at DESC, id DESC; priority, created_at DESC, id DESC)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0007_list_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='complaint',
            name='idx_complaints_ward_created',
        ),
        migrations.RemoveIndex(
            model_name='complaint',
            name='idx_complaints_priority',
        ),
    ]
