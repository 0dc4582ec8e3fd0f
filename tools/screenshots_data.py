# Run by tools/screenshots.py through `manage.py shell -c`: the objects whose pages it shows,
# printed as one JSON line.
import json

from django.db.models import Count

from indicators.models import Actual, ActualStatus, Department, ImportRecord, Indicator, Target

demo = Department.objects.get(code="DEMO-01")
indicator = demo.indicators.order_by("code").first()
actual = Actual.objects.filter(series__indicator__department=demo).order_by("-year").first()
submitted = (
    Actual.objects.filter(status=ActualStatus.SUBMITTED, series__indicator__department=demo).first()
    or Actual.objects.filter(status=ActualStatus.SUBMITTED).first()
)
multi = Indicator.objects.annotate(n=Count("series")).filter(n__gt=1).order_by("code").first()
target = Target.objects.filter(series__indicator=indicator).first()
record = ImportRecord.objects.first()
assert indicator and actual and submitted and multi and target and record, "run the demo first"
print(
    json.dumps(
        {
            "indicator_code": indicator.code,
            "indicator_pk": indicator.pk,
            "multi_series_code": multi.code,
            "actual_pk": actual.pk,
            "submitted_pk": submitted.pk,
            "department_pk": demo.pk,
            "target_pk": target.pk,
            "importrecord_pk": record.pk,
        }
    )
)
