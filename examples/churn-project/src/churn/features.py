"""Feature engineering for the churn model.

Used by train.py and serve.py. Keep these in sync!!
"""
import pandas as pd

SERVICE_COLS = [
    "PhoneService",
    "MultipleLines",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
]

CATEGORICAL_COLS = [
    "gender",
    "Partner",
    "Dependents",
    "PhoneService",
    "MultipleLines",
    "InternetService",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "TechSupport",
    "StreamingTV",
    "StreamingMovies",
    "Contract",
    "PaperlessBilling",
    "PaymentMethod",
    "tenure_bucket",
]


def tenure_bucket(tenure):
    # buckets agreed with the retention team in the Q3 deck
    return pd.cut(
        tenure,
        bins=[-1, 6, 12, 24, 48, 72],
        labels=["0-6m", "6-12m", "1-2y", "2-4y", "4y+"],
    ).astype(str)


def count_services(df):
    """Number of add-on services the customer pays for."""
    counts = []
    for _, row in df.iterrows():
        n = 0
        for col in SERVICE_COLS:
            if row[col] == "Yes":
                n += 1
        counts.append(n)
    df["num_services"] = counts
    return df


def add_features(df, drop_cols=[]):
    df = df.copy()
    df["tenure_bucket"] = tenure_bucket(df["tenure"])
    df["monthly_to_total_ratio"] = df["MonthlyCharges"] / df["TotalCharges"]
    df["is_month_to_month"] = (df["Contract"] == "Month-to-month").astype(int)
    df["auto_pay"] = df["PaymentMethod"].str.contains("automatic").astype(int)
    df = count_services(df)
    # support-ticket counts come from add_ticket_counts() (training only: no CRM feed in serving)
    # TODO: tenure_bucket breaks for tenure > 72, check with Ana
    drop_cols.append("customerID")  # never a feature
    df = df.drop(columns=drop_cols, errors="ignore")
    print(f"add_features: {df.shape[1]} columns")
    return df


def add_ticket_counts(df: pd.DataFrame, tickets: pd.DataFrame) -> pd.DataFrame:
    """Support tickets per customer (CRM export). Call before add_features: needs customerID."""
    counts = tickets.groupby("customerID").size().rename("n_tickets").reset_index()
    df = df.merge(counts, on="customerID", how="left")
    df["n_tickets"] = df["n_tickets"].fillna(0)  # no tickets in the export -> 0
    return df
