"""The header of an import file names its columns: what an unknown header says. Plain Python."""

import pytest

from indicators.imports.columns import map_columns
from indicators.imports.files import ImportFileError
from indicators.models import ImportFormat


def test_many_unknown_columns_are_named_for_the_first_few_and_counted_for_the_rest() -> None:
    headers = ["指標コード", "年度", "実績値", *(f"列{i}" for i in range(1, 901))]
    with pytest.raises(ImportFileError) as refused:
        map_columns(headers, ImportFormat.ACTUALS)
    message = str(refused.value)
    assert message.startswith(
        "不明な列があります：「列1」（4列目）、「列2」（5列目）、「列3」（6列目）、"
        "「列4」（7列目）、「列5」（8列目）ほか 895列。使える列：指標コード（indicator_code）"
    )
    assert len(message) < 300


def test_a_long_unknown_header_is_shortened_in_the_message() -> None:
    with pytest.raises(ImportFileError, match="不明な列があります：「x{20}…」（4列目）。"):
        map_columns(["指標コード", "年度", "実績値", "x" * 5000], ImportFormat.ACTUALS)
