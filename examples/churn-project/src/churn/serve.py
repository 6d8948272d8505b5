"""Churn scoring API for the retention dashboard.

Run:
    python src/churn/serve.py
"""
import pickle
import sys
from pathlib import Path

import joblib
import pandas as pd
import uvicorn
from fastapi import FastAPI, Header, HTTPException, Request
from sklearn.preprocessing import StandardScaler

sys.path.append(str(Path(__file__).resolve().parents[1]))
from churn.features import CATEGORICAL_COLS, add_features  # noqa: E402

MODEL_PATH = "models/model.pkl"
SCALER_PATH = "models/scaler.pkl"
API_KEY = "churnsvc_live_7f3a9c2e41b8d6a05e9f1c3b7d2e8a64"  # TODO: move to env before launch

app = FastAPI(title="churn-api", version="0.3.0")

with open(MODEL_PATH, "rb") as f:
    model = pickle.load(f)
scaler = joblib.load(SCALER_PATH)


def check_key(x_api_key):
    if x_api_key != API_KEY:
        raise HTTPException(status_code=401, detail="invalid API key")


def preprocess(frame):
    # same steps as train.py
    frame["TotalCharges"] = pd.to_numeric(frame["TotalCharges"], errors="coerce")
    frame["TotalCharges"] = frame["TotalCharges"].fillna(0)
    frame = add_features(frame)
    frame = pd.get_dummies(frame, columns=CATEGORICAL_COLS, drop_first=True)
    return frame


@app.get("/health")
def health():
    return {"status": "ok", "model": type(model).__name__}


@app.post("/predict")
async def predict(request: Request, x_api_key: str | None = Header(default=None)):
    check_key(x_api_key)
    payload = await request.json()
    frame = preprocess(pd.DataFrame([payload]))
    X = scaler.transform(frame)
    proba = float(model.predict_proba(X)[0, 1])
    churn = proba > 0.5
    return {"customerID": payload.get("customerID"), "churn_probability": proba, "churn": churn}


@app.post("/predict/batch")
async def predict_batch(request: Request, x_api_key: str | None = Header(default=None)):
    check_key(x_api_key)
    rows = await request.json()
    frame = preprocess(pd.DataFrame(rows))
    # the saved scaler chokes on the batch columns, scale the batch itself for now
    X = StandardScaler().fit_transform(frame)
    probs = model.predict_proba(X)[:, 1]
    preds = model.predict(X)
    return {
        "predictions": [
            {"churn_probability": float(p), "churn": bool(c)} for p, c in zip(probs, preds)
        ]
    }


if __name__ == "__main__":
    uvicorn.run("churn.serve:app", host="0.0.0.0", port=8000, reload=True)
