import json
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from plandata.plan_source import build_fixture

DEFAULT_SOURCE = Path(settings.BASE_DIR) / "fixtures" / "source" / "plan_2025_2029.yaml"
DEFAULT_OUTPUT = Path(settings.BASE_DIR) / "fixtures" / "plan.json"


def render_fixture(source_path: Path) -> str:
    source = yaml.safe_load(source_path.read_text(encoding="utf-8"))
    return json.dumps(build_fixture(source), ensure_ascii=False, indent=1) + "\n"


class Command(BaseCommand):
    help = "計画のYAML（fixtures/source）から fixtures/plan.json を生成します。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
        parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)

    def handle(self, *args: object, source: Path, output: Path, **options: object) -> None:
        output.write_text(render_fixture(source), encoding="utf-8")
        self.stdout.write(f"wrote {output}")
