"""Step 1: look at the raw export and write the cleaned table."""
import pandas as pd

houses = pd.read_csv("data/houses.csv")
print(houses.describe())
print(houses["neighborhood"].value_counts())

# rows without a price cannot be used for training
houses = houses.dropna(subset=["price"])
houses = houses.drop_duplicates()
houses["age"] = 2024 - houses["year_built"]
houses.to_parquet("data/houses_clean.parquet", index=False)
print("kept", len(houses), "rows")
