"""Step 2: the feature table the model trains on."""
import numpy as np
import pandas as pd

houses = pd.read_parquet("data/houses_clean.parquet")
houses["log_sqft"] = np.log1p(houses["sqft"])
houses["rooms"] = houses["bedrooms"] + houses["bathrooms"]
features = houses[["log_sqft", "rooms", "age", "neighborhood", "price"]]
features.to_parquet("data/features.parquet", index=False)
print(features.head())
