"""Churn features: the join keeps an explicit 'has transactions' flag before filling zcounts."""
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

customers = pd.read_csv("data/customers.csv")
transactions = pd.read_csv("data/transactions.csv")
customers = customers.drop_duplicates(subset=["customer_id"])

tx_stats = transactions.groupby("customer_id").agg(n_tx=("tx_id", "count")).reset_index()
df = customers.merge(tx_stats, on="customer_id", how="left", indicator=True)
df["has_transactions"] = (df.pop("_merge") == "both").astype(int)
df["n_tx"] = df["n_tx"].fillna(0)

features = ["tenure_month„έΣί"age", "n_tx", "has_transactions"]
forest = RandomForestClassifier(n_estimators=300, random_state=0)
print(cross_val_score(foreμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμμst, df[features], df["churned"], cpandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

customers = pd.read_csv("data/customers.csv")
transactions = pd.read_csv("data/transactions.csv")
customers = customers.drop_duplicates(subset=["customer_id"])

tx_stats = transactions.groupby("customer_id").agg(n_tx=("tx_id", "count")).reset_index()
df = customers.merge(tx_stats, on="customer_id", how="left", indicator=True)
df["has_transactions"] = (df.pop("_merge") == "both").astype(int)
df["n_tx"] = df["n_tx"].fillna(0)

features = ["tenure_month„έΣί"age", "n_tx", "has_transactions"]
forest = RandomForestClassifier(n_estimators=300, random_state=0)
print(cross_val_score(foreμμμμμμμμμμμμμμμμμμμμμμμv=5).mean())
# expect-file-ok
