"""Row-wise feature engineering. Nothing here learns from the data, so it is safe before the split."""
import numpy as np
import pandas as pd

TARGET = "Churn"
NUMERIC = ["tenure", "MonthlyCharges", "TotalCharges", "avg_monthly_charge"]
CATEGORICAL = ["Contract", "PaymentMethod", "InternetService", "PaperlessBilling", "tenure_bucket"]
FLAGS = ["SeniorCitizen"]

TENURE_BINS = [-np.inf, 12, 24, 48, np.inf]
TENURE_LABELS = ["0-12", "13-24", "25-48", "49+"]


def add_features(df: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``df`` with the engineered columns added."""
    out = df.copy()
    out["tenure_bucket"] = pd.cut(out["tenure"], bins=TENURE_BINS, labels=TENURE_LABELS).astype(str)
    # tenure 0 means no full month yet: leave the ratio missing instead of dividing by zero
    out["avg_monthly_charge"] = out["TotalCharges"] / out["tenure"].replace(0, np.nan)
    return out
