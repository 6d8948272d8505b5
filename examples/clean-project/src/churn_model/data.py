"""Load the raw Telco export and refuse anything that does not look like it."""
import hashlib
from pathlib import Path

import pandas as pd
import pandera as pa

YES_NO = pa.Check.isin(["Yes", "No"])

SCHEMA = pa.DataFrameSchema(
    {
        "customerID": pa.Column(str, unique=True),
        "SeniorCitizen": pa.Column(int, pa.Check.isin([0, 1])),
        "tenure": pa.Column(int, pa.Check.ge(0)),
        "MonthlyCharges": pa.Column(float, pa.Check.ge(0)),
        "TotalCharges": pa.Column(float, pa.Check.ge(0), nullable=True),
        "Contract": pa.Column(str, pa.Check.isin(["Month-to-month", "One year", "Two year"])),
        "PaymentMethod": pa.Column(str),
        "InternetService": pa.Column(str, pa.Check.isin(["DSL", "Fiber optic", "No"])),
        "PaperlessBilling": pa.Column(str, YES_NO),
        "Churn": pa.Column(str, YES_NO),
    }
)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_customers(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"customerID": str})
    n_dupes = int(df.duplicated(subset="customerID").sum())
    if n_dupes:
        raise ValueError(f"{path}: {n_dupes} duplicated customerID rows")
    for col in df.select_dtypes(include="object").columns:
        df[col] = df[col].str.strip()
    # blank for customers in their first month: keep it missing, the pipeline imputes it
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
    return SCHEMA.validate(df)
