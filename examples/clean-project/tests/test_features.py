import numpy as np
import pandas as pd

from churn_model.features import CATEGORICAL, FLAGS, NUMERIC, add_features


def make_customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customerID": ["0001-AAAAA", "0002-BBBBB", "0003-CCCCC"],
            "SeniorCitizen": [0, 1, 0],
            "tenure": [0, 12, 60],
            "MonthlyCharges": [70.0, 50.0, 20.0],
            "TotalCharges": [np.nan, 600.0, 1200.0],
            "Contract": ["Month-to-month", "One year", "Two year"],
            "PaymentMethod": ["Electronic check", "Mailed check", "Credit card (automatic)"],
            "InternetService": ["Fiber optic", "DSL", "No"],
            "PaperlessBilling": ["Yes", "No", "Yes"],
        }
    )


def test_zero_tenure_gives_missing_ratio_not_inf():
    out = add_features(make_customers())
    assert np.isnan(out.loc[0, "avg_monthly_charge"])
    assert out.loc[1, "avg_monthly_charge"] == 50.0
    assert not np.isinf(out["avg_monthly_charge"]).any()


def test_tenure_buckets_use_fixed_edges():
    assert add_features(make_customers())["tenure_bucket"].tolist() == ["0-12", "0-12", "49+"]


def test_input_is_not_mutated_and_model_columns_exist():
    df = make_customers()
    out = add_features(df)
    assert "avg_monthly_charge" not in df.columns
    assert set(NUMERIC + CATEGORICAL + FLAGS) <= set(out.columns)
    assert len(out) == len(df)
