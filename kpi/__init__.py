"""The domain core of Isesaki KPI, in plain Python: no Django import (the layer contract in
pyproject.toml enforces it).

Values in, values out: progress toward a target (``progress``), 和暦 years (``wareki``),
numbers as written in Japan (``numbers``), the checks of an actual at entry (``entry_rules``),
spreadsheet-safe text (``csvsafe``), chart geometry (``charts``) and the measure × project
◎/○ table (``matrix``). The Django apps adapt their models to these functions.
"""
