"""Train the churn model.

Usage (from the repo root):
    python src/churn/train.py

Writes the best model to models/model.pkl and the scaler to models/scaler.pkl,
which serve.py picks up.
"""
import json
import os
import pickle
import sys
import time
from pathlib import Path

import joblib
import pandas as pd
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier

sys.path.append(str(Path(__file__).resolve().parents[1]))
from churn.features import CATEGORICAL_COLS, add_features, add_ticket_counts  # noqa: E402

DATA_PATH = "data/telco_churn.csv"
MODEL_PATH = "/home/dana/projects/churn/models/model.pkl"
SCALER_PATH = "models/scaler.pkl"
PARAMS_PATH = "params.json"


def load_params():
    """Optional overrides for the XGBoost params (params.json)."""
    try:
        with open(PARAMS_PATH) as f:
            params = json.load(f)
    except:
        params = {}
    return params


def main():
    start = time.time()
    params = load_params()
    df = pd.read_csv(DATA_PATH)
    print("loaded", df.shape)

    # TotalCharges comes in as a string, blank for brand new customers
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce")
    df["TotalCharges"] = df["TotalCharges"].fillna(df["TotalCharges"].median())
    df["Churn"] = (df["Churn"] == "Yes").astype(int)

    df = add_features(add_ticket_counts(df, pd.read_csv("data/crm_tickets.csv")))
    df = pd.get_dummies(df, columns=CATEGORICAL_COLS, drop_first=True)

    X = df.drop(columns=["Churn"])
    y = df["Churn"]
    feature_names = list(X.columns)

    scaler = StandardScaler()
    X_scaled = scaler.fit_transform(X)

    # only ~27% churners, balance the classes
    smote = SMOTE(random_state=42)
    X_res, y_res = smote.fit_resample(X_scaled, y)

    X_train, X_test, y_train, y_test = train_test_split(
        X_res, y_res, test_size=0.2, random_state=42
    )
    print("train:", X_train.shape, "test:", X_test.shape)

    # pick the regularisation strength for the logistic regression
    best_C, best_score = None, 0.0
    for C in [0.001, 0.01, 0.1, 1, 10, 100]:
        model = LogisticRegression(C=C, max_iter=1000)
        model.fit(X_train, y_train)
        score = model.score(X_test, y_test)
        if score > best_score:
            best_C, best_score = C, score
    print("best C:", best_C)

    logreg = LogisticRegression(C=best_C, max_iter=1000)
    logreg.fit(X_train, y_train)

    rf = RandomForestClassifier(n_estimators=300, max_depth=12, n_jobs=-1)
    rf.fit(X_train, y_train)

    xgb = XGBClassifier(
        n_estimators=params.get("n_estimators", 1000),
        learning_rate=params.get("learning_rate", 0.05),
        max_depth=params.get("max_depth", 5),
        early_stopping_rounds=20,
        eval_metric="logloss",
        random_state=42,
    )
    xgb.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=False)
    print("xgb best iteration:", xgb.best_iteration)

    models = {"logreg": logreg, "random_forest": rf, "xgboost": xgb}
    results = {}
    for name, clf in models.items():
        y_pred = clf.predict(X_test)
        results[name] = accuracy_score(y_test, y_pred)
        print(f"{name}: accuracy = {results[name]:.4f}")

    best_name = max(results, key=results.get)
    best_model = models[best_name]
    print(f"BEST MODEL: {best_name} ({results[best_name]:.2%} accuracy)")
    print(confusion_matrix(y_test, best_model.predict(X_test)))

    if hasattr(best_model, "feature_importances_"):
        importances = pd.Series(best_model.feature_importances_, index=feature_names)
        print(importances.sort_values(ascending=False).head(15))

    os.makedirs(os.path.dirname(MODEL_PATH), exist_ok=True)
    with open(MODEL_PATH, "wb") as f:
        pickle.dump(best_model, f)
    joblib.dump(scaler, SCALER_PATH)
    print("saved model to", MODEL_PATH)
    print(f"done in {time.time() - start:.1f}s")


if __name__ == "__main__":
    main()
