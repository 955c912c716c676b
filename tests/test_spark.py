"""The distributed path: the same analysis functions, unchanged, on Spark through Ibis's PySpark backend.

Reconciliation (every row's identity and chain check, and the breaks) and ABC (per-SKU measures, then the
classes) on a local Spark session must equal DuckDB's. Marked ``spark`` (deselect with ``-m "not spark"``);
``make test`` runs it — set-up installs pyspark and Java 17 is on the machine.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from stockbook import classes, ledger
from stockbook import schema as sch
from stockbook.engine import hash64, to_pandas

pytestmark = pytest.mark.spark
KEY = ["sku", "location", "disposition", "period_start"]


@pytest.fixture(scope="module")
def spark_con(tmp_path_factory):
    import ibis
    from pyspark.sql import SparkSession

    where = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("stockbook-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.warehouse.dir", str(where / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={where}")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield ibis.pyspark.connect(session)
    session.stop()


def _to_spark(con, name: str, df: pd.DataFrame):
    plain = df.copy()
    for c in plain.columns:  # Spark's pandas conversion takes object columns of str
        if isinstance(plain[c].dtype, pd.StringDtype):
            plain[c] = plain[c].astype(object).where(plain[c].notna(), None)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", FutureWarning
        )  # "PySpark does not yet fully support pandas >= 3"
        return con.create_table(name, plain, overwrite=True)


@pytest.fixture(scope="module")
def small(sample_data):
    """40 SKUs of the sample: their ledger rows, sales and master."""
    skus = sorted(sample_data["ledger"]["sku"].unique())[:40]
    led = sch.conform(sample_data["ledger"].loc[lambda d: d["sku"].isin(skus)], sch.LEDGER)
    sales = sch.conform(sample_data["sales"].loc[lambda d: d["sku"].isin(skus)], sch.SALES)
    products = sample_data["products"].loc[lambda d: d["sku"].isin(skus)]
    # a break of each kind, so equality covers rows that do not balance
    led = led.sort_values(KEY).reset_index(drop=True)
    led.loc[3, "ending"] += 5
    led.loc[10, "starting"] -= 2
    return led, sales, products


def test_reconciliation_on_spark_equals_duckdb(spark_con, small):
    led, _, products = small
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        on_spark = to_pandas(ledger.reconcile(_to_spark(spark_con, "ledger", led)), order_by=KEY)
        recon = ledger.reconcile(_to_spark(spark_con, "ledger", led))
        breaks_spark = to_pandas(
            ledger.ledger_breaks(recon, products=products), order_by=["sku", "location", "period"]
        )
    on_duckdb = to_pandas(ledger.reconcile(led), order_by=KEY)
    breaks_duckdb = to_pandas(
        ledger.ledger_breaks(ledger.reconcile(led), products=products),
        order_by=["sku", "location", "period"],
    )
    assert len(on_duckdb) == len(led) and (on_duckdb["break_units"] != 0).sum() >= 1
    pd.testing.assert_frame_equal(on_spark[on_duckdb.columns], on_duckdb)
    assert len(breaks_duckdb) >= 2
    pd.testing.assert_frame_equal(breaks_spark[breaks_duckdb.columns], breaks_duckdb)


def test_abc_on_spark_equals_duckdb(spark_con, small):
    _, sales, products = small
    window = {"start": "2025-11-01", "end": "2026-10-31"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        m_spark = classes.sku_measures(
            _to_spark(spark_con, "sales", sales), products=products, **window
        )
    m_duckdb = classes.sku_measures(sales, products=products, **window)
    assert m_duckdb["revenue"].sum() > 0
    pd.testing.assert_frame_equal(m_spark, m_duckdb)
    pd.testing.assert_frame_equal(classes.abc_classify(m_spark), classes.abc_classify(m_duckdb))


def test_chain_check_hash_is_64_bits_wide_on_spark(spark_con, small):
    # Ibis's .hash() is Spark's 32-bit hash: the chain check's sums would then have only 32 bits against a false pass
    led = small[0][["period_start", "starting"]].head(200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        t = _to_spark(spark_con, "links", led)
        h = to_pandas(t.select(h=hash64(t.period_start, t.starting)))["h"].astype("int64")
    assert h.nunique() == led.drop_duplicates().shape[0]
    assert (h.abs() >= 2**32).mean() > 0.9  # a 32-bit hash never is
