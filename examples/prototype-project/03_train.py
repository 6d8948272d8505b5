"""Step 3: fit the price model and report cross-validated and test errors."""
import pickle

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyRegressor
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.metrics import mean_absolute_error, mean_squared_error
from sklearn.model_selection import KFold, cross_val_score, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 17
features = pd.read_parquet("data/features.parquet")
X = features.drop(columns=["price"])
y = features["price"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=SEED)

prep = ColumnTransformer([
    ("num", StandardScaler(), ["log_sqft", "rooms", "age"]),
    ("cat", OneHotEncoder(handle_unknown="ignore"), ["neighborhood"]),
])
model = Pipeline([("prep", prep), ("gbr", GradientBoostingRegressor(random_state=SEED))])
folds = KFold(n_splits=5, shuffle=True, random_state=SEED)
cv_mae = -cross_val_score(model, X_train, y_train, cv=folds, scoring="neg_mean_absolute_error")
base_mae = -cross_val_score(DummyRegressor(strategy="median"), X_train, y_train, cv=folds,
                            scoring="neg_mean_absolute_error")
print("cv MAE", cv_mae.mean(), "+/-", cv_mae.std(), "baseline", base_mae.mean())

model.fit(X_train, y_train)
pred = model.predict(X_test)
print("test MAE", mean_absolute_error(y_test, pred))
print("test RMSE", np.sqrt(mean_squared_error(y_test, pred)))

with open("model.pkl", "wb") as f:
    pickle.dump(model, f)
