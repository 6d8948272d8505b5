"""Train the churn model: split once, tune with cross-validation on train, score the test set once.

    python -m churn_model.train --data data/telco_churn.csv --out models
"""
import argparse
import json
import logging
from datetime import datetime, timezone
from pathlib import Path

import joblib
import mlflow
import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from churn_model import __version__
from churn_model.data import file_sha256, load_customers
from churn_model.features import CATEGORICAL, FLAGS, NUMERIC, TARGET, add_features

SEED = 42
PARAM_GRID = {"model__C": [0.01, 0.1, 1.0, 10.0]}
logger = logging.getLogger(__name__)


def build_pipeline() -> Pipeline:
    numeric = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    categorical = Pipeline(
        [
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore")),
        ]
    )
    preprocess = ColumnTransformer(
        [("num", numeric, NUMERIC), ("cat", categorical, CATEGORICAL), ("flags", "passthrough", FLAGS)]
    )
    model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=SEED)
    return Pipeline([("preprocess", preprocess), ("model", model)])


def bootstrap_ci(y_true, proba, n_boot: int = 1000) -> tuple[float, float]:
    """95% bootstrap interval of the test PR-AUC."""
    rng = np.random.default_rng(SEED)
    y_true, proba = np.asarray(y_true), np.asarray(proba)
    scores = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(y_true), len(y_true))
        if y_true[idx].min() != y_true[idx].max():
            scores.append(average_precision_score(y_true[idx], proba[idx]))
    low, high = np.percentile(scores, [2.5, 97.5])
    return float(low), float(high)


def evaluate(model: Pipeline, X_test, y_test) -> dict:
    proba = model.predict_proba(X_test)[:, 1]
    low, high = bootstrap_ci(y_test, proba)
    return {
        "test_pr_auc": float(average_precision_score(y_test, proba)),
        "test_pr_auc_ci_low": low,
        "test_pr_auc_ci_high": high,
        "test_f1": float(f1_score(y_test, model.predict(X_test))),
        "test_brier": float(brier_score_loss(y_test, proba)),
    }


def save(model: Pipeline, params: dict, metrics: dict, data_path: Path, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, out_dir / "model.joblib")  # the whole Pipeline: serving reuses it as is
    metadata = {
        "model_version": __version__,
        "trained_at": datetime.now(timezone.utc).isoformat(),
        "data_sha256": file_sha256(data_path),
        "sklearn_version": sklearn.__version__,
        "seed": SEED,
        "params": params,
        "metrics": metrics,
    }
    (out_dir / "metadata.json").write_text(json.dumps(metadata, indent=2))
    mlflow.log_params({**params, "seed": SEED, "data_sha256": metadata["data_sha256"]})
    mlflow.log_metrics(metrics)
    mlflow.log_artifacts(str(out_dir))


def main(data_path: Path, out_dir: Path) -> dict:
    df = add_features(load_customers(data_path))
    X = df[NUMERIC + CATEGORICAL + FLAGS]
    y = (df[TARGET] == "Yes").astype(int)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=SEED
    )
    logger.info("train=%d test=%d churn rate (train)=%.3f", len(y_train), len(y_test), y_train.mean())

    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    dummy = DummyClassifier(strategy="prior", random_state=SEED)
    baseline = cross_val_score(dummy, X_train, y_train, cv=cv, scoring="average_precision").mean()
    default = cross_val_score(build_pipeline(), X_train, y_train, cv=cv, scoring="average_precision").mean()
    logger.info("CV PR-AUC: baseline=%.3f untuned pipeline=%.3f", baseline, default)

    search = GridSearchCV(build_pipeline(), PARAM_GRID, cv=cv, scoring="average_precision")
    search.fit(X_train, y_train)
    if search.best_score_ <= baseline:
        raise RuntimeError(f"CV PR-AUC {search.best_score_:.3f} does not beat the baseline {baseline:.3f}")

    metrics = evaluate(search.best_estimator_, X_test, y_test)  # the only look at the test set
    metrics.update(cv_pr_auc=float(search.best_score_), baseline_cv_pr_auc=float(baseline))
    logger.info("metrics: %s", json.dumps(metrics))
    save(search.best_estimator_, search.best_params_, metrics, data_path, out_dir)
    return metrics


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train the churn model.")
    parser.add_argument("--data", type=Path, default=Path("data/telco_churn.csv"))
    parser.add_argument("--out", type=Path, default=Path("models"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    mlflow.set_experiment("churn")
    with mlflow.start_run():
        main(args.data, args.out)
