"""Where the plans' YAML sources live (no Django import: scripts read it before setup)."""

from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "source"
# 前期アクションプラン (FY2025–2029): what the README's first command and the tests load.
FIRST_PLAN_SOURCE = SOURCE_DIR / "plan_2025_2029.yaml"
