"""Neural-net experiment on the churn table (Dana's "let's try deep learning" branch).

Usage (from src/):
    python -m churn.train_nn

Writes the network's weights to models/churn_mlp.pt.
"""
from pathlib import Path

import pandas as pd
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from churn.features import CATEGORICAL_COLS, add_features

DATA_PATH = "data/telco_churn.csv"
EPOCHS = 30


class ChurnMLP(nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.hidden = nn.Linear(n_features, 64)
        self.dropout = nn.Dropout(0.3)
        self.out = nn.Linear(64, 2)

    def forward(self, x):
        x = self.dropout(F.relu(self.hidden(x)))
        return F.softmax(self.out(x), dim=1)


def to_loader(X, y, shuffle):
    tensors = TensorDataset(torch.tensor(X, dtype=torch.float32),
                            torch.tensor(y.to_numpy(), dtype=torch.long))
    return DataLoader(tensors, batch_size=128, shuffle=shuffle)


def main():
    torch.manual_seed(42)
    df = pd.read_csv(DATA_PATH)
    df["TotalCharges"] = pd.to_numeric(df["TotalCharges"], errors="coerce").fillna(0)
    df["Churn"] = (df["Churn"] == "Yes").astype(int)
    df = pd.get_dummies(add_features(df), columns=CATEGORICAL_COLS, drop_first=True)

    X = df.drop(columns=["Churn"]).astype(float)
    y = df["Churn"]
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=42
    )
    scaler = StandardScaler().fit(X_train)
    train_loader = to_loader(scaler.transform(X_train), y_train, shuffle=True)
    val_loader = to_loader(scaler.transform(X_val), y_val, shuffle=False)

    model = ChurnMLP(X.shape[1])
    criterion = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.7]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    for epoch in range(EPOCHS):
        model.train()
        epoch_loss = 0.0
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            epoch_loss += loss

        correct = 0
        for xb, yb in val_loader:
            correct += (model(xb).argmax(dim=1) == yb).sum().item()
        print(f"epoch {epoch}: loss {epoch_loss / len(train_loader):.4f} "
              f"val acc {correct / len(y_val):.3f}")

    Path("models").mkdir(exist_ok=True)
    torch.save(model.state_dict(), "models/churn_mlp.pt")


if __name__ == "__main__":
    main()
